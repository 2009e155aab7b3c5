"""The report bundle: a folder or ``.zip`` with report.json, the evidence files,
diagnostics.json and a self-contained report.html.

Writes are atomic: everything goes into a hidden temporary sibling which is fsynced and then
renamed into place, so a crash or kill mid-write never leaves something that looks like a
complete bundle. Reading is strict and never writes anything: every problem (bad JSON, a
missing or extra file, an unsafe name, an unknown schema version, absurd sizes) is reported as
a :class:`~app.errors.BundleError` that names it.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import shutil
import stat
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from app.bundle_reader import (
    DEFAULT_LIMITS,
    DIAGNOSTICS_JSON,
    REPORT_HTML,
    REPORT_JSON,
    RESERVED,
    Limits,
    OpenBundle,
    open_bundle,
)
from app.errors import BundleError
from app.fsutil import PARTIAL_MARK, atomic_write_bytes, fsync_dir, write_synced
from app.i18n import current
from app.render.html import render_html
from app.report import Diagnostics, Report, check_member_name

__all__ = [
    "DEFAULT_LIMITS", "DIAGNOSTICS_JSON", "REPORT_HTML", "REPORT_JSON", "RESERVED", "Bundle",
    "Limits", "OpenBundle", "copy_checked", "link_checked", "open_bundle", "read_bundle",
    "render_opened", "write_bundle",
]

# Image formats that are already compressed: storing them is faster and no bigger.
_STORED_SUFFIXES = (".webp", ".png", ".jpg", ".jpeg", ".zip", ".gz", ".7z")
_COPY_BLOCK = 1024 * 1024




@dataclass
class Bundle:
    """A report bundle in memory."""

    report: Report
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    files: dict[str, bytes] = field(default_factory=dict)
    html: str = ""
    path: Path | None = None

    def file_size(self, name: str) -> int:
        return len(self.files.get(name, b""))


def bundle_name(report: Report) -> str:
    """A folder name that sorts by time and is unique: flare-20261125-093012-1a2b3c4d."""
    return f"flare-{report.created_at:%Y%m%d-%H%M%S}-{report.short_id()}"


# --------------------------------------------------------------------------- writing


def write_bundle(
    report: Report,
    files: Mapping[str, bytes],
    dest_dir: Path,
    *,
    diagnostics: Diagnostics | None = None,
    as_zip: bool = False,
    name: str | None = None,
    html: str = "",
    attached: Mapping[str, str] | None = None,
    private: bool = False,
) -> Path:
    """Write a complete bundle into ``dest_dir`` and return its path.

    ``files`` maps each evidence file the report names (step images, attachments) to its bytes.
    Attachment sizes and checksums are filled in from the bytes. ``html``: report.html as
    already rendered from exactly this report (the review page's), so Send does not render
    it again. ``attached``: report.html is instead the page that names each screenshot sent
    beside it (app/render/html.py), which holds no image bytes. ``private``: the folder 0700
    and its files 0600 (the outbox spool).
    """
    diagnostics = diagnostics or Diagnostics()
    given = report
    report = _with_attachment_digests(report, files)
    _check_members_match(report, set(files))
    if attached is not None or not html or report != given:  # else the given page is this one
        html = render_html(Bundle(report=report, diagnostics=diagnostics, files=dict(files)),
                           attached)
    members: list[tuple[str, bytes]] = [(n, files[n]) for n in report.member_files()]
    members.append((DIAGNOSTICS_JSON,
                    _dump_json(diagnostics.as_written().model_dump(mode="json"))))
    members.append((REPORT_HTML, html.encode("utf-8")))
    # report.json goes last: a bundle without it is never mistaken for a complete one.
    members.append((REPORT_JSON, _dump_json(
        {**report.model_dump(mode="json"), "schema_version": report.lowest_schema_version()})))

    dest_dir.mkdir(parents=True, exist_ok=True)
    final = dest_dir / ((name or bundle_name(report)) + (".zip" if as_zip else ""))
    if final.exists():
        raise BundleError(current().tr(
            "{final} already exists; a report is never overwritten",
            final=final))
    try:
        if as_zip:
            _write_zip_atomically(final, members)
        else:
            _write_folder_atomically(final, members, 0o600 if private else 0o666)
    except OSError as exc:
        raise BundleError(
            current().tr(
                "could not write the report to {dest_dir}: {reason}. Free some disk space or "
                "choose another reports folder; nothing was lost.",
                dest_dir=dest_dir, reason=exc.strerror or exc)
        ) from exc
    return final


def rewrite_html(bundle_path: Path) -> Path:
    """Re-render report.html of a folder bundle (after a renderer update)."""
    bundle = read_bundle(bundle_path)
    target = bundle_path / REPORT_HTML
    atomic_write_bytes(target, render_html(bundle).encode("utf-8"))
    return target


def _with_attachment_digests(report: Report, files: Mapping[str, bytes]) -> Report:
    if not report.attachments:
        return report
    attachments = []
    for att in report.attachments:
        data = files.get(att.file)
        if data is None:
            attachments.append(att)
            continue
        attachments.append(
            att.model_copy(update={"size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
        )
    return report.model_copy(update={"attachments": attachments})


def _check_members_match(report: Report, given: set[str]) -> None:
    for n in given:
        try:
            check_member_name(n)
        except ValueError as exc:
            raise BundleError(str(exc)) from None
    wanted = set(report.member_files())
    missing = sorted(wanted - given)
    extra = sorted(given - wanted)
    if missing:
        raise BundleError(current().tr(
            "the report names files that were not given: {files}",
            files=', '.join(missing)))
    if extra:
        raise BundleError(current().tr(
            "files given that the report does not name: {files}",
            files=', '.join(extra)))


def _dump_json(obj: object) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def _write_folder_atomically(final: Path, members: list[tuple[str, bytes]],
                             mode: int = 0o666) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}{PARTIAL_MARK}", dir=final.parent))
    try:
        for name, data in members:
            target = tmp / name
            if target.parent != tmp:
                target.parent.mkdir(mode=0o700 if mode == 0o600 else 0o777, exist_ok=True)
            write_synced(target, data, mode=mode)
        for sub in {tmp / n.split("/")[0] for n, _ in members if "/" in n}:
            fsync_dir(sub)
        fsync_dir(tmp)
        os.rename(tmp, final)
        fsync_dir(final.parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _write_zip_atomically(final: Path, members: list[tuple[str, bytes]]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{final.name}{PARTIAL_MARK}", dir=final.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            with zipfile.ZipFile(fh, "w") as zf:
                for name, data in members:
                    kind = (
                        zipfile.ZIP_STORED
                        if name.lower().endswith(_STORED_SUFFIXES)
                        else zipfile.ZIP_DEFLATED
                    )
                    zf.writestr(name, data, compress_type=kind)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
        fsync_dir(final.parent)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_partials(folder: Path, older_than_s: float = 3600.0) -> int:
    """Delete leftovers of interrupted writes; returns how many were removed."""
    removed = 0
    if not folder.is_dir():
        return 0
    cutoff = time.time() - older_than_s
    for entry in folder.iterdir():
        stale = entry.name.startswith(".") and PARTIAL_MARK in entry.name
        if stale and entry.lstat().st_mtime < cutoff:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed += 1
    return removed


def list_bundles(folder: Path) -> Iterator[Path]:
    """Complete bundles in ``folder`` (interrupted writes are hidden and skipped)."""
    if not folder.is_dir():
        return
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if (entry.is_dir() and (entry / REPORT_JSON).is_file()) or entry.suffix == ".zip":
            yield entry


# --------------------------------------------------------------------------- reading


def read_bundle(path: Path, *, limits: Limits = DEFAULT_LIMITS) -> Bundle:
    """Read and fully validate a bundle folder or ``.zip`` into memory (the review window,
    ``flare bundle``). report.html is rendered from report.json: the stored copy is never
    trusted, since anyone who could edit the bundle could have put a script in it."""
    opened = open_bundle(path, limits=limits)
    return bundle_in_memory(opened)


def bundle_in_memory(opened: OpenBundle) -> Bundle:
    bundle = Bundle(report=opened.report, diagnostics=opened.diagnostics,
                    files=opened.load_files(), path=opened.path)
    bundle.html = render_html(bundle)
    return bundle


# --------------------------------------------------------------------------- copying


def copy_checked(opened: OpenBundle, dest: Path, *, private: bool = False,
                 html: bytes | None = None) -> None:
    """Write a checked bundle anew at ``dest`` (which must not exist), streaming each file.

    Only what the reader checked is copied, never a path it did not open itself; report.html
    is rendered from report.json, so a page edited on disk never travels on. ``private``
    makes folders 0700 and files 0600 (the outbox spool), whatever the original modes were.
    ``html`` is that page where the caller has rendered it already. OSError (ENOSPC …) is the
    caller's to explain.
    """
    if html is None:
        html = render_opened(opened).encode("utf-8")
    members: list[tuple[str, Callable[[], BinaryIO]]] = [
        (m.name, m.opener) for m in opened.members.values()]
    members += [(DIAGNOSTICS_JSON, opened.reserved[DIAGNOSTICS_JSON].opener),
                (REPORT_HTML, lambda: io.BytesIO(html)),
                # report.json last: a copy without it is never taken for a complete bundle
                (REPORT_JSON, opened.reserved[REPORT_JSON].opener)]
    file_mode = 0o600 if private else 0o644
    if opened.kind == "zip":
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, file_mode)
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w") as zf:
            for name, opener in members:
                kind = (zipfile.ZIP_STORED if name.lower().endswith(_STORED_SUFFIXES)
                        else zipfile.ZIP_DEFLATED)
                info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
                info.compress_type = kind
                with opener() as src, zf.open(info, "w", force_zip64=True) as out:
                    shutil.copyfileobj(src, out, _COPY_BLOCK)
        return
    os.mkdir(dest, 0o700 if private else 0o755)
    for name, opener in members:
        target = dest / name
        if target.parent != dest:
            target.parent.mkdir(mode=0o700 if private else 0o755, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, file_mode)
        with opener() as src, os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(src, out, _COPY_BLOCK)


def link_checked(opened: OpenBundle, dest: Path, html: bytes) -> bool:
    """Hard-link a checked folder bundle's files at ``dest`` (which must not exist): the
    folder destination takes the outbox's copy without writing the images again.

    ``html`` is report.html as rendered from report.json: the stored page is linked only when
    it is byte for byte that page, else that page is written. Each link is checked to be the
    regular file of the size the reader accepted. False, with nothing left at ``dest``, where
    the file system cannot link (another volume, FAT, a share): then the caller copies.
    """
    if opened.kind != "folder":
        return False
    stored = opened.reserved[REPORT_HTML]
    html_matches = stored.size == len(html) and stored.read_bytes() == html
    names = [*opened.members, DIAGNOSTICS_JSON, *([REPORT_HTML] if html_matches else []),
             REPORT_JSON]  # report.json last: a copy without it is never taken for complete
    sizes = {**{n: m.size for n, m in opened.members.items()},
             **{n: m.size for n, m in opened.reserved.items()}}
    os.mkdir(dest, 0o700)
    try:
        if not html_matches:
            write_synced(dest / REPORT_HTML, html, mode=0o600)
        for name in names:
            target = dest / name
            if target.parent != dest:
                target.parent.mkdir(mode=0o700, exist_ok=True)
            os.link(opened.path / name, target, follow_symlinks=False)
            st = os.lstat(target)
            if not stat.S_ISREG(st.st_mode) or st.st_size != sizes[name]:
                raise BundleError(current().tr(
                    "{path}: {name} changed after it was checked; open the report again",
                    path=opened.path, name=name))
        for sub in {dest / n.split("/")[0] for n in names if "/" in n}:
            fsync_dir(sub)
        fsync_dir(dest)
    except OSError as exc:
        shutil.rmtree(dest, ignore_errors=True)
        if exc.errno in _CANNOT_LINK:
            return False
        raise
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        raise
    return True


# What link() answers where the file system has no hard links or they cannot cross here.
_CANNOT_LINK = {errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP,
                errno.EACCES, errno.ENOSYS}


class _LazyView:
    """An opened bundle as the renderer reads it: files read only when asked for."""

    def __init__(self, opened: OpenBundle) -> None:
        self.report = opened.report
        self.diagnostics = opened.diagnostics
        self.files = LazyFiles(opened)

    def file_size(self, name: str) -> int:
        return self.files.size_of(name)


class LazyFiles(Mapping[str, bytes]):
    """The evidence of an opened bundle as a mapping: each file read when asked for."""

    def __init__(self, opened: OpenBundle) -> None:
        self._members = opened.members

    def size_of(self, name: str) -> int:
        m = self._members.get(name)
        return 0 if m is None else m.size

    def __getitem__(self, name: str) -> bytes:
        return self._members[name].read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self._members)

    def __len__(self) -> int:
        return len(self._members)


def render_opened(opened: OpenBundle) -> str:
    """report.html of an opened bundle, rendered from its report.json."""
    return render_html(_LazyView(opened))
