"""Reading a file someone named (policy, settings, spec, form): a regular file or nothing.

``open()`` on a FIFO waits for a writer forever and a device never ends, so a path that is a
FIFO hung Flare. Opening non-blocking and checking the descriptor before reading refuses
them at once, with a message that says what the path is.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

DEFAULT_MAX_BYTES = 16 * 1024 * 1024


class NotRegularFile(ValueError):
    """The path is no regular file (or too large); the message says which."""


def read_regular_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of ``path``; OSError as ``open`` raises it, NotRegularFile otherwise."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = ("a folder" if stat.S_ISDIR(st.st_mode)
                    else "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode)
                    else "a device or socket")
            raise NotRegularFile(f"it is {kind}, not a regular file")
        if st.st_size > max_bytes:
            raise NotRegularFile(f"it is {st.st_size} bytes, more than the {max_bytes} a "
                                 "settings file may have")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks = []
        left = max_bytes + 1
        while left > 0 and (chunk := os.read(fd, min(left, 1024 * 1024))):
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > max_bytes:
            raise NotRegularFile(f"it grew past {max_bytes} bytes while being read")
        return data
    finally:
        os.close(fd)


def read_regular_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """UTF-8 text (a BOM is dropped); UnicodeDecodeError when it is not UTF-8."""
    return read_regular_bytes(path, max_bytes).decode("utf-8-sig")
