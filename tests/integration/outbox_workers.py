"""A second Flare sending from the same outbox in a child process, to be killed mid-send.

Shared by the fault tests (test modules never import each other)."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.helpdesk.delivery import DEFAULT_IN_FLIGHT_S
from tests.integration.helpdesk_servers import Server

REPO = Path(__file__).resolve().parents[2]

_WORKER = """
import sys, json, logging
from datetime import UTC, datetime
from pathlib import Path
from app.helpdesk.delivery import DEFAULT_IN_FLIGHT_S, Deliverer
from app.helpdesk.outbox import Outbox
from tests.integration.helpdesk_reads import rt_connector, redmine_connector
from tests.integration.helpdesk_servers import Server
args = json.loads(sys.argv[1])
server = Server(args["kind"], [], "/", {}, 0, "", {}, extra=args["env"])
make = rt_connector if args["kind"] == "rt" else redmine_connector
box = Outbox(Path(args["state"]), lambda: datetime.now(UTC))
print("worker ready", flush=True)
Deliverer(box, lambda _d: make(server, url=args["url"])).run_due()
print("worker finished", flush=True)
"""


def wait_until(pred: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@contextlib.contextmanager
def worker(kind: str, server: Server, url: str, state: Path) -> Iterator[subprocess.Popen[str]]:
    arg = json.dumps({"kind": kind, "env": server.extra, "url": url, "state": str(state)})
    proc = subprocess.Popen([sys.executable, "-c", _WORKER, arg], cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(30)
        if proc.stdout:
            proc.stdout.close()


def after_in_flight() -> datetime:
    """A clock past the time a killed sender's last request could still be in flight."""
    return datetime.now(UTC) + timedelta(seconds=DEFAULT_IN_FLIGHT_S + 5)
