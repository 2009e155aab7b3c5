"""Logging to a rotating file in the user's log folder, with secrets masked.

The mask is a last line of defence: code never logs secret values on purpose, but helpdesk
error bodies and URLs can carry tokens, so every record is masked by
:class:`SecretMaskingFormatter`.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.context import AppContext

LOG_FILE = "flare.log"

_SECRET_PATTERNS = [
    # Authorization: Bearer xyz / Basic xyz / Token token=xyz
    re.compile(r"(?i)(authorization\s*[:=]\s*['\"]?(?:bearer|basic|token)?\s*)[^\s'\",;]+"),
    # key=value style secrets in URLs, forms and connection strings
    re.compile(
        r"(?i)\b((?:api[_-]?key|apikey|access[_-]?token|auth[_-]?token|token|password|passwd|pwd|"
        r"secret|client[_-]?secret)\s*[=:]\s*['\"]?)[^\s&'\",;]+"
    ),
    # user:password@ in URLs
    re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@]+:)[^@\s/]+(?=@)"),
    # HTTP header names helpdesks use for keys
    re.compile(r"(?i)(x-(?:redmine-api-key|api-key|auth-token)\s*[:=]\s*['\"]?)[^\s'\",;]+"),
]


def mask_secrets(text: str) -> str:
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + "***", text)
    return text


class SecretMaskingFormatter(logging.Formatter):
    """Masks the whole formatted record, traceback included."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_secrets(super().format(record))


def setup_logging(ctx: AppContext, *, debug: bool = False) -> None:
    """Send Flare's logs to <logs>/flare.log (rotated, 5 × 1 MB)."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_flare", False)]:
        # One Flare log at a time: a new context (tests, a reloaded profile) replaces it.
        root.removeHandler(old)
        old.close()
    level = logging.DEBUG if debug else _level(ctx)
    try:
        ctx.dirs.logs.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            ctx.dirs.logs / LOG_FILE, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        # A read-only or full home must not stop the user from reporting the problem.
        handler = logging.NullHandler()
    handler.setFormatter(
        SecretMaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler._flare = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)


def _level(ctx: AppContext) -> int:
    try:
        name = str(ctx.settings.get("general.log_level")).upper()
    except KeyError:
        return logging.INFO
    return getattr(logging, name, logging.INFO) if isinstance(name, str) else logging.INFO
