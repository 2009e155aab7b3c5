"""The user's own settings file: read like a policy file, written atomically."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from app.settings.model import SettingsError


def load_user_json(path: Path) -> dict[str, Any]:
    """The raw object stored in the user file ({} when absent); SettingsError when unusable."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(
            f"cannot read your settings file {path} ({exc}); fix or delete it, then try again"
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SettingsError(
            f"your settings file {path}:{exc.lineno}:{exc.colno} is not valid JSON ({exc.msg}); "
            "fix or delete it, then try again"
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
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _fsync_dir(path.parent)
    except OSError as exc:
        raise SettingsError(
            f"cannot save your settings to {path} ({exc.strerror}); "
            "check that the folder exists and is writable"
        ) from None


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not possible (nor needed) on Windows.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
