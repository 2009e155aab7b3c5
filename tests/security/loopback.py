"""A loopback HTTP helpdesk for hostile-input tests: records every request, answers by rule.

Binds 127.0.0.1 only. ``answer(req)`` returns (status, headers, body); the default files one
ticket per create and finds it again by the report marker in the subject, like RT/Redmine.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tests.netutil import HOST


@dataclass
class Request:
    method: str
    raw_path: str
    headers: dict[str, str]  # lower-cased names
    body: bytes

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.raw_path).path

    @property
    def query(self) -> dict[str, list[str]]:
        return urllib.parse.parse_qs(urllib.parse.urlsplit(self.raw_path).query)


Answer = tuple[int, dict[str, str], bytes]


@dataclass
class Helpdesk:
    """Tickets by id; ``create_delay_s`` keeps a create "in flight" before it is stored."""

    answer: Callable[[Request], Answer | None] | None = None
    create_delay_s: float = 0.0
    requests: list[Request] = field(default_factory=list)
    tickets: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def creates(self) -> list[Request]:
        return [r for r in self.requests if r.method == "POST" and r.path == "/tickets"]

    def handle(self, req: Request) -> Answer:
        with self.lock:
            self.requests.append(req)
        if self.answer is not None:
            custom = self.answer(req)
            if custom is not None:
                return custom
        if req.method == "GET" and req.path == "/tickets":
            marker = (req.query.get("marker") or [""])[0]
            with self.lock:
                found = [i for i, t in self.tickets.items() if marker and marker in t["subject"]]
            return _json(200, {"tickets": [{"id": i} for i in found]})
        if req.method == "POST" and req.path == "/tickets":
            data = json.loads(req.body or b"{}")
            time.sleep(self.create_delay_s)  # the helpdesk is still working on it
            with self.lock:
                ident = str(len(self.tickets) + 1)
                self.tickets[ident] = data
            return _json(201, {"id": ident})
        if req.method == "POST" and req.path.startswith("/tickets/"):
            return _json(201, {"ok": True})
        return _json(404, {"error": "nothing here"})


def _json(status: int, obj: Any) -> Answer:
    return status, {"Content-Type": "application/json"}, json.dumps(obj).encode()


@contextlib.contextmanager
def serve(desk: Helpdesk | None = None) -> Iterator[Helpdesk]:
    desk = desk or Helpdesk()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            req = Request(self.command, self.path,
                          {k.lower(): v for k, v in self.headers.items()}, body)
            status, headers, payload = desk.handle(req)
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            with contextlib.suppress(OSError):
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _any

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer((HOST, 0), Handler)
    server.daemon_threads = True
    desk.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield desk
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


# A small spec against Helpdesk: find_existing by marker, submit = create, then one upload per
# file (multipart). ``AUTH`` is replaced per test.
SPEC = """
flare_connector: 1
name: loopdesk
title: Loopdesk
params:
  url: {required: true, setting: destination.url}
secrets:
  token: {setting: destination.token}
http:
  base_url: "{{ params.url }}"
AUTH
operations:
  find_existing:
    steps:
      - name: search
        method: GET
        url: /tickets
        query: {marker: "{{ text.marker }}"}
        extract: {found: "tickets[0].id"}
    result:
      id: "{{ vars.found }}"
  submit:
    steps:
      - name: create
        method: POST
        url: /tickets
        expect: [201]
        body:
          json: {subject: "{{ text.subject }}", body: "{{ text.body }}"}
        extract: {id: id}
      - name: upload
        for_each: file in files
        method: POST
        url: "/tickets/{{ vars.id }}/files"
        expect: [201]
        body:
          multipart:
            - {name: file, file: "{{ file }}"}
    result:
      id: "{{ vars.id }}"
"""

HEADER_AUTH = """auth:
  type: header
  name: X-Api-Key
  value: "{{ secret.token }}"
"""


def spec_text(auth: str = HEADER_AUTH) -> str:
    return SPEC.replace("AUTH", auth)
