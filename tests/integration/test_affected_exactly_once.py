""""I'm affected too" exactly once against the real RT 5 and Redmine, with the answer lost.

A loopback proxy in front of the real helpdesk forwards the comment and then never answers
(the helpdesk did the work, Flare times out: uncertain), or drops the request half-way (the
helpdesk got nothing). Each retry must end with exactly one comment carrying the report's
marker on the incident ticket, read back through the helpdesk's own API: never two, never
none. The same for a linked short ticket, whose link may be the part that was lost; and for
a sender killed with SIGKILL while its comment is in flight.
"""

from __future__ import annotations

import base64
import os
import signal
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from app.helpdesk.delivery import Deliverer
from app.helpdesk.delivery_bundle import open_delivery_bundle
from app.helpdesk.incident_affected import comment_marker
from app.helpdesk.network import NetworkOptions
from app.helpdesk.outbox import Outbox
from app.helpdesk.spec_connector import SpecConnector
from tests.clocks import Clock
from tests.factories import affected_bundle
from tests.integration.helpdesk_reads import (
    redmine_connector,
    redmine_get,
    rt_connector,
    rt_count_marker,
    rt_get,
)
from tests.integration.helpdesk_servers import FaultProxy, Server
from tests.integration.outbox_workers import after_in_flight, wait_until, worker

pytestmark = [pytest.mark.helpdesk, pytest.mark.timeout(600)]

FAST = NetworkOptions(read_timeout_s=2.0)
ROUNDS = 3  # reports per fault kind: repeated runs, each against the same incident


@pytest.fixture()
def outbox(tmp_path: Path, clock: Clock) -> Iterator[Outbox]:
    with Outbox(tmp_path / "state", clock) as box:
        yield box


def _rt_incident(server: Server) -> str:
    env = server.extra
    r = requests.post(server.url + "/REST/2.0/ticket", timeout=30,
                      auth=(env["RT_ROOT_USER"], env["RT_ROOT_PASSWORD"]),
                      json={"Queue": "General", "Subject": f"Outage {uuid.uuid4().hex[:6]}"})
    r.raise_for_status()
    return str(r.json()["id"])


def _redmine_incident(server: Server) -> str:
    r = requests.post(server.url + "/issues.json", timeout=30,
                      headers={"X-Redmine-API-Key": server.extra["REDMINE_API_KEY"]},
                      json={"issue": {"project_id": server.extra["REDMINE_PROJECT"],
                                      "subject": f"Outage {uuid.uuid4().hex[:6]}"}})
    r.raise_for_status()
    return str(r.json()["issue"]["id"])


def rt_comments_with(server: Server, ticket_id: str, marker: str) -> int:
    """Comment transactions on the ticket whose text holds ``marker``, read from RT's
    attachments (not through the search Flare itself uses)."""
    count = 0
    page = rt_get(server, f"/ticket/{ticket_id}/attachments?per_page=100")
    for item in page["items"]:
        att = rt_get(server, f"/attachment/{item['id']}")
        if not str(att.get("ContentType", "")).startswith("text/plain"):
            continue
        if rt_get(server, f"/transaction/{att['TransactionId']['id']}").get("Type") != "Comment":
            continue
        count += marker in base64.b64decode(att.get("Content") or "").decode()
    return count


def redmine_notes_with(server: Server, issue_id: str, marker: str) -> int:
    journals = redmine_get(server, f"/issues/{issue_id}.json?include=journals")["issue"][
        "journals"]
    return sum(marker in (j.get("notes") or "") for j in journals)


DESKS: dict[str, dict[str, Any]] = {
    "rt": {"incident": _rt_incident, "connector": rt_connector, "count": rt_comments_with,
           "comment": "POST /REST/2.0/ticket/{id}/comment", "link": "PUT /REST/2.0/ticket/",
           "create": "POST /REST/2.0/ticket"},
    "redmine": {"incident": _redmine_incident, "connector": redmine_connector,
                "count": redmine_notes_with, "comment": "PUT /issues/{id}.json",
                "link": "POST /issues/", "create": "POST /issues.json"},
}


def _server(request: pytest.FixtureRequest, kind: str) -> Server:
    return request.getfixturevalue(f"{kind}_server")  # type: ignore[no-any-return]


def _queue(box: Outbox, tmp_path: Path, incident: str, delivery: str) -> tuple[int, str]:
    email = f"ann-{uuid.uuid4().hex[:8]}@example.org"
    path = affected_bundle(tmp_path, incident, delivery, email)
    report = open_delivery_bundle(path).report
    item = box.enqueue(path, "desk", report_id=str(report.id), title=report.title)
    return item.id, comment_marker(report)


def _deliverer(box: Outbox, make: Callable[[], SpecConnector]) -> Deliverer:
    return Deliverer(box, lambda _d: make(), rng=lambda: 0.5)


@pytest.mark.parametrize("kind", ["rt", "redmine"])
@pytest.mark.parametrize("fault", ["answer_lost", "request_dropped"])
def test_affected_comment_lands_exactly_once(kind: str, fault: str, request: pytest.FixtureRequest,
                                             outbox: Outbox, clock: Clock,
                                             tmp_path: Path) -> None:
    server, desk = _server(request, kind), DESKS[kind]
    incident = desk["incident"](server)
    action = ("stall_after_forward", 4) if fault == "answer_lost" else ("stall_mid_body", 4)
    for _ in range(ROUNDS):
        item_id, marker = _queue(outbox, tmp_path, incident, "comment")
        with FaultProxy(server.url) as proxy:
            proxy.plan = [(desk["comment"].format(id=incident), action)]
            d = _deliverer(outbox, lambda p=proxy: desk["connector"](server, url=p.url,
                                                                     network=FAST))
            [first] = d.run_due()
            assert first.state == "queued", first
            assert outbox.get(item_id).uncertain or fault == "request_dropped"
            landed = desk["count"](server, incident, marker)
            assert landed == (1 if fault == "answer_lost" else 0)
            clock.advance(3600)
            [second] = d.run_due()
        assert second.state == "sent" and second.ticket is not None, second
        assert second.ticket.id == incident
        assert second.reused_existing == (fault == "answer_lost")
        assert desk["count"](server, incident, marker) == 1, "one comment, not two, not none"
    assert outbox.get(item_id).state == "sent"


def _linked_to(kind: str, server: Server, ticket_id: str) -> list[str]:
    if kind == "rt":
        links = rt_get(server, f"/ticket/{ticket_id}")["_hyperlinks"]
        return [str(h["id"]) for h in links if h.get("ref") == "refers-to"]
    rels = redmine_get(server, f"/issues/{ticket_id}/relations.json")["relations"]
    # Redmine stores a "relates" from the lower id to the higher: either end is the other.
    return [str(r["issue_to_id"]) if str(r["issue_id"]) == ticket_id else str(r["issue_id"])
            for r in rels]


def _tickets_with(kind: str, server: Server, short_marker: str) -> int:
    if kind == "rt":
        return rt_count_marker(server, short_marker)
    found = redmine_get(server, f"/issues.json?status_id=*&subject=~{short_marker}")
    return int(found["total_count"])


@pytest.mark.parametrize("kind", ["rt", "redmine"])
@pytest.mark.parametrize("lost", ["create", "link"])
def test_linked_ticket_once_and_linked(kind: str, lost: str, request: pytest.FixtureRequest,
                                       outbox: Outbox, clock: Clock, tmp_path: Path) -> None:
    """The answer to the create (or to the link) is lost: the retry finds the short ticket by
    its marker, does not file a second one, and the link is there in the end."""
    server, desk = _server(request, kind), DESKS[kind]
    incident = desk["incident"](server)
    item_id, _ = _queue(outbox, tmp_path, incident, "linked_ticket")
    report = open_delivery_bundle(outbox.get(item_id).bundle_path).report
    short = f"Flare {report.short_id()}"
    with FaultProxy(server.url) as proxy:
        proxy.plan = [(desk[lost], ("stall_after_forward", 4))]
        d = _deliverer(outbox, lambda: desk["connector"](server, url=proxy.url, network=FAST))
        [first] = d.run_due()
        assert first.state == "queued", first
        assert _tickets_with(kind, server, short) == 1
        clock.advance(3600)
        [second] = d.run_due()
    assert second.state == "sent" and second.ticket is not None and second.reused_existing
    assert _tickets_with(kind, server, short) == 1
    assert _linked_to(kind, server, second.ticket.id) == [incident]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["rt", "redmine"])
def test_kill_9_while_the_comment_is_in_flight(kind: str, request: pytest.FixtureRequest,
                                               tmp_path: Path) -> None:
    server, desk = _server(request, kind), DESKS[kind]
    incident = desk["incident"](server)
    state = tmp_path / "state"
    real_clock = lambda: datetime.now(UTC)  # noqa: E731
    with Outbox(state, real_clock) as box:
        item_id, marker = _queue(box, tmp_path, incident, "comment")
    with FaultProxy(server.url) as proxy:
        proxy.plan = [(desk["comment"].format(id=incident), ("stall_after_forward", 60))]
        with worker(kind, server, proxy.url, state) as proc:
            wait_until(lambda: desk["count"](server, incident, marker) == 1, 90,
                  "the helpdesk to take the comment")
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(30)
    with Outbox(state, after_in_flight) as box:
        outcomes = _deliverer(box, lambda: desk["connector"](server)).run_due()
        assert [o.state for o in outcomes] == ["sent"]
        assert outcomes[0].reused_existing
        assert box.get(item_id).state == "sent"
    assert desk["count"](server, incident, marker) == 1
