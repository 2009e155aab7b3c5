"""The outbox state machine, crash recovery, backoff, and the folder destination."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.helpdesk.delivery import Deliverer, RetryPolicy
from app.helpdesk.delivery_bundle import open_delivery_bundle
from app.helpdesk.folder import FolderConnector
from app.helpdesk.outbox import Outbox, owner_alive, owner_id
from app.helpdesk.protocol import TicketRef
from app.helpdesk.spec.wire import parse_retry_after
from tests.clocks import Clock
from tests.integration.helpdesk_servers import make_bundle


@pytest.fixture()
def box(tmp_path: Path, clock: Clock) -> Iterator[Outbox]:
    b = Outbox(tmp_path / "state", clock)
    yield b
    b.close()


def enqueue(box: Outbox, tmp_path: Path, dest: str = "rt") -> int:
    path = make_bundle(tmp_path / "drafts" / dest, steps=1)
    report = open_delivery_bundle(path).report
    return box.enqueue(path, dest, report_id=str(report.id), title=report.title).id


def dead_owner() -> str:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    host, _, _ = owner_id().split(":", 2)
    return f"{host}:{proc.stdout.strip()}:0.000"


def test_enqueue_copies_the_bundle_and_is_idempotent(box: Outbox, tmp_path: Path) -> None:
    path = make_bundle(tmp_path / "drafts", steps=1)
    report = open_delivery_bundle(path).report
    first = box.enqueue(path, "rt", report_id=str(report.id))
    again = box.enqueue(path, "rt", report_id=str(report.id))
    assert first.id == again.id and len(box.items()) == 1
    assert first.bundle_path != path and first.bundle_path.parent == box.spool
    assert (first.bundle_path / "report.json").read_bytes() == (path / "report.json").read_bytes()
    assert first.state == "queued" and first.why(0) == "waiting to be sent"


def test_claim_lease_and_crash_recovery(box: Outbox, tmp_path: Path, clock: Clock) -> None:
    item_id = enqueue(box, tmp_path)
    me = owner_id()
    assert owner_alive(me)
    claimed = box.claim_due(me)
    assert claimed is not None and claimed.state == "sending"
    assert box.claim_due(me) is None  # nobody else gets it
    assert box.recover() == 0  # the owner is alive and the lease fresh
    # the same item owned by a process that no longer exists:
    box._db.execute("UPDATE items SET lease_owner=? WHERE id=?", (dead_owner(), item_id))
    assert box.recover() == 1
    item = box.get(item_id)
    assert (item.state, item.uncertain) == ("queued", True)


def test_a_dead_senders_item_waits_until_its_request_cannot_be_in_flight(
        box: Outbox, tmp_path: Path, clock: Clock) -> None:
    item_id = enqueue(box, tmp_path)
    me = owner_id()
    assert box.claim_due(me) is not None
    clock.now += timedelta(seconds=5)
    box.heartbeat(item_id, me)  # a request goes out now
    last_sign_of_life = clock.now.timestamp()
    box._db.execute("UPDATE items SET lease_owner=? WHERE id=?", (dead_owner(), item_id))
    clock.now += timedelta(seconds=2)  # the restart comes two seconds after the crash
    assert box.recover(in_flight_s=70) == 1
    item = box.get(item_id)
    assert item.uncertain and item.next_attempt_at == last_sign_of_life + 70
    assert box.claim_due(me) is None, "not due while the request may still be in flight"
    assert "checked again in" in item.why(clock.now.timestamp())
    clock.now += timedelta(seconds=69)
    assert box.claim_due(me) is not None


def test_an_expired_lease_is_recovered_even_if_the_owner_lives(box: Outbox, tmp_path: Path,
                                                                clock: Clock) -> None:
    item_id = enqueue(box, tmp_path)
    assert box.claim_due(owner_id(), lease_s=60) is not None
    clock.now += timedelta(seconds=61)
    assert box.recover() == 1
    assert box.get(item_id).uncertain


def test_retry_failed_purge(box: Outbox, tmp_path: Path, clock: Clock) -> None:
    a = enqueue(box, tmp_path, "rt")
    b = enqueue(box, tmp_path, "redmine")
    box.mark_failed(a, error="bad password", kind="auth", helpdesk_message="401")
    assert box.get(a).why(0) == "not sent: bad password"
    box.mark_retry(b, error="down", kind="network", helpdesk_message="", delay_s=120,
                   uncertain=False)
    assert box.get(b).why(clock().timestamp()).startswith("retry in 2 min (attempt 2): down")
    assert box.claim_due("x") is None
    assert box.next_due() == clock().timestamp() + 120
    assert box.retry([a]) == 1
    claimed = box.claim_due("x")
    assert claimed is not None and claimed.id == a
    box.mark_sent(a, TicketRef("42", "42", "https://h/42"))
    spooled = box.get(a).bundle_path
    assert box.purge() == 1
    assert not spooled.exists()
    assert [i.id for i in box.items()] == [b]


def test_backoff_grows_is_capped_has_jitter_and_honours_retry_after() -> None:
    p = RetryPolicy(base_s=30, factor=2, max_s=3600, jitter=0.25)
    assert [p.delay(n, None, lambda: 0.5) for n in range(4)] == [30, 60, 120, 240]
    assert p.delay(20, None, lambda: 0.5) == 3600
    assert p.delay(0, None, lambda: 0.0) == 22.5 and p.delay(0, None, lambda: 1.0) == 37.5
    assert p.delay(0, 120, lambda: 0.5) == 120
    assert p.delay(5, 10**9, lambda: 0.5) == p.max_retry_after_s


def test_parse_retry_after() -> None:
    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC).timestamp()
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Wed, 25 Nov 2026 10:02:00 GMT", now=now) == 120
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_folder_destination_delivers_once(box: Outbox, tmp_path: Path) -> None:
    item_id = enqueue(box, tmp_path, "folder")
    target = tmp_path / "reports"
    d = Deliverer(box, lambda _d: FolderConnector(target))
    [outcome] = d.run_due()
    assert outcome.state == "sent" and outcome.ticket is not None
    copied = Path(outcome.ticket.id)
    assert copied.parent == target and (copied / "report.json").is_file()
    # a recovered, uncertain retry finds the copy instead of writing another
    box._db.execute("UPDATE items SET state='queued', uncertain=1 WHERE id=?", (item_id,))
    [again] = d.run_due()
    assert again.reused_existing and len(list(target.iterdir())) == 1


def test_two_processes_creating_one_outbox_at_once_both_succeed(tmp_path: Path) -> None:
    code = ("import sys; from datetime import UTC, datetime; from pathlib import Path\n"
            "from app.helpdesk.outbox import Outbox\n"
            "with Outbox(Path(sys.argv[1]), lambda: datetime.now(UTC)) as box:\n"
            "    print(len(box.items()))\n")
    for attempt in range(3):
        state = tmp_path / f"state{attempt}"
        procs = [subprocess.Popen([sys.executable, "-c", code, str(state)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(4)]
        results = [p.communicate(timeout=60) for p in procs]
        assert [p.returncode for p in procs] == [0, 0, 0, 0], results
        assert [out.strip() for out, _ in results] == ["0"] * 4
