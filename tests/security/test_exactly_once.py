"""Issue 13.5: exactly once, also under races, with real `flare` processes.

Two `flare outbox send` of the same .zip at once used to lose deliveries (the loser deleted
the winner's spool copy); a kill -9 during a create followed by an immediate restart filed a
second ticket, because the first create was still being processed when the duplicate check
ran. The senders coordinate through the outbox database only.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.bundle import open_bundle, write_bundle
from tests.factories import sample_bundle, sample_report
from tests.proc import stop_process
from tests.security.helpers import TOKEN, TOKEN_ENV
from tests.security.loopback import Helpdesk, serve, spec_text

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.timeout(180)


def environment(tmp_path: Path, desk: Helpdesk) -> dict[str, str]:
    """A user whose folders are all below tmp_path and whose policy names the loopdesk."""
    home = tmp_path / "home"
    spec = tmp_path / "loopdesk.yaml"
    spec.write_text(spec_text(), "utf-8")
    policy = tmp_path / "policy"
    (policy / "managed").mkdir(parents=True, exist_ok=True)
    (policy / "managed" / "flare.json").write_text(json.dumps({
        "destination.type": "spec", "destination.spec": str(spec),
        "destination.url": desk.url, "destination.token": f"env:{TOKEN_ENV}"}), "utf-8")
    for p in (policy, policy / "managed"):
        p.chmod(0o755)
    (policy / "managed" / "flare.json").chmod(0o644)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "FLARE_"))}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_STATE_HOME=str(home / ".state"), XDG_DATA_HOME=str(home / ".data"),
               XDG_CACHE_HOME=str(home / ".cache"), FLARE_POLICY_DIR=str(policy),
               PYTHONPATH=str(REPO), **{TOKEN_ENV: TOKEN})
    return env


_GATED = """
import os, sys, time
gate = sys.argv[1]
while not os.path.exists(gate):
    time.sleep(0.002)
from app.cli import main
sys.exit(main(sys.argv[2:]))
"""


def flare(env: dict[str, str], *args: str, gate: Path | None = None
          ) -> subprocess.Popen[bytes]:
    """A real `flare` process; with ``gate`` it imports everything, then waits for the gate
    file, so several of them start their work at the same instant."""
    argv = ([sys.executable, "-c", "import app.cli, app.helpdesk.configured\n" + _GATED,
             str(gate), *args] if gate is not None
            else [sys.executable, "-m", "app.cli", *args])
    return subprocess.Popen(argv, env=env, cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)


def finish(proc: subprocess.Popen[bytes], timeout: float = 60) -> tuple[int, str]:
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop_process(proc)
        raise
    return proc.returncode, (out + err).decode("utf-8", "replace")


def outbox_rows(env: dict[str, str]) -> list[sqlite3.Row]:
    db = next(Path(env["HOME"]).rglob("outbox.sqlite3"))
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return con.execute("SELECT * FROM items ORDER BY id").fetchall()
    finally:
        con.close()


def marker(path: Path) -> str:
    return f"Flare {open_bundle(path).report.short_id()}"


def _zip_with_log(folder: Path, size: int) -> Path:
    report, files, diagnostics = sample_report(steps=1)
    files["attachments/outlook.log"] = os.urandom(size)  # copying it takes a moment
    return write_bundle(report, files, folder, diagnostics=diagnostics, as_zip=True)


def test_concurrent_senders_of_the_same_zip_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    trials, senders = 6, 3
    with serve() as desk:
        env = environment(tmp_path, desk)
        bundles = [_zip_with_log(tmp_path / f"drafts{i}", 4 * 1024 * 1024)
                   for i in range(trials)]
        for path in bundles:
            # Started together, held at one gate: they reach the outbox at the same moment.
            gate = tmp_path / f"gate-{path.stem}"
            procs = [flare(env, "outbox", "send", str(path), gate=gate)
                     for _ in range(senders)]
            time.sleep(0.8)  # all of them are waiting at the gate
            gate.touch()
            results = [finish(p) for p in procs]
            assert all("unexpected error" not in out for _, out in results), results
        # a last sender picks up anything a race left queued (there should be nothing)
        finish(flare(env, "outbox", "send"))
        per_report = {marker(p): 0 for p in bundles}
        for ticket in desk.tickets.values():
            for m in per_report:
                if m in ticket["subject"]:
                    per_report[m] += 1
    rows = outbox_rows(env)
    assert len(rows) == trials
    assert [r["state"] for r in rows] == ["sent"] * trials, [dict(r) for r in rows]
    assert per_report == {m: 1 for m in per_report}, "lost or duplicated"


def test_a_killed_create_is_not_filed_again_by_an_immediate_restart(tmp_path: Path) -> None:
    with serve(Helpdesk(create_delay_s=3.0)) as desk:
        env = environment(tmp_path, desk)
        path = sample_bundle(tmp_path / "drafts", steps=1)
        first = flare(env, "outbox", "send", str(path))
        deadline = time.monotonic() + 30
        while not desk.creates() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert desk.creates(), "the first sender reached the create"
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        # the restart comes at once, while the helpdesk is still working on the create
        code, out = finish(flare(env, "outbox", "send"))
        assert "unexpected error" not in out
        assert len(desk.creates()) == 1, "no second create while the first may be in flight"
        [row] = outbox_rows(env)
        assert row["state"] == "queued" and row["uncertain"] == 1
        assert row["next_attempt_at"] > time.time()
        # the first create lands; once the wait is over the ticket is found, not filed again
        while len(desk.tickets) < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        db = next(Path(env["HOME"]).rglob("outbox.sqlite3"))
        con = sqlite3.connect(db)
        with con:
            con.execute("UPDATE items SET next_attempt_at=0")  # the in-flight wait is over
        con.close()
        code, out = finish(flare(env, "outbox", "send"))
        assert code == 0, out
    assert len(desk.creates()) == 1 and len(desk.tickets) == 1
    [row] = outbox_rows(env)
    assert row["state"] == "sent" and row["ticket_id"] == "1"
