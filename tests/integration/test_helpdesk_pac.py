"""A PAC URL from policy really chooses the proxy: PAC file and proxy both run on 127.0.0.1."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

import pytest

from app.helpdesk.errors import DeliveryError
from app.helpdesk.network import NetworkOptions, make_session
from tests.integration.pac_server import serve
from tests.netutil import closed_port


def test_pac_routes_the_helpdesk_through_the_proxy_it_names() -> None:
    seen: list[str] = []

    class Proxy(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            # A proxy receives the absolute URL; it answers itself (no traffic leaves loopback).
            seen.append(self.path)
            body = b"via proxy"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with serve(Proxy) as proxy_port:
        pac = (
            "function FindProxyForURL(url, host) {\n"
            f'  if (dnsDomainIs(host, ".corp.test")) return "PROXY 127.0.0.1:{proxy_port}";\n'
            '  return "DIRECT";\n}\n'
        ).encode()

        class PacFile(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ns-proxy-autoconfig")
                self.send_header("Content-Length", str(len(pac)))
                self.end_headers()
                self.wfile.write(pac)

            def log_message(self, *args: object) -> None:
                pass

        with serve(PacFile) as pac_port:
            session = make_session(
                NetworkOptions(proxy_pac_url=f"http://127.0.0.1:{pac_port}/proxy.pac")
            )
            resp = session.get("http://helpdesk.corp.test/REST/2.0/", timeout=5)
            # A host the PAC sends DIRECT must not touch the proxy.
            direct = session.get(f"http://127.0.0.1:{pac_port}/proxy.pac", timeout=5)
            session.close()
    assert resp.status_code == 200 and resp.text == "via proxy"
    assert seen == ["http://helpdesk.corp.test/REST/2.0/"]
    assert direct.status_code == 200 and b"FindProxyForURL" in direct.content


def test_unreachable_pac_file_is_a_clear_error() -> None:
    port = closed_port()
    with pytest.raises(DeliveryError, match="destination.proxy_pac_url"):
        make_session(NetworkOptions(proxy_pac_url=f"http://127.0.0.1:{port}/proxy.pac"))
