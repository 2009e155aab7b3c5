"""Issue 13.2: every byte that leaves comes from the bundle and was checked.

Symbolic links, zip bombs, FIFOs and quadratic splits, through the paths a user takes:
`flare outbox send`, `flare bundle validate`, the spool, the size-limit splitter.
"""

from __future__ import annotations

import io
import json
import os
import stat
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.bundle import REPORT_JSON, open_bundle, read_bundle
from app.cli import main
from app.context import AppContext
from app.errors import BundleError
from app.form.loader import load_form
from app.helpdesk.delivery_bundle import OutFile, open_delivery_bundle
from app.helpdesk.limits import fit_to_limits
from app.helpdesk.outbox import Outbox
from app.helpdesk.spec.model import load_spec
from app.settings import load_settings
from app.settings.user_file import load_user_json
from tests.factories import sample_bundle, sample_report
from tests.security.helpers import within
from tests.security.loopback import serve, spec_text


def now() -> datetime:
    return datetime.now(UTC)


PRIVATE_KEY = b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"


def spec_context(tmp_path: Path, url: str) -> AppContext:
    spec = tmp_path / "loopdesk.yaml"
    spec.write_text(spec_text(), "utf-8")
    os.environ.setdefault("FLARE_SECURITY_TEST_TOKEN", "t")
    return AppContext.for_tests(tmp_path / "home", destination__type="spec",
                                destination__spec=str(spec), destination__url=url,
                                destination__token="env:FLARE_SECURITY_TEST_TOKEN")


def test_outbox_send_refuses_a_symlink_inside_a_folder_bundle(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = tmp_path / "id_ed25519"
    key.write_bytes(PRIVATE_KEY)
    key.chmod(0o600)
    bundle = sample_bundle(tmp_path / "drafts")
    target = bundle / "attachments" / "outlook.log"
    target.unlink()
    target.symlink_to(key)
    with serve() as desk:
        ctx = spec_context(tmp_path, desk.url)
        code = main(["outbox", "send", str(bundle)], context_factory=lambda _d: ctx)
    err = capsys.readouterr().err
    assert code != 0 and "symbolic link" in err and err.count("\n") == 1
    assert desk.requests == [], "nothing was sent"
    spooled = [p for p in (ctx.dirs.state / "outbox").rglob("*") if p.is_file()]
    assert not any(p.read_bytes() == PRIVATE_KEY for p in spooled), "the key is not spooled"


def test_a_symlink_swapped_in_after_the_check_is_not_followed(tmp_path: Path) -> None:
    key = tmp_path / "secret"
    key.write_bytes(PRIVATE_KEY)
    bundle = sample_bundle(tmp_path / "drafts")
    opened = open_delivery_bundle(bundle)
    log = next(f for f in opened.files if f.name == "outlook.log")
    target = bundle / "attachments" / "outlook.log"
    target.unlink()
    target.symlink_to(key)
    with pytest.raises(BundleError, match="cannot be opened safely|changed"):
        log.read_bytes()


def test_spool_copies_are_private(tmp_path: Path) -> None:
    bundle = sample_bundle(tmp_path / "drafts")
    os.chmod(bundle, 0o700)
    with Outbox(tmp_path / "state", now) as box:
        report = open_bundle(bundle).report
        item = box.enqueue(bundle, "spec", report_id=str(report.id))
        modes = {p.relative_to(item.bundle_path).as_posix(): stat.S_IMODE(p.stat().st_mode)
                 for p in [item.bundle_path, *item.bundle_path.rglob("*")]}
        spool_mode = stat.S_IMODE(box.spool.stat().st_mode)
    assert spool_mode == 0o700
    assert modes["."] == 0o700 and modes["attachments"] == 0o700
    files = {n: m for n, m in modes.items() if n not in (".", "attachments")}
    assert files and set(files.values()) == {0o600}, files


def _bomb(path: Path, members: int, member_bytes: int) -> Path:
    """A zip whose members are all zeros: tiny on disk, huge unpacked."""
    report, _files, diagnostics = sample_report(steps=0)
    names = [f"attachments/blob{i:04d}.bin" for i in range(members)]
    from app.report import Attachment

    report = report.model_copy(update={"attachments": [
        Attachment(file=n, name=n.split("/")[1], media_type="application/octet-stream")
        for n in names]})
    zeros = bytes(member_bytes)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for n in names:
            zf.writestr(n, zeros)
        zf.writestr("diagnostics.json", diagnostics.model_dump_json())
        zf.writestr("report.html", "<p>x</p>")
        zf.writestr(REPORT_JSON, report.model_dump_json())
    return path


def test_many_small_bomb_members_are_refused_before_reading(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 300 members of 1 MiB of zeros: each under the per-member ratio floor the old reader
    # checked (> 1 MiB), 300 MiB in all from about 300 KB, which it read into memory.
    path = _bomb(tmp_path / "bomb.zip", 300, 1024 * 1024)
    assert path.stat().st_size < 2 * 1024 * 1024
    ctx = AppContext.for_tests(tmp_path / "home")
    code = within(20, lambda: main(["bundle", "validate", str(path)],
                                   context_factory=lambda _d: ctx))
    out = capsys.readouterr().out
    assert code != 0 and "zip bomb" in out
    with Outbox(tmp_path / "state", now) as box, \
            pytest.raises(BundleError, match="zip bomb"):
        box.enqueue(path, "spec", report_id="x")


def test_one_large_bomb_member_is_refused_by_its_header(tmp_path: Path) -> None:
    path = _bomb(tmp_path / "bomb.zip", 1, 64 * 1024 * 1024)
    with pytest.raises(BundleError, match="zip bomb"):
        open_bundle(path)


def _fifo(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    os.mkfifo(path)
    return path


def test_a_fifo_as_bundle_is_refused_at_once(tmp_path: Path) -> None:
    fifo = _fifo(tmp_path, "bundle.zip")
    with pytest.raises(BundleError, match="FIFO"):
        within(5, lambda: read_bundle(fifo))


def test_a_fifo_member_of_a_folder_bundle_is_refused(tmp_path: Path) -> None:
    bundle = sample_bundle(tmp_path / "drafts")
    (bundle / "attachments" / "outlook.log").unlink()
    os.mkfifo(bundle / "attachments" / "outlook.log")
    with pytest.raises(BundleError, match="FIFO"):
        within(5, lambda: open_delivery_bundle(bundle))


def test_a_fifo_as_policy_settings_spec_or_form_is_refused_at_once(tmp_path: Path) -> None:
    policy = tmp_path / "policy"
    (policy / "managed").mkdir(parents=True)
    os.mkfifo(policy / "managed" / "flare.json")
    settings = within(5, lambda: load_settings(None, policy_dir=policy))
    assert any("FIFO" in p.message for p in settings.problems)

    user = _fifo(tmp_path, "settings.json")
    with pytest.raises(Exception, match="FIFO"):
        within(5, lambda: load_user_json(user))
    loaded = within(5, lambda: load_settings(user, policy_dir=tmp_path / "none"))
    assert any("FIFO" in p.message for p in loaded.problems)

    spec = _fifo(tmp_path, "spec.yaml")
    with pytest.raises(Exception, match="FIFO"):
        within(5, lambda: load_spec(spec))

    form = _fifo(tmp_path, "form.yaml")
    with pytest.raises(Exception, match="FIFO"):
        within(5, lambda: load_form(form))


class _Counting(io.RawIOBase):
    def __init__(self, inner: io.BufferedIOBase, counter: list[int]) -> None:
        self._inner, self._counter = inner, counter

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self._inner.read(-1 if size is None else size)
        self._counter[0] += len(data)
        return data


def test_splitting_a_large_zip_member_reads_it_once(tmp_path: Path) -> None:
    report, files, diagnostics = sample_report(steps=0)
    files["attachments/outlook.log"] = os.urandom(4 * 1024 * 1024)
    from app.bundle import write_bundle

    path = write_bundle(report, files, tmp_path, diagnostics=diagnostics, as_zip=True)
    bundle = open_delivery_bundle(path)
    counter = [0]
    counted = [
        OutFile(f.name, f.media_type, f.size, f.kind,
                (lambda f=f: _Counting(f.open(), counter)), f.caption)  # type: ignore[misc]
        for f in bundle.files]
    fitted = fit_to_limits(bundle.with_files(counted, []), 256 * 1024)
    parts = [f for f in fitted.files if ".part" in f.name]
    assert len(parts) == 16
    joined = b"".join(p.read_bytes() for p in parts)
    assert joined == files["attachments/outlook.log"]
    log_size = len(joined)
    # The old splitter re-read from the start for every part: 16 parts, 8.5 times the file.
    assert counter[0] <= log_size * 1.1, f"read {counter[0] / log_size:.1f} times the file"


def test_the_bundle_the_outbox_uploads_is_the_checked_one(tmp_path: Path) -> None:
    bundle = sample_bundle(tmp_path / "drafts")
    opened = open_delivery_bundle(bundle)
    log = next(f for f in opened.files if f.name == "outlook.log")
    (bundle / "attachments" / "outlook.log").write_bytes(b"grown " * 1000)
    with pytest.raises(BundleError, match="changed"):
        log.read_bytes()
    assert json.loads((bundle / "report.json").read_text())["id"]
