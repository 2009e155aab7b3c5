"""One drainer per laptop: the lease in the outbox database, across real processes."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from app.helpdesk.drainer import DrainerLease

HOLD = """
import sys, time
from pathlib import Path
from app.helpdesk.drainer import DrainerLease
lease = DrainerLease(Path(sys.argv[1]), "tray", ttl_s=60)
assert lease.acquire()
print("held", flush=True)
time.sleep(60)
"""


def test_a_second_process_steps_aside_and_takes_over_when_the_first_dies(tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        agent = DrainerLease(tmp_path, "agent", ttl_s=60)
        assert not agent.acquire()
        current = agent.current()
        assert current is not None and current.role == "tray" and current.pid == holder.pid
    finally:
        holder.kill()
        holder.wait()
    # Its lease has 60 s to run, but its process is gone: no need to wait for the expiry.
    assert agent.acquire()
    assert agent.current() is not None and agent.current().role == "agent"  # type: ignore[union-attr]


def test_an_expired_lease_is_taken_and_a_released_one_at_once(tmp_path: Path) -> None:
    now = [1000.0]
    a = DrainerLease(tmp_path, "tray", ttl_s=10, clock=lambda: now[0])
    b = DrainerLease(tmp_path, "agent", ttl_s=10, clock=lambda: now[0])
    assert a.acquire() and not b.acquire()
    assert a.acquire()  # renewing its own lease
    now[0] += 11
    assert b.acquire() and not a.acquire()
    b.release()
    assert a.acquire()


def test_the_lease_lives_beside_the_outbox_items(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from app.helpdesk.outbox import Outbox

    DrainerLease(tmp_path, "agent").acquire()
    with Outbox(tmp_path, lambda: datetime.now(UTC)) as box:
        tables = {r[0] for r in box._db.execute("SELECT name FROM sqlite_master")}
    assert {"items", "drainer"} <= tables
    assert time.time() > 0
