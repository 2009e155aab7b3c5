"""Issue 13.9: the smaller ones, each a test."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.bundle import REPORT_HTML, open_bundle, write_bundle
from app.cli import main
from app.context import AppContext
from app.errors import BundleError
from app.helpdesk.delivery_bundle import open_delivery_bundle
from app.helpdesk.errors import DeliveryError
from app.helpdesk.network import NetworkOptions
from app.helpdesk.outbox import Outbox
from app.helpdesk.registry import DestinationConfig, make_connector
from app.helpdesk.secrets import SecretResolver
from app.ui import single_instance
from app.ui.single_instance import same_user, server_name
from tests.factories import sample_bundle, sample_report
from tests.security.helpers import TOKEN, TOKEN_ENV
from tests.security.tls import make_cert, tls_server

REPO = Path(__file__).resolve().parents[2]


def ctx(tmp_path: Path) -> AppContext:
    return AppContext.for_tests(tmp_path / "home")


def test_bundle_render_never_leaves_an_empty_report_html(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundle = sample_bundle(tmp_path / "drafts")
    before = (bundle / REPORT_HTML).read_bytes()
    raw = (bundle / "report.json").read_text("utf-8")
    # A lone surrogate renders, then fails to encode half-way through writing the page.
    (bundle / "report.json").write_text(raw.replace('"title": "', '"title": "\\udc80'), "utf-8")
    code = main(["bundle", "render", str(bundle)], context_factory=lambda _d: ctx(tmp_path))
    err = capsys.readouterr().err
    assert code != 0 and err.count("\n") == 1 and "unexpected" not in err
    assert (bundle / REPORT_HTML).read_bytes() == before


@pytest.mark.parametrize(("member", "edit"), [
    ("report.json", lambda d: d | {"schema_version": True}),
    ("diagnostics.json", lambda d: d | {"schema_version": 9}),
], ids=["report-true", "diagnostics-9"])
def test_schema_versions_are_what_they_claim(member: str, edit: object,
                                             tmp_path: Path) -> None:
    bundle = sample_bundle(tmp_path / "drafts")
    data = json.loads((bundle / member).read_text("utf-8"))
    (bundle / member).write_text(json.dumps(edit(data)), "utf-8")  # type: ignore[operator]
    with pytest.raises(BundleError, match="schema_version"):
        open_bundle(bundle)


def test_a_certificate_failure_reads_as_one(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    rogue = make_cert(tmp_path, "rogue")
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    with tls_server(*rogue) as port:
        config = DestinationConfig(type="redmine", url=f"https://127.0.0.1:{port}",
                                   project="it", token=f"env:{TOKEN_ENV}",
                                   network=NetworkOptions(connect_timeout_s=5,
                                                          read_timeout_s=5))
        conn = make_connector(config, SecretResolver())
        with pytest.raises(DeliveryError) as err:
            conn.submit(open_delivery_bundle(sample_bundle(tmp_path / "b")))
    message = err.value.message
    assert "certificate" in message and "destination.ca_bundle" in message, message
    assert "\n" not in message and not message.rstrip().endswith(")')))"), message
    assert err.value.uncertain is False, "nothing was sent through a failed handshake"


_LIMITED_SEND = """
import errno, os, resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails like ENOSPC
resource.setrlimit(resource.RLIMIT_FSIZE, (512 * 1024, 512 * 1024))
if sys.argv[1] == "other-volume":  # the reports folder is on another volume: no hard links
    def _no_link(*args, **kwargs):
        raise OSError(errno.EXDEV, "Invalid cross-device link")
    os.link = _no_link
from app.cli import main
sys.exit(main(["outbox", "send"]))
"""


def _limited_send(tmp_path: Path, volume: str) -> tuple[subprocess.CompletedProcess[bytes],
                                                         Path]:
    """`flare outbox send` of a queued 2 MB report with writes over 512 KB failing as on a
    full disk; returns the process and the outbox's state folder."""
    report, files, diagnostics = sample_report(steps=0)
    files["attachments/outlook.log"] = os.urandom(2 * 1024 * 1024)
    draft = write_bundle(report, files, tmp_path / "drafts", diagnostics=diagnostics)
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "FLARE_"))}
    env.update(HOME=str(home), XDG_STATE_HOME=str(home / "state"),
               XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"),
               XDG_DATA_HOME=str(home / "data"), PYTHONPATH=str(REPO),
               FLARE_POLICY_DIR=str(tmp_path / "no-policy"))
    (tmp_path / "no-policy").mkdir()
    state = Path(env["XDG_STATE_HOME"])
    from app.dirs import Dirs

    saved = dict(os.environ)
    try:
        os.environ.update(env)
        state_dir = Dirs.for_user().state
    finally:
        os.environ.clear()
        os.environ.update(saved)
    assert str(state_dir).startswith(str(state))
    with Outbox(state_dir, lambda: datetime.now(UTC)) as box:
        box.enqueue(draft, "folder", report_id=str(report.id))
    proc = subprocess.run([sys.executable, "-c", _LIMITED_SEND, volume], env=env, cwd=REPO,
                          capture_output=True, timeout=60)
    return proc, state_dir


def test_a_full_disk_on_the_folder_destination_reads_as_one_line(tmp_path: Path) -> None:
    proc, _state = _limited_send(tmp_path, "other-volume")
    out = proc.stdout.decode()
    line = next(x for x in out.splitlines() if x.startswith("Item 1"))
    assert proc.returncode != 0
    assert len(line) < 400 and "[(" not in line and "reports.folder" in line, line


def test_the_folder_destination_links_the_outbox_copy_instead_of_writing_it_again(
        tmp_path: Path) -> None:
    """Same volume: the report reaches the reports folder with no file written again (the
    512 KB write limit never bites on the 2 MB attachment), sharing the spool copy's inodes."""
    proc, state_dir = _limited_send(tmp_path, "same-volume")
    assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()
    with Outbox(state_dir, lambda: datetime.now(UTC)) as box:
        [item] = box.items()
    assert item.state == "sent" and item.ticket is not None
    copy = Path(item.ticket.id)
    for name in ("attachments/outlook.log", "report.json", "report.html"):
        assert (copy / name).stat().st_ino == (item.bundle_path / name).stat().st_ino, name


def test_form_show_into_a_closed_pipe_ends_quietly() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "form", "show"], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # `| head` that has read all it wants
    err = proc.stderr.read().decode()
    assert proc.wait(30) == 0, err
    assert "BrokenPipeError" not in err and "Traceback" not in err


def test_the_single_instance_socket_lives_where_only_its_user_can_reach(tmp_path: Path) -> None:
    runtime = tmp_path / "run-user"
    runtime.mkdir(mode=0o700)
    name = server_name(tmp_path / "state", env={"XDG_RUNTIME_DIR": str(runtime)})
    assert Path(name).parent == runtime
    fallback = Path(server_name(tmp_path / "state", env={}))
    assert fallback.parent.stat().st_uid == os.getuid()
    mode = stat.S_IMODE(fallback.parent.stat().st_mode)
    assert mode & 0o077 == 0, f"the socket's folder is {mode:o}"
    # someone else's world-writable runtime folder is not used
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    assert Path(server_name(tmp_path / "state", env={"XDG_RUNTIME_DIR": str(shared)})
                ).parent != shared
    a, b = socket.socketpair(socket.AF_UNIX)
    try:
        assert same_user(a.fileno())
    finally:
        a.close()
        b.close()


def test_a_peer_of_another_user_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = socket.socketpair(socket.AF_UNIX)
    try:
        real = os.getuid()
        monkeypatch.setattr(single_instance.os, "getuid", lambda: real + 4242)
        assert single_instance.same_user(a.fileno()) is False
    finally:
        a.close()
        b.close()
