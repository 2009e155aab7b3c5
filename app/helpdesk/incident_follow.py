"""Following the known incidents the person joined ("I'm affected too"): their updates, and
one notification when they are resolved.

Only joined incidents are polled, each on its own jittered schedule (``incidents.follow_minutes``
± 25 %, drawn per laptop and per check), so 5,000 laptops that joined in the same minute spread
over the interval instead of arriving together; status pages and feeds are read with the feed
code's conditional requests (ETag / If-Modified-Since, Cache-Control), so an unchanged page costs
a ``304``. A resolved incident is told once and then dropped.

The list lives in ``<state>/incidents-joined.json``: small, and read without loading the
delivery layer (an idle tray must stay light).
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from app.fsutil import atomic_write_bytes
from app.helpdesk.protocol import Incident, TicketStatus

log = logging.getLogger("flare.helpdesk")

FILE_NAME = "incidents-joined.json"
JITTER = 0.25  # each check at interval × [0.75, 1.25): no two laptops stay in step
MAX_JOINED = 20  # a person follows a handful; a bound keeps a damaged file harmless
MAX_UPDATES = 10  # per incident, newest kept: what the tray's list shows


@dataclass
class Joined:
    id: str
    source: str  # helpdesk, statuspage, rss, json
    feed: str = ""  # the source's URL or path (status pages, feeds, files)
    title: str = ""
    url: str = ""
    joined_at: float = 0.0
    next_check: float = 0.0
    last_update: str = ""  # the latest update seen (its time and text), to tell new ones
    resolved: bool = False
    # What the tray shows: the updates seen, oldest first, each {"at": ISO time, "text": …}.
    updates: list[dict[str, str]] = field(default_factory=list)

    def latest(self) -> tuple[datetime | None, str]:
        """The newest update's time (None when the source gave none) and words."""
        if not self.updates:
            return None, ""
        last = self.updates[-1]
        try:
            at = datetime.fromisoformat(last.get("at") or "")
        except ValueError:
            at = None
        return at, last.get("text") or ""

    def add_update(self, at: datetime | None, text: str) -> None:
        self.updates = [*self.updates, {"at": at.isoformat() if at else "", "text": text}][
            -MAX_UPDATES:]


@dataclass(frozen=True)
class IncidentEvent:
    kind: Literal["update", "resolved"]
    incident: Joined
    text: str = ""  # the update's words, as the source gives them


def _path(state_dir: Path) -> Path:
    return state_dir / FILE_NAME


def load_joined(state_dir: Path) -> list[Joined]:
    try:
        data = json.loads(_path(state_dir).read_text("utf-8"))
    except (OSError, ValueError):
        return []
    out: list[Joined] = []
    for row in data if isinstance(data, list) else []:
        try:
            j = Joined(**{k: row[k] for k in row if k in Joined.__dataclass_fields__})
        except (TypeError, KeyError):
            continue
        updates = j.updates if isinstance(j.updates, list) else []
        j.updates = [{"at": str(u.get("at") or ""), "text": str(u.get("text") or "")}
                     for u in updates if isinstance(u, dict)][-MAX_UPDATES:]
        out.append(j)
    return out[:MAX_JOINED]


def save_joined(state_dir: Path, joined: list[Joined]) -> None:
    state_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(_path(state_dir),
                       json.dumps([asdict(j) for j in joined], indent=1).encode())


def known_problems(state_dir: Path) -> list[Joined]:
    """The joined incidents still followed, latest update first: the tray's list."""
    live = [j for j in load_joined(state_dir) if not j.resolved]

    def newest(j: Joined) -> float:
        at = j.latest()[0]
        return at.timestamp() if at and at.tzinfo else j.joined_at

    return sorted(live, key=newest, reverse=True)


def following(state_dir: Path) -> bool:
    """Whether any joined incident is still followed (cheap: the tray asks when idle)."""
    return any(not j.resolved for j in load_joined(state_dir))


def _update_key(inc: Incident) -> str:
    when = inc.updated_at.isoformat() if inc.updated_at else ""
    return f"{when} {inc.details}".strip()


def next_check(now: float, interval_s: float, rng: random.Random) -> float:
    return now + interval_s * rng.uniform(1 - JITTER, 1 + JITTER)


def join(state_dir: Path, inc: Incident, *, now: float, interval_s: float,
         rng: random.Random | None = None) -> Joined:
    """Follow ``inc`` from now on (joining twice keeps one entry)."""
    rng = rng or random.Random()
    joined = [j for j in load_joined(state_dir) if not (j.id == inc.id and j.source ==
                                                         inc.source)]
    entry = Joined(id=inc.id, source=inc.source, feed=inc.feed, title=inc.title, url=inc.url,
                   joined_at=now, next_check=next_check(now, interval_s, rng),
                   last_update="" if inc.source == "helpdesk" else _update_key(inc))
    if inc.details:
        entry.add_update(inc.updated_at, inc.details)
    joined.append(entry)
    save_joined(state_dir, joined[-MAX_JOINED:])
    return entry


FeedReader = Callable[[str, str], list[Incident]]  # (type, url or path) -> unresolved now
HelpdeskStatus = Callable[[str], TicketStatus]  # incident ticket id -> its status


class IncidentFollower:
    """Checks the joined incidents that are due; returns what changed."""

    def __init__(self, state_dir: Path, *, read_feed: FeedReader,
                 helpdesk_status: HelpdeskStatus | None, interval_s: float,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 rng: random.Random | None = None) -> None:
        self.state_dir = state_dir
        self.read_feed = read_feed
        self.helpdesk_status = helpdesk_status
        self.interval_s = interval_s
        self.clock = clock
        self.rng = rng or random.Random()

    def next_due(self) -> float | None:
        due = [j.next_check for j in load_joined(self.state_dir) if not j.resolved]
        return min(due) if due else None

    def poll(self) -> list[IncidentEvent]:
        now = self.clock().timestamp()
        joined = load_joined(self.state_dir)
        events: list[IncidentEvent] = []
        feeds: dict[tuple[str, str], list[Incident] | None] = {}
        for j in joined:
            if j.resolved or now < j.next_check:
                continue
            j.next_check = next_check(now, self.interval_s, self.rng)
            try:
                event = self._check(j, feeds)
            except Exception as exc:  # a source that is down: try again next time
                log.info("incident %s not checked: %s", j.id, exc)
                continue
            if event is not None:
                events.append(event)
        # Resolved ones are told once, then forgotten.
        save_joined(self.state_dir, [j for j in joined if not j.resolved])
        return events

    def _check(self, j: Joined, feeds: dict[tuple[str, str], list[Incident] | None]
               ) -> IncidentEvent | None:
        if j.source == "helpdesk":
            if self.helpdesk_status is None:
                return None
            status = self.helpdesk_status(j.id)
            if status.state in ("resolved", "closed"):
                j.resolved = True
                return IncidentEvent("resolved", j, status.label)
            # The first check sets the baseline (the person's own comment changed the ticket
            # just now); a later change of time or status is an update from support.
            key = f"{status.updated_at.isoformat() if status.updated_at else ''} {status.label}"
            if not j.last_update:
                j.last_update = key
                return None
            if key != j.last_update:
                j.last_update = key
                j.add_update(status.updated_at, status.label)
                return IncidentEvent("update", j, status.label)
            return None
        source = (j.source, j.feed)
        if source not in feeds:  # one request per source however many incidents it has
            feeds[source] = self.read_feed(j.source, j.feed)
        live = feeds[source] or []
        now_inc = next((i for i in live if i.id == j.id), None)
        if now_inc is None or now_inc.resolved:
            j.resolved = True
            return IncidentEvent("resolved", j)
        key = _update_key(now_inc)
        if key != j.last_update:
            j.last_update = key
            j.add_update(now_inc.updated_at, now_inc.details)
            return IncidentEvent("update", j, now_inc.details)
        return None


def follower_reader(session: Any, cache_dir: Path) -> FeedReader:
    """Reads a status page, feed or file with the feed code (conditional, cached)."""
    from app.helpdesk.incident_feeds import FeedCache, FeedConfig, FeedError, read_feed

    cache = FeedCache(cache_dir)

    def read(kind: str, where: str) -> list[Incident]:
        is_url = where.startswith(("http://", "https://"))
        feed = FeedConfig(type=kind,  # type: ignore[arg-type]
                          url=where if is_url else "", path="" if is_url else where)
        result = read_feed(feed, session=session, cache=cache)
        if result.error and not result.from_cache:
            raise FeedError(result.error)
        return result.incidents

    return read
