"""Following joined incidents for real: a local Statuspage-format server (conditional
requests answered 304) and the real RT 5 (the incident ticket resolved); one notification
when resolved, then nothing; only joined incidents are polled, on a jittered schedule."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from app.context import AppContext
from app.helpdesk.courier import Courier, round_messages
from app.helpdesk.incident_feeds import FeedCache, FeedConfig, read_feed
from app.helpdesk.incident_follow import (
    JITTER,
    IncidentFollower,
    follower_reader,
    following,
    join,
    load_joined,
)
from app.helpdesk.protocol import TicketRef
from app.i18n import Translator
from app.wiring import find_personal_data
from tests.integration.helpdesk_reads import rt_connector
from tests.integration.helpdesk_servers import Server
from tests.statuspage_server import status_page

INTERVAL = 45 * 60.0


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def skip(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def test_status_page_incident_updates_then_resolves_once(tmp_path: Path) -> None:
    clock = Clock()
    with status_page() as page:
        page.announce("vc1", "Video calls drop", "Investigating", at=clock.now)
        page.announce("other", "Printer queue slow", "Looking", at=clock.now)
        feed = read_feed(FeedConfig(type="statuspage", url=page.url),
                         session=requests.Session(), cache=FeedCache(tmp_path / "c0"))
        incident = next(i for i in feed.incidents if i.id == "vc1")
        assert incident.source == "statuspage" and incident.feed == page.url
        join(tmp_path, incident, now=clock.now.timestamp(), interval_s=INTERVAL,
             rng=random.Random(1))
        assert following(tmp_path)
        follower = IncidentFollower(
            tmp_path, read_feed=follower_reader(requests.Session(), tmp_path / "cache"),
            helpdesk_status=None, interval_s=INTERVAL, clock=clock, rng=random.Random(2))
        before = page.requests
        assert follower.poll() == [], "not due yet: nothing is asked"
        assert page.requests == before
        clock.skip(INTERVAL * (1 + JITTER))
        assert follower.poll() == []  # unchanged since joining
        clock.skip(INTERVAL * (1 + JITTER))
        assert follower.poll() == []
        assert page.not_modified >= 1, "an unchanged page is a 304"
        page.incidents[0]["incident_updates"].append(
            {"body": "Fix is rolling out", "status": "monitoring",
             "created_at": (clock.now - timedelta(minutes=1)).isoformat()})
        clock.skip(INTERVAL * (1 + JITTER))
        [update] = follower.poll()
        assert (update.kind, update.text) == ("update", "Fix is rolling out")
        page.resolve("vc1")
        clock.skip(INTERVAL * (1 + JITTER))
        [done] = follower.poll()
        assert done.kind == "resolved" and done.incident.title == "Video calls drop"
        assert not following(tmp_path) and load_joined(tmp_path) == []
        clock.skip(INTERVAL * (1 + JITTER))
        asked = page.requests
        assert follower.poll() == [] and page.requests == asked, "told once, then not polled"


def test_checks_are_jittered_across_laptops(tmp_path: Path) -> None:
    """5,000 laptops joining in the same second check at times spread over ±25 %."""
    from app.helpdesk.protocol import Incident

    inc = Incident("vc1", "Video calls drop", source="statuspage", feed="http://x")
    times = [join(tmp_path / str(n), inc, now=0.0, interval_s=INTERVAL,
                  rng=random.Random(n)).next_check for n in range(500)]
    assert min(times) >= INTERVAL * (1 - JITTER) and max(times) <= INTERVAL * (1 + JITTER)
    per_minute = [sum(1 for x in times if m * 60 <= x < (m + 1) * 60) for m in range(80)]
    share = 500 / (INTERVAL * 2 * JITTER / 60)  # checks per minute if spread evenly
    assert max(per_minute) < 2 * share, per_minute  # no minute gets twice its share


def _rt_put(server: Server, path: str, data: dict[str, Any]) -> None:
    env = server.extra
    r = requests.put(server.url + "/REST/2.0" + path, json=data, timeout=30,
                     auth=(env["RT_ROOT_USER"], env["RT_ROOT_PASSWORD"]))
    r.raise_for_status()


@pytest.mark.helpdesk
def test_rt_incident_resolved_is_told_once_through_the_courier(
        rt_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = rt_server.extra
    queue = f"Incidents-{uuid.uuid4().hex[:6]}"
    r = requests.post(rt_server.url + "/REST/2.0/queue", json={"Name": queue}, timeout=30,
                      auth=(env["RT_ROOT_USER"], env["RT_ROOT_PASSWORD"]))
    r.raise_for_status()
    r = requests.post(rt_server.url + "/REST/2.0/ticket", timeout=30,
                      json={"Queue": queue, "Subject": f"VPN down {queue}"},
                      auth=(env["RT_ROOT_USER"], env["RT_ROOT_PASSWORD"]))
    r.raise_for_status()
    ticket = str(r.json()["id"])
    [incident] = rt_connector(rt_server, incidents_queue=queue).incidents()
    clock = Clock()
    monkeypatch.setenv("FLARE_TEST_RT_PW", env["RT_ROOT_PASSWORD"])
    ctx = AppContext.for_tests(
        tmp_path, destination__type="rt", destination__url=rt_server.url,
        destination__username=env["RT_ROOT_USER"], destination__token="env:FLARE_TEST_RT_PW",
        destination__incidents_queue=queue)
    ctx.clock = clock
    join(ctx.dirs.state, incident, now=clock.now.timestamp(), interval_s=INTERVAL)
    courier = Courier(ctx, finder=find_personal_data)
    clock.skip(INTERVAL * 2)
    assert courier.run(send=False, poll=True).incident_events == []  # the baseline
    _rt_put(rt_server, f"/ticket/{ticket}", {"Status": "resolved"})
    assert rt_connector(rt_server).status(TicketRef(ticket)).state == "resolved"
    clock.skip(INTERVAL * 2)
    result = courier.run(send=False, poll=True)
    [event] = result.incident_events
    assert event.kind == "resolved" and event.incident.id == ticket
    [(summary, body)] = round_messages(Translator("en"), result)
    assert summary == "A known problem is resolved" and f"VPN down {queue}" in body
    clock.skip(INTERVAL * 2)
    assert courier.run(send=False, poll=True).incident_events == []
