"""A report window closing with reports still queued hands them to a background agent: a real
`flare agent --until-empty` process sends them and exits; with a drainer already running,
nothing is started."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.context import AppContext
from app.helpdesk.agent import hand_over
from app.helpdesk.drainer import DrainerLease
from app.helpdesk.outbox import Outbox
from tests.integration.helpdesk_servers import make_bundle

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppContext:
    home = tmp_path / "home"
    for name, sub in (("HOME", ""), ("XDG_CONFIG_HOME", ".config"),
                      ("XDG_STATE_HOME", ".local/state"), ("XDG_DATA_HOME", ".local/share"),
                      ("XDG_CACHE_HOME", ".cache")):
        monkeypatch.setenv(name, str(home / sub))
    monkeypatch.delenv("FLARE_POLICY_DIR", raising=False)
    # The agent is this checkout's, whatever is installed.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    (home / ".config" / "Flare").mkdir(parents=True)
    (home / ".config" / "Flare" / "settings.json").write_text(
        '{"reports.folder": "%s"}' % (tmp_path / "reports"), "utf-8")
    return AppContext.from_environment()


def _queue(ctx: AppContext, tmp_path: Path) -> int:
    with Outbox(ctx.dirs.state, lambda: datetime.now(UTC)) as box:
        return box.enqueue(make_bundle(tmp_path / "bundle"), "folder", report_id="r-hand",
                           title="queued while the window was open").id


def _state(ctx: AppContext, item_id: int) -> str:
    with Outbox(ctx.dirs.state, lambda: datetime.now(UTC)) as box:
        return box.get(item_id).state


def test_closing_with_queued_reports_starts_an_agent_that_sends_them(
        user: AppContext, tmp_path: Path) -> None:
    item = _queue(user, tmp_path)
    assert hand_over(user)
    deadline = time.monotonic() + 60
    while _state(user, item) != "sent" and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _state(user, item) == "sent"
    assert list((tmp_path / "reports").iterdir()), "the folder destination holds the report"
    # --until-empty: the agent is gone once nothing is left, and so is its lease.
    deadline = time.monotonic() + 30
    while DrainerLease(user.dirs.state, "test").current() is not None \
            and time.monotonic() < deadline:
        time.sleep(0.5)
    assert DrainerLease(user.dirs.state, "test").current() is None


def test_nothing_is_started_while_another_flare_drains_or_nothing_waits(
        user: AppContext, tmp_path: Path) -> None:
    assert not hand_over(user), "an empty outbox needs no agent"
    _queue(user, tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom pathlib import Path\n"
         "from app.helpdesk.drainer import DrainerLease\n"
         "assert DrainerLease(Path(sys.argv[1]), 'tray', ttl_s=60).acquire()\n"
         "print('held', flush=True); time.sleep(60)", str(user.dirs.state)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert not hand_over(user), "the tray drains already"
    finally:
        holder.kill()
        holder.wait()
