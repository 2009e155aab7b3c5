"""Loopback helpdesks for the example specs in docs/helpdesks.md, over real HTTP on 127.0.0.1.

``roundup``: modelled on Roundup's REST interface (https://www.roundup-tracker.org/docs/rest.html):
``/rest/data/<class>`` collections, ``{"data": {...}}`` answers, ``{"error": {"status", "msg"}}``
errors, a POST/PATCH/DELETE refused unless ``Origin`` is the tracker's origin and
``X-Requested-With: rest`` is sent, ``If-Match`` with the item's etag for PATCH and DELETE
(DELETE retires), ``@verbose=2`` naming linked items, Basic auth and a 429 after repeated
failed logins. ``listdesk``: a helpdesk whose API can only list tickets (django-helpdesk's
``/api/tickets/`` style). Neither is the real product: they check what the docs say.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from tests.security.loopback import Answer, Helpdesk, Request


def _json(status: int, obj: Any, **headers: str) -> Answer:
    return status, {"Content-Type": "application/json", **headers}, json.dumps(obj).encode()


def _err(status: int, msg: str) -> Answer:
    return _json(status, {"error": {"status": status, "msg": msg}})


def multipart_fields(req: Request) -> list[tuple[str, str | None, bytes]]:
    """(name, filename, bytes) of each part of a multipart/form-data body."""
    ctype = req.headers.get("content-type", "")
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + req.body)
    out = []
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        filename = part.get_param("filename", header="content-disposition")
        out.append((str(name), None if filename is None else str(filename),
                    part.get_payload(decode=True) or b""))
    return out


@dataclass
class Roundup:
    """State of the Roundup-like tracker; ``desk`` serves it under ``/support``."""

    password: str = "roundup-pw"
    refuse_suffixes: set[str] = field(default_factory=set)
    refuse_issue: str = ""  # a reason: issue creation answers 400 with it
    failed_logins: int = 0
    lock_after: int = 3
    items: dict[str, dict[str, dict[str, Any]]] = field(
        default_factory=lambda: {"file": {}, "msg": {}, "issue": {}})
    lock: threading.Lock = field(default_factory=threading.Lock)
    desk: Helpdesk = field(init=False)
    etags: int = 0

    def __post_init__(self) -> None:
        self.desk = Helpdesk(answer=self.answer)

    @property
    def url(self) -> str:
        return f"{self.desk.url}/support"

    def new(self, cls: str, attrs: dict[str, Any]) -> str:
        ident = str(len(self.items[cls]) + 1)
        self.etags += 1
        self.items[cls][ident] = {**attrs, "@etag": f'"{cls}{ident}-{self.etags}"',
                                  "retired": False}
        return ident

    def live(self, cls: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.items[cls].items() if not v["retired"]}

    def issue_files(self, ident: str) -> dict[str, bytes]:
        issue = self.items["issue"][ident]
        return {self.items["file"][f]["name"]: self.items["file"][f]["content"]
                for f in issue["files"]}

    def answer(self, req: Request) -> Answer:
        with self.lock:
            return self._answer(req)

    def _answer(self, req: Request) -> Answer:
        if self.failed_logins >= self.lock_after:
            return _err(429, "Too many failed login attempts; try again later")
        auth = req.headers.get("authorization", "")
        if auth != "Basic " + base64.b64encode(f"flare:{self.password}".encode()).decode():
            self.failed_logins += 1
            return _err(401, "Invalid login")
        prefix = "/support/rest/data/"
        if not req.path.startswith(prefix):
            return _err(404, "Not found")
        if req.method != "GET":
            if req.headers.get("origin") != self.desk.url:
                return _err(403, f"Invalid Origin {req.headers.get('origin')!r}")
            if req.headers.get("x-requested-with", "").lower() != "rest":
                return _err(400, "Required Header Missing")
        cls, _, ident = req.path[len(prefix):].partition("/")
        if cls not in self.items:
            return _err(404, f"Class {cls} not found")
        if not ident:
            return self._collection(req, cls)
        item = self.items[cls].get(ident)
        if item is None or item["retired"]:
            return _err(404, f"{cls}{ident} not found")
        if req.method == "GET":
            return _json(200, {"data": {"id": ident, "type": cls, "@etag": item["@etag"],
                                        "attributes": self._attributes(cls, item, req)}},
                         ETag=item["@etag"])
        if req.headers.get("if-match") != item["@etag"]:
            return _err(412, "If-Match is missing or does not match the current etag")
        if req.method == "DELETE":
            item["retired"] = True
            return _json(200, {"data": {"status": "ok"}})
        if req.method == "PATCH":
            body = json.loads(req.body)
            if body.get("@op") == "add":
                item["files"] = [*item["files"], *body.get("files", [])]
            self.etags += 1
            item["@etag"] = f'"{cls}{ident}-{self.etags}"'
            return _json(200, {"data": {"id": ident, "attribute": {}}})
        return _err(405, "Method not allowed")

    def _attributes(self, cls: str, item: dict[str, Any], req: Request) -> dict[str, Any]:
        verbose = req.query.get("@verbose") == ["2"]
        attrs = {k: v for k, v in item.items() if k not in ("content", "@etag", "retired")}
        if cls == "issue":
            attrs["files"] = [{"id": f, **({"name": self.items["file"][f]["name"]}
                                           if verbose else {})} for f in item["files"]]
            attrs["status"] = {"id": "1", **({"name": "unread"} if verbose else {})}
        return attrs

    def _collection(self, req: Request, cls: str) -> Answer:
        if req.method == "GET":
            title = (req.query.get("title") or [""])[0]
            found = [{"id": i} for i, v in self.live(cls).items()
                     if title.casefold() in str(v.get("title", "")).casefold()]
            return _json(200, {"data": {"collection": found, "@total_size": len(found)}})
        if req.method != "POST":
            return _err(405, "Method not allowed")
        if cls == "file":
            fields = {name: (filename, data) for name, filename, data in multipart_fields(req)}
            name = fields.get("name", (None, b""))[1].decode()
            suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
            if suffix in self.refuse_suffixes:
                return _err(400, f"Unsupported file type: {suffix}")
            ident = self.new("file", {"name": name, "type": fields["type"][1].decode(),
                                      "content": fields["content"][1]})
        elif cls == "msg":
            body = json.loads(req.body)
            ident = self.new("msg", {"content": body["content"], "files": body["files"]})
        else:
            if self.refuse_issue:
                return _err(400, self.refuse_issue)
            body = json.loads(req.body)
            ident = self.new("issue", {"title": body["title"], "messages": body["messages"],
                                       "files": body["files"], "priority": body["priority"]})
        return _json(201, {"data": {"id": ident,
                                    "link": f"{self.url}/rest/data/{cls}/{ident}"}})


@dataclass
class ListDesk:
    """A helpdesk whose API lists every ticket and cannot search."""

    password: str = "list-pw"
    tickets: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, dict[str, bytes]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    desk: Helpdesk = field(init=False)

    def __post_init__(self) -> None:
        self.desk = Helpdesk(answer=self.answer)

    def add(self, title: str, email: str, status: int) -> str:
        ident = str(len(self.tickets) + 1)
        self.tickets[ident] = {"id": int(ident), "title": title, "submitter_email": email,
                               "status": status, "queue": 1}
        return ident

    def answer(self, req: Request) -> Answer:
        auth = req.headers.get("authorization", "")
        if auth != "Basic " + base64.b64encode(f"flare:{self.password}".encode()).decode():
            return _json(401, {"detail": "Invalid username/password."})
        with self.lock:
            if req.path == "/api/tickets/" and req.method == "GET":
                return _json(200, list(self.tickets.values()))
            if req.path == "/api/tickets/" and req.method == "POST":
                fields = multipart_fields(req)
                values = {n: d.decode() for n, f, d in fields if f is None}
                ident = self.add(values["title"], values.get("submitter_email", ""), 1)
                self.files[ident] = {f: d for n, f, d in fields if f is not None}
                return _json(201, self.tickets[ident])
            parts = urllib.parse.unquote(req.path).strip("/").split("/")
            if len(parts) == 3 and parts[:2] == ["api", "tickets"] and parts[2] in self.tickets:
                return _json(200, self.tickets[parts[2]])
        return _json(404, {"detail": "Not found."})
