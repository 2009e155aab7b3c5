"""Request bodies that stream from disk: a sized file reader and a multipart/form-data body.

requests builds multipart bodies in memory; these are file-like objects with a known length,
so uploads are sent in blocks and Content-Length is still exact.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any, BinaryIO

from app.helpdesk.delivery_bundle import OutFile

_BLOCK = 64 * 1024


_MEDIA_TYPE_RE = re.compile(
    r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
    r"""(\s*;\s*[A-Za-z0-9!#$&^_.+-]+=("[^"\\\r\n]*"|[A-Za-z0-9!#$&^_.+-]+))*$""")


def media_type(value: str | None, fallback: str = "application/octet-stream") -> str:
    """A Content-Type for a part header: a well-formed media type or ``fallback``. Report
    data (an attachment's media type) never adds a header line or a part of its own."""
    if value and _MEDIA_TYPE_RE.match(value):
        return value
    return fallback


def _quote(value: str) -> str:
    # RFC 7578: quotes and line breaks in names are percent-encoded.
    return value.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


class SizedFileReader:
    """Streams one file; ``len()`` gives requests the Content-Length."""

    def __init__(self, file: OutFile) -> None:
        self._file = file
        self._fh: BinaryIO | None = None

    def __len__(self) -> int:
        return self._file.size

    def read(self, size: int = -1) -> bytes:
        if self._fh is None:
            self._fh = self._file.open()
        data = self._fh.read(size if size and size > 0 else _BLOCK)
        if not data:
            self.close()
        return data

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def describe(self) -> str:
        return f"<the bytes of {self._file.name}, {self._file.size} bytes>"


class MultipartBody:
    """multipart/form-data over in-memory fields and files streamed from disk."""

    def __init__(self) -> None:
        self.boundary = "flare-" + uuid.uuid4().hex
        self._segments: list[bytes | OutFile] = []
        self._current: BinaryIO | None = None
        self._index = 0

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def add_field(self, name: str, value: str | bytes, content_type: str | None = None) -> None:
        head = f'--{self.boundary}\r\nContent-Disposition: form-data; name="{_quote(name)}"\r\n'
        if content_type:
            head += f"Content-Type: {media_type(content_type)}\r\n"
        data = value.encode("utf-8") if isinstance(value, str) else value
        self._segments.append(head.encode("utf-8") + b"\r\n" + data + b"\r\n")

    def add_json(self, name: str, value: Any) -> None:
        self.add_field(name, json.dumps(value, ensure_ascii=False), "application/json")

    def add_file(self, name: str, file: OutFile, filename: str | None = None,
                 content_type: str | None = None) -> None:
        head = (
            f"--{self.boundary}\r\n"
            f'Content-Disposition: form-data; name="{_quote(name)}"; '
            f'filename="{_quote(filename or file.name)}"\r\n'
            f"Content-Type: {media_type(content_type or file.media_type)}\r\n\r\n"
        )
        self._segments += [head.encode("utf-8"), file, b"\r\n"]

    def finish(self) -> None:
        self._segments.append(f"--{self.boundary}--\r\n".encode())

    def __len__(self) -> int:
        return sum(s.size if isinstance(s, OutFile) else len(s) for s in self._segments)

    def read(self, size: int = -1) -> bytes:
        want = size if size and size > 0 else _BLOCK
        out = bytearray()
        while len(out) < want and self._index < len(self._segments):
            seg = self._segments[self._index]
            if isinstance(seg, bytes):
                out += seg
                self._index += 1
                continue
            if self._current is None:
                self._current = seg.open()
            chunk = self._current.read(want - len(out))
            if chunk:
                out += chunk
            else:
                self._current.close()
                self._current = None
                self._index += 1
        return bytes(out)

    def describe(self) -> str:
        """The body as text with each file's bytes left out (``--dry-run``)."""
        out = []
        for seg in self._segments:
            if isinstance(seg, OutFile):
                out.append(f"<the bytes of {seg.name}, {seg.size} bytes>")
            else:
                out.append(seg.decode("utf-8", errors="replace"))
        return "".join(out)

    def close(self) -> None:
        if self._current is not None:
            self._current.close()
            self._current = None

