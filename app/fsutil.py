"""Durable file writes: the one way Flare replaces a file so a crash leaves old or new."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

PARTIAL_MARK = ".partial-"


def fsync_dir(path: Path) -> None:
    """Make a rename inside ``path`` durable. Windows journals renames itself."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_synced(path: Path, data: bytes) -> None:
    """Write a new file and flush it to disk before returning."""
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Replace ``target`` with ``data``: temp file in the same folder, fsync, rename, fsync."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}{PARTIAL_MARK}", dir=target.parent)
    os.close(fd)
    try:
        write_synced(Path(tmp), data)
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
