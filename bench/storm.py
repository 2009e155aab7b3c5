"""Outage storm: N laptops report during one announced outage; how many new tickets, how much
load on the status source.

A discrete-event simulation on a simulated clock, with real HTTP: every time a simulated person
opens Flare's report window, that laptop reads the incident sources with Flare's own code
(``app.helpdesk.incident_feeds.read_feed``: its cache, Cache-Control freshness and conditional
request) against a local Statuspage-format server on 127.0.0.1 that counts requests. Time is
simulated so that an hour of 5,000 laptops runs in seconds; the requests are real.

The model, stated so the figures can be judged:
- the outage starts at t=0; the status page announces it at ``--announce-min`` (default 0:
  "one announced outage"), and resolves it at ``--resolve-min``;
- ``--report-share`` of the laptops' people report it, at times drawn from an exponential
  distribution after t=0 (mean ``--mean-report-min``);
- a report becomes a new ticket when the window did not show the incident (it was not yet in
  the feed, or the laptop's cached answer was stale); a person who is shown it is counted as
  "affected too" (the first page offers it before the form: Flare cannot do better than show
  it, and the person's choice is theirs);
- a peer for comparison: a status widget that polls the same page every minute, unconditionally,
  on every laptop (counted on the same server for the smallest N, and scaled by N above it).

Prints, for N = 100, 1,000, 5,000: reports, new tickets (share), requests at the source, peak
requests per simulated second and per minute, and the peer's load.
Run: python bench/storm.py [--sizes 100 1000 5000]
"""

from __future__ import annotations

import argparse
import heapq
import random
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.helpdesk.incident_feeds import Cached, FeedCache, FeedConfig, read_feed
from tests.statuspage_server import StatusPage, status_page

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class MemoryCache(FeedCache):
    """Flare's cache semantics, one per laptop, in memory (5,000 folders would measure the
    disk, not the load)."""

    def __init__(self) -> None:
        super().__init__(Path("/nonexistent"))
        self._items: dict[str, Cached] = {}

    def load(self, key: str) -> Cached | None:
        return self._items.get(key)

    def save(self, key: str, cached: Cached) -> None:
        self._items[key] = cached


@dataclass
class Result:
    laptops: int
    reports: int
    tickets: int
    requests: int
    not_modified: int
    peak_per_s: int
    peak_per_min: int
    peer_requests: int


def _at(when: datetime) -> Callable[[], datetime]:
    return lambda: when


def simulate(page: StatusPage, laptops: int, args: argparse.Namespace, seed: int) -> Result:
    rng = random.Random(seed)
    page.incidents.clear()
    page.requests = page.not_modified = 0
    session = requests.Session()
    feed = FeedConfig("statuspage", "Status", url=page.url)
    caches = [MemoryCache() for _ in range(laptops)]
    events: list[tuple[float, int, str]] = []  # (simulated seconds, laptop, what)
    heapq.heappush(events, (args.announce_min * 60, -1, "announce"))
    heapq.heappush(events, (args.resolve_min * 60, -1, "resolve"))
    for n in range(laptops):
        if rng.random() < args.report_share:
            heapq.heappush(events, (rng.expovariate(1 / (args.mean_report_min * 60)), n,
                                    "report"))
    reports = tickets = 0
    per_s: Counter[int] = Counter()
    while events:
        at, laptop, what = heapq.heappop(events)
        if what == "announce":
            page.announce("outage-1", "Mail is down", "We are investigating.",
                          at=T0 + timedelta(seconds=at))
            continue
        if what == "resolve":
            page.resolve("outage-1")
            continue
        if at > args.resolve_min * 60:
            continue  # reported after the fix: not part of this storm
        before = page.requests
        result = read_feed(feed, session=session, cache=caches[laptop],
                           now=_at(T0 + timedelta(seconds=at)))
        per_s[int(at)] += page.requests - before
        reports += 1
        if not any(i.id == "outage-1" for i in result.incidents):
            tickets += 1
    per_min: Counter[int] = Counter()
    for second, count in per_s.items():
        per_min[second // 60] += count
    # The peer: one unconditional request a minute from every laptop for the whole storm.
    peer = laptops * int(args.resolve_min)
    return Result(laptops, reports, tickets, page.requests, page.not_modified,
                  max(per_s.values(), default=0), max(per_min.values(), default=0), peer)


def measure_peer(page: StatusPage, laptops: int, minutes: int) -> int:
    """The peer counted for real: every laptop fetches once a minute, no validators."""
    page.requests = 0
    session = requests.Session()
    url = page.url + "/api/v2/incidents/unresolved.json"
    for _ in range(minutes):
        for _ in range(laptops):
            session.get(url, timeout=5).close()
    return page.requests


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--announce-min", type=float, default=0.0)
    parser.add_argument("--resolve-min", type=float, default=60.0)
    parser.add_argument("--report-share", type=float, default=0.3)
    parser.add_argument("--mean-report-min", type=float, default=15.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"outage announced at {args.announce_min:g} min, resolved at {args.resolve_min:g} min; "
          f"{args.report_share:.0%} of people report, mean {args.mean_report_min:g} min after "
          f"the start; {args.runs} runs each, medians")
    print(f"{'laptops':>8} {'reports':>8} {'new tickets':>12} {'requests':>9} {'304s':>6} "
          f"{'peak/s':>7} {'peak/min':>9} {'peer requests':>14} {'ratio':>7}")
    with status_page() as page:
        page.max_age = 60
        counted_peer = measure_peer(page, min(args.sizes), 2) // 2  # per minute, for real
        for n in args.sizes:
            runs = [simulate(page, n, args, seed) for seed in range(args.runs)]
            runs.sort(key=lambda r: r.requests)
            r = runs[len(runs) // 2]
            share = r.tickets / r.reports if r.reports else 0.0
            print(f"{n:>8} {r.reports:>8} {r.tickets:>6} ({share:>4.1%}) {r.requests:>9} "
                  f"{r.not_modified:>6} {r.peak_per_s:>7} {r.peak_per_min:>9} "
                  f"{r.peer_requests:>14} {r.peer_requests / max(1, r.requests):>6.0f}x")
        print(f"peer counted on the server for {min(args.sizes)} laptops: {counted_peer} "
              "requests a minute (the table scales that by N)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
