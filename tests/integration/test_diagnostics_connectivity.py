"""Connectivity checks and the clock check against servers this test starts on 127.0.0.1."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from diagnostics import sntp
from diagnostics.collector import CollectContext
from diagnostics.collectors.policy import ConnectivityCollector
from diagnostics.collectors.system import LocaleCollector
from diagnostics.connectivity import run_check, run_checks
from diagnostics.runner import collect_all
from tests.netutil import closed_port, silent_server

HOST = "127.0.0.1"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        code = 500 if self.path.startswith("/broken") else 200
        self.send_response(code)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def http_server(tls: ssl.SSLContext | None = None) -> Iterator[int]:
    srv = ThreadingHTTPServer((HOST, 0), Handler)
    if tls is not None:
        srv.socket = tls.wrap_socket(srv.socket, server_side=True, do_handshake_on_connect=False)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield srv.server_address[1]
    finally:
        srv.shutdown()
        srv.server_close()






def make_cert(tmp: Path, name: str, *, days: tuple[int, int], issuer_key: object = None,
              issuer_name: cx509.Name | None = None,
              ) -> tuple[Path, Path, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, name),
                          cx509.NameAttribute(NameOID.ORGANIZATION_NAME, "Flare Test")])
    now = datetime.now(UTC)
    b = (cx509.CertificateBuilder().subject_name(subject)
         .issuer_name(issuer_name or subject).public_key(key.public_key())
         .serial_number(cx509.random_serial_number())
         .not_valid_before(now + timedelta(days=days[0]))
         .not_valid_after(now + timedelta(days=days[1]))
         .add_extension(cx509.SubjectAlternativeName(
             [cx509.DNSName("localhost"),
              cx509.IPAddress(__import__("ipaddress").ip_address(HOST))]), critical=False))
    if issuer_name is None:
        b = b.add_extension(cx509.BasicConstraints(ca=True, path_length=None), critical=True)
    cert = b.sign(issuer_key or key, hashes.SHA256())  # type: ignore[arg-type]
    cert_path, key_path = tmp / f"{name}.pem", tmp / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path, key


def server_ctx(cert: Path, key: Path) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx


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
    assert not h.ok and h.summary == f"API http://{HOST}:{quiet}/ unreachable: timeout after 0.5 s"


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
