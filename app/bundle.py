"""The report bundle: a folder or ``.zip`` with report.json, the evidence files,
diagnostics.json and a self-contained report.html.

Writes are atomic: everything goes into a hidden temporary sibling which is fsynced and then
renamed into place, so a crash or kill mid-write never leaves something that looks like a
complete bundle. Reading is strict and never writes anything: every problem (bad JSON, a
missing or extra file, an unsafe name, an unknown schema version, absurd sizes) is reported as
a :class:`~app.errors.BundleError` that names it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from app.errors import BundleError
from app.fsutil import PARTIAL_MARK, atomic_write_bytes, fsync_dir, write_synced
from app.report import Diagnostics, Report, check_member_name

REPORT_JSON = "report.json"
DIAGNOSTICS_JSON = "diagnostics.json"
REPORT_HTML = "report.html"
RESERVED = (REPORT_JSON, DIAGNOSTICS_JSON, REPORT_HTML)

# Image formats that are already compressed: storing them is faster and no bigger.
_STORED_SUFFIXES = (".webp", ".png", ".jpg", ".jpeg", ".zip", ".gz", ".7z")


@dataclass(frozen=True)
class Limits:
    """What a sane bundle stays within. Larger means a mistake or a zip bomb."""

    max_files: int = 1000
    max_member_bytes: int = 200 * 1024 * 1024
    max_total_bytes: int = 1024 * 1024 * 1024
    max_json_bytes: int = 32 * 1024 * 1024
    max_compression_ratio: float = 200.0


DEFAULT_LIMITS = Limits()


@dataclass
class Bundle:
    """A report bundle in memory."""

    report: Report
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    files: dict[str, bytes] = field(default_factory=dict)
    html: str = ""
    path: Path | None = None

    def file_size(self, name: str) -> int:
        return len(self.files[name])


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
) -> Path:
    """Write a complete bundle into ``dest_dir`` and return its path.

    ``files`` maps each evidence file the report names (step images, attachments) to its bytes.
    Attachment sizes and checksums are filled in from the bytes.
    """
    diagnostics = diagnostics or Diagnostics()
    report = _with_attachment_digests(report, files)
    _check_members_match(report, set(files))
    from app.render.html import render_html

    html = render_html(Bundle(report=report, diagnostics=diagnostics, files=dict(files)))
    members: list[tuple[str, bytes]] = [(n, files[n]) for n in report.member_files()]
    members.append((DIAGNOSTICS_JSON, _dump_json(diagnostics.model_dump(mode="json"))))
    members.append((REPORT_HTML, html.encode("utf-8")))
    # report.json goes last: a bundle without it is never mistaken for a complete one.
    members.append((REPORT_JSON, _dump_json(report.model_dump(mode="json"))))

    dest_dir.mkdir(parents=True, exist_ok=True)
    final = dest_dir / ((name or bundle_name(report)) + (".zip" if as_zip else ""))
    if final.exists():
        raise BundleError(f"{final} already exists; a report is never overwritten")
    try:
        if as_zip:
            _write_zip_atomically(final, members)
        else:
            _write_folder_atomically(final, members)
    except OSError as exc:
        raise BundleError(
            f"could not write the report to {dest_dir}: {exc.strerror or exc}. "
            "Free some disk space or choose another reports folder; nothing was lost."
        ) from exc
    return final


def rewrite_html(bundle_path: Path) -> Path:
    """Re-render report.html of a folder bundle (after a renderer update)."""
    bundle = read_bundle(bundle_path)
    from app.render.html import render_html

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
        raise BundleError(f"the report names files that were not given: {', '.join(missing)}")
    if extra:
        raise BundleError(f"files given that the report does not name: {', '.join(extra)}")


def _dump_json(obj: object) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def _write_folder_atomically(final: Path, members: list[tuple[str, bytes]]) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}{PARTIAL_MARK}", dir=final.parent))
    try:
        for name, data in members:
            target = tmp / name
            if target.parent != tmp:
                target.parent.mkdir(exist_ok=True)
            write_synced(target, data)
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
    """Read and fully validate a bundle folder or ``.zip``."""
    if not path.exists():
        raise BundleError(f"{path}: no such file or folder")
    if path.is_dir():
        raw = _read_folder(path, limits)
    elif zipfile.is_zipfile(path):
        raw = _read_zip(path, limits)
    else:
        raise BundleError(f"{path}: not a report bundle (expected a folder or a .zip file)")
    return _parse(path, raw)


def _parse(path: Path, raw: dict[str, bytes]) -> Bundle:
    for required in RESERVED:
        if required not in raw:
            raise BundleError(
                f"{path}: {required} is missing; this is not a complete Flare report "
                "(an interrupted write or a hand-made folder)"
            )
    report_obj = _load_json(path, REPORT_JSON, raw[REPORT_JSON])
    if isinstance(report_obj, dict):
        version = report_obj.get("schema_version")
        if version is not None and version not in (1,):
            raise BundleError(
                f"{path}: report.json has schema_version {version!r}, which this Flare cannot "
                "read; update Flare"
            )
    try:
        report = Report.model_validate(report_obj)
    except ValidationError as exc:
        raise BundleError(f"{path}: report.json is invalid: {_explain(exc)}") from None
    try:
        diagnostics = Diagnostics.model_validate(
            _load_json(path, DIAGNOSTICS_JSON, raw[DIAGNOSTICS_JSON])
        )
    except ValidationError as exc:
        raise BundleError(f"{path}: diagnostics.json is invalid: {_explain(exc)}") from None
    evidence = {n: b for n, b in raw.items() if n not in RESERVED}
    wanted = set(report.member_files())
    missing = sorted(wanted - set(evidence))
    extra = sorted(set(evidence) - wanted)
    if missing:
        raise BundleError(f"{path}: files named in report.json are missing: {', '.join(missing)}")
    if extra:
        raise BundleError(
            f"{path}: files not named in report.json: {', '.join(extra)} "
            "(a bundle carries only what the reporter reviewed)"
        )
    for att in report.attachments:
        data = evidence[att.file]
        if att.sha256 and hashlib.sha256(data).hexdigest() != att.sha256:
            raise BundleError(f"{path}: {att.file} does not match its checksum (damaged copy?)")
    return Bundle(
        report=report,
        diagnostics=diagnostics,
        files=evidence,
        html=raw[REPORT_HTML].decode("utf-8", errors="replace"),
        path=path,
    )


def _explain(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(x) for x in err["loc"]) or "(top level)"
        parts.append(f"{loc}: {err['msg']}")
    more = exc.error_count() - len(parts)
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def _load_json(path: Path, name: str, data: bytes) -> object:
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise BundleError(f"{path}: {name} is not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise BundleError(
            f"{path}: {name} is not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None


def _check_name(path: Path, name: str) -> None:
    if name in RESERVED:
        return
    try:
        check_member_name(name)
    except ValueError as exc:
        raise BundleError(f"{path}: {exc}") from None


def _member_limit(name: str, limits: Limits) -> int:
    return limits.max_json_bytes if name.endswith(".json") else limits.max_member_bytes


def _read_folder(root: Path, limits: Limits) -> dict[str, bytes]:
    raw: dict[str, bytes] = {}
    total = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        rel_dir = here.relative_to(root)
        for d in dirnames:
            if (here / d).is_symlink():
                raise BundleError(f"{root}: {rel_dir / d} is a symbolic link; bundles hold files")
        for fname in filenames:
            full = here / fname
            rel = (rel_dir / fname).as_posix()
            _check_name(root, rel)
            st = full.lstat()
            if not stat.S_ISREG(st.st_mode):
                raise BundleError(f"{root}: {rel} is not a regular file")
            if len(raw) >= limits.max_files:
                raise BundleError(f"{root}: more than {limits.max_files} files")
            if st.st_size > _member_limit(rel, limits):
                raise BundleError(f"{root}: {rel} is {st.st_size} bytes, more than allowed")
            total += st.st_size
            if total > limits.max_total_bytes:
                raise BundleError(f"{root}: larger than {limits.max_total_bytes} bytes in all")
            raw[rel] = full.read_bytes()
    return raw


def _read_zip(path: Path, limits: Limits) -> dict[str, bytes]:
    raw: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            if len(infos) > limits.max_files:
                raise BundleError(f"{path}: more than {limits.max_files} files")
            total = 0
            for info in infos:
                name = info.filename
                _check_name(path, name)
                if name in raw:
                    raise BundleError(f"{path}: {name} appears twice in the archive")
                if info.flag_bits & 0x1:
                    raise BundleError(f"{path}: {name} is encrypted")
                limit = _member_limit(name, limits)
                if info.file_size > limit:
                    raise BundleError(f"{path}: {name} unpacks to {info.file_size} bytes")
                if (
                    info.compress_size > 0
                    and info.file_size > 1024 * 1024
                    and info.file_size / info.compress_size > limits.max_compression_ratio
                ):
                    raise BundleError(
                        f"{path}: {name} is compressed {info.file_size // info.compress_size}:1, "
                        "which looks like a zip bomb"
                    )
                total += info.file_size
                if total > limits.max_total_bytes:
                    raise BundleError(
                        f"{path}: unpacks to more than {limits.max_total_bytes} bytes"
                    )
                # Headers can lie: read at most one byte past the declared size.
                with zf.open(info) as fh:
                    data = fh.read(info.file_size + 1)
                if len(data) != info.file_size:
                    raise BundleError(f"{path}: {name} is not the size its header declares")
                raw[name] = data
    except (zipfile.BadZipFile, zlib.error) as exc:
        raise BundleError(f"{path}: damaged zip archive: {exc}") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise BundleError(f"{path}: unsupported zip archive: {exc}") from None
    return raw
