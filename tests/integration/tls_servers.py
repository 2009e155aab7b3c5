"""Local HTTP and HTTPS servers and self-made certificates for the connectivity tests.

Shared by several test modules (test modules never import each other)."""

from __future__ import annotations

import contextlib
import ssl
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

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
