"""Known incidents from the sources IT already keeps: status pages, RSS/Atom, a JSON file.

Each source in ``incidents.feeds`` is fetched on its own (off the GUI thread, by the caller's
worker), with a conditional request (ETag / If-Modified-Since) against a small disk cache, so
that 5,000 laptops polling one status page mostly get ``304 Not Modified``. A source that
fails says why, and its last good answer is still shown, marked with the time it was fetched.

Formats:

- ``statuspage``: the Atlassian Statuspage v2 API (``/api/v2/incidents/unresolved.json``, else
  ``/api/v2/summary.json``), which several status-page products also serve;
- ``rss``: RSS 2.0 or Atom; entries older than ``max_age_hours`` are left out, and so are
  entries whose text says they are resolved;
- ``json``: a file on a share or a URL in Flare's own small format
  (``resources/schema/incident-feed.schema.json``).

The helpdesk's own records (``{"type": "helpdesk"}``) come from the destination's connector.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.fsutil import atomic_write_bytes
from app.helpdesk.protocol import Incident
from app.regular_file import NotRegularFile, read_regular_bytes

FeedType = Literal["helpdesk", "statuspage", "rss", "json"]
FEED_TYPES: tuple[FeedType, ...] = ("helpdesk", "statuspage", "rss", "json")

# A status page's answer is a few kilobytes; a megabyte is plenty and bounds a hostile one.
MAX_FEED_BYTES = 1024 * 1024
FETCH_TIMEOUT_S = 5.0
MAX_REDIRECTS = 3


@dataclass(frozen=True)
class FeedConfig:
    """One entry of ``incidents.feeds``."""

    type: FeedType
    name: str = ""
    url: str = ""
    path: str = ""
    max_age_hours: float = 24.0

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        if self.type == "helpdesk":
            return "helpdesk"
        return urlsplit(self.url).netloc or self.url or self.path


@dataclass(frozen=True)
class FeedResult:
    """What one source says now: its incidents, or why it could not be read."""

    feed: FeedConfig
    incidents: list[Incident] = field(default_factory=list)
    error: str = ""
    fetched_at: datetime | None = None
    from_cache: bool = False  # the source did not answer; this is its last good answer


class FeedError(Exception):
    """A source could not be read or parsed; the message says what to do."""


def feeds_from_setting(value: Any) -> list[FeedConfig]:
    """``incidents.feeds`` as validated by the settings layer (a list of objects)."""
    feeds: list[FeedConfig] = []
    for entry in value or []:
        if not isinstance(entry, dict):
            continue
        kind = str(entry.get("type", ""))
        if kind not in FEED_TYPES:
            continue
        feeds.append(FeedConfig(
            type=kind,
            name=str(entry.get("name") or ""),
            url=str(entry.get("url") or ""),
            path=str(entry.get("path") or ""),
            max_age_hours=float(entry.get("max_age_hours") or 24.0),
        ))
    return feeds


# --------------------------------------------------------------------------- the cache


@dataclass(frozen=True)
class Cached:
    body: bytes
    etag: str = ""
    last_modified: str = ""
    fetched_at: datetime | None = None
    fresh_until: datetime | None = None  # from Cache-Control: max-age; no request before it


class FeedCache:
    """The last good answer of each source, with its validators, one file per URL."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _file(self, key: str) -> Path:
        return self.folder / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".json")

    def load(self, key: str) -> Cached | None:
        try:
            data = json.loads(read_regular_bytes(self._file(key), MAX_FEED_BYTES * 2))
            fresh = data.get("fresh_until")
            return Cached(body=bytes.fromhex(data["body"]), etag=data.get("etag", ""),
                          last_modified=data.get("last_modified", ""),
                          fetched_at=datetime.fromisoformat(data["fetched_at"]),
                          fresh_until=datetime.fromisoformat(fresh) if fresh else None)
        except (OSError, NotRegularFile, ValueError, KeyError, TypeError):
            return None

    def save(self, key: str, cached: Cached) -> None:
        record = {"key": key, "body": cached.body.hex(), "etag": cached.etag,
                  "last_modified": cached.last_modified,
                  "fetched_at": (cached.fetched_at or datetime.now(UTC)).isoformat(),
                  "fresh_until": cached.fresh_until.isoformat() if cached.fresh_until else None}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self._file(key), json.dumps(record).encode())
        except OSError:
            pass  # a cache that cannot be written only costs a full fetch next time


# --------------------------------------------------------------------------- fetching


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise FeedError(f"{url!r} is not an http(s) address; give the status page's address, "
                        "such as https://status.example.org")


# How long an answer counts as fresh when the source says nothing (Cache-Control): a window
# opened twice within a minute asks once.
DEFAULT_FRESH_S = 60.0
MAX_FRESH_S = 3600.0


def _fresh_for(headers: Any) -> float:
    match = re.search(r"max-age=(\d+)", headers.get("Cache-Control", ""))
    if "no-cache" in headers.get("Cache-Control", "") or "no-store" in headers.get(
            "Cache-Control", ""):
        return 0.0
    return min(float(match.group(1)), MAX_FRESH_S) if match else DEFAULT_FRESH_S


def fetch_url(session: Any, url: str, cache: FeedCache,
              now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> tuple[bytes, bool]:
    """The body at ``url`` and whether it came from the cache (still fresh by the source's
    Cache-Control, or the source answered 304 to the conditional request). Redirects are
    followed by hand: at most ``MAX_REDIRECTS``, and never from https to http."""
    import requests

    _check_url(url)
    cached = cache.load(url)
    if cached is not None and cached.fresh_until is not None and now() < cached.fresh_until:
        return cached.body, True
    headers = {"Accept": "application/json, application/rss+xml, application/atom+xml, "
                         "application/xml;q=0.9, */*;q=0.5"}
    if cached is not None:
        if cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
    target = url
    for _ in range(MAX_REDIRECTS + 1):
        try:
            resp = session.get(target, headers=headers, timeout=FETCH_TIMEOUT_S,
                               allow_redirects=False, stream=True)
        except requests.RequestException as e:
            raise FeedError(f"could not reach {urlsplit(target).netloc}: "
                            f"{type(e).__name__}") from e
        with resp:
            if resp.status_code in (301, 302, 303, 307, 308):
                nxt = urljoin(target, resp.headers.get("Location", ""))
                if urlsplit(target).scheme == "https" and urlsplit(nxt).scheme != "https":
                    raise FeedError(f"{target} redirects to a plain-http address; "
                                    "use the https address the page moved to")
                _check_url(nxt)
                target = nxt
                continue
            fresh_until = now() + timedelta(seconds=_fresh_for(resp.headers))
            if resp.status_code == 304 and cached is not None:
                cache.save(url, replace(cached, fetched_at=now(), fresh_until=fresh_until))
                return cached.body, True
            if resp.status_code >= 400:
                raise FeedError(f"{urlsplit(target).netloc} answered HTTP {resp.status_code} "
                                f"for {urlsplit(target).path or '/'}")
            body = b""
            for chunk in resp.iter_content(64 * 1024):
                body += chunk
                if len(body) > MAX_FEED_BYTES:
                    raise FeedError(f"{target} sent more than {MAX_FEED_BYTES // 1024} KB; "
                                    "that is no incident feed")
            cache.save(url, Cached(body, resp.headers.get("ETag", ""),
                                   resp.headers.get("Last-Modified", ""), now(), fresh_until))
            return body, False
    raise FeedError(f"{url} redirects more than {MAX_REDIRECTS} times")


# --------------------------------------------------------------------------- formats


def _when(text: Any) -> datetime | None:
    if not isinstance(text, str) or not text.strip():
        return None
    s = text.strip()
    try:
        d = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        try:
            d = parsedate_to_datetime(s)
        except (TypeError, ValueError, IndexError):
            return None
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def _one_line(text: str, limit: int = 400) -> str:
    plain = re.sub(r"<[^>]*>", " ", text)  # feeds carry HTML in descriptions
    plain = re.sub(r"\s+", " ", plain).strip()
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"


def parse_statuspage(body: bytes, page_url: str) -> list[Incident]:
    """Unresolved incidents from a Statuspage v2 ``unresolved.json`` or ``summary.json``."""
    try:
        data = json.loads(body)
    except ValueError as e:
        raise FeedError("the status page did not answer with JSON (is it a Statuspage v2 "
                        "page?)") from e
    items = data.get("incidents") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise FeedError("the status page's answer has no 'incidents' list")
    found: list[Incident] = []
    for item in items:
        if not isinstance(item, dict) or item.get("status") in ("resolved", "postmortem"):
            continue
        updates = [u for u in item.get("incident_updates") or [] if isinstance(u, dict)]
        latest = max(updates, key=lambda u: str(u.get("created_at", "")), default={})
        ident = str(item.get("id") or item.get("shortlink") or item.get("name") or "")
        if not ident or not item.get("name"):
            continue
        found.append(Incident(
            id=ident, title=_one_line(str(item["name"]), 200),
            url=str(item.get("shortlink") or page_url),
            started_at=_when(item.get("started_at") or item.get("created_at")),
            details=_one_line(str(latest.get("body") or "")),
            updated_at=_when(latest.get("created_at") or item.get("updated_at")),
        ))
    return found


_RESOLVED = re.compile(r"^\s*(resolved|completed|решено|устранено|вирішено|усунено)\b", re.I)
_ATOM = "{http://www.w3.org/2005/Atom}"


def parse_rss_atom(body: bytes, now: datetime, max_age_hours: float) -> list[Incident]:
    """Recent, unresolved entries of an RSS 2.0 or Atom feed (parsed by defusedxml: a feed
    is someone else's XML, and entity expansion must not take the laptop down)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(body)
    except (DefusedXmlException, SyntaxError, ValueError) as e:
        raise FeedError(f"the feed is not well-formed RSS or Atom ({type(e).__name__})") from e
    oldest = now - timedelta(hours=max_age_hours)
    found: list[Incident] = []
    atom = root.tag == _ATOM + "feed"
    entries = root.findall(_ATOM + "entry") if atom else root.findall("./channel/item")
    if not atom and root.tag != "rss":
        raise FeedError(f"the feed's root element is <{root.tag}>, not <rss> or Atom <feed>")
    for entry in entries:
        def text(tag: str, el: Any = entry) -> str:
            child = el.find(_ATOM + tag if atom else tag)
            return (child.text or "") if child is not None else ""
        title = _one_line(text("title"), 200)
        if atom:
            link_el = entry.find(_ATOM + "link")
            link = link_el.get("href", "") if link_el is not None else ""
            summary = text("summary") or text("content")
            updated = _when(text("updated") or text("published"))
            ident = text("id") or link or title
        else:
            link = text("link")
            summary = text("description")
            updated = _when(text("pubDate"))
            ident = text("guid") or link or title
        if not title or (updated is not None and updated < oldest):
            continue
        details = _one_line(summary)
        if _RESOLVED.match(details) or _RESOLVED.match(title):
            continue
        found.append(Incident(id=ident.strip(), title=title, url=link.strip(),
                              started_at=updated, details=details, updated_at=updated))
    return found


class _JsonIncident(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=300)
    details: str = Field(default="", max_length=2000)
    url: str = Field(default="", max_length=2000)
    started_at: datetime | None = None
    updated_at: datetime | None = None


class IncidentFeedFile(BaseModel):
    """Flare's own incident file: what IT writes on a share when there is no status page."""

    model_config = ConfigDict(extra="forbid", title="Flare incident feed")

    incidents: list[_JsonIncident] = Field(max_length=200)


def parse_json_feed(body: bytes) -> list[Incident]:
    try:
        doc = IncidentFeedFile.model_validate_json(body)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the file"
        raise FeedError(f"the incident file is not in Flare's format at {where}: "
                        f"{first['msg']} (see resources/schema/incident-feed.schema.json)") from e
    return [Incident(id=i.id, title=_one_line(i.title, 200), url=i.url,
                     started_at=_aware(i.started_at), details=_one_line(i.details),
                     updated_at=_aware(i.updated_at)) for i in doc.incidents]


def _aware(d: datetime | None) -> datetime | None:
    return d if d is None or d.tzinfo else d.replace(tzinfo=UTC)


def incident_feed_schema() -> dict[str, Any]:
    """The JSON Schema of the incident file (committed in resources/schema/)."""
    return IncidentFeedFile.model_json_schema()


# --------------------------------------------------------------------------- reading sources


HelpdeskIncidentsFn = Callable[[], list[Incident]]


def read_feed(feed: FeedConfig, *, session: Any, cache: FeedCache,
              helpdesk: HelpdeskIncidentsFn | None = None,
              now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> FeedResult:
    """One source's incidents; never raises. When a URL source fails, its last good answer
    (from the cache) is returned beside the error."""
    at = now()
    try:
        if feed.type == "helpdesk":
            if helpdesk is None:
                raise FeedError("no helpdesk destination is set up (destination.type is folder)")
            return FeedResult(feed, [replace(i, source="helpdesk") for i in helpdesk()],
                              fetched_at=at)
        if feed.type == "json" and feed.path:
            try:
                body = read_regular_bytes(Path(feed.path), MAX_FEED_BYTES)
            except (OSError, NotRegularFile) as e:
                raise FeedError(f"cannot read {feed.path}: {e}") from e
            return FeedResult(feed, [replace(i, source="json", feed=feed.path)
                                     for i in parse_json_feed(body)], fetched_at=at)
        if not feed.url:
            raise FeedError(f"the {feed.type} source has no url")
        url = feed.url
        if feed.type == "statuspage":
            url = feed.url.rstrip("/") + "/api/v2/incidents/unresolved.json"
        body, _ = fetch_url(session, url, cache, now)
        return FeedResult(feed, _parse(feed, body, at), fetched_at=at)
    except FeedError as e:
        return _from_cache(feed, cache, str(e), at)
    except Exception as e:  # a connector's own failure: the source says why, the rest go on
        return FeedResult(feed, error=_one_line(str(e) or type(e).__name__, 300))


def _parse(feed: FeedConfig, body: bytes, at: datetime) -> list[Incident]:
    return [replace(i, source=feed.type, feed=feed.url or feed.path)
            for i in _parse_body(feed, body, at)]


def _parse_body(feed: FeedConfig, body: bytes, at: datetime) -> list[Incident]:
    if feed.type == "statuspage":
        return parse_statuspage(body, feed.url)
    if feed.type == "rss":
        return parse_rss_atom(body, at, feed.max_age_hours)
    return parse_json_feed(body)


def _from_cache(feed: FeedConfig, cache: FeedCache, error: str, at: datetime) -> FeedResult:
    if feed.type == "statuspage":
        url = feed.url.rstrip("/") + "/api/v2/incidents/unresolved.json"
    else:
        url = feed.url
    cached = cache.load(url) if url else None
    if cached is None:
        return FeedResult(feed, error=error)
    try:
        incidents = _parse(feed, cached.body, at)
    except FeedError:
        return FeedResult(feed, error=error)
    return FeedResult(feed, incidents, error=error, fetched_at=cached.fetched_at,
                      from_cache=True)


def read_feeds(feeds: Sequence[FeedConfig], *, session: Any, cache: FeedCache,
               helpdesk: HelpdeskIncidentsFn | None = None,
               now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> list[FeedResult]:
    """Every source at once (each time-boxed by its own fetch timeout), in the given order."""
    if not feeds:
        return []
    with ThreadPoolExecutor(max_workers=min(8, len(feeds)),
                            thread_name_prefix="flare-feeds") as pool:
        futures = [pool.submit(read_feed, f, session=session, cache=cache,
                               helpdesk=helpdesk, now=now) for f in feeds]
        return [f.result() for f in futures]


def merged_incidents(results: Sequence[FeedResult]) -> list[Incident]:
    """All sources' incidents, newest update first, each once (the same id or link from two
    sources is one incident)."""
    seen: set[str] = set()
    out: list[Incident] = []
    oldest = datetime.min.replace(tzinfo=UTC)
    for inc in sorted((i for r in results for i in r.incidents),
                      key=lambda i: i.updated_at or i.started_at or oldest, reverse=True):
        key = inc.url or inc.id
        if key in seen:
            continue
        seen.add(key)
        out.append(inc)
    return out
