"""Real Request Tracker 5 and Redmine on 127.0.0.1, for the helpdesk integration tests.

.ci/helpdesks/install.sh installs and configures them (Debian packages, SQLite) and writes
the credentials to helpdesks.env. The fixtures here start ``rt-server`` and ``puma`` on free
loopback ports, wait until the REST APIs answer, and stop them by PID at the end. Without
the servers, tests skip on a developer machine and FAIL under CI (CI=true).

Also here: :func:`make_bundle`, a realistic report bundle (PNG steps, a text log, a binary
file) written with the real bundle writer, and :class:`FaultProxy`, a loopback proxy in
front of a real server that injects 500s, 429s and stalls.
"""

from __future__ import annotations

import atexit
import hashlib
import http.client
import http.server
import io
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from app.bundle import write_bundle
from app.report import (
    Answer,
    Attachment,
    Diagnostics,
    DiagnosticSection,
    Finding,
    Priority,
    Report,
    Reporter,
    Step,
)
from tests.netutil import free_port
from tests.proc import stop_process

INSTALL_SCRIPT = ".ci/helpdesks/install.sh"
STATE_DIR = Path(os.environ.get("FLARE_TEST_STATE", "/var/lib/flare-test"))
ENV_FILE = STATE_DIR / "helpdesks.env"


def _missing(what: str) -> None:
    message = (
        f"{what} is not installed/configured on this machine; run `sudo "
        f"{INSTALL_SCRIPT}` (it writes {ENV_FILE})"
    )
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def read_env() -> dict[str, str]:
    if not ENV_FILE.is_file():
        _missing("Request Tracker 5 / Redmine")
    out = {}
    for line in ENV_FILE.read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            k, v = line.split("=", 1)
            out[k.strip()] = v.strip()
    return out




@dataclass
class Server:
    name: str
    argv: list[str]
    cwd: str
    env: dict[str, str]
    port: int
    ready_path: str
    ready_auth: dict[str, Any]
    extra: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 120.0) -> None:
        if self.proc is not None and self.proc.poll() is None:
            return
        log_path = Path(f"/tmp/flare-test-{self.name}-{self.port}.log")
        self.log = log_path
        with open(log_path, "wb") as fh:
            self.proc = subprocess.Popen(
                self.argv,
                cwd=self.cwd,
                env={**os.environ, **self.env},
                stdout=fh,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.proc.returncode}; see "
                    f"{log_path}:\n{log_path.read_text()[-2000:]}"
                )
            try:
                r = requests.get(self.url + self.ready_path, timeout=5, **self.ready_auth)
                if r.status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        tail = log_path.read_text(errors="replace")[-2000:]
        self.stop()
        raise RuntimeError(
            f"{self.name} did not answer on {self.url} within {timeout_s:.0f} s; "
            f"its log ends:\n{tail}"
        )

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        self._end(proc)
        if self.log is not None:
            self.log.unlink(missing_ok=True)

    def _end(self, proc: subprocess.Popen[bytes]) -> None:
        # The server runs in its own session (start_new_session): its group is ours to end.
        stop_process(proc)


# One instance of each server per test process, shared by every test module that imports
# the fixtures (a session fixture imported into two modules would otherwise start twice).
_running: dict[str, Server] = {}


def _stop_all() -> None:
    for server in list(_running.values()):
        server.stop()
    _running.clear()


atexit.register(_stop_all)


def _rt() -> Server:
    env = read_env()
    rt_server = env.get("RT_SERVER", "")
    if not rt_server or not Path(rt_server).exists():
        _missing("Request Tracker 5")
    if "rt" not in _running:
        server = Server(
            "rt",
            [rt_server, "--host", "127.0.0.1", "--port", "0"],
            "/",
            {},
            0,
            "/REST/2.0/queues/all",
            {"auth": (env["RT_ROOT_USER"], env["RT_ROOT_PASSWORD"])},
            extra=env,
        )
        server.port = free_port()
        server.argv[-1] = str(server.port)
        server.start()
        _running["rt"] = server
    return _running["rt"]


def _redmine() -> Server:
    env = read_env()
    rdir = env.get("REDMINE_DIR", "")
    if not rdir or not Path(rdir, "config.ru").exists():
        _missing("Redmine")
    if "redmine" not in _running:
        port = free_port()
        server = Server(
            "redmine",
            ["puma", "-e", "production", "-b", f"tcp://127.0.0.1:{port}", "-t", "2:4", "config.ru"],
            rdir,
            {"RAILS_ENV": "production", "REDMINE_INSTANCE": "default"},
            port,
            f"/projects/{env['REDMINE_PROJECT']}.json",
            {"headers": {"X-Redmine-API-Key": env["REDMINE_API_KEY"]}},
            extra=env,
        )
        server.start()
        _running["redmine"] = server
    return _running["redmine"]


@contextmanager
def running(kind: str) -> Iterator[Server]:
    """The local RT ("rt") or Redmine ("redmine"), started once, stopped at the end (the
    session fixtures of tests/conftest.py)."""
    server = {"rt": _rt, "redmine": _redmine}[kind]()
    try:
        yield server
    finally:
        server.stop()
        _running.pop(kind, None)


# --------------------------------------------------------------------------- bundles


def png_bytes(width: int, height: int, seed: int) -> bytes:
    """A PNG with noise, so it does not compress to nothing (a realistic size)."""
    from PIL import Image

    img = Image.frombytes(
        "RGB",
        (width, height),
        os.urandom(width * height * 3) if seed < 0 else _pattern(width, height, seed),
    )
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def _pattern(width: int, height: int, seed: int) -> bytes:
    row = bytes((x * 7 + seed * 13) % 256 for x in range(width * 3))
    return b"".join(row[(y * seed) % 3 :] + row[: (y * seed) % 3] for y in range(height))


def make_bundle(
    dest: Path,
    *,
    steps: int = 2,
    title: str = 'Printer on floor 3 says "offline" — {"json": \'quotes\'}',
    email: str = "reporter@example.test",
    level: str = "high",
    category: str = "hardware",
    category_label: str = "Hardware",
    step_size: tuple[int, int] = (320, 200),
    random_images: bool = False,
    extra_attachment: bytes | None = None,
    test: bool = False,
) -> Path:
    now = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    files: dict[str, bytes] = {}
    step_list = []
    for i in range(steps):
        name = f"step-{i + 1:03d}.png"
        files[name] = png_bytes(*step_size, seed=-1 if random_images else i + 1)
        step_list.append(
            Step(
                image=name,
                media_type="image/png",
                captured_at=now + timedelta(seconds=10 * i),
                caption=f"Step {i + 1}: clicked Print",
            )
        )
    log = b"line one\nERROR: spooler stopped\n" * 50
    files["attachments/spooler.log"] = log
    attachments = [
        Attachment(file="attachments/spooler.log", name="spooler.log", media_type="text/plain")
    ]
    if extra_attachment is not None:
        files["attachments/blob.bin"] = extra_attachment
        attachments.append(
            Attachment(
                file="attachments/blob.bin", name="blob.bin", media_type="application/octet-stream"
            )
        )
    report = Report(
        created_at=now,
        happened_at=now - timedelta(minutes=5),
        reporter=Reporter(name="Rita Reporter", email=email, username="rita"),
        category=category,
        category_label=category_label,
        answers=[
            Answer(
                question_id="what",
                question="What did you see?",
                display='A dialog: "Printer offline" }\\n{',
            ),
            Answer(question_id="when", question="When?", display="Just now"),
        ],
        title=title,
        priority=Priority(impact="team", urgency="blocked", level=level),
        steps=step_list,
        attachments=attachments,
        test=test,
    )
    diagnostics = Diagnostics(
        sections=[
            DiagnosticSection(
                name="uptime",
                title="Uptime",
                summary="23 days",
                findings=[Finding(message="restart recommended: up 23 days")],
            ),
            DiagnosticSection(name="os", title="Operating system", summary="Debian 12"),
        ]
    )
    return write_bundle(report, files, dest, diagnostics=diagnostics)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- fault proxy


class FaultProxy:
    """A loopback HTTP proxy to a real server that misbehaves on request.

    ``plan`` is a list of (predicate on "METHOD path", action) consumed in order; actions:
    ``("status", code, headers)`` answer without forwarding; ``("stall_after_forward", s)``
    forward, then wait ``s`` seconds before answering (the client times out although the
    server did the work); ``("stall_mid_body", s)`` read half the body, then wait and drop.
    """

    def __init__(self, target: str) -> None:
        self.target = target.removeprefix("http://")
        self.plan: list[tuple[str, tuple[Any, ...]]] = []
        self.seen: list[str] = []
        self.port = free_port()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                line = f"{self.command} {self.path}"
                proxy.seen.append(line)
                length = int(self.headers.get("Content-Length") or 0)
                action: tuple[Any, ...] | None = None
                for i, (needle, act) in enumerate(proxy.plan):
                    if needle in line:
                        action = act
                        del proxy.plan[i]
                        break
                if action and action[0] == "stall_mid_body":
                    self.rfile.read(length // 2)
                    time.sleep(action[1])
                    self.close_connection = True
                    return
                body = self.rfile.read(length) if length else b""
                if action and action[0] == "status":
                    payload = b'{"message": "injected failure"}'
                    self.send_response(action[1])
                    for k, v in (action[2] if len(action) > 2 else {}).items():
                        self.send_header(k, v)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                conn = http.client.HTTPConnection(proxy.target, timeout=120)
                headers = {
                    k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")
                }
                conn.request(self.command, self.path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                if action and action[0] == "stall_after_forward":
                    time.sleep(action[1])
                    self.close_connection = True
                    return
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> FaultProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
