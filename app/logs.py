"""Logging to a rotating file in the user's log folder, with secrets masked.

The mask is a last line of defence: code never logs secret values on purpose, but helpdesk
error bodies and URLs can carry tokens, so every record is masked by
:class:`SecretMaskingFormatter`.
"""

from __future__ import annotations

import functools
import logging

# Not typing.TYPE_CHECKING: importing typing costs every `flare` command a few ms.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from app.context import AppContext
    from diagnostics.redact import Redactor

LOG_FILE = "flare.log"


@functools.cache
def _redactor() -> Redactor:
    # One secret detector for the whole project: the one diagnostics uses before anything is
    # shown or stored (real secret shapes, no personal-data pseudonyms in logs). Built at the
    # first record, not at start-up: compiling its patterns costs ~10 ms, and most CLI runs
    # never log anything.
    from diagnostics.redact import Redactor

    return Redactor()


def mask_secrets(text: str) -> str:
    return _redactor().text(text)[0]


class SecretMaskingFormatter(logging.Formatter):
    """Masks the whole formatted record, traceback included."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_secrets(super().format(record))


def setup_logging(ctx: AppContext, *, debug: bool = False) -> None:
    """Send Flare's logs to <logs>/flare.log (rotated, 5 × 1 MB).

    The file is opened, and ``general.log_level`` read, at the first record: most CLI runs
    log nothing, and reading the settings for the level is most of `flare outbox list`'s
    start-up."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_flare", False)]:
        # One Flare log at a time: a new context (tests, a reloaded profile) replaces it.
        root.removeHandler(old)
        old.close()
    root.addHandler(_DeferredLogFile(ctx, debug=debug))
    # Every record reaches the handler until it knows the level; then the level is set here.
    root.setLevel(logging.DEBUG)


class _DeferredLogFile(logging.Handler):
    """Flare's log file, opened at the first record that reaches it."""

    def __init__(self, ctx: AppContext, *, debug: bool) -> None:
        super().__init__(logging.DEBUG)
        self._ctx = ctx
        self._debug = debug
        self._file: logging.Handler | None = None
        self._flare = True

    def _open(self) -> logging.Handler:
        import logging.handlers

        level = logging.DEBUG if self._debug else _level(self._ctx)
        try:
            self._ctx.dirs.logs.mkdir(parents=True, exist_ok=True)
            handler: logging.Handler = logging.handlers.RotatingFileHandler(
                self._ctx.dirs.logs / LOG_FILE, maxBytes=1_000_000, backupCount=5,
                encoding="utf-8",
            )
        except OSError:
            # A read-only or full home must not stop the user from reporting the problem.
            handler = logging.NullHandler()
        handler.setFormatter(
            SecretMaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        )
        handler.setLevel(level)
        logging.getLogger().setLevel(level)
        return handler

    def emit(self, record: logging.LogRecord) -> None:
        # Handler.handle holds this handler's lock here, so the file is opened once.
        if self._file is None:
            self._file = self._open()
        if record.levelno >= self._file.level:
            self._file.handle(record)

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


def _level(ctx: AppContext) -> int:
    try:
        name = str(ctx.settings.get("general.log_level")).upper()
    except KeyError:
        return logging.INFO
    return getattr(logging, name, logging.INFO) if isinstance(name, str) else logging.INFO
