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

- following (``--follow``, on by default): each person who says "affected too" then follows the
  incident with Flare's own ``IncidentFollower`` (jittered ``incidents.follow_minutes`` ± 25 %,
  conditional requests through that laptop's cache); a second scenario keeps the outage open
  for ``--follow-hours`` with one update half way, and measures the steady polling load and
  the requests in the minute after the update (a thundering herd would show there);
- the duplicate offer (``--accept-duplicate``): a report that would be a new ticket first asks
  the helpdesk for recent similar tickets (one search request); when someone already filed
  one in this outage, the person is offered to add to it and takes it with that probability;
- ``--rt N``: N reports through the real Request Tracker (started as the tests start it): an
  incident ticket in its own queue, then each report is a comment on it (shown, joined) or a
  new ticket, counted by reading RT back.

Prints, for N = 100, 1,000, 5,000: reports, new tickets (share), requests at the source, peak
requests per simulated second and per minute, and the peer's load; then the following table.
Run: python bench/storm.py [--sizes 100 1000 5000] [--rt 20]
"""

from __future__ import annotations

import argparse
import heapq
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.helpdesk.incident_feeds import Cached, FeedCache, FeedConfig, read_feed
from app.helpdesk.incident_follow import IncidentFollower, join
from app.helpdesk.protocol import Incident
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
    tickets_without_offer: int = 0
    searches: int = 0


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
    reports = tickets = without_offer = searches = 0
    filed = 0  # new tickets at the helpdesk in this outage so far (what a search finds)
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
            without_offer += 1
            if args.accept_duplicate > 0:
                searches += 1  # one search request at the helpdesk before the form
                if filed and rng.random() < args.accept_duplicate:
                    continue  # added to the earlier ticket: a comment, not a new ticket
            tickets += 1
            filed += 1
    per_min: Counter[int] = Counter()
    for second, count in per_s.items():
        per_min[second // 60] += count
    # The peer: one unconditional request a minute from every laptop for the whole storm.
    peer = laptops * int(args.resolve_min)
    return Result(laptops, reports, tickets, page.requests, page.not_modified,
                  max(per_s.values(), default=0), max(per_min.values(), default=0), peer,
                  without_offer, searches)


@dataclass
class Following:
    laptops: int
    joined: int
    requests: int  # at the source while following (steady window)
    per_s: float  # mean requests per second in the steady window
    peak_min: int  # most requests in one minute of the steady window
    after_update_min: int  # requests in the minute after the feed changed
    mean_min: float
    resolved_told: int
    wall_s: float


def simulate_following(page: StatusPage, laptops: int, args: argparse.Namespace, seed: int,
                       state: Path) -> Following:
    """Everyone who joined follows the open incident with Flare's IncidentFollower; the page
    changes once half way. Steady window: from one follow interval after the last join to the
    end (before the resolution)."""
    import time

    rng = random.Random(seed)
    page.incidents.clear()
    page.requests = page.not_modified = 0
    session = requests.Session()
    interval = args.follow_minutes * 60.0
    hours = args.follow_hours * 3600.0
    page.announce("outage-1", "Mail is down", "We are investigating.", at=T0)
    inc = Incident("outage-1", "Mail is down", url=page.url + "/incidents/outage-1",
                   source="statuspage", feed=page.url,
                   updated_at=T0, details="We are investigating.")
    # Who joins, and when (the first hour of the outage, as in the storm).
    joins = sorted((rng.expovariate(1 / (args.mean_report_min * 60)), n)
                   for n in range(laptops) if rng.random() < args.report_share)
    joins = [(t, n) for t, n in joins if t < 3600]
    clock = {"now": T0}
    followers: dict[int, IncidentFollower] = {}
    caches: dict[int, MemoryCache] = {}
    heap: list[tuple[float, int]] = []
    started = time.perf_counter()
    for t, n in joins:
        caches[n] = MemoryCache()
        d = state / f"l{n}"
        entry = join(d, inc, now=(T0 + timedelta(seconds=t)).timestamp(), interval_s=interval,
                     rng=random.Random(seed * 100_003 + n))

        def reader(kind: str, where: str, n: int = n) -> list[Incident]:
            return read_feed(FeedConfig(kind, url=where), session=session, cache=caches[n],
                             now=lambda: clock["now"]).incidents

        followers[n] = IncidentFollower(d, read_feed=reader, helpdesk_status=None,
                                        interval_s=interval, clock=lambda: clock["now"],
                                        rng=random.Random(seed * 7 + n))
        heapq.heappush(heap, (entry.next_check - T0.timestamp(), n))
    update_at = hours / 2
    updated = False
    per_min: Counter[int] = Counter()
    told = 0
    while heap:
        at, n = heapq.heappop(heap)
        if at > hours:
            break
        if not updated and at >= update_at:
            page.incidents[0]["incident_updates"].append(
                {"body": "A fix is rolling out", "status": "monitoring",
                 "created_at": (T0 + timedelta(seconds=update_at)).isoformat()})
            updated = True
        # A millisecond past the check time: float rounding must not leave it "not yet due".
        clock["now"] = T0 + timedelta(seconds=at + 0.001)
        before = page.requests
        events = followers[n].poll()
        per_min[int(at // 60)] += page.requests - before
        told += sum(1 for e in events if e.kind == "update")
        due = followers[n].next_due()
        if due is not None and due - T0.timestamp() > at:
            heapq.heappush(heap, (due - T0.timestamp(), n))
    steady_from = int((3600 + interval * 1.25) // 60)
    window = [per_min[m] for m in range(steady_from, int(hours // 60))]
    steady = sum(window)
    mean_min = steady / max(1, len(window))
    return Following(laptops, len(joins), steady, steady / max(1.0, len(window) * 60.0),
                     max(window, default=0), per_min[int(update_at // 60)], mean_min, told,
                     time.perf_counter() - started)


def rt_storm(n: int, seed: int) -> tuple[int, int, int, float, float]:
    """n reports through the real RT: (comments on the incident, new tickets, shown, median
    seconds to send one comment, median seconds of the look for it a retry makes first)."""
    import uuid

    from app.bundle import write_bundle
    from app.helpdesk.delivery import Deliverer
    from app.helpdesk.outbox import Outbox
    from app.report import AffectedIncident, Machine, Report, Reporter
    from tests.integration.helpdesk_reads import rt_connector, rt_get
    from tests.integration.helpdesk_servers import _rt

    server = _rt()
    env = server.extra
    auth = (env["RT_ROOT_USER"], env["RT_ROOT_PASSWORD"])
    run = uuid.uuid4().hex[:6]
    queue = f"Storm-{run}"
    requests.post(server.url + "/REST/2.0/queue", json={"Name": queue}, auth=auth,
                  timeout=30).raise_for_status()
    r = requests.post(server.url + "/REST/2.0/ticket", auth=auth, timeout=30,
                      json={"Queue": queue, "Subject": f"Mail is down (storm {run})"})
    r.raise_for_status()
    incident = str(r.json()["id"])
    conn = rt_connector(server, incidents_queue=queue)
    rng = random.Random(seed)
    import tempfile

    shown = 0
    send_s: list[float] = []
    lookup_s: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        box = Outbox(Path(tmp) / "state", lambda: datetime.now(UTC))
        deliver = Deliverer(box, lambda _name: conn)
        known = {i.id for i in conn.incidents()}  # what the first page offers
        for k in range(n):
            # As in the model: the first reports come before the announcement.
            offered = incident in known and k >= max(1, n // 20)
            shown += offered
            report = Report(
                created_at=datetime.now(UTC),
                reporter=Reporter(name=f"Person {k}", email=f"p{k}-{run}@example.org"),
                machine=Machine(hostname=f"PC-{k:04d}"), title=f"Mail does not work {run}",
                affected=AffectedIncident(incident_id=incident, title="Mail is down")
                if offered else None)
            path = write_bundle(report, {}, Path(tmp) / f"b{k}")
            item = box.enqueue(path, "rt", report_id=str(report.id), title=report.title)
            t0 = time.perf_counter()
            out = deliver.send_now(item.id)
            assert out.state == "sent", out
            if offered:
                send_s.append(time.perf_counter() - t0)
                # What a retry after a lost answer adds: one search of the ticket's history.
                from app.helpdesk.delivery_bundle import open_delivery_bundle
                from app.helpdesk.protocol import TicketRef

                bundle = open_delivery_bundle(box.get(item.id).bundle_path)
                t0 = time.perf_counter()
                assert conn.find_comment(TicketRef(incident), bundle)
                lookup_s.append(time.perf_counter() - t0)
            rng.random()
    comments = 0
    for item in rt_get(server, f"/ticket/{incident}/history?per_page=100")["items"]:
        if rt_get(server, f"/transaction/{item['id']}").get("Type") == "Comment":
            comments += 1
    tickets = int(rt_get(server, f"/tickets?query=Subject LIKE 'Mail does not work {run}'")
                  ["count"])
    return (comments, tickets, shown, statistics.median(send_s or [0.0]),
            statistics.median(lookup_s or [0.0]))


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
    parser.add_argument("--accept-duplicate", type=float, default=0.0,
                        help="share of people who add to an earlier similar ticket when "
                             "offered (0: no duplicate offer)")
    parser.add_argument("--follow", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--follow-minutes", type=float, default=45.0)
    parser.add_argument("--follow-hours", type=float, default=6.0)
    parser.add_argument("--rt", type=int, default=0, help="reports through the real RT")
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
        if args.accept_duplicate > 0:
            print(f"\nduplicate offer taken by {args.accept_duplicate:.0%}: new tickets "
                  "without the offer -> with it (searches at the helpdesk)")
            for n in args.sizes:
                runs = sorted((simulate(page, n, args, seed) for seed in range(args.runs)),
                              key=lambda r: r.tickets)
                r = runs[len(runs) // 2]
                print(f"{n:>8} {r.tickets_without_offer:>6} -> {r.tickets:>6} "
                      f"({r.tickets / max(1, r.reports):.1%} of {r.reports} reports; "
                      f"{r.searches} searches)")
        if args.follow:
            import tempfile

            print(f"\nfollowing the joined incident for {args.follow_hours:g} h, every "
                  f"{args.follow_minutes:g} min ±25 %, one update half way; steady window "
                  "from one interval after the last join")
            print(f"{'laptops':>8} {'joined':>7} {'req/s':>7} {'peak/min':>9} {'mean/min':>9} "
                  f"{'update min':>11} {'updates told':>13} {'all-join req/s':>15}")
            for n in args.sizes:
                with tempfile.TemporaryDirectory() as tmp:
                    runs = sorted((simulate_following(page, n, args, seed, Path(tmp) / str(seed))
                                   for seed in range(args.runs)), key=lambda f: f.requests)
                f = runs[len(runs) // 2]
                worst = n / (args.follow_minutes * 60)  # every laptop joined
                print(f"{n:>8} {f.joined:>7} {f.per_s:>7.2f} {f.peak_min:>9} "
                      f"{f.mean_min:>9.1f} {f.after_update_min:>11} {f.resolved_told:>13} "
                      f"{worst:>15.2f}")
    if args.rt:
        comments, tickets, shown, send_s, lookup_s = rt_storm(args.rt, 1)
        print(f"\nreal RT, {args.rt} reports: {comments} comments on the incident ticket, "
              f"{tickets} new tickets (shown the incident: {shown}); one comment "
              f"{send_s * 1000:.0f} ms (median), the retry's look for it first "
              f"{lookup_s * 1000:.0f} ms (median, one request)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
