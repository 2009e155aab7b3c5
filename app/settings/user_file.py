"""The user's own settings file: read like a policy file, written atomically."""

from __future__ import annotations

import json
from pathlib import Path

from app import safe_json
from app.fsutil import atomic_write_bytes
from app.regular_file import NotRegularFile, read_regular_bytes
from app.settings.model import SettingsError

# Not typing.TYPE_CHECKING: see app.settings.decl_types.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def load_user_json(path: Path) -> dict[str, Any]:
    """The raw object stored in the user file ({} when absent); SettingsError when unusable."""
    try:
        text = read_regular_bytes(path).decode("utf-8-sig")  # a FIFO is refused, not waited on
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, NotRegularFile) as exc:
        raise SettingsError(
            f"cannot read your settings file {path} ({exc}); fix or delete it, then try again"
        ) from None
    try:
        data = safe_json.loads(text)
    except safe_json.UnsafeJson as exc:
        where = (f"{path}:{exc.lineno}:{exc.colno} is not valid JSON ({exc.msg})" if exc.lineno
                 else f"{path} {exc}")
        raise SettingsError(f"your settings file {where}; fix or delete it, then try again"
                            ) from None
    if not isinstance(data, dict):
        raise SettingsError(
            f"your settings file {path} does not hold a JSON object; delete it and try again"
        )
    return data


def write_user_json(path: Path, data: dict[str, Any]) -> None:
    """Replace ``path`` with ``data`` so a crash leaves either the old or the new file."""
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, text.encode("utf-8"))
    except OSError as exc:
        raise SettingsError(
            f"cannot save your settings to {path} ({exc.strerror}); "
            "check that the folder exists and is writable"
        ) from None
