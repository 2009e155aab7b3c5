"""Durable file writes: the one way Flare replaces a file so a crash leaves old or new."""

from __future__ import annotations

import contextlib
import os
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


def fsync_tree(path: Path) -> None:
    """Flush every file below ``path`` and the folders that name them (a copy made with
    plain writes, before it is renamed into place)."""
    if os.name == "nt":
        return
    for root, _dirs, files in os.walk(path):
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(Path(root))


def write_synced(path: Path, data: bytes, *, mode: int = 0o666) -> None:
    """Write a new file and flush it to disk before returning. ``mode`` (less the umask) is
    the new file's permissions: 0o600 keeps a private file private from its first byte."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), mode)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Replace ``target`` with ``data``: temp file in the same folder, fsync, rename, fsync."""
    import tempfile  # not at import: `flare outbox list` writes nothing

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
