"""A report bundle opened for delivery: the report, and its files read lazily from disk.

Connectors stream file contents from here, so memory does not grow with attachment size.
Bundles on disk are read by the one strict reader (:func:`app.bundle.open_bundle`); this
module only turns its members into the files a connector sends.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO, Literal

from app.bundle import DIAGNOSTICS_JSON, REPORT_HTML, Bundle, OpenBundle, open_bundle
from app.render.html import render_html
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
    # The strict reader's view of the bundle on disk, for a destination that takes the files
    # themselves (the folder links them instead of copying).
    opened: OpenBundle | None = field(default=None, compare=False, repr=False)

    def with_files(self, files: list[OutFile], notes: list[str]) -> DeliveryBundle:
        return replace(self, files=files, notes=[*self.notes, *notes])


def open_delivery_bundle(path: Path) -> DeliveryBundle:
    """Open a bundle folder or ``.zip`` for delivery through the strict reader.

    Files stream from disk when sent; report.html is rendered from report.json here, never
    taken from the bundle, so what support opens is what Flare renders. It is the page that
    refers to the screenshots sent beside it (what a helpdesk receives): no screenshot is read
    to build it. The folder destination renders the self-contained page itself."""
    return delivery_bundle(open_bundle(path))


def delivery_bundle(opened: OpenBundle) -> DeliveryBundle:
    report = opened.report
    members = opened.members
    files: list[OutFile] = []
    for step in report.steps:
        m = members[step.image]
        files.append(OutFile(name=_base(step.image), media_type=step.media_type, size=m.size,
                             kind="step", opener=m.opener, caption=step.caption))
    for att in report.attachments:
        m = members[att.file]
        files.append(OutFile(name=_base(att.name) or _base(att.file),
                             media_type=att.media_type, size=m.size, kind="attachment",
                             opener=m.opener, caption=att.description))
    diag = (opened.diagnostics.as_written().model_dump_json(indent=2) + "\n").encode("utf-8")
    files.append(OutFile(name=REPORT_HTML, media_type="text/html", size=0,
                         kind="report_html", opener=_bytes_opener(b"")))
    files.append(OutFile(name=DIAGNOSTICS_JSON, media_type="application/json", size=len(diag),
                         kind="diagnostics", opener=_bytes_opener(diag)))
    return refer_to_attached(DeliveryBundle(report=report, diagnostics=opened.diagnostics,
                                            files=_unique_names(files), path=opened.path,
                                            opened=opened))


@dataclass(frozen=True)
class _Names:
    """What the renderer needs for a page that refers to the attached files: no bytes."""

    report: Report
    diagnostics: Diagnostics
    files: Mapping[str, bytes] = field(default_factory=dict)

    def file_size(self, name: str) -> int:
        return 0  # the page names the attached files; their sizes come from the report


def refer_to_attached(bundle: DeliveryBundle) -> DeliveryBundle:
    """The bundle with a report.html that names and links each screenshot sent beside it
    instead of inlining it (app/render/html.py says why): each screenshot reaches the
    helpdesk once. Called on the final files (after format conversion), so the names match;
    a screenshot that is not among them is said to be not sent."""
    sent = {f.name for f in bundle.files if f.kind == "step"}
    attached = {image: name for image, name in attached_names(bundle.report).items()
                if name in sent}
    html = render_html(_Names(bundle.report, bundle.diagnostics), attached).encode("utf-8")
    files = [replace(f, size=len(html), opener=_bytes_opener(html))
             if f.kind == "report_html" else f for f in bundle.files]
    return replace(bundle, files=files)


def attached_names(report: Report) -> dict[str, str]:
    """Each step's image -> the name it is sent under (its base name)."""
    return {s.image: _base(s.image) for s in report.steps}


def _bytes_opener(data: bytes) -> Callable[[], BinaryIO]:
    return lambda: io.BytesIO(data)


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
    diag = (bundle.diagnostics.as_written().model_dump_json(indent=2) + "\n").encode("utf-8")
    files.append(OutFile(name=REPORT_HTML, media_type="text/html", size=0,
                         kind="report_html", opener=opener(b"")))
    files.append(OutFile(name=DIAGNOSTICS_JSON, media_type="application/json", size=len(diag),
                         kind="diagnostics", opener=opener(diag)))
    return refer_to_attached(DeliveryBundle(report=report, diagnostics=bundle.diagnostics,
                                            files=_unique_names(files), path=bundle.path))


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
