"""A report bundle opened for delivery: the report, and its files read lazily from disk.

Connectors stream file contents from here, so memory does not grow with attachment size.
:func:`app.bundle.read_bundle` loads everything into memory, which is right for the review
window and wrong for uploading 10 screenshots of 4K; this module validates the same things
(report.json, member names, attachment checksums) without keeping the bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, BinaryIO, Literal

from pydantic import ValidationError

from app.bundle import DIAGNOSTICS_JSON, REPORT_HTML, REPORT_JSON, Bundle
from app.errors import BundleError
from app.report import Diagnostics, Report

FileKind = Literal["step", "attachment", "report_html", "diagnostics"]
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class OutFile:
    """One file to send. ``open()`` returns a fresh binary stream each time."""

    name: str
    media_type: str
    size: int
    kind: FileKind
    opener: Callable[[], BinaryIO] = field(repr=False, compare=False)
    caption: str = ""
    note: str = ""

    def open(self) -> BinaryIO:
        return self.opener()

    def read_bytes(self) -> bytes:
        with self.open() as fh:
            return fh.read()

    def sha256(self) -> str:
        digest = hashlib.sha256()
        with self.open() as fh:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
        return digest.hexdigest()


@dataclass
class DeliveryBundle:
    report: Report
    diagnostics: Diagnostics
    files: list[OutFile]
    path: Path | None = None
    notes: list[str] = field(default_factory=list)

    def with_files(self, files: list[OutFile], notes: list[str]) -> DeliveryBundle:
        return replace(self, files=files, notes=[*self.notes, *notes])


def open_delivery_bundle(path: Path) -> DeliveryBundle:
    """Open a bundle folder or ``.zip`` for delivery, validating it without loading files."""
    if path.is_dir():
        members = {
            p.relative_to(path).as_posix(): p for p in path.rglob("*") if p.is_file()
        }

        def opener_for(name: str) -> Callable[[], BinaryIO]:
            target = members[name]
            return lambda: open(target, "rb")

        sizes = {n: p.stat().st_size for n, p in members.items()}
    elif path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            sizes = {i.filename: i.file_size for i in zf.infolist() if not i.is_dir()}

        def opener_for(name: str) -> Callable[[], BinaryIO]:
            def _open() -> BinaryIO:
                # A fresh ZipFile per stream: streams stay independent and close cleanly.
                zf = zipfile.ZipFile(path)
                return _ZipMemberStream(zf, zf.open(name))

            return _open
    else:
        raise BundleError(f"{path}: not a report bundle (expected a folder or a .zip file)")

    for required in (REPORT_JSON, DIAGNOSTICS_JSON, REPORT_HTML):
        if required not in sizes:
            raise BundleError(f"{path}: {required} is missing; this is not a complete report")
    try:
        with opener_for(REPORT_JSON)() as fh:
            report = Report.model_validate(json.loads(fh.read().decode("utf-8")))
        with opener_for(DIAGNOSTICS_JSON)() as fh:
            diagnostics = Diagnostics.model_validate(json.loads(fh.read().decode("utf-8")))
    except (ValidationError, ValueError) as exc:
        raise BundleError(f"{path}: report.json or diagnostics.json is invalid: {exc}") from None
    missing = [n for n in report.member_files() if n not in sizes]
    if missing:
        raise BundleError(f"{path}: files named in report.json are missing: {', '.join(missing)}")

    files: list[OutFile] = []
    for step in report.steps:
        files.append(
            OutFile(
                name=_base(step.image), media_type=step.media_type, size=sizes[step.image],
                kind="step", opener=opener_for(step.image), caption=step.caption,
            )
        )
    for att in report.attachments:
        out = OutFile(
            name=_base(att.name) or _base(att.file), media_type=att.media_type,
            size=sizes[att.file], kind="attachment", opener=opener_for(att.file),
            caption=att.description,
        )
        if att.sha256 and out.sha256() != att.sha256:
            raise BundleError(f"{path}: {att.file} does not match its checksum (damaged copy?)")
        files.append(out)
    files.append(
        OutFile(name=REPORT_HTML, media_type="text/html", size=sizes[REPORT_HTML],
                kind="report_html", opener=opener_for(REPORT_HTML))
    )
    files.append(
        OutFile(name=DIAGNOSTICS_JSON, media_type="application/json",
                size=sizes[DIAGNOSTICS_JSON], kind="diagnostics",
                opener=opener_for(DIAGNOSTICS_JSON))
    )
    return DeliveryBundle(report=report, diagnostics=diagnostics,
                          files=_unique_names(files), path=path)


def delivery_bundle_from_memory(bundle: Bundle) -> DeliveryBundle:
    """The same view over an in-memory :class:`~app.bundle.Bundle` (tests, the review window)."""
    report = bundle.report

    def opener(data: bytes) -> Callable[[], BinaryIO]:
        return lambda: io.BytesIO(data)

    files = [
        OutFile(name=_base(s.image), media_type=s.media_type, size=len(bundle.files[s.image]),
                kind="step", opener=opener(bundle.files[s.image]), caption=s.caption)
        for s in report.steps
    ]
    files += [
        OutFile(name=_base(a.name) or _base(a.file), media_type=a.media_type,
                size=len(bundle.files[a.file]), kind="attachment",
                opener=opener(bundle.files[a.file]), caption=a.description)
        for a in report.attachments
    ]
    html = bundle.html.encode("utf-8")
    diag = (bundle.diagnostics.model_dump_json(indent=2) + "\n").encode("utf-8")
    files.append(OutFile(name=REPORT_HTML, media_type="text/html", size=len(html),
                         kind="report_html", opener=opener(html)))
    files.append(OutFile(name=DIAGNOSTICS_JSON, media_type="application/json", size=len(diag),
                         kind="diagnostics", opener=opener(diag)))
    return DeliveryBundle(report=report, diagnostics=bundle.diagnostics,
                          files=_unique_names(files), path=bundle.path)


def _base(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1].strip()


def _unique_names(files: list[OutFile]) -> list[OutFile]:
    """Helpdesks show attachments by name: two files called log.txt become log.txt, log-2.txt."""
    seen: set[str] = set()
    out = []
    for f in files:
        name = f.name or "file"
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, ""
        n = 2
        while name in seen:
            name = f"{stem}-{n}.{ext}" if ext else f"{stem}-{n}"
            n += 1
        seen.add(name)
        out.append(f if name == f.name else replace(f, name=name))
    return out


class _ZipMemberStream(io.RawIOBase, BinaryIO):
    """A zip member stream that also closes its archive."""

    def __init__(self, zf: zipfile.ZipFile, member: IO[bytes]) -> None:
        super().__init__()
        self._zf = zf
        self._member = member

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        return self._member.read(-1 if size is None else size)

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._member.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._member.close()
        self._zf.close()
        super().close()
