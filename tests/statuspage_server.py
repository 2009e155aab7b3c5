"""A local status page in the Atlassian Statuspage v2 format, with RSS, Atom and conditional
requests, for tests and bench/storm.py (binds 127.0.0.1 only).

It counts every request and how many were answered ``304 Not Modified``, so a test can check
that Flare asks conditionally and a benchmark can measure the load a fleet puts on it.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOST = "127.0.0.1"


@dataclass
class StatusPage:
    incidents: list[dict[str, Any]] = field(default_factory=list)
    requests: int = 0
    not_modified: int = 0
    down: bool = False  # answer 503 to everything
    extra: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""
    max_age: int | None = 0  # Cache-Control: max-age sent with feeds; None sends none

    def announce(self, ident: str, name: str, body: str, status: str = "investigating",
                 at: datetime | None = None) -> None:
        at = at or datetime.now(UTC)
        with self.lock:
            self.incidents.append({
                "id": ident, "name": name, "status": status, "impact": "major",
                "created_at": at.isoformat(), "updated_at": at.isoformat(),
                "shortlink": f"{self.url}/incidents/{ident}",
                "incident_updates": [{"body": body, "status": status,
                                      "created_at": at.isoformat()}],
            })

    def post_update(self, ident: str, body: str, status: str = "monitoring",
                    at: datetime | None = None) -> None:
        """A new update on an announced incident, newest first as Statuspage lists them."""
        at = at or datetime.now(UTC)
        with self.lock:
            for i in self.incidents:
                if i["id"] == ident:
                    i["status"], i["updated_at"] = status, at.isoformat()
                    i["incident_updates"].insert(0, {"body": body, "status": status,
                                                     "created_at": at.isoformat()})

    def resolve(self, ident: str) -> None:
        with self.lock:
            for i in self.incidents:
                if i["id"] == ident:
                    i["status"] = "resolved"

    def unresolved_json(self) -> bytes:
        live = [i for i in self.incidents if i["status"] not in ("resolved", "postmortem")]
        return json.dumps({"page": {"id": "local", "name": "Local status"},
                           "incidents": live}).encode()

    def rss(self) -> bytes:
        items = "".join(
            f"<item><title>{i['name']}</title><link>{i['shortlink']}</link>"
            f"<guid>{i['id']}</guid>"
            f"<pubDate>{format_datetime(datetime.fromisoformat(i['updated_at']))}</pubDate>"
            f"<description>{'Resolved - ' if i['status'] == 'resolved' else ''}"
            f"{i['incident_updates'][-1]['body']}</description></item>"
            for i in self.incidents)
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Status</title>'
                f"{items}</channel></rss>").encode()

    def atom(self) -> bytes:
        entries = "".join(
            f"<entry><id>{i['id']}</id><title>{i['name']}</title>"
            f"<link href=\"{i['shortlink']}\"/><updated>{i['updated_at']}</updated>"
            f"<summary>{'Resolved - ' if i['status'] == 'resolved' else ''}"
            f"{i['incident_updates'][-1]['body']}</summary></entry>"
            for i in self.incidents)
        return (f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
                f"<title>Status</title>{entries}</feed>").encode()


def _handler(page: StatusPage) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            with page.lock:
                page.requests += 1
            if page.down:
                self._send(503, {"Content-Type": "text/plain"}, b"down for maintenance")
                return
            if self.path in page.extra:
                status, headers, body = page.extra[self.path]
                self._send(status, headers, body)
                return
            with page.lock:
                if self.path == "/api/v2/incidents/unresolved.json":
                    body, kind = page.unresolved_json(), "application/json"
                elif self.path == "/feed.rss":
                    body, kind = page.rss(), "application/rss+xml"
                elif self.path == "/feed.atom":
                    body, kind = page.atom(), "application/atom+xml"
                else:
                    self._send(404, {"Content-Type": "text/plain"}, b"not found")
                    return
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            caching = {"ETag": etag}
            if page.max_age is not None:
                caching["Cache-Control"] = f"max-age={page.max_age}"
            if self.headers.get("If-None-Match") == etag:
                with page.lock:
                    page.not_modified += 1
                self._send(304, caching, b"")
                return
            self._send(200, {"Content-Type": kind, **caching}, body)

        def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body and self.command != "HEAD":
                self.wfile.write(body)

    return Handler


@contextmanager
def status_page() -> Iterator[StatusPage]:
    page = StatusPage()
    server = ThreadingHTTPServer((HOST, 0), _handler(page))
    server.daemon_threads = True
    page.url = f"http://{HOST}:{server.server_address[1]}"
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        yield page
    finally:
        server.shutdown()
        server.server_close()
