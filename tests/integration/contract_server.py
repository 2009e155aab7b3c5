"""A loopback HTTP server that plays a helpdesk vendor's documented API, strictly.

Each vendor fake checks every request against what the vendor documents (method, path, auth
header shape, content type, required body fields, multipart part names, upload-then-reference
order) and answers in the vendor's shape. A request that breaks the contract is answered with
400 and recorded in ``violations``; tests assert that list is empty, so a spec that drifts from
the documented API fails its contract test even when the vendor's answer would have been lenient.

Documentation each check follows is named next to it; the tests cite the same pages.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import http.server
import itertools
import json
import re
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from app.helpdesk.delivery_bundle import DeliveryBundle, open_delivery_bundle, refer_to_attached
from app.helpdesk.protocol import Connector
from app.helpdesk.registry import DestinationConfig, make_connector
from app.helpdesk.secrets import SecretResolver
from tests.factories import sample_bundle

# --------------------------------------------------------------------------- requests/replies


@dataclass(frozen=True)
class Part:
    name: str
    filename: str | None
    content_type: str
    data: bytes

    def text(self) -> str:
        return self.data.decode("utf-8")


@dataclass
class Received:
    method: str
    raw_path: str  # as sent, still percent-encoded
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes

    @property
    def path(self) -> str:
        return urllib.parse.unquote(self.raw_path)

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    def q(self, name: str) -> str:
        return (self.query.get(name) or [""])[0]

    def content_type(self) -> str:
        return self.header("content-type").split(";", 1)[0].strip().lower()

    def json(self) -> Any:
        if self.content_type() != "application/json":
            raise Violation(f"expected Content-Type application/json, got "
                            f"{self.header('content-type')!r}")
        try:
            return json.loads(self.body.decode("utf-8"))
        except ValueError as exc:
            raise Violation(f"the body is not valid JSON: {exc}") from None

    def parts(self) -> list[Part]:
        ctype = self.header("content-type")
        if not ctype.lower().startswith("multipart/form-data") or "boundary=" not in ctype:
            raise Violation(f"expected multipart/form-data with a boundary, got {ctype!r}")
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + self.body)
        if not msg.is_multipart():
            raise Violation("the multipart body cannot be parsed")
        out = []
        for p in msg.iter_parts():
            disp = p.get("content-disposition", "")
            if not str(disp).startswith("form-data"):
                raise Violation(f"a part has Content-Disposition {disp!r}, not form-data")
            name = p.get_param("name", header="content-disposition")
            data = p.get_payload(decode=True)
            out.append(Part(str(name), p.get_filename(), p.get_content_type(),
                            data if isinstance(data, bytes) else b""))
        return out

    def basic_auth(self) -> tuple[str, str] | None:
        value = self.header("authorization")
        if not value.startswith("Basic "):
            return None
        user, _, pw = base64.b64decode(value[6:]).decode("utf-8").partition(":")
        return user, pw


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # JSON-serialisable, or bytes/str sent as they are
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"

    def encoded(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body).encode("utf-8")


class Violation(Exception):
    """A request that breaks the vendor's documented contract."""


class Refuse(Exception):
    """The vendor's own error answer (bad credentials, unknown record): not a violation."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.status)
        self.reply = reply


def need(condition: object, message: str) -> None:
    if not condition:
        raise Violation(message)


Handler = Callable[[Received, "re.Match[str]"], Reply]


class VendorFake:
    """Routes are (method, regex over the raw path, handler); first match wins."""

    routes: ClassVar[tuple[tuple[str, str, str], ...]] = ()  # (method, pattern, handler)

    def __init__(self) -> None:
        self.ids = itertools.count(1001)

    def authenticate(self, req: Received) -> None:
        """Raise Refuse for bad credentials, Violation for a malformed auth header."""

    def dispatch(self, req: Received) -> Reply:
        for method, pattern, name in self.routes:
            m = re.fullmatch(pattern, req.raw_path)
            if m and method == req.method:
                self.authenticate(req)
                handler: Handler = getattr(self, name)
                return handler(req, m)
        raise Violation(f"{req.method} {req.raw_path} is not an endpoint of this API")


# --------------------------------------------------------------------------- the server


class ContractServer:
    def __init__(self, fake: VendorFake) -> None:
        self.fake = fake
        self.received: list[Received] = []
        self.violations: list[str] = []
        self._faults: list[tuple[str, str, Reply, bool]] = []
        self._lock = threading.Lock()
        server = self

        class _H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                raw_path, _, qs = self.path.partition("?")
                req = Received(self.command, raw_path,
                               urllib.parse.parse_qs(qs, keep_blank_values=True),
                               {k.lower(): v for k, v in self.headers.items()}, body)
                reply = server._answer(req)
                data = reply.encoded()
                self.send_response(reply.status)
                if data or reply.status not in (204, 304):
                    self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(data)))
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _H)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def fail_next(self, method: str, path_pattern: str, reply: Reply, *,
                  after_processing: bool = False) -> None:
        """Answer the next matching request with ``reply`` instead of the fake's answer;
        ``after_processing``: the fake still acts on it (the answer is lost, not the request)."""
        self._faults.append((method, path_pattern, reply, after_processing))

    def requests_to(self, method: str, path_pattern: str) -> list[Received]:
        return [r for r in self.received
                if r.method == method and re.fullmatch(path_pattern, r.raw_path)]

    def _answer(self, req: Received) -> Reply:
        with self._lock:
            self.received.append(req)
            fault: Reply | None = None
            for i, (method, pattern, reply, after) in enumerate(self._faults):
                if method == req.method and re.fullmatch(pattern, req.raw_path):
                    del self._faults[i]
                    if not after:
                        return reply
                    fault = reply
                    break
            try:
                answer = self.fake.dispatch(req)
            except Refuse as exc:
                answer = exc.reply
            except Violation as exc:
                self.violations.append(f"{req.method} {req.raw_path}: {exc}")
                answer = Reply(400, {"contract_violation": str(exc)})
            except Exception as exc:  # a bug in the fake must fail the test, not hang it
                self.violations.append(f"{req.method} {req.raw_path}: the fake failed: "
                                       f"{type(exc).__name__}: {exc}")
                answer = Reply(500, {"fake_error": repr(exc)})
            return fault or answer

    def __enter__(self) -> ContractServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


@contextmanager
def serve(fake: VendorFake) -> Iterator[ContractServer]:
    with ContractServer(fake) as server:
        yield server


# --------------------------------------------------------------------------- test helpers

TOKEN_ENV = "FLARE_CONTRACT_TOKEN"


def contract_connector(name: str, server: ContractServer, token: str,
                       **config: Any) -> Connector:
    """The connector the application would build: registry -> built-in spec -> engine."""
    resolver = SecretResolver(environ={TOKEN_ENV: token})
    return make_connector(DestinationConfig(type=name, url=server.url,
                                            token=f"env:{TOKEN_ENV}", **config), resolver)


def spec_copy_connector(name: str, server: ContractServer, token: str, folder: Path,
                        params: dict[str, str], **config: Any) -> Connector:
    """As an administrator would: a copy of the built-in spec with some params' defaults
    changed, used through destination.type spec."""
    from importlib import resources

    import yaml

    data = yaml.safe_load(resources.files("resources").joinpath(
        f"connectors/{name}.yaml").read_text("utf-8"))
    for key, value in params.items():
        data["params"][key]["default"] = value
    path = folder / f"{name}-copy.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    resolver = SecretResolver(environ={TOKEN_ENV: token})
    return make_connector(DestinationConfig(type="spec", spec=path, url=server.url,
                                            token=f"env:{TOKEN_ENV}", **config), resolver)


def sent_files(bundle: DeliveryBundle) -> dict[str, bytes]:
    """Every file of the bundle as the connector must deliver it, by name: report.html
    naming the screenshots attached beside it (each screenshot is sent once)."""
    return {f.name: f.read_bytes() for f in refer_to_attached(bundle).files}


def open_sample(tmp_path: Path, **kwargs: Any) -> DeliveryBundle:
    return open_delivery_bundle(sample_bundle(tmp_path / "bundle", **kwargs))


def _now() -> str:
    return "2026-11-25T09:40:00Z"


class SimulatedCrash(BaseException):
    """Stands for kill -9: not an Exception, so nothing in Flare catches it."""


def deliver_across_a_crash(tmp_path: Path, connector: Connector,
                           crash_after: Callable[[dict[str, Any]], bool],
                           ) -> tuple[str, str, DeliveryBundle]:
    """Queue a sample bundle, send it through the real outbox and Deliverer, and "crash" right
    after the checkpoint for which ``crash_after(progress)`` is true; then, as the next run
    would after the lease expired, send again. Returns the item's state and ticket id, and
    the bundle that was queued."""
    from datetime import UTC, datetime, timedelta

    from app.helpdesk.delivery import Deliverer
    from app.helpdesk.outbox import Outbox

    now = [datetime(2026, 11, 25, 10, 0, tzinfo=UTC)]
    path = sample_bundle(tmp_path / "bundle")
    report = open_delivery_bundle(path).report
    with Outbox(tmp_path / "state", lambda: now[0]) as box:
        item = box.enqueue(path, "desk", report_id=str(report.id), title=report.title)
        save = box.save_progress

        def save_then_maybe_crash(item_id: int, owner: str, progress: str,
                                  lease_s: float = 600.0) -> None:
            save(item_id, owner, progress, lease_s)
            if crash_after(json.loads(progress)):
                raise SimulatedCrash()

        box.save_progress = save_then_maybe_crash  # type: ignore[method-assign]
        try:
            Deliverer(box, lambda _d: connector).run_due()
        except SimulatedCrash:
            pass
        else:
            raise AssertionError("the crash point was never reached")
        box.save_progress = save  # type: ignore[method-assign]
        assert box.get(item.id).state == "sending"  # as a killed process leaves it
        now[0] += timedelta(minutes=11)  # the lease runs out
        Deliverer(box, lambda _d: connector).run_due()
        done = box.get(item.id)
        return done.state, done.ticket.id if done.ticket else "", open_delivery_bundle(path)


# --------------------------------------------------------------------------- Zendesk


class ZendeskFake(VendorFake):
    """Requests API + Uploads API.

    - auth: https://developer.zendesk.com/api-reference/ticketing/tickets/ticket-requests/
      ("API token": ``{enduser_email_address}/token:{api_token}``, basic auth)
    - format: https://developer.zendesk.com/api-reference/introduction/requests
      (Content-Type application/json on POST; Accept application/json)
    - uploads: https://developer.zendesk.com/api-reference/ticketing/tickets/ticket-attachments/
      (``POST /api/v2/uploads?filename=``, binary body, answers ``upload.token``)
    - idempotency: https://developer.zendesk.com/api-reference/ticketing/introduction/
      (``Idempotency-Key``; a replay answers the first result with x-idempotency-lookup: hit)
    - anonymous: https://developer.zendesk.com/api-reference/ticketing/tickets/ticket-requests/
      ("Anonymous requests": no authentication; the create call must carry
      ``request.requester`` with ``name`` and ``email``; only ticket creation is anonymous).
      ``anonymous=True`` plays an account that allows anyone to submit tickets; uploads are
      then accepted without auth as the Help Center's anonymous form does (an assumption:
      the Uploads API page does not say).
    """

    routes = (
        ("POST", r"/api/v2/uploads(\.json)?", "upload"),
        ("GET", r"/api/v2/requests/search(\.json)?", "search"),
        ("POST", r"/api/v2/requests(\.json)?", "create"),
        ("GET", r"/api/v2/requests/(\d+)(\.json)?", "show"),
    )

    def __init__(self, email: str, token: str, *, anonymous: bool = False) -> None:
        super().__init__()
        self.email, self.token, self.anonymous = email, token, anonymous
        self.anonymous_calls: list[str] = []
        self.uploads: dict[str, tuple[str, str, bytes]] = {}
        self.requests: dict[int, dict[str, Any]] = {}
        self.idempotency: dict[str, tuple[bytes, Reply]] = {}

    def authenticate(self, req: Received) -> None:
        need("application/json" in req.header("accept"), "Accept: application/json is required")
        creds = req.basic_auth()
        if creds is None and not req.header("authorization"):
            anonymous_route = req.method == "POST" and re.fullmatch(
                r"/api/v2/(requests|uploads)(\.json)?", req.raw_path)
            if self.anonymous and anonymous_route:
                self.anonymous_calls.append(req.raw_path)
                return
            raise Refuse(Reply(401, {"error": "Couldn't authenticate you"}))
        need(creds is not None, "the Requests API needs basic auth {email}/token:{api_token}")
        assert creds is not None
        need(creds[0].endswith("/token"), f"user {creds[0]!r} must be '{{email}}/token'")
        if creds != (f"{self.email}/token", self.token):
            raise Refuse(Reply(401, {"error": "Couldn't authenticate you"}))

    def upload(self, req: Received, m: re.Match[str]) -> Reply:
        name = req.q("filename")
        need(name, "uploads need ?filename=")
        need(req.body, "the upload body (the file's bytes) is empty")
        need(req.header("content-type"), "uploads need the file's Content-Type")
        token = f"tok{next(self.ids)}"
        self.uploads[token] = (name, req.header("content-type"), req.body)
        return Reply(201, {"upload": {"token": token, "attachment": {
            "file_name": name, "content_type": req.header("content-type"),
            "size": len(req.body)}}})

    def create(self, req: Received, m: re.Match[str]) -> Reply:
        key = req.header("idempotency-key")
        if key and key in self.idempotency:
            body, first = self.idempotency[key]
            if body != req.body:
                return Reply(400, {"error": "IdempotentRequestError",
                                   "description": "Request parameters do not match the "
                                                  "original request for this key"})
            return Reply(first.status, first.body, {"x-idempotency-lookup": "hit"})
        data = req.json()
        r = data.get("request") if isinstance(data, dict) else None
        need(isinstance(r, dict), "the body must be {\"request\": {...}}")
        assert isinstance(r, dict)
        need(isinstance(r.get("subject"), str) and r["subject"], "request.subject is required")
        comment = r.get("comment")
        need(isinstance(comment, dict) and comment.get("body"), "request.comment.body is required")
        assert isinstance(comment, dict)
        anonymous = not req.header("authorization")
        requester = r.get("requester")
        if anonymous:
            need(isinstance(requester, dict) and requester.get("name")
                 and "@" in str(requester.get("email", "")),
                 "an anonymous request needs request.requester with name and email")
        else:
            need(requester is None, "an authenticated end user files as themselves; "
                                    "request.requester is for anonymous requests")
        if "priority" in r:
            need(r["priority"] in ("low", "normal", "high", "urgent"),
                 f"priority {r['priority']!r} is not low/normal/high/urgent")
        for token in comment.get("uploads") or []:
            need(token in self.uploads, f"upload token {token!r} was never issued (upload "
                                        "first, then reference)")
        rid = next(self.ids)
        record = {"id": rid, "url": f"/api/v2/requests/{rid}.json", "subject": r["subject"],
                  "description": comment["body"], "status": "new",
                  "priority": r.get("priority"), "custom_fields": r.get("custom_fields", []),
                  "uploads": list(comment.get("uploads") or []),
                  "requester": requester, "created_at": _now(), "updated_at": _now()}
        self.requests[rid] = record
        reply = Reply(201, {"request": {k: v for k, v in record.items() if k != "uploads"}},
                      {"x-idempotency-lookup": "miss"} if key else {})
        if key:
            self.idempotency[key] = (req.body, reply)
        return reply

    def show(self, req: Received, m: re.Match[str]) -> Reply:
        record = self.requests.get(int(m.group(1)))
        if record is None:
            raise Refuse(Reply(404, {"error": "RecordNotFound", "description": "Not found"}))
        return Reply(200, {"request": {k: v for k, v in record.items() if k != "uploads"}})

    def search(self, req: Received, m: re.Match[str]) -> Reply:
        query = req.q("query").strip('"')
        need(query, "search needs ?query=")
        found = [r for r in self.requests.values() if query in r["subject"]]
        return Reply(200, {"requests": found, "count": len(found)})

    def files_of(self, rid: int) -> dict[str, bytes]:
        return {self.uploads[t][0]: self.uploads[t][2] for t in self.requests[rid]["uploads"]}


# --------------------------------------------------------------------------- GitLab


class GitLabFake(VendorFake):
    """REST API v4.

    - auth: https://docs.gitlab.com/api/rest/authentication/ (``PRIVATE-TOKEN`` header)
    - project id: https://docs.gitlab.com/api/rest/#namespaced-paths (a path is URL-encoded,
      ``group%2Fproject``)
    - uploads: https://docs.gitlab.com/api/project_markdown_uploads/ (``POST
      /projects/:id/uploads``, multipart field ``file``; answers ``markdown``)
    - issues: https://docs.gitlab.com/api/issues/ ("New issue": ``title`` required,
      ``description``, ``labels`` comma-separated, ``confidential``; "Single project issue")
    """

    routes = (
        ("POST", r"/api/v4/projects/([^/]+)/uploads", "upload"),
        ("POST", r"/api/v4/projects/([^/]+)/issues", "create"),
        ("GET", r"/api/v4/projects/([^/]+)/issues", "search"),
        ("GET", r"/api/v4/projects/([^/]+)/issues/(\d+)", "show"),
    )

    def __init__(self, project: str, token: str) -> None:
        super().__init__()
        self.project, self.token = project, token
        self.uploads: dict[str, tuple[str, bytes]] = {}  # url -> (filename, data)
        self.issues: dict[int, dict[str, Any]] = {}

    def authenticate(self, req: Received) -> None:
        need(req.header("private-token") or req.header("authorization").startswith("Bearer "),
             "GitLab needs PRIVATE-TOKEN or Authorization: Bearer")
        if req.header("private-token") != self.token:
            raise Refuse(Reply(401, {"message": "401 Unauthorized"}))

    def _project(self, m: re.Match[str]) -> None:
        raw = m.group(1)
        need("/" not in raw, "a project path must be URL-encoded")
        if urllib.parse.unquote(raw) != self.project:
            raise Refuse(Reply(404, {"message": "404 Project Not Found"}))

    def upload(self, req: Received, m: re.Match[str]) -> Reply:
        self._project(m)
        parts = req.parts()
        need([p.name for p in parts] == ["file"], f"uploads take one part 'file', got "
                                                 f"{[p.name for p in parts]}")
        part = parts[0]
        need(part.filename, "the file part needs a filename")
        secret = f"{next(self.ids):032x}"
        url = f"/uploads/{secret}/{part.filename}"
        self.uploads[url] = (str(part.filename), part.data)
        image = part.content_type.startswith("image/")
        md = f"{'!' if image else ''}[{part.filename}]({url})"
        return Reply(201, {"id": next(self.ids), "alt": part.filename, "url": url,
                           "full_path": f"/-/project/1/uploads/{secret}/{part.filename}",
                           "markdown": md})

    def create(self, req: Received, m: re.Match[str]) -> Reply:
        self._project(m)
        data = req.json()
        need(isinstance(data, dict) and data.get("title"), "title is required")
        description = str(data.get("description") or "")
        for url in re.findall(r"\((/uploads/[^)]+)\)", description):
            need(url in self.uploads, f"{url} was never uploaded (upload first, then reference)")
        labels = data.get("labels", "")
        need(isinstance(labels, str), "labels is a comma-separated string")
        if "confidential" in data:
            need(isinstance(data["confidential"], bool), "confidential is a boolean")
        iid = len(self.issues) + 1
        issue = {"id": next(self.ids), "iid": iid, "project_id": 1, "title": data["title"],
                 "description": description, "state": "opened",
                 "labels": [x for x in labels.split(",") if x],
                 "confidential": bool(data.get("confidential", False)),
                 "created_at": _now(), "updated_at": _now(),
                 "web_url": f"http://gitlab.test/{self.project}/-/issues/{iid}"}
        self.issues[iid] = issue
        return Reply(201, issue)

    def show(self, req: Received, m: re.Match[str]) -> Reply:
        self._project(m)
        issue = self.issues.get(int(m.group(2)))
        if issue is None:
            raise Refuse(Reply(404, {"message": "404 Not found"}))
        return Reply(200, issue)

    def search(self, req: Received, m: re.Match[str]) -> Reply:
        self._project(m)
        need(req.q("in") in ("", "title", "description", "title,description"),
             "in= takes title and/or description")
        term = req.q("search")
        return Reply(200, [i for i in self.issues.values() if term in i["title"]])

    def files_of(self, iid: int) -> dict[str, bytes]:
        urls = re.findall(r"\((/uploads/[^)]+)\)", self.issues[iid]["description"])
        return {self.uploads[u][0]: self.uploads[u][1] for u in urls}


# --------------------------------------------------------------------------- ServiceNow


class ServiceNowFake(VendorFake):
    """Table API + Attachment API.

    - https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html
      ("POST /now/table/{tableName}", "GET /now/table/{tableName}/{sys_id}",
      ``sysparm_query``/``sysparm_fields``/``sysparm_limit``; answers ``{"result": ...}``;
      errors ``{"error": {"message", "detail"}, "status": "failure"}``)
    - https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_AttachmentAPI.html
      ("POST /now/attachment/file": ``table_name``, ``table_sys_id``, ``file_name`` in the
      query, the file as the body with its Content-Type)
    """

    routes = (
        ("GET", r"/api/now/table/sys_user", "users"),
        ("POST", r"/api/now/table/incident", "create"),
        ("GET", r"/api/now/table/incident", "query"),
        ("GET", r"/api/now/table/incident/([0-9a-f]{32})", "show"),
        ("POST", r"/api/now/attachment/file", "attach"),
        ("GET", r"/api/now/attachment", "attachments_of"),
    )

    def __init__(self, user: str, password: str, people: dict[str, str]) -> None:
        super().__init__()
        self.user, self.password = user, password
        self.people = people  # e-mail -> sys_id
        self.incidents: dict[str, dict[str, Any]] = {}
        self.attachments: dict[str, list[tuple[str, str, bytes]]] = {}

    def authenticate(self, req: Received) -> None:
        need("application/json" in req.header("accept"), "Accept: application/json expected")
        if req.basic_auth() != (self.user, self.password):
            raise Refuse(Reply(401, {"error": {"message": "User Not Authenticated",
                                               "detail": "Required to provide Auth information"},
                                     "status": "failure"}))

    def users(self, req: Received, m: re.Match[str]) -> Reply:
        q = req.q("sysparm_query")
        need(q.startswith("email="), f"unexpected sys_user query {q!r}")
        sys_id = self.people.get(q[len("email="):])
        return Reply(200, {"result": [{"sys_id": sys_id}] if sys_id else []})

    def create(self, req: Received, m: re.Match[str]) -> Reply:
        data = req.json()
        need(isinstance(data, dict) and data.get("short_description"),
             "short_description is required")
        for k in ("impact", "urgency"):
            need(str(data.get(k, "3")) in ("1", "2", "3"), f"{k} must be 1, 2 or 3")
        if data.get("caller_id"):
            need(data["caller_id"] in self.people.values(), "caller_id is not a sys_user sys_id")
        sys_id = f"{next(self.ids):032x}"
        record = {**{k: str(v) for k, v in data.items()}, "sys_id": sys_id,
                  "number": f"INC00{len(self.incidents) + 10001}", "state": "1",
                  "opened_at": "2026-11-25 07:40:00", "sys_updated_on": "2026-11-25 07:40:00"}
        self.incidents[sys_id] = record
        self.attachments[sys_id] = []
        return Reply(201, {"result": record})

    # Fields an encoded query may test here; ``active`` is derived from ``state`` as on the
    # platform (New, In Progress, On Hold are active).
    QUERYABLE = frozenset({"correlation_id", "active", "priority", "major_incident_state"})

    def query(self, req: Received, m: re.Match[str]) -> Reply:
        """Encoded query: ``field=value`` terms joined by ``^`` (AND), ``ORDERBYfield`` /
        ``ORDERBYDESCfield`` ("Encoded query strings" in the Table API docs)."""
        q = req.q("sysparm_query")
        terms: dict[str, str] = {}
        order: tuple[str, bool] | None = None
        for term in q.split("^"):
            if term.startswith("ORDERBYDESC"):
                order = (term[len("ORDERBYDESC"):], True)
            elif term.startswith("ORDERBY"):
                order = (term[len("ORDERBY"):], False)
            else:
                field_name, eq, value = term.partition("=")
                need(eq and field_name in self.QUERYABLE and value,
                     f"unexpected incident query term {term!r} in {q!r}")
                terms[field_name] = value

        def value_of(r: dict[str, Any], f: str) -> str:
            if f == "active":
                return "true" if r.get("state") in ("1", "2", "3") else "false"
            return str(r.get(f, ""))

        found = [r for r in self.incidents.values()
                 if all(value_of(r, f) == v for f, v in terms.items())]
        if order:
            found.sort(key=lambda r: str(r.get(order[0], "")), reverse=order[1])
        limit = int(req.q("sysparm_limit") or 10000)
        fields = [f for f in req.q("sysparm_fields").split(",") if f]
        return Reply(200, {"result": [{k: r.get(k, "") for k in fields} if fields else r
                                      for r in found[:limit]]})

    def add_incident(self, **fields: str) -> str:
        """An incident support filed in ServiceNow itself (not through Flare)."""
        sys_id = f"{next(self.ids):032x}"
        self.incidents[sys_id] = {"sys_id": sys_id, "number": f"INC00{next(self.ids)}",
                                  "state": "2", "priority": "4", "opened_at":
                                  "2026-11-25 07:00:00", "sys_updated_on":
                                  "2026-11-25 07:00:00", **fields}
        self.attachments[sys_id] = []
        return sys_id

    def show(self, req: Received, m: re.Match[str]) -> Reply:
        record = self.incidents.get(m.group(1))
        if record is None:
            raise Refuse(Reply(404, {"error": {"message": "No Record found", "detail":
                                               "Record doesn't exist or ACL restricts the "
                                               "record retrieval"}, "status": "failure"}))
        fields = [f for f in req.q("sysparm_fields").split(",") if f]
        return Reply(200, {"result": {k: record[k] for k in fields} if fields else record})

    def attach(self, req: Received, m: re.Match[str]) -> Reply:
        need(req.q("table_name") == "incident", "table_name=incident expected")
        sys_id, name = req.q("table_sys_id"), req.q("file_name")
        need(name, "file_name is required")
        need(req.header("content-type"), "the file's Content-Type is required")
        need(sys_id in self.incidents, "table_sys_id names no incident (create first, then "
                                       "attach)")
        self.attachments[sys_id].append((name, req.header("content-type"), req.body))
        return Reply(201, {"result": {"sys_id": f"{next(self.ids):032x}", "file_name": name,
                                      "table_name": "incident", "table_sys_id": sys_id,
                                      "size_bytes": str(len(req.body))}})

    def attachments_of(self, req: Received, m: re.Match[str]) -> Reply:
        """"GET /now/attachment": metadata of attachments matching ``sysparm_query``."""
        terms = dict(t.partition("=")[::2] for t in req.q("sysparm_query").split("^") if t)
        need(set(terms) <= {"table_name", "table_sys_id"} and terms.get("table_sys_id"),
             f"unexpected attachment query {req.q('sysparm_query')!r}")
        sys_id = terms["table_sys_id"]
        rows = [{"file_name": n, "content_type": t, "size_bytes": str(len(d)),
                 "table_name": "incident", "table_sys_id": sys_id}
                for n, t, d in self.attachments.get(sys_id, [])]
        fields = [f for f in req.q("sysparm_fields").split(",") if f]
        return Reply(200, {"result": [{k: r[k] for k in fields} if fields else r
                                      for r in rows]})

    def files_of(self, sys_id: str) -> dict[str, bytes]:
        return {n: d for n, _, d in self.attachments[sys_id]}

    def attach_counts(self, sys_id: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for n, _, _ in self.attachments[sys_id]:
            counts[n] = counts.get(n, 0) + 1
        return counts


# --- Freshdesk / Freshservice


class FreshFake(VendorFake):
    """Freshdesk API v2 (``wrapped=False``) and Freshservice API v2 (``wrapped=True``: answers
    are ``{"ticket": {...}}``).

    - Freshdesk: https://developers.freshdesk.com/api/#authentication (basic, API key as user
      name, any password), #create_ticket_with_attachment (multipart/form-data,
      ``attachments[]``, array fields as ``tags[]``), #filter_tickets (``query="tag:'x'"``,
      double quotes included), #error (``{"description", "errors": [{"field", "message",
      "code"}]}``), #ratelimit (429 with Retry-After).
    - Freshservice: https://api.freshservice.com/#authentication,
      #create_ticket_with_attachment, #view_a_ticket.
    """

    routes = (
        ("POST", r"/api/v2/tickets", "create"),
        ("GET", r"/api/v2/search/tickets", "search"),
        ("GET", r"/api/v2/tickets/filter", "filter"),
        ("GET", r"/api/v2/tickets/(\d+)", "show"),
    )

    def __init__(self, api_key: str, *, wrapped: bool) -> None:
        super().__init__()
        self.api_key, self.wrapped = api_key, wrapped
        self.tickets: dict[int, dict[str, Any]] = {}
        self.files: dict[int, list[Part]] = {}

    def authenticate(self, req: Received) -> None:
        creds = req.basic_auth()
        need(creds is not None, "basic auth with the API key as user name is required")
        if creds is None or creds[0] != self.api_key:
            raise Refuse(Reply(401, {"code": "invalid_credentials",
                                     "message": "You have to be logged in to perform this "
                                                "action."}))

    def _out(self, ticket: dict[str, Any]) -> dict[str, Any]:
        return {"ticket": ticket} if self.wrapped else ticket

    def create(self, req: Received, m: re.Match[str]) -> Reply:
        parts = req.parts()
        fields: dict[str, list[str]] = {}
        for p in parts:
            if p.filename is None:
                fields.setdefault(p.name, []).append(p.text())
        files = [p for p in parts if p.filename is not None]
        need(all(p.name == "attachments[]" for p in files),
             f"files go in attachments[], got {sorted({p.name for p in files})}")
        for key in ("email", "subject", "description", "priority", "status"):
            need(fields.get(key, [""])[0], f"{key} is required")
        for key in fields:
            need(not key.endswith("]") or key.endswith("[]"), f"array field {key!r} must end "
                                                              "with []")
            need(key.endswith("[]") or len(fields[key]) == 1, f"{key} given twice")
        need(fields["priority"][0] in ("1", "2", "3", "4"), "priority must be 1-4")
        need(fields["status"][0] in ("2", "3", "4", "5"), "status must be 2-5")
        if "group_id" in fields:
            need(fields["group_id"][0].isdigit(), "group_id must be a number")
        for tag in fields.get("tags[]", []):
            need(tag.strip(), "a tag must not be empty")
        tid = next(self.ids)
        ticket: dict[str, Any] = {
            "id": tid, "subject": fields["subject"][0],
            "description": fields["description"][0], "email": fields["email"][0],
            "priority": int(fields["priority"][0]), "status": int(fields["status"][0]),
            "tags": fields.get("tags[]", []), "created_at": _now(), "updated_at": _now(),
            **{k: v[0] for k, v in fields.items() if not k.endswith("[]") and k not in (
                "priority", "status")},
            "attachments": [{"name": p.filename, "content_type": p.content_type,
                             "size": len(p.data)} for p in files]}
        self.tickets[tid] = ticket
        self.files[tid] = files
        return Reply(201, self._out(ticket))

    def show(self, req: Received, m: re.Match[str]) -> Reply:
        ticket = self.tickets.get(int(m.group(1)))
        if ticket is None:
            raise Refuse(Reply(404, {"code": "access_denied", "message": "not found"}))
        return Reply(200, self._out(ticket))

    def search(self, req: Received, m: re.Match[str]) -> Reply:
        need(not self.wrapped, "Freshservice has no /api/v2/search/tickets")
        query = req.q("query")
        found = re.fullmatch(r"\"tag:'([^']+)'\"", query)
        need(found, f"query must read \"tag:'...'\" with the double quotes, got {query!r}")
        assert found is not None
        hits = [t for t in self.tickets.values() if found.group(1) in t["tags"]]
        return Reply(200, {"results": hits, "total": len(hits)})

    def filter(self, req: Received, m: re.Match[str]) -> Reply:
        """Freshservice "Filter Tickets": ``query="field:value AND ..."`` with the double
        quotes; numbers bare, strings in single quotes; ``{"tickets": [...]}``, newest
        first, 30 a page (https://api.freshservice.com/#filter_tickets)."""
        need(self.wrapped, "Freshdesk filters at /api/v2/search/tickets")
        query = req.q("query")
        need(len(query) > 2 and query[0] == query[-1] == '"',
             f"query must be in double quotes, got {query!r}")
        hits = list(self.tickets.values())
        for term in query[1:-1].split(" AND "):
            t = re.fullmatch(r"(\w+):(?:(\d+)|'([^']*)')", term.strip())
            need(t is not None, f"not a filter term: {term!r} in {query!r}")
            assert t is not None
            name, value = t.group(1), t.group(2) or t.group(3)
            need(name in ("status", "priority", "group_id", "agent_id", "requester_id",
                          "impact", "urgency", "tag"), f"{name} is not a filter field")
            hits = [x for x in hits if (value in x.get("tags", []) if name == "tag"
                                        else str(x.get(name, "")) == value)]
        hits.sort(key=lambda x: str(x["created_at"]), reverse=True)
        return Reply(200, {"tickets": hits[:30], "total": len(hits)})

    def add_ticket(self, subject: str, **fields: Any) -> int:
        """A ticket support filed in Freshservice itself."""
        tid = next(self.ids)
        self.tickets[tid] = {"id": tid, "subject": subject, "status": 2, "priority": 1,
                             "tags": [], "created_at": _now(), "updated_at": _now(), **fields}
        self.files[tid] = []
        return tid

    def files_of(self, tid: int) -> dict[str, bytes]:
        return {str(p.filename): p.data for p in self.files[tid]}


# --- Jira Service Management


class JiraSmFake(VendorFake):
    """servicedeskapi.

    - auth: https://developer.atlassian.com/cloud/jira/service-desk/basic-auth-for-rest-apis/
      (basic, account e-mail + API token)
    - https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/
      ("Create customer request": ``serviceDeskId``, ``requestTypeId``,
      ``requestFieldValues``, ``raiseOnBehalfOf``; "Get customer requests": ``searchTerm``;
      "Get customer request by id or key": ``currentStatus``; "Create attachment":
      ``temporaryAttachmentIds``, ``public``)
    - https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-servicedesk/
      ("Attach temporary file": multipart ``file``, headers ``X-Atlassian-Token: no-check``
      and ``X-ExperimentalApi: opt-in``)
    """

    routes = (
        ("POST", r"/rest/servicedeskapi/request", "create"),
        ("GET", r"/rest/servicedeskapi/request", "search"),
        ("POST", r"/rest/servicedeskapi/servicedesk/(\w+)/attachTemporaryFile", "temporary"),
        ("POST", r"/rest/servicedeskapi/request/([A-Z]+-\d+)/attachment", "attach"),
        ("GET", r"/rest/servicedeskapi/request/([A-Z]+-\d+)/attachment", "attachments_of"),
        ("GET", r"/rest/servicedeskapi/request/([A-Z]+-\d+)", "show"),
        ("GET", r"/rest/api/2/search/jql", "jql_search"),
        ("GET", r"/rest/api/2/search", "jql_search_old"),
    )

    def __init__(self, user: str, token: str, desk: str, request_type: str,
                 data_center: bool = False) -> None:
        super().__init__()
        self.user, self.token, self.desk, self.request_type = user, token, desk, request_type
        # Cloud answers /rest/api/2/search with 410 Gone since CHANGE-2046; Data Center has
        # no /search/jql.
        self.data_center = data_center
        self.issues: dict[str, dict[str, Any]] = {}  # key -> the issue as JQL sees it
        self.requests: dict[str, dict[str, Any]] = {}
        self.temp_files: dict[str, Part] = {}
        self.attached: dict[str, list[Part]] = {}

    def authenticate(self, req: Received) -> None:
        need(req.basic_auth() is not None, "basic auth (e-mail:API token) is required")
        if req.basic_auth() != (self.user, self.token):
            raise Refuse(Reply(401, {"errorMessage": "Client must be authenticated to access "
                                                     "this resource."}))

    def create(self, req: Received, m: re.Match[str]) -> Reply:
        d = req.json()
        need(isinstance(d, dict), "a JSON object is expected")
        need(str(d.get("serviceDeskId")) == self.desk, "serviceDeskId is required")
        need(str(d.get("requestTypeId")) == self.request_type, "requestTypeId is required")
        fields = d.get("requestFieldValues")
        need(isinstance(fields, dict) and fields.get("summary"),
             "requestFieldValues.summary is required")
        assert isinstance(fields, dict)
        if "priority" in fields:
            need(isinstance(fields["priority"], dict) and "name" in fields["priority"],
                 "priority is {\"name\": ...}")
        key = f"HD-{len(self.requests) + 1}"
        self.requests[key] = {"issueId": str(next(self.ids)), "issueKey": key,
                              "requestTypeId": self.request_type, "serviceDeskId": self.desk,
                              "reporter": {"emailAddress": d.get("raiseOnBehalfOf")},
                              "requestFieldValues": [{"fieldId": k, "value": v}
                                                     for k, v in fields.items()],
                              "currentStatus": {"status": "Waiting for support",
                                                "statusCategory": "NEW",
                                                "statusDate": {"iso8601":
                                                               "2026-11-25T09:40:00+0200"}},
                              "_links": {"web": f"http://jira.test/servicedesk/{key}"}}
        self.attached[key] = []
        return Reply(201, self.requests[key])

    def temporary(self, req: Received, m: re.Match[str]) -> Reply:
        need(req.header("x-atlassian-token") == "no-check", "X-Atlassian-Token: no-check "
                                                            "is required")
        need(req.header("x-experimentalapi") == "opt-in", "X-ExperimentalApi: opt-in is "
                                                          "required")
        need(m.group(1) == self.desk, "unknown service desk")
        parts = req.parts()
        need(parts and all(p.name == "file" and p.filename for p in parts),
             "temporary files go in part 'file' with a filename")
        out = []
        for p in parts:
            tid = f"temp{next(self.ids)}"
            self.temp_files[tid] = p
            out.append({"temporaryAttachmentId": tid, "fileName": p.filename})
        return Reply(201, {"temporaryAttachments": out})

    def attach(self, req: Received, m: re.Match[str]) -> Reply:
        key = m.group(1)
        need(key in self.requests, "no such request (create it first)")
        d = req.json()
        ids = d.get("temporaryAttachmentIds") if isinstance(d, dict) else None
        need(isinstance(ids, list) and ids, "temporaryAttachmentIds is required")
        assert isinstance(ids, list) and isinstance(d, dict)
        need(isinstance(d.get("public"), bool), "public (boolean) is required")
        for tid in ids:
            need(tid in self.temp_files, f"{tid} is not a temporary attachment (upload first)")
            self.attached[key].append(self.temp_files.pop(tid))
        return Reply(201, {"attachments": {"values": [
            {"filename": p.filename, "size": len(p.data)} for p in self.attached[key]]}})

    def show(self, req: Received, m: re.Match[str]) -> Reply:
        found = self.requests.get(m.group(1))
        if found is None:
            raise Refuse(Reply(404, {"errorMessage": "Request does not exist"}))
        return Reply(200, found)

    def search(self, req: Received, m: re.Match[str]) -> Reply:
        term = req.q("searchTerm")
        hits = [r for r in self.requests.values()
                if any(f["fieldId"] == "summary" and term in f["value"]
                       for f in r["requestFieldValues"])]
        return Reply(200, {"size": len(hits), "start": 0, "limit": 50, "isLastPage": True,
                           "values": hits})

    def attachments_of(self, req: Received, m: re.Match[str]) -> Reply:
        """"Get attachments for request": ``values[].filename``."""
        key = m.group(1)
        if key not in self.requests:
            raise Refuse(Reply(404, {"errorMessage": "Request does not exist"}))
        values = [{"filename": p.filename, "size": len(p.data), "mimeType": p.content_type}
                  for p in self.attached[key]]
        return Reply(200, {"size": len(values), "start": 0, "limit": 50, "isLastPage": True,
                           "values": values})

    def add_issue(self, key: str, summary: str, *, issuetype: str = "Incident",
                  status_category: str = "In Progress", priority: str = "Medium",
                  created: str = "2026-11-25T07:00:00.000+0200",
                  updated: str = "2026-11-25T07:00:00.000+0200") -> None:
        self.issues[key] = {"project": key.split("-")[0], "issuetype": issuetype,
                            "statusCategory": status_category, "priority": priority,
                            "summary": summary, "created": created, "updated": updated}

    _JQL_TERM = re.compile(r"""(\w+)\s*(!=|=)\s*(?:'((?:[^'\\]|\\.)*)'|"([^"]*)"|(\w+))""")

    def _jql(self, jql: str) -> list[tuple[str, dict[str, Any]]]:
        """The JQL Flare sends: ``field = value`` / ``field != value`` terms joined by AND
        (parentheses allowed), then ``ORDER BY field DESC``; values bare or quoted."""
        where, _, order = jql.partition(" ORDER BY ")
        hits = list(self.issues.items())
        for raw in where.replace("(", " ").replace(")", " ").split(" AND "):
            t = self._JQL_TERM.fullmatch(raw.strip())
            need(t is not None, f"not JQL this model knows: {raw.strip()!r} in {jql!r}")
            assert t is not None
            field_name, op = t.group(1), t.group(2)
            value = next(v for v in t.groups()[2:] if v is not None).replace("\\'", "'")
            need(field_name in ("project", "issuetype", "statusCategory", "priority"),
                 f"field {field_name!r} is not modelled")
            hits = [(k, i) for k, i in hits
                    if (i[field_name].casefold() == value.casefold()) == (op == "=")]
        if order:
            name, _, direction = order.strip().partition(" ")
            need(name in ("updated", "created"), f"unexpected ORDER BY {order!r}")
            hits.sort(key=lambda kv: kv[1][name], reverse=direction.upper() == "DESC")
        return hits

    def _issues(self, req: Received) -> list[dict[str, Any]]:
        hits = self._jql(req.q("jql"))[:int(req.q("maxResults") or 50)]
        fields = [f for f in req.q("fields").split(",") if f]
        return [{"id": str(10000 + list(self.issues).index(k)), "key": k,
                 "self": f"/rest/api/2/issue/{k}",
                 **({"fields": {f: i[f] for f in fields if f in i}} if fields else {})}
                for k, i in hits]

    def jql_search(self, req: Received, m: re.Match[str]) -> Reply:
        """Cloud "Search for issues using JQL enhanced search (GET)": only ids unless
        ``fields`` asks; ``{"issues": [...], "isLast": ...}``."""
        if self.data_center:
            raise Refuse(Reply(404, {"errorMessages": ["null for uri"]}))
        return Reply(200, {"issues": self._issues(req), "isLast": True})

    def jql_search_old(self, req: Received, m: re.Match[str]) -> Reply:
        """Data Center "Search for issues using JQL (GET)": ``startAt``, ``maxResults``,
        ``total``, ``issues``; removed on Cloud."""
        if not self.data_center:
            raise Refuse(Reply(410, {"errorMessages": [
                "The requested API has been removed. Please migrate to the "
                "/rest/api/3/search/jql API."]}))
        found = self._issues(req)
        return Reply(200, {"startAt": 0, "maxResults": int(req.q("maxResults") or 50),
                           "total": len(found), "issues": found})

    def files_of(self, key: str) -> dict[str, bytes]:
        return {str(p.filename): p.data for p in self.attached[key]}

    def attach_counts(self, key: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for p in self.attached[key]:
            counts[str(p.filename)] = counts.get(str(p.filename), 0) + 1
        return counts


# --- GLPI (legacy REST API, apirest.php)


class GlpiFake(VendorFake):
    """GLPI REST API v1 (``apirest.php``), as its apirest.md documents it.

    - https://help.glpi-project.org/documentation/modules/configuration/general/api/api
      ("Init session": ``GET initSession`` with ``Authorization: user_token …`` and
      ``App-Token``, answers ``session_token``; "Kill session"; every other call carries
      ``Session-Token``; "Add item(s)": ``POST /:itemtype/`` with ``{"input": {…}}``, 201 with
      ``id`` and a ``Location`` header; "Upload a document file": multipart with an
      ``uploadManifest`` JSON part whose ``input._filename`` names the ``filename[n]`` file
      parts; "Get an item"; "Get all items" with ``searchText[field]``; "Errors": a JSON
      array ``["ERROR_CODE", "message"]``, 401 ``ERROR_SESSION_TOKEN_INVALID``)
    - upload example: https://www.github.com/orthagh/glpi_api_upload
    """

    routes = (
        ("GET", r"/apirest\.php/initSession/?", "init_session"),
        ("GET", r"/apirest\.php/killSession/?", "kill_session"),
        ("POST", r"/apirest\.php/Ticket/?", "create"),
        ("GET", r"/apirest\.php/Ticket/?", "search"),
        ("GET", r"/apirest\.php/Ticket/(\d+)/?", "show"),
        ("GET", r"/apirest\.php/Ticket/(\d+)/Document_Item/?", "links_of"),
        ("POST", r"/apirest\.php/Document/?", "upload"),
        ("POST", r"/apirest\.php/Document_Item/?", "link"),
        ("GET", r"/apirest\.php/search/(\w+)/?", "search_items"),
    )
    # Search options of ITIL objects (Ticket, Problem, Change): id -> field.
    OPTIONS: ClassVar[dict[str, str]] = {"1": "name", "2": "id", "12": "status",
                                         "15": "date", "19": "date_mod"}
    # The special status values of option 12 (CommonITILObject): "notold" is neither solved
    # (5) nor closed (6).
    STATUS_SETS: ClassVar[dict[str, set[int]]] = {
        "notold": {1, 2, 3, 4}, "notclosed": {1, 2, 3, 4, 5}, "old": {5, 6},
        "process": {2, 3}, "all": {1, 2, 3, 4, 5, 6}}

    def __init__(self, user_token: str, app_token: str) -> None:
        super().__init__()
        self.user_token, self.app_token = user_token, app_token
        self.sessions: set[str] = set()
        self.logins = 0
        self.tickets: dict[int, dict[str, Any]] = {}
        self.documents: dict[int, tuple[str, str, bytes]] = {}
        self.links: list[tuple[int, str, int]] = []  # (documents_id, itemtype, items_id)
        self.problems: dict[int, dict[str, Any]] = {}
        self._expiries: list[str] = []

    def expire_sessions_at(self, path_pattern: str, times: int = 1) -> None:
        """The next ``times`` requests to ``path_pattern`` find every session gone (GLPI's
        session timeout, or an administrator's restart)."""
        self._expiries += [path_pattern] * times

    @staticmethod
    def _error(status: int, code: str, message: str) -> Refuse:
        return Refuse(Reply(status, [code, message]))

    def authenticate(self, req: Received) -> None:
        if req.header("app-token") != self.app_token:
            raise self._error(400, "ERROR_WRONG_APP_TOKEN_PARAMETER",
                              "parameter app_token seems wrong")
        if req.raw_path.rstrip("/").endswith("/initSession"):
            return
        for i, pattern in enumerate(self._expiries):
            if re.fullmatch(pattern, req.raw_path):
                del self._expiries[i]
                self.sessions.clear()
                break
        need(req.header("session-token"), "every call but initSession needs Session-Token")
        need(not req.header("authorization"), "the user token goes only to initSession")
        if req.header("session-token") not in self.sessions:
            raise self._error(401, "ERROR_SESSION_TOKEN_INVALID",
                              "session_token seems invalid")

    def init_session(self, req: Received, m: re.Match[str]) -> Reply:
        need(not req.body, "GET requests must have an empty body")
        auth = req.header("authorization")
        need(auth.startswith("user_token "), "initSession needs Authorization: user_token …")
        if auth[len("user_token "):] != self.user_token:
            raise self._error(401, "ERROR_GLPI_LOGIN_USER_TOKEN",
                              "parameter user_token seems invalid")
        token = f"{next(self.ids):040x}"
        self.sessions.add(token)
        self.logins += 1
        return Reply(200, {"session_token": token})

    def kill_session(self, req: Received, m: re.Match[str]) -> Reply:
        self.sessions.discard(req.header("session-token"))
        return Reply(200, None)

    def _input(self, req: Received) -> dict[str, Any]:
        data = req.json()
        need(isinstance(data, dict) and isinstance(data.get("input"), dict),
             "the body must be {\"input\": {...}}")
        return dict(data["input"])

    def create(self, req: Received, m: re.Match[str]) -> Reply:
        item = self._input(req)
        need(isinstance(item.get("name"), str) and item["name"], "input.name is required")
        need(isinstance(item.get("content"), str) and item["content"],
             "input.content is required")
        for k in ("urgency", "impact"):
            if k in item:
                need(item[k] in (1, 2, 3, 4, 5), f"{k} must be 1..5 (a number)")
        if "type" in item:
            need(item["type"] in (1, 2), "type is 1 (incident) or 2 (request)")
        if "itilcategories_id" in item:
            need(isinstance(item["itilcategories_id"], int), "itilcategories_id is a number")
        tid = next(self.ids)
        self.tickets[tid] = {**item, "id": tid, "status": 1,
                             "date_mod": "2026-11-25 09:40:00"}
        return Reply(201, {"id": tid, "message": ""},
                     {"Location": f"http://glpi.test/apirest.php/Ticket/{tid}"})

    def show(self, req: Received, m: re.Match[str]) -> Reply:
        ticket = self.tickets.get(int(m.group(1)))
        if ticket is None:
            raise self._error(404, "ERROR_ITEM_NOT_FOUND", "Item not found")
        return Reply(200, ticket)

    def search(self, req: Received, m: re.Match[str]) -> Reply:
        term = req.q("searchText[name]")
        need(term, "expected searchText[name]=…")
        found = [t for t in self.tickets.values() if term in t["name"]]
        return Reply(200, found, {"Content-Range": f"0-{max(len(found) - 1, 0)}/{len(found)}"})

    def upload(self, req: Received, m: re.Match[str]) -> Reply:
        parts = req.parts()
        manifest = [p for p in parts if p.name == "uploadManifest"]
        need(len(manifest) == 1, "one uploadManifest part is required")
        need(manifest[0].content_type == "application/json", "uploadManifest is JSON")
        try:
            data = json.loads(manifest[0].text())
        except ValueError as exc:
            raise Violation(f"uploadManifest is not JSON: {exc}") from None
        item = data.get("input") if isinstance(data, dict) else None
        need(isinstance(item, dict), "uploadManifest must be {\"input\": {...}}")
        assert isinstance(item, dict)
        names = item.get("_filename")
        need(isinstance(names, list) and names, "input._filename lists the file names")
        files = [p for p in parts if p.filename is not None]
        need([p.name for p in files] == [f"filename[{i}]" for i in range(len(files))],
             f"file parts are filename[0], filename[1]…, got {[p.name for p in files]}")
        need([p.filename for p in files] == names, "input._filename must name the file parts")
        doc_id = next(self.ids)
        self.documents[doc_id] = (str(files[0].filename), files[0].content_type, files[0].data)
        return Reply(201, {"id": doc_id, "message": "Document move succeeded.",
                           "upload_result": {"filename": [{"name": files[0].filename}]}},
                     {"Location": f"http://glpi.test/apirest.php/Document/{doc_id}"})

    def link(self, req: Received, m: re.Match[str]) -> Reply:
        item = self._input(req)
        need(item.get("documents_id") in self.documents, "documents_id names no document")
        need(item.get("itemtype") == "Ticket", "itemtype Ticket expected")
        need(item.get("items_id") in self.tickets, "items_id names no ticket (create first)")
        self.links.append((item["documents_id"], "Ticket", item["items_id"]))
        return Reply(201, {"id": next(self.ids), "message": ""})

    def links_of(self, req: Received, m: re.Match[str]) -> Reply:
        """"Get sub items" (``/Ticket/:id/Document_Item``); ``expand_dropdowns=true`` shows
        the document's name instead of its id."""
        tid = int(m.group(1))
        if tid not in self.tickets:
            raise self._error(404, "ERROR_ITEM_NOT_FOUND", "Item not found")
        expand = req.q("expand_dropdowns") == "true"
        return Reply(200, [{"id": i, "documents_id": self.documents[d][0] if expand else d,
                            "itemtype": "Ticket", "items_id": t}
                           for i, (d, _, t) in enumerate(self.links) if t == tid])

    def search_items(self, req: Received, m: re.Match[str]) -> Reply:
        """"Search items": ``criteria[n][field|searchtype|value]``, ``forcedisplay[n]``,
        ``sort``, ``order``, ``range``; answers ``totalcount``, ``count``, ``data`` (rows keyed
        by search option id, ``data`` absent when nothing matches), 200 or 206 with
        ``Content-Range``."""
        items = {"Ticket": self.tickets, "Problem": self.problems}.get(m.group(1))
        if items is None:
            raise self._error(400, "ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM",
                              "resource not found or not an instance of CommonDBTM")
        rows = list(items.values())
        n = 0
        while f"criteria[{n}][field]" in req.query:
            field_id = req.q(f"criteria[{n}][field]")
            need(field_id in self.OPTIONS, f"search option {field_id} is not modelled")
            need(req.q(f"criteria[{n}][searchtype]") in ("equals", "contains"),
                 "searchtype is equals or contains here")
            value = req.q(f"criteria[{n}][value]")
            name = self.OPTIONS[field_id]
            if name == "status" and value in self.STATUS_SETS:
                rows = [r for r in rows if r["status"] in self.STATUS_SETS[value]]
            else:
                rows = [r for r in rows if str(r.get(name, "")) == value]
            n += 1
        need(all(k.startswith(("criteria[", "forcedisplay[")) or k in (
            "sort", "order", "range") for k in req.query), f"unexpected {sorted(req.query)}")
        if req.q("sort"):
            need(req.q("sort") in self.OPTIONS, "sort is a search option id")
            need(req.q("order") in ("", "ASC", "DESC"), "order is ASC or DESC")
            rows.sort(key=lambda r: str(r.get(self.OPTIONS[req.q("sort")], "")),
                      reverse=req.q("order") == "DESC")
        start, _, end = (req.q("range") or "0-49").partition("-")
        page = rows[int(start):int(end) + 1]
        shown = {"1", "2", *(v for k, v in ((k, req.q(k)) for k in req.query)
                              if k.startswith("forcedisplay["))}
        need(shown <= set(self.OPTIONS), "forcedisplay names options this model lacks")
        out: dict[str, Any] = {"totalcount": len(rows), "count": len(page),
                               "sort": int(req.q("sort") or 1), "order": req.q("order") or "ASC"}
        if page:
            out["data"] = [{k: r.get(self.OPTIONS[k]) for k in sorted(shown)} for r in page]
        last = int(start) + len(page) - 1
        return Reply(206 if len(page) < len(rows) else 200, out,
                     {"Content-Range": f"{start}-{last}/{len(rows)}"})

    def add_problem(self, name: str, status: int = 2, date: str = "2026-11-25 07:00:00",
                    date_mod: str = "2026-11-25 07:00:00") -> int:
        pid = next(self.ids)
        self.problems[pid] = {"id": pid, "name": name, "status": status, "date": date,
                              "date_mod": date_mod}
        return pid

    def files_of(self, tid: int) -> dict[str, bytes]:
        return {self.documents[d][0]: self.documents[d][2]
                for d, _, t in self.links if t == tid}

    def link_counts(self, tid: int) -> dict[str, int]:
        counts: dict[str, int] = {}
        for d, _, t in self.links:
            if t == tid:
                counts[self.documents[d][0]] = counts.get(self.documents[d][0], 0) + 1
        return counts


# --- Zammad


class ZammadFake(VendorFake):
    """Zammad REST API v1.

    - https://docs.zammad.org/en/latest/api/intro.html (``Authorization: Token
      token=…``; JSON bodies; errors ``{"error", "error_human"}``)
    - https://docs.zammad.org/en/latest/api/ticket/index.html ("Create": ``title``,
      ``group``, ``customer_id`` (``guess:{email}`` creates or finds the customer),
      ``article`` with ``attachments: [{filename, data (base64), mime-type}]``; "Show" with
      ``expand=true`` gives ``state`` by name; "Search": ``query``, ``limit``, ``expand``)
    - https://docs.zammad.org/en/latest/api/ticket/articles.html (article ``type``,
      ``internal``, ``content_type`` text/plain or text/html)
    """

    routes = (
        ("POST", r"/api/v1/tickets", "create"),
        ("GET", r"/api/v1/tickets/search", "search"),
        ("GET", r"/api/v1/tickets/(\d+)", "show"),
    )
    STATES: ClassVar[dict[int, str]] = {1: "new", 2: "open", 3: "pending reminder",
                                        4: "closed", 6: "pending close"}

    def __init__(self, token: str, groups: tuple[str, ...] = ("Users",)) -> None:
        super().__init__()
        self.token, self.groups = token, groups
        self.customers: dict[str, int] = {}
        self.tickets: dict[int, dict[str, Any]] = {}
        self.attachments: dict[int, list[tuple[str, str, bytes]]] = {}

    def authenticate(self, req: Received) -> None:
        auth = req.header("authorization")
        need(auth.startswith("Token token=") or auth.startswith("Bearer ")
             or auth.startswith("Basic "), "Authorization: Token token=… expected")
        if auth != f"Token token={self.token}":
            raise Refuse(Reply(401, {"error": "Authentication required"}))

    def create(self, req: Received, m: re.Match[str]) -> Reply:
        d = req.json()
        need(isinstance(d, dict) and d.get("title"), "title is required")
        assert isinstance(d, dict)
        if d.get("group") not in self.groups:
            raise Refuse(Reply(422, {"error": "No lookup value found for 'group'",
                                     "error_human": f"No lookup value found for 'group': "
                                                    f"{d.get('group')!r}"}))
        customer = d.get("customer_id")
        if customer is not None:
            need(isinstance(customer, int) or (isinstance(customer, str)
                                               and customer.startswith("guess:")
                                               and "@" in customer),
                 "customer_id is an id or guess:{email}")
        if "priority_id" in d:
            need(d["priority_id"] in (1, 2, 3), "priority_id is 1, 2 or 3")
        article = d.get("article")
        need(isinstance(article, dict) and article.get("body"), "article.body is required")
        assert isinstance(article, dict)
        need(article.get("content_type", "text/plain") in ("text/plain", "text/html"),
             "article.content_type is text/plain or text/html")
        need(isinstance(article.get("internal", False), bool), "article.internal is a boolean")
        files = []
        for a in article.get("attachments") or []:
            need(isinstance(a, dict) and {"filename", "data", "mime-type"} <= set(a),
                 "an attachment needs filename, data and mime-type")
            try:
                data = base64.b64decode(a["data"], validate=True)
            except ValueError:
                raise Violation(f"attachment {a['filename']!r}: data is not base64") from None
            files.append((a["filename"], a["mime-type"], data))
        if isinstance(customer, str):
            email = customer[len("guess:"):]
            customer = self.customers.setdefault(email, 100 + len(self.customers))
        tid = next(self.ids)
        ticket = {"id": tid, "number": f"{31000 + tid}", "title": d["title"],
                  "group": d["group"], "state_id": 1, "priority_id": d.get("priority_id", 2),
                  "customer_id": customer, "article_count": 1,
                  "updated_at": "2026-11-25T09:40:00.000Z", "created_at": _now(),
                  "_article": article}
        self.tickets[tid] = ticket
        self.attachments[tid] = files
        return Reply(201, self._public(ticket, expand=False))

    def _public(self, ticket: dict[str, Any], *, expand: bool) -> dict[str, Any]:
        out = {k: v for k, v in ticket.items() if not k.startswith("_")}
        if expand:
            out["state"] = self.STATES[ticket["state_id"]]
        return out

    def show(self, req: Received, m: re.Match[str]) -> Reply:
        ticket = self.tickets.get(int(m.group(1)))
        if ticket is None:
            raise Refuse(Reply(404, {"error": "Couldn't find Ticket with 'id'="
                                              f"{m.group(1)}"}))
        return Reply(200, self._public(ticket, expand=req.q("expand") == "true"))

    def _matches(self, ticket: dict[str, Any], term: str) -> bool:
        """One ``field:value`` term of the Elasticsearch query syntax Zammad's search takes:
        a "quoted phrase", a bare word, or ``(a OR b)``; fields title, group.name,
        state.name and tags (https://admin-docs.zammad.org/en/latest/manage/search.html)."""
        t = re.fullmatch(r'([\w.]+):(?:"([^"]*)"|\(([\w ]+)\)|([\w-]+))', term.strip())
        need(t is not None, f"not a search term this model knows: {term!r}")
        assert t is not None
        name = t.group(1)
        values = ([v for v in t.group(3).split(" OR ") if v] if t.group(3)
                  else [t.group(2) if t.group(2) is not None else t.group(4)])
        need(name in ("title", "group.name", "state.name", "tags"), f"{name} is not modelled")
        if name == "title":
            return any(v in ticket["title"] for v in values)
        have = {"group.name": [ticket["group"]], "state.name": [self.STATES[ticket["state_id"]]],
                "tags": ticket.get("_tags", [])}[name]
        return any(v.casefold() == h.casefold() for v in values for h in have)

    def search(self, req: Received, m: re.Match[str]) -> Reply:
        query = req.q("query")
        need(query, "search needs ?query=")
        need(req.q("expand") == "true", "expand=true gives the tickets themselves")
        if ":" not in query:
            query = f'title:"{query}"'
        terms = query.split(" AND ")
        hits = [t for t in self.tickets.values() if all(self._matches(t, x) for x in terms)]
        if req.q("sort_by"):
            need(req.q("sort_by") in ("updated_at", "created_at", "id"), "unknown sort_by")
            need(req.q("order_by") in ("asc", "desc"), "order_by is asc or desc")
            hits.sort(key=lambda t: str(t[req.q("sort_by")]), reverse=req.q("order_by") == "desc")
        found = [self._public(t, expand=True) for t in hits]
        return Reply(200, found[:int(req.q("limit") or 50)])

    def add_ticket(self, title: str, group: str, state_id: int = 2,
                   tags: tuple[str, ...] = (), **fields: Any) -> int:
        """A ticket support opened in Zammad itself."""
        tid = next(self.ids)
        self.tickets[tid] = {"id": tid, "number": f"{31000 + tid}", "title": title,
                             "group": group, "state_id": state_id, "priority_id": 2,
                             "customer_id": 1, "article_count": 1, "_tags": list(tags),
                             "created_at": _now(), "updated_at": _now(), **fields}
        self.attachments[tid] = []
        return tid

    def files_of(self, tid: int) -> dict[str, bytes]:
        return {n: d for n, _, d in self.attachments[tid]}


# --- osTicket


class OsTicketFake(VendorFake):
    """osTicket HTTP API (ticket creation only).

    - https://github.com/osTicket/docs/blob/master/Developer%20Documentation/API%20Docs.rst
      (``X-API-Key`` header, tied to the client's IP; ``POST /api/tickets.json``)
    - https://docs.osticket.com/en/latest/Developer%20Documentation/API/Tickets.html
      (fields ``email``, ``name``, ``subject``, ``message`` required; ``alert``,
      ``autorespond``, ``source``, ``topicId``, ``priorityId``; ``attachments`` as a list of
      ``{"file name": "data:<type>;base64,…"}`` (RFC 2397); the answer is 201 with the new
      ticket's number as the body; no call reads a ticket back)
    """

    routes = (("POST", r"/api/tickets\.json", "create"),)

    def __init__(self, api_key: str) -> None:
        super().__init__()
        self.api_key = api_key
        self.tickets: dict[str, dict[str, Any]] = {}
        self.files: dict[str, list[tuple[str, str, bytes]]] = {}

    def authenticate(self, req: Received) -> None:
        if req.header("x-api-key") != self.api_key:
            raise Refuse(Reply(401, "API key not authorized", content_type="text/plain"))

    def create(self, req: Received, m: re.Match[str]) -> Reply:
        d = req.json()
        need(isinstance(d, dict), "a JSON object is expected")
        assert isinstance(d, dict)
        for key in ("name", "subject", "message"):
            need(isinstance(d.get(key), str) and d[key], f"{key} is required")
        if "@" not in str(d.get("email", "")):
            return Reply(400, "Unable to create ticket: email: Valid email address required",
                         content_type="text/plain")
        for key in ("alert", "autorespond"):
            if key in d:
                need(isinstance(d[key], bool), f"{key} is a boolean")
        for key in ("topicId", "priorityId"):
            if key in d:
                need(str(d[key]).isdigit(), f"{key} is a number")
        files = []
        for entry in d.get("attachments") or []:
            need(isinstance(entry, dict) and len(entry) == 1,
                 "each attachment is {\"file name\": \"data:…\"}")
            (name, url), = entry.items()
            found = re.fullmatch(r"data:([\w.+-]+/[\w.+-]+)(;[^,;]*)*;base64,(.*)", url, re.S)
            need(found, f"attachment {name!r} is not a base64 data: URL")
            assert found is not None
            try:
                data = base64.b64decode(found.group(3), validate=True)
            except ValueError:
                raise Violation(f"attachment {name!r}: not base64") from None
            files.append((name, found.group(1), data))
        number = f"{100000 + next(self.ids)}"
        self.tickets[number] = d
        self.files[number] = files
        return Reply(201, number, content_type="text/plain")

    def files_of(self, number: str) -> dict[str, bytes]:
        return {n: d for n, _, d in self.files[number]}
