"""HTTP sessions for enterprise networks: OS trust store, an extra CA, proxy or PAC, timeouts.

TLS verification is always on: there is deliberately no switch to turn it off. A helpdesk with
a private CA is handled by ``destination.ca_bundle`` (PEM), added to the OS trust store.
"""

from __future__ import annotations

import importlib
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from app.helpdesk.errors import DeliveryError
from app.i18n import current
from app.tls_trust import system_store_plus_ca


@dataclass(frozen=True)
class NetworkOptions:
    ca_bundle: Path | None = None
    proxy: str = ""
    proxy_pac_url: str = ""
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 60.0
    # destination.ca_bundle is set by managed policy: then the CAs the environment names
    # (REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE, SSL_CERT_FILE, SSL_CERT_DIR) add nothing, or a
    # user could trust their own certificate around the administrator's choice.
    ca_locked: bool = False


class _TrustStoreAdapter(HTTPAdapter):
    def __init__(self, context: ssl.SSLContext, *, context_only: bool = False) -> None:
        self._context = context
        self._context_only = context_only
        super().__init__()

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        super().cert_verify(conn, url, verify, cert)  # type: ignore[no-untyped-call]
        if self._context_only and url.lower().startswith("https"):
            # Verification stays on; only the context's CAs count, not a file or folder
            # that requests took from the environment (or its own bundle).
            conn.cert_reqs = "CERT_REQUIRED"
            conn.ca_certs = None
            conn.ca_cert_dir = None

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self._context
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        kwargs["ssl_context"] = self._context
        return super().proxy_manager_for(proxy, **kwargs)


def tls_context(ca_bundle: Path | None, *, ignore_env: bool = False) -> ssl.SSLContext:
    """:func:`app.tls_trust.system_store_plus_ca`, with a bad CA bundle said as a config error."""
    try:
        return system_store_plus_ca(ca_bundle, ignore_env=ignore_env)
    except OSError as exc:  # ssl.SSLError is an OSError
        raise DeliveryError(current().tr(
            "the CA bundle {path} cannot be used ({error}); set destination.ca_bundle to a "
            "PEM file with the helpdesk's CA certificate", path=ca_bundle, error=exc),
            kind="config") from None


class _PacSession(requests.Session):
    """Chooses the proxy per request with a PAC file (pypac evaluates it)."""

    def __init__(self, pac_url: str) -> None:
        super().__init__()
        try:
            pypac: Any = importlib.import_module("pypac")
            resolver_mod: Any = importlib.import_module("pypac.resolver")
        except ImportError:
            raise DeliveryError(current().tr(
                "destination.proxy_pac_url is set but PAC support (the pypac package) is not "
                "installed; install it or set destination.proxy instead"),
                kind="config") from None
        pac = pypac.get_pac(url=pac_url, allowed_content_types=None)
        if pac is None:
            raise DeliveryError(current().tr(
                "the PAC file {url} could not be loaded; check destination.proxy_pac_url",
                url=pac_url), kind="network")
        self._resolver = resolver_mod.ProxyResolver(pac)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        # In send, not request: the spec engine prepares its requests itself.
        proxies = self._resolver.get_proxy_for_requests(str(request.url))
        # The PAC file decides over the environment's proxies (which the caller merged in).
        kwargs["proxies"] = {**(kwargs.get("proxies") or {}), **(proxies or {})}
        return super().send(request, **kwargs)


def make_session(options: NetworkOptions) -> requests.Session:
    session: requests.Session = (
        _PacSession(options.proxy_pac_url) if options.proxy_pac_url else requests.Session()
    )
    locked = options.ca_locked
    adapter = _TrustStoreAdapter(tls_context(options.ca_bundle, ignore_env=locked),
                                 context_only=locked)
    session.mount("https://", adapter)
    session.verify = True
    if options.proxy:
        session.proxies = {"http": options.proxy, "https": options.proxy}
        session.trust_env = False
    # Otherwise requests uses the system proxy (environment; registry on Windows; macOS
    # system configuration) through urllib's getproxies().
    session.headers["User-Agent"] = "Flare (problem reporter)"
    return session
