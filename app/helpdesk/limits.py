"""Fitting a report into a destination's size limits, visibly.

A screenshot over the limit is downscaled (the ticket says so); any other file over the limit
is split into numbered parts (``log.txt.part1of3``; the ticket says how to join them). Nothing
is ever dropped silently: if a file cannot be made to fit, delivery stops with a clear error.
"""

from __future__ import annotations

import io
from dataclasses import replace
from typing import BinaryIO

from app import i18n
from app.helpdesk.delivery_bundle import DeliveryBundle, OutFile
from app.helpdesk.errors import DeliveryError

_MB = 1024 * 1024
_BLOCK = 1024 * 1024


def fit_to_limits(bundle: DeliveryBundle, max_file_bytes: int | None) -> DeliveryBundle:
    if not max_file_bytes:
        return bundle
    files: list[OutFile] = []
    notes: list[str] = []
    for f in bundle.files:
        if f.size <= max_file_bytes:
            files.append(f)
        elif f.media_type.startswith("image/") and f.kind == "step":
            small = _downscale(f, max_file_bytes)
            note = (f"{f.name} was downscaled from {_mb(f.size)} to {_mb(small.size)} to fit "
                    f"the helpdesk's {_mb(max_file_bytes)} limit per file")
            files.append(replace(small, note=note))
            notes.append(note)
        else:
            parts = _split(f, max_file_bytes)
            files += parts
            notes.append(
                f"{f.name} ({_mb(f.size)}) was split into {len(parts)} parts to fit the "
                f"helpdesk's {_mb(max_file_bytes)} limit per file; join them in order "
                f"(cat {f.name}.part* > {f.name})"
            )
    return bundle.with_files(files, notes)


def _mb(n: int) -> str:
    return f"{n / _MB:.1f} MB"


def _downscale(f: OutFile, limit: int) -> OutFile:
    from PIL import Image

    with f.open() as fh, Image.open(fh) as img:
        img.load()
        fmt = {"image/webp": "WEBP", "image/png": "PNG", "image/jpeg": "JPEG"}.get(
            f.media_type, "PNG")
        scale = 0.85
        while True:
            w, h = max(1, int(img.width * scale)), max(1, int(img.height * scale))
            current = img.resize((w, h), Image.Resampling.LANCZOS)
            buf = io.BytesIO()
            current.save(buf, format=fmt, **({"quality": 85} if fmt in ("JPEG", "WEBP") else {}))
            data = buf.getvalue()
            if len(data) <= limit:
                break
            if w < 200 or h < 200:
                raise DeliveryError(i18n.current().tr(
                    "{name} cannot be made smaller than the helpdesk's {limit} limit; raise "
                    "destination.max_attachment_mb or remove the screenshot", name=f.name,
                    limit=i18n.current().unit(limit / _MB, "MB", 1)), kind="validation")
            scale *= 0.75
    return replace(f, size=len(data), opener=lambda: io.BytesIO(data))


class _Cursor:
    """One stream over a file shared by its parts, so parts read in order (as they are
    uploaded) cost one pass in all. Before, each part skipped from the start again: for a
    zip member that is a fresh decompression per part, quadratic in the number of parts."""

    def __init__(self, f: OutFile) -> None:
        self._f = f
        self._fh: BinaryIO | None = None
        self._pos = 0

    def at(self, start: int) -> BinaryIO:
        if self._fh is None or self._pos != start:
            if self._fh is not None:
                self._fh.close()
            self._fh = self._f.open()
            self._pos = 0
            if start and self._fh.seekable():
                self._fh.seek(start)
                self._pos = start
            while self._pos < start:  # not seekable: read on, in blocks, to the start
                chunk = self._fh.read(min(_BLOCK, start - self._pos))
                if not chunk:
                    break
                self._pos += len(chunk)
        return self._fh

    def advanced(self, n: int) -> None:
        self._pos += n

    def release(self, end: int) -> None:
        """A part is done; the stream stays open only if it is exactly where the next starts."""
        if self._fh is not None and (self._pos != end or end >= self._f.size):
            self._fh.close()
            self._fh = None

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


class _RangeReader(io.RawIOBase, BinaryIO):
    def __init__(self, cursor: _Cursor, start: int, length: int) -> None:
        super().__init__()
        self._cursor = cursor
        self._fh = cursor.at(start)
        self._end = start + length
        self._left = length

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        n = self._left if size is None or size < 0 else min(size, self._left)
        data = self._fh.read(n) if n else b""
        self._left -= len(data)
        self._cursor.advanced(len(data))
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            if self._left:
                self._cursor.close()
            else:
                self._cursor.release(self._end)
        super().close()


def _split(f: OutFile, limit: int) -> list[OutFile]:
    count = -(-f.size // limit)
    cursor = _Cursor(f)
    parts = []
    for i in range(count):
        start = i * limit
        length = min(limit, f.size - start)

        def opener(start: int = start, length: int = length) -> BinaryIO:
            return _RangeReader(cursor, start, length)

        parts.append(replace(f, name=f"{f.name}.part{i + 1}of{count}", size=length,
                             media_type="application/octet-stream", opener=opener,
                             note=f"part {i + 1} of {count} of {f.name}"))
    return parts
