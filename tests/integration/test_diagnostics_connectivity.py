"""Connectivity checks and the clock check against servers this test starts on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from diagnostics import sntp
from diagnostics.collector import CollectContext
from diagnostics.collectors.policy import ConnectivityCollector
from diagnostics.collectors.system import LocaleCollector
from diagnostics.connectivity import run_check, run_checks
from diagnostics.runner import collect_all
from tests.integration.tls_servers import HOST, http_server, make_cert, server_ctx
from tests.netutil import closed_port, silent_server


def test_http_ok_and_server_error() -> None:
    with http_server() as port:
        ok = run_check({"type": "http", "name": "Intranet", "url": f"http://{HOST}:{port}/"})
        bad = run_check({"type": "http", "name": "Intranet", "url": f"http://{HOST}:{port}/broken"})
        picky = run_check({"type": "http", "name": "Health", "url": f"http://{HOST}:{port}/",
                           "expect_status": 204})
    assert ok.ok and ok.detail["status"] == 200 and ok.latency_ms is not None
    assert not bad.ok and bad.summary == (f"Intranet http://{HOST}:{port}/broken answered "
                                          "HTTP 500, expected below 400")
    assert not picky.ok and "expected 204" in picky.summary


def test_tls_self_signed_expired_and_trusted(tmp_path: Path) -> None:
    self_cert, self_key, _ = make_cert(tmp_path, "selfsigned", days=(-1, 365))
    with http_server(server_ctx(self_cert, self_key)) as port:
        r = run_check({"type": "tls", "name": "Mail", "host": HOST, "port": port})
        h = run_check({"type": "http", "name": "Portal", "url": f"https://{HOST}:{port}/"})
        trusted = run_check({"type": "tls", "name": "Mail", "host": HOST, "port": port,
                             "ca_file": str(self_cert)})
        inspected = run_check({"type": "tls", "name": "Mail", "host": HOST, "port": port,
                               "ca_file": str(self_cert), "expect_issuer": "Corp Root CA"})
    assert not r.ok and "not trusted" in r.summary and "self-signed" in r.summary
    assert r.detail["issuer"] == "CN=selfsigned, O=Flare Test" and r.detail["self_signed"]
    assert not h.ok and "not trusted" in h.summary
    assert trusted.ok and "by CN=selfsigned, O=Flare Test" in trusted.summary
    assert not inspected.ok and "TLS-inspection" in inspected.summary

    old_cert, old_key, _ = make_cert(tmp_path, "expired", days=(-400, -30))
    with http_server(server_ctx(old_cert, old_key)) as port:
        e = run_check({"type": "tls", "name": "Old", "host": HOST, "port": port})
    expired_on = (datetime.now(UTC) - timedelta(days=30)).strftime("%Y-%m-%d")
    assert not e.ok and f"certificate expired on {expired_on}" in e.summary


def test_closed_port_and_silent_server() -> None:
    port = closed_port()
    r = run_check({"type": "tcp", "name": "VPN gateway", "host": HOST, "port": port})
    assert not r.ok
    assert r.summary == (f"VPN gateway {HOST}:{port} unreachable: "
                         "connection refused (nothing listening)")
    with silent_server() as quiet:
        t = time.monotonic()
        h = run_check({"type": "http", "name": "API", "url": f"http://{HOST}:{quiet}/",
                       "timeout_s": 0.5})
        assert time.monotonic() - t < 1.5
    assert not h.ok
    assert h.summary == f"API http://{HOST}:{quiet}/ unreachable: no answer within 0.5 s"


def test_dns_of_localhost() -> None:
    r = run_check({"type": "dns", "name": "Loopback", "host": "localhost"})
    assert r.ok
    assert {"127.0.0.1", "::1"} & set(r.detail["addresses"])


def test_many_silent_hosts_stay_within_budget() -> None:
    with silent_server() as quiet:
        specs = [{"type": "http", "name": f"h{i}", "url": f"http://{HOST}:{quiet}/",
                  "timeout_s": 10} for i in range(20)]
        t = time.monotonic()
        d = collect_all([ConnectivityCollector()], CollectContext(budget_s=1.0, checks=specs))
        elapsed = time.monotonic() - t
    assert elapsed < 1.4
    s = d.sections[0]
    assert s.status == "ok" and len(s.data["checks"]) == 20
    assert all(not c["ok"] and "no answer within" in c["summary"] for c in s.data["checks"])
    assert len(s.findings) == 20 and s.summary.startswith("20 of 20 checks failed")


def test_misconfigured_check_is_reported_not_raised() -> None:
    res = run_checks([{"type": "tcp", "name": "half", "host": HOST}], 1.0)
    assert not res[0].ok and "needs 'port'" in res[0].summary


@pytest.fixture
def sntp_server() -> Iterator[tuple[str, float]]:
    """A local SNTP responder whose clock runs 120 s ahead."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((HOST, 0))
    sock.settimeout(0.1)
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                req, addr = sock.recvfrom(512)
            except OSError:
                continue
            sock.sendto(sntp.server_reply(req, time.time() + 120.0), addr)

    t = threading.Thread(target=loop, daemon=True)
    t.start()
    try:
        yield f"{HOST}:{sock.getsockname()[1]}", 120.0
    finally:
        stop.set()
        t.join()
        sock.close()


def test_clock_offset_from_local_time_source(sntp_server: tuple[str, float]) -> None:
    source, skew = sntp_server
    res = sntp.query(source, timeout_s=1)
    assert abs(res.offset_s - skew) < 0.5
    out = LocaleCollector().collect(CollectContext(time_source=source))
    assert abs(out.data["clock_offset_s"] - skew) < 0.5
    assert out.findings[0].severity == "warning" and "behind" in out.findings[0].message


def test_unreachable_time_source_is_a_finding_not_a_failure() -> None:
    out = LocaleCollector().collect(CollectContext(time_source=f"{HOST}:{closed_port()}",
                                                   budget_s=0.5))
    assert out.data["clock_offset_s"] is None
    assert "not reachable" in out.findings[0].message
