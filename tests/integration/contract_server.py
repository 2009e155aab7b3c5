"""A loopback HTTP server that plays a helpdesk vendor's documented API, strictly.

Each vendor fake checks every request against what the vendor documents (method, path, auth
header shape, content type, required body fields, multipart part names, upload-then-reference
order) and answers in the vendor's shape. A request that breaks the contract is answered with
400 and recorded in ``violations``; tests assert that list is empty, so a spec that drifts from
the documented API fails its contract test even when the vendor's answer would have been lenient.

The vendor fakes are in tests/integration/vendor_fakes/, one module per vendor. Documentation
each check follows is named next to it; the tests cite the same pages.
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


def fixed_now() -> str:
    """The fakes' clock: one instant, so a reply reads the same in every run."""
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
