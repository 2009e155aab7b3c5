"""Shared pieces of the security tests: connectors against the loopback helpdesk, bundles,
and a bound on how long a call may take (a hang fails the test instead of stalling CI)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.helpdesk.registry import DestinationConfig, make_connector
from app.helpdesk.secrets import SecretResolver
from app.helpdesk.spec_connector import SpecConnector
from tests.security.loopback import Helpdesk, spec_text

TOKEN = "tok-5f1c9a2e7b"  # planted secret: must reach only the helpdesk's origin
TOKEN_ENV = "FLARE_SECURITY_TEST_TOKEN"


def spec_connector(tmp_path: Path, desk: Helpdesk, monkeypatch: pytest.MonkeyPatch,
                   auth: str | None = None, spec: str | None = None,
                   name: str = "spec.yaml") -> SpecConnector:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    path = tmp_path / name
    path.write_text(spec if spec is not None else
                    (spec_text(auth) if auth is not None else spec_text()), "utf-8")
    config = DestinationConfig(type="spec", url=desk.url, spec=path,
                               token=f"env:{TOKEN_ENV}", username="flare")
    conn = make_connector(config, SecretResolver())
    assert isinstance(conn, SpecConnector)
    return conn


def within(seconds: float, fn: Callable[[], Any]) -> Any:
    """Run ``fn`` in a thread; fail if it takes longer than ``seconds`` (a FIFO read, an
    alias bomb). The thread is a daemon: a hang on old code cannot keep pytest alive."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the test thread
            box["error"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    if t.is_alive():
        pytest.fail(f"did not finish within {seconds} s (hangs)")
    if "error" in box:
        raise box["error"]
    return box.get("value")
