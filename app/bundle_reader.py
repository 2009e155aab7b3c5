"""The one strict reader of report bundles: every path that reads a bundle comes here.

A bundle arrives from anywhere (a draft, a hand-made folder, a mail attachment), so nothing in
it is trusted before it is checked:

- only regular files and (one level of) folders; a symbolic link, FIFO, socket or device is
  refused by name, and files are opened without following links (O_NOFOLLOW, O_NONBLOCK), so a
  link swapped in after the check is refused too;
- counts, sizes and compression ratios are checked from the directory or zip headers before
  any member is read in full; zip members are then streamed once to prove their CRC, their
  size and their compressed data, without keeping them in memory;
- report.json and diagnostics.json go through :mod:`app.safe_json` (depth, number and text
  limits) and the report model; attachment checksums are verified by streaming.

The result holds *openers*: each returns a fresh stream of one member, bounded to the size
that was checked, so uploads stream from disk and a file that changed since is refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import lzma
import os
import stat
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal

from pydantic import ValidationError

from app import safe_json
from app.errors import BundleError
from app.i18n import current
from app.report import Diagnostics, Report, check_member_name, schema_version_problem

REPORT_JSON = "report.json"
DIAGNOSTICS_JSON = "diagnostics.json"
REPORT_HTML = "report.html"
RESERVED = (REPORT_JSON, DIAGNOSTICS_JSON, REPORT_HTML)

_CHUNK = 1024 * 1024
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)
_ALLOWED_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2,
                    zipfile.ZIP_LZMA}
# A ratio is only meaningful once a member is big enough to hurt.
_RATIO_FLOOR = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """What a sane bundle stays within. Larger means a mistake or a zip bomb."""

    max_files: int = 1000
    max_member_bytes: int = 200 * 1024 * 1024
    max_total_bytes: int = 1024 * 1024 * 1024
    max_json_bytes: int = 32 * 1024 * 1024
    max_compression_ratio: float = 100.0


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Member:
    """One file of a bundle: its checked size and a way to stream it."""

    name: str
    size: int
    opener: Callable[[], BinaryIO]

    def open(self) -> BinaryIO:
        return self.opener()

    def read_bytes(self) -> bytes:
        with self.open() as fh:
            return fh.read()


@dataclass(frozen=True)
class OpenBundle:
    """A checked bundle: the report, its diagnostics and its evidence files, unread."""

    path: Path
    kind: Literal["folder", "zip"]
    report: Report
    diagnostics: Diagnostics
    members: dict[str, Member]  # the evidence files report.json names, in timeline order
    reserved: dict[str, Member]  # report.json, diagnostics.json and the stored report.html

    def load_files(self) -> dict[str, bytes]:
        return {name: m.read_bytes() for name, m in self.members.items()}

    def all_members(self) -> list[Member]:
        """Every file, report.json last (a copy without it is never taken for complete)."""
        return [*self.members.values(), self.reserved[DIAGNOSTICS_JSON],
                self.reserved[REPORT_HTML], self.reserved[REPORT_JSON]]


def open_bundle(path: Path, *, limits: Limits = DEFAULT_LIMITS) -> OpenBundle:
    """Check a bundle folder or ``.zip`` strictly; BundleError names the first problem, in
    one line whatever the bundle holds (a key or a file name with a line break)."""
    try:
        return _open_bundle(path, limits)
    except BundleError as exc:
        if "\n" not in exc.message and "\r" not in exc.message:
            raise
        raise BundleError(" ".join(exc.message.split())) from None


def _open_bundle(path: Path, limits: Limits) -> OpenBundle:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise BundleError(current().tr("{path}: no such file or folder", path=path)) from None
    except OSError as exc:
        raise BundleError(current().tr("{path}: cannot be read ({reason})", path=path,
                                       reason=exc.strerror)) from None
    if stat.S_ISDIR(st.st_mode):
        kind: Literal["folder", "zip"] = "folder"
        members = _folder_members(path, limits)
    elif stat.S_ISREG(st.st_mode):
        kind = "zip"
        members = _zip_members(path, limits)
    else:
        raise BundleError(current().tr(
            "{path}: {kind}, not a report bundle (expected a folder or a .zip file)",
            path=path, kind=_kind_of(st.st_mode)))
    return _parse(path, kind, members)


# --------------------------------------------------------------------------- checks


def _kind_of(mode: int) -> str:
    # The predicate of "{path} {kind}" sentences: translated with them, in the reader's words.
    t = current()
    if stat.S_ISLNK(mode):
        return t.tr("is a symbolic link, not a regular file")
    if stat.S_ISFIFO(mode):
        return t.tr("is a FIFO (named pipe), not a regular file")
    if stat.S_ISSOCK(mode):
        return t.tr("is a socket, not a regular file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return t.tr("is a device, not a regular file")
    return t.tr("is not a regular file")


def _check_name(path: Path, name: str) -> None:
    if name in RESERVED:
        return
    try:
        check_member_name(name)
    except ValueError as exc:
        raise BundleError(f"{path}: {exc}") from None


def _member_limit(name: str, limits: Limits) -> int:
    return limits.max_json_bytes if name.endswith(".json") else limits.max_member_bytes


def _check_size(path: Path, name: str, size: int, limits: Limits) -> None:
    limit = _member_limit(name, limits)
    if size > limit:
        raise BundleError(current().tr(
            "{path}: {name} is {size} bytes, more than allowed for one file (at most {limit})",
            path=path, name=name, size=size, limit=limit))


# --------------------------------------------------------------------------- folders


def _folder_members(root: Path, limits: Limits) -> dict[str, Member]:
    found: dict[str, int] = {}
    total = 0
    for rel, st in _walk(root):
        _check_name(root, rel)
        if not stat.S_ISREG(st.st_mode):
            raise BundleError(current().tr(
                "{root}: {rel} {kind}; a bundle holds only regular files",
                root=root, rel=rel, kind=_kind_of(st.st_mode)))
        if len(found) >= limits.max_files:
            raise BundleError(current().tr(
                "{root}: more than {count} files",
                root=root, count=limits.max_files))
        _check_size(root, rel, st.st_size, limits)
        total += st.st_size
        if total > limits.max_total_bytes:
            raise BundleError(current().tr(
                "{root}: larger than {size} bytes in all",
                root=root, size=limits.max_total_bytes))
        found[rel] = st.st_size
    return {name: Member(name, size, _folder_opener(root, name, size))
            for name, size in found.items()}


def _walk(root: Path) -> list[tuple[str, os.stat_result]]:
    """Entries of the bundle folder and its sub-folders, none of them followed if a link."""
    out: list[tuple[str, os.stat_result]] = []
    try:
        with os.scandir(root) as top:
            entries = sorted(top, key=lambda e: e.name)
    except OSError as exc:
        raise BundleError(current().tr(
            "{root}: cannot be listed ({reason})",
            root=root, reason=exc.strerror)) from None
    for entry in entries:
        st = entry.stat(follow_symlinks=False)
        if stat.S_ISDIR(st.st_mode):
            try:
                with os.scandir(entry.path) as sub:
                    subs = sorted(sub, key=lambda e: e.name)
            except OSError as exc:
                raise BundleError(current().tr(
                    "{root}: {folder} cannot be listed ({reason})",
                    root=root, folder=entry.name, reason=exc.strerror)
                                  ) from None
            for s in subs:
                sst = s.stat(follow_symlinks=False)
                if stat.S_ISDIR(sst.st_mode):
                    raise BundleError(current().tr(
                        "{root}: {folder}/{name} is a folder inside a folder; bundles hold at most"
                        " one folder level",
                        root=root, folder=entry.name, name=s.name))
                out.append((f"{entry.name}/{s.name}", sst))
        else:
            out.append((entry.name, st))
    return out


def _open_no_follow(root: Path, name: str) -> int:
    """A read descriptor for ``root/name`` that follows no link below ``root``."""
    flags = os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_BINARY
    parts = name.split("/")
    if os.open not in os.supports_dir_fd:  # Windows: no openat; check each part instead
        for i in range(1, len(parts) + 1):
            mode = os.lstat(root.joinpath(*parts[:i])).st_mode
            if stat.S_ISLNK(mode):
                raise OSError(f"{'/'.join(parts[:i])} is a symbolic link")
        return os.open(root.joinpath(*parts), flags)
    dir_fd = os.open(root, os.O_RDONLY | _O_DIRECTORY)
    try:
        for part in parts[:-1]:
            sub = os.open(part, os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW, dir_fd=dir_fd)
            os.close(dir_fd)
            dir_fd = sub
        return os.open(parts[-1], flags, dir_fd=dir_fd)
    finally:
        os.close(dir_fd)


def _folder_opener(root: Path, name: str, size: int) -> Callable[[], BinaryIO]:
    def _open() -> BinaryIO:
        try:
            fd = _open_no_follow(root, name)
        except OSError as exc:
            raise BundleError(current().tr(
                "{root}: {name} cannot be opened safely ({reason}); was it replaced by a link?",
                root=root, name=name, reason=exc.strerror or exc)) from None
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size != size:
            os.close(fd)
            raise BundleError(current().tr(
                "{root}: {name} changed after it was checked; open the report again",
                root=root, name=name))
        if _O_NONBLOCK:  # POSIX: ordinary blocking reads from here on
            os.set_blocking(fd, True)
        return _Bounded(os.fdopen(fd, "rb"), size, f"{root}: {name}")

    return _open


# --------------------------------------------------------------------------- zip files


def _open_regular(path: Path) -> IO[bytes]:
    """Open a file for reading only if it is a regular file (never blocks on a FIFO)."""
    fd = os.open(path, os.O_RDONLY | _O_NONBLOCK | _O_BINARY)
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise BundleError(current().tr(
            "{path}: {kind}, not a report bundle",
            path=path, kind=_kind_of(st.st_mode)))
    if _O_NONBLOCK and hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def _zip_error(path: Path, name: str, exc: BaseException) -> BundleError:
    what = f"{path}: {name}" if name else str(path)
    if isinstance(exc, RuntimeError) and "encrypted" in str(exc).lower():
        return BundleError(current().tr(
            "{what} is encrypted; bundles are never password-protected",
            what=what))
    if isinstance(exc, zipfile.BadZipFile) and "CRC" in str(exc):
        return BundleError(current().tr(
            "{what} is damaged (its CRC does not match); get a fresh copy",
            what=what))
    if isinstance(exc, lzma.LZMAError):
        return BundleError(current().tr(
            "{what}: the LZMA data is damaged; get a fresh copy",
            what=what))
    if isinstance(exc, OSError) and not isinstance(exc, zipfile.BadZipFile):
        return BundleError(current().tr(
            "{what}: the compressed data is damaged ({error}); get a fresh copy",
            what=what, error=exc))
    if isinstance(exc, zlib.error):
        return BundleError(current().tr(
            "{what}: the deflate data is damaged; get a fresh copy",
            what=what))
    if isinstance(exc, EOFError):
        return BundleError(current().tr(
            "{what}: the compressed data ends too early; get a fresh copy",
            what=what))
    if isinstance(exc, NotImplementedError):
        return BundleError(current().tr(
            "{what} uses a compression Flare does not read ({error})",
            what=what, error=exc))
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return BundleError(current().tr('{what}: damaged zip archive ({text})', what=what, text=text))


_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, lzma.LZMAError, EOFError,
               OSError, NotImplementedError, RuntimeError, ValueError)


def _zip_members(path: Path, limits: Limits) -> dict[str, Member]:
    fh = _open_regular(path)
    with fh:
        st = os.fstat(fh.fileno())
        try:
            if not zipfile.is_zipfile(fh):
                raise BundleError(current().tr(
                    "{path}: not a report bundle (expected a folder or a .zip file)",
                    path=path))
            fh.seek(0)
            with zipfile.ZipFile(fh) as zf:
                infos = [i for i in zf.infolist() if not i.is_dir()]
                _check_zip_headers(path, infos, st.st_size, limits)
                sizes = {i.filename: i.file_size for i in infos}
                for info in infos:
                    _verify_member(path, zf, info)
        except BundleError:
            raise
        except _ZIP_ERRORS as exc:
            raise _zip_error(path, "", exc) from None
    identity = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    return {name: Member(name, size, _zip_opener(path, name, size, identity))
            for name, size in sizes.items()}


def _check_zip_headers(path: Path, infos: list[zipfile.ZipInfo], archive_size: int,
                       limits: Limits) -> None:
    if len(infos) > limits.max_files:
        raise BundleError(current().tr(
            "{path}: more than {count} files",
            path=path, count=limits.max_files))
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        _check_name(path, name)
        if name in seen:
            raise BundleError(current().tr(
                "{path}: {name} appears twice in the archive",
                path=path, name=name))
        seen.add(name)
        if info.flag_bits & 0x1:
            raise BundleError(current().tr(
                "{path}: {name} is encrypted; bundles are never password-protected",
                path=path, name=name))
        if info.compress_type not in _ALLOWED_METHODS:
            raise BundleError(current().tr(
                "{path}: {name} uses compression method {method}, which Flare does not read",
                path=path, name=name, method=info.compress_type))
        mode = info.external_attr >> 16
        if mode and not (stat.S_ISREG(mode) or stat.S_IFMT(mode) == 0):
            raise BundleError(current().tr(
                "{path}: {name} {kind}; a bundle holds only regular files",
                path=path, name=name, kind=_kind_of(mode)))
        _check_size(path, name, info.file_size, limits)
        if (info.file_size > _RATIO_FLOOR
                and info.file_size > limits.max_compression_ratio * max(info.compress_size, 1)):
            raise BundleError(
                current().tr(
                    "{path}: {name} is compressed {ratio}:1, which looks like a zip bomb",
                    path=path, name=name, ratio=info.file_size // max(info.compress_size, 1)))
        total += info.file_size
        if total > limits.max_total_bytes:
            raise BundleError(current().tr(
                "{path}: unpacks to more than {size} bytes",
                path=path, size=limits.max_total_bytes))
    if total > _RATIO_FLOOR and total > limits.max_compression_ratio * max(archive_size, 1):
        raise BundleError(current().tr(
            "{path}: unpacks to {total} bytes from {archive_size}, {ratio}:1, which looks like a "
            "zip bomb",
            path=path, total=total, archive_size=archive_size, ratio=total // max(archive_size, 1)))


def _verify_member(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Stream a member once: its compressed data decodes, its CRC and size are right."""
    seen = 0
    try:
        with zf.open(info) as member:
            while chunk := member.read(_CHUNK):
                seen += len(chunk)
                if seen > info.file_size:
                    break
    except _ZIP_ERRORS as exc:
        raise _zip_error(path, info.filename, exc) from None
    if seen != info.file_size:
        raise BundleError(current().tr(
            "{path}: {name} is not the size its header declares",
            path=path, name=info.filename))


def _zip_opener(path: Path, name: str, size: int,
                identity: tuple[int, int, int, int]) -> Callable[[], BinaryIO]:
    def _open() -> BinaryIO:
        fh = _open_regular(path)
        st = os.fstat(fh.fileno())
        if (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) != identity:
            fh.close()
            raise BundleError(current().tr(
                "{path} changed after it was checked; open the report again",
                path=path))
        try:
            zf = zipfile.ZipFile(fh)
            member = zf.open(name)
        except _ZIP_ERRORS as exc:
            fh.close()
            raise _zip_error(path, name, exc) from None
        return _Bounded(_ZipMemberStream(fh, zf, member), size, f"{path}: {name}")

    return _open


class _ZipMemberStream(io.RawIOBase, BinaryIO):
    """A zip member stream that also closes its archive and file."""

    def __init__(self, fh: IO[bytes], zf: zipfile.ZipFile, member: IO[bytes]) -> None:
        super().__init__()
        self._fh, self._zf, self._member = fh, zf, member

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        return self._member.read(-1 if size is None else size)

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._member.close()
            self._zf.close()
            self._fh.close()
        super().close()


class _Bounded(io.RawIOBase, BinaryIO):
    """A stream that yields exactly the checked size: more or less is a BundleError.

    Decoding errors (a zip member damaged after the check) become BundleError too, so an
    upload stops with a message instead of an unexpected exception.
    """

    def __init__(self, inner: IO[bytes], size: int, what: str) -> None:
        super().__init__()
        self._inner, self._left, self._what = inner, size, what
        self._size = size

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        try:
            if self._left == 0:
                if size != 0 and self._inner.read(1):
                    raise BundleError(current().tr(
                        "{what} grew after it was checked",
                        what=self._what))
                return b""
            want = self._left if size is None or size < 0 else min(size, self._left)
            data = self._inner.read(want) if want else b""
        except BundleError:
            raise
        except _ZIP_ERRORS as exc:
            raise BundleError(current().tr(
                "{what} cannot be read any more ({error})",
                what=self._what, error=exc)) from None
        if want and not data:
            raise BundleError(current().tr('{what} shrank after it was checked', what=self._what))
        self._left -= len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seekable(self) -> bool:
        # Files in a folder seek; a zip member would decompress from its start again, so it
        # reads on (app.helpdesk.limits splits it in one pass instead).
        return isinstance(self._inner, io.BufferedReader) and self._inner.seekable()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence != io.SEEK_SET or not self.seekable() or not 0 <= offset <= self._size:
            raise io.UnsupportedOperation("seek")
        self._inner.seek(offset)
        self._left = self._size - offset
        return offset

    def tell(self) -> int:
        return self._size - self._left

    def close(self) -> None:
        if not self.closed:
            with contextlib.suppress(OSError):
                self._inner.close()
        super().close()


# --------------------------------------------------------------------------- contents


def _parse(path: Path, kind: Literal["folder", "zip"], members: dict[str, Member]) -> OpenBundle:
    for required in RESERVED:
        if required not in members:
            raise BundleError(
                current().tr(
                    "{path}: {required} is missing; this is not a complete Flare report (an "
                    "interrupted write or a hand-made folder)",
                    path=path, required=required))
    report_obj = _load_json(path, members[REPORT_JSON])
    _check_version(path, REPORT_JSON, report_obj)
    try:
        report = Report.model_validate(report_obj)
    except ValidationError as exc:
        raise BundleError(current().tr(
            "{path}: report.json is invalid: {problem}",
            path=path, problem=explain(exc))) from None
    diag_obj = _load_json(path, members[DIAGNOSTICS_JSON])
    _check_version(path, DIAGNOSTICS_JSON, diag_obj)
    try:
        diagnostics = Diagnostics.model_validate(diag_obj)
    except ValidationError as exc:
        raise BundleError(current().tr(
            "{path}: diagnostics.json is invalid: {problem}",
            path=path, problem=explain(exc))) from None
    evidence = {n: m for n, m in members.items() if n not in RESERVED}
    wanted = set(report.member_files())
    missing = sorted(wanted - set(evidence))
    extra = sorted(set(evidence) - wanted)
    if missing:
        raise BundleError(current().tr("{path}: files named in report.json are missing: "
                                       "{files}", path=path, files=", ".join(missing)))
    if extra:
        raise BundleError(current().tr(
            "{path}: files not named in report.json: {files} (a bundle carries only what the "
            "reporter reviewed)", path=path, files=", ".join(extra)))
    for att in report.attachments:
        if att.sha256 and _sha256(evidence[att.file]) != att.sha256:
            raise BundleError(current().tr(
                "{path}: {file} does not match its checksum (damaged copy?)", path=path,
                file=att.file))
    ordered = {n: evidence[n] for n in report.member_files()}
    return OpenBundle(path=path, kind=kind, report=report, diagnostics=diagnostics,
                      members=ordered, reserved={n: members[n] for n in RESERVED})


def _check_version(path: Path, name: str, obj: object) -> None:
    if not isinstance(obj, dict) or "schema_version" not in obj:
        return
    problem = schema_version_problem(obj["schema_version"], name)
    if problem:
        raise BundleError(f"{path}: {problem}")


def _sha256(member: Member) -> str:
    digest = hashlib.sha256()
    with member.open() as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def explain(exc: ValidationError) -> str:
    """A pydantic error as one line: the first few locations and messages."""
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(_loc_part(x) for x in err["loc"]) or "(top level)"
        parts.append(f"{loc}: {' '.join(str(err['msg']).split())}")
    more = exc.error_count() - len(parts)
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def _loc_part(part: object) -> str:
    text = str(part)
    # A key from the file itself may hold anything: show odd ones quoted and escaped.
    return text if text.isidentifier() or text.isdigit() else json.dumps(text)


def _load_json(path: Path, member: Member) -> object:
    data = member.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BundleError(current().tr(
            "{path}: {name} is not UTF-8 text (byte {offset})",
            path=path, name=member.name, offset=exc.start)
                          ) from None
    try:
        return safe_json.loads(text)
    except safe_json.UnsafeJson as exc:
        raise BundleError(f"{path}: {member.name} {exc}") from None

