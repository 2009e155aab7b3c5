"""Faults against the real servers: down, 500, 429, timeouts mid-request, bad credentials,
kill -9 while sending, disk full while queuing. Each ends with "exactly one ticket"."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.errors import FlareError
from app.helpdesk.delivery import Deliverer
from app.helpdesk.delivery_bundle import open_delivery_bundle
from app.helpdesk.network import NetworkOptions
from app.helpdesk.outbox import Outbox
from app.helpdesk.protocol import Connector
from tests.clocks import Clock
from tests.integration.helpdesk_reads import (
    expected_files,
    redmine_connector,
    redmine_count_marker,
    redmine_files,
    rt_connector,
    rt_count_marker,
)
from tests.integration.helpdesk_servers import (
    FaultProxy,
    Server,
    make_bundle,
    sha,
)
from tests.integration.outbox_workers import after_in_flight, wait_until, worker

pytestmark = pytest.mark.helpdesk

REPO = Path(__file__).resolve().parents[2]





@pytest.fixture()
def outbox(tmp_path: Path, clock: Clock) -> Iterator[Outbox]:
    with Outbox(tmp_path / "state", clock) as box:
        yield box


def queue(outbox: Outbox, tmp_path: Path, destination: str, **kw: object) -> tuple[int, str]:
    path = make_bundle(tmp_path / "drafts", **kw)  # type: ignore[arg-type]
    report = open_delivery_bundle(path).report
    item = outbox.enqueue(path, destination, report_id=str(report.id), title=report.title)
    return item.id, f"Flare {report.short_id()}"


def deliverer(outbox: Outbox, make: Callable[[], Connector]) -> Deliverer:
    return Deliverer(outbox, lambda _dest: make(), rng=lambda: 0.5)


def test_helpdesk_down_then_up_delivers_once(rt_server: Server, outbox: Outbox, clock: Clock,
                                             tmp_path: Path) -> None:
    item_id, marker = queue(outbox, tmp_path, "rt")
    d = deliverer(outbox, lambda: rt_connector(rt_server))
    rt_server.stop()
    try:
        [first] = d.run_due()
        assert first.state == "queued"
        item = outbox.get(item_id)
        assert item.error_kind == "network" and "cannot be reached" in item.last_error
        assert item.next_attempt_at == pytest.approx(clock().timestamp() + 30.0)
        assert d.run_due() == []  # not due yet
    finally:
        rt_server.start()
    clock.advance(31)
    [second] = d.run_due()
    assert second.state == "sent" and second.ticket is not None
    assert rt_count_marker(rt_server, marker) == 1


def test_500_then_success_creates_one_ticket(rt_server: Server, outbox: Outbox, clock: Clock,
                                             tmp_path: Path) -> None:
    item_id, marker = queue(outbox, tmp_path, "rt")
    with FaultProxy(rt_server.url) as proxy:
        proxy.plan = [("POST /REST/2.0/ticket", ("status", 500))]
        d = deliverer(outbox, lambda: rt_connector(rt_server, url=proxy.url))
        [first] = d.run_due()
        assert first.state == "queued"
        item = outbox.get(item_id)
        assert item.error_kind == "server" and item.helpdesk_message == "injected failure"
        assert "HTTP 500: injected failure" in item.last_error
        clock.advance(3600)
        [second] = d.run_due()
    assert second.state == "sent"
    assert rt_count_marker(rt_server, marker) == 1


def test_429_honours_retry_after(redmine_server: Server, outbox: Outbox, clock: Clock,
                                 tmp_path: Path) -> None:
    item_id, marker = queue(outbox, tmp_path, "redmine")
    with FaultProxy(redmine_server.url) as proxy:
        proxy.plan = [("POST /issues.json", ("status", 429, {"Retry-After": "120"}))]
        d = deliverer(outbox, lambda: redmine_connector(redmine_server, url=proxy.url))
        [first] = d.run_due()
        assert first.state == "queued"
        item = outbox.get(item_id)
        assert item.error_kind == "rate_limit"
        assert item.next_attempt_at == clock().timestamp() + 120
        clock.advance(119)
        assert d.run_due() == []
        clock.advance(2)
        [second] = d.run_due()
    assert second.state == "sent"
    assert redmine_count_marker(redmine_server, marker) == 1


def test_timeout_after_rt_created_the_ticket_does_not_duplicate(
        rt_server: Server, outbox: Outbox, clock: Clock, tmp_path: Path) -> None:
    item_id, marker = queue(outbox, tmp_path, "rt", steps=3)
    fast = NetworkOptions(read_timeout_s=2.0)
    with FaultProxy(rt_server.url) as proxy:
        proxy.plan = [("POST /REST/2.0/ticket", ("stall_after_forward", 4))]
        d = deliverer(outbox, lambda: rt_connector(rt_server, url=proxy.url, network=fast))
        [first] = d.run_due()
        assert first.state == "queued"
        assert outbox.get(item_id).uncertain
        assert rt_count_marker(rt_server, marker) == 1  # RT did create it
        clock.advance(3600)
        [second] = d.run_due()
    assert second.state == "sent" and second.reused_existing
    assert rt_count_marker(rt_server, marker) == 1


def test_timeout_in_the_middle_of_an_upload(redmine_server: Server, outbox: Outbox,
                                            clock: Clock, tmp_path: Path) -> None:
    item_id, marker = queue(outbox, tmp_path, "redmine", steps=3)
    fast = NetworkOptions(read_timeout_s=2.0)
    with FaultProxy(redmine_server.url) as proxy:
        # The second upload stops half-way through its body.
        proxy.plan = [("POST /uploads.json?filename=step-002", ("stall_mid_body", 4))]
        d = deliverer(outbox, lambda: redmine_connector(redmine_server, url=proxy.url,
                                                        network=fast))
        [first] = d.run_due()
        assert first.state == "queued"
        progress = json.loads(outbox.get(item_id).progress)
        assert len(progress["steps"]["upload"]) == 1  # the first upload is checkpointed
        clock.advance(3600)
        [second] = d.run_due()
        uploads = [s for s in proxy.seen if s.startswith("POST /uploads.json")]
    assert second.state == "sent"
    assert redmine_count_marker(redmine_server, marker) == 1
    # resumed: step-001 was not uploaded again
    assert sum("filename=step-001" in s for s in uploads) == 1
    bundle = outbox.get(item_id).bundle_path
    assert redmine_files(redmine_server, second.ticket.id if second.ticket else "") and {
        n: sha(b) for n, b in redmine_files(redmine_server, second.ticket.id).items()  # type: ignore[union-attr]
    } == expected_files(bundle)


def test_bad_credentials_fail_clearly_and_keep_the_report(
        rt_server: Server, outbox: Outbox, clock: Clock, tmp_path: Path) -> None:
    item_id, marker = queue(outbox, tmp_path, "rt")
    password = {"value": "wrong-password"}
    d = deliverer(outbox, lambda: rt_connector(rt_server, password=password["value"]))
    [first] = d.run_due()
    assert first.state == "failed"
    item = outbox.get(item_id)
    assert item.error_kind == "auth"
    assert "refused Flare's credentials (HTTP 401" in item.last_error
    assert "destination.token" in item.last_error
    assert item.bundle_path.is_dir() and (item.bundle_path / "report.json").is_file()
    clock.advance(10_000)
    assert d.run_due() == []  # a permanent failure waits for the user
    password["value"] = rt_server.extra["RT_ROOT_PASSWORD"]
    assert outbox.retry([item_id]) == 1
    [second] = d.run_due()
    assert second.state == "sent"
    assert rt_count_marker(rt_server, marker) == 1


def test_validation_error_keeps_the_helpdesks_message(redmine_server: Server, outbox: Outbox,
                                                       tmp_path: Path) -> None:
    item_id, _marker = queue(outbox, tmp_path, "redmine")
    d = deliverer(outbox, lambda: redmine_connector(redmine_server, project="no-such-project"))
    [outcome] = d.run_due()
    assert outcome.state == "failed"
    item = outbox.get(item_id)
    assert item.error_kind == "validation" and "HTTP 404" in item.last_error
    assert item.bundle_path.is_dir()


@pytest.mark.slow
def test_kill_9_after_the_ticket_was_created_delivers_exactly_once(
        rt_server: Server, tmp_path: Path) -> None:
    state = tmp_path / "state"
    real_clock = lambda: datetime.now(UTC)  # noqa: E731
    with Outbox(state, real_clock) as box:
        item_id, marker = queue(box, tmp_path, "rt", steps=2)
    with FaultProxy(rt_server.url) as proxy:
        proxy.plan = [("POST /REST/2.0/ticket", ("stall_after_forward", 60))]
        with worker("rt", rt_server, proxy.url, state) as proc:
            wait_until(lambda: rt_count_marker(rt_server, marker) == 1, 60,
                       "RT to create the ticket")
            with Outbox(state, real_clock) as box:
                assert box.get(item_id).state == "sending"
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(30)
    with Outbox(state, real_clock) as box:
        # The killed create may still be in flight: nothing decides before it cannot be.
        assert Deliverer(box, lambda _d: rt_connector(rt_server)).run_due() == []
    with Outbox(state, after_in_flight) as box:
        outcomes = Deliverer(box, lambda _d: rt_connector(rt_server)).run_due()
        assert [o.state for o in outcomes] == ["sent"]
        assert outcomes[0].reused_existing
        assert box.get(item_id).state == "sent"
    assert rt_count_marker(rt_server, marker) == 1


@pytest.mark.slow
def test_kill_9_between_uploads_resumes_and_files_once(redmine_server: Server,
                                                       tmp_path: Path) -> None:
    state = tmp_path / "state"
    real_clock = lambda: datetime.now(UTC)  # noqa: E731
    with Outbox(state, real_clock) as box:
        item_id, marker = queue(box, tmp_path, "redmine", steps=3)
    with FaultProxy(redmine_server.url) as proxy:
        proxy.plan = [("POST /uploads.json?filename=step-003", ("stall_after_forward", 60))]
        with worker("redmine", redmine_server, proxy.url, state) as proc:
            wait_until(lambda: sum("step-003" in s for s in proxy.seen) == 1, 60, "third upload")
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(30)
    with Outbox(state, real_clock) as box:
        assert box.get(item_id).state == "sending"  # as the killed process left it
        assert Deliverer(box, lambda _d: redmine_connector(redmine_server)).run_due() == []
    with Outbox(state, after_in_flight) as box:
        outcomes = Deliverer(box, lambda _d: redmine_connector(redmine_server)).run_due()
        assert [o.state for o in outcomes] == ["sent"]
        ticket = outcomes[0].ticket
        assert ticket is not None
        bundle = box.get(item_id).bundle_path
    assert redmine_count_marker(redmine_server, marker) == 1
    got = {n: sha(b) for n, b in redmine_files(redmine_server, ticket.id).items()}
    assert got == expected_files(bundle)


def test_disk_full_while_queuing_keeps_the_draft(tmp_path: Path, clock: Clock) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs that really fills up")
    small = tmp_path / "small"
    small.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(small)], check=True)
    try:
        draft = make_bundle(tmp_path / "drafts", steps=2, step_size=(400, 400),
                            random_images=True)
        before = {p.name: p.read_bytes() for p in draft.iterdir() if p.is_file()}
        report = open_delivery_bundle(draft).report
        with Outbox(small, clock) as box:
            with pytest.raises(FlareError) as err:
                box.enqueue(draft, "rt", report_id=str(report.id))
            assert "disk is full" in err.value.message
            assert str(draft) in err.value.message
            assert box.items() == []
            assert list(box.spool.iterdir()) == []  # no half copy left behind
        assert {p.name: p.read_bytes() for p in draft.iterdir() if p.is_file()} == before
    finally:
        subprocess.run(["umount", str(small)], check=True)

