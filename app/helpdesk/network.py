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


@dataclass(frozen=True)
class NetworkOptions:
    ca_bundle: Path | None = None
    proxy: str = ""
    proxy_pac_url: str = ""
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 60.0


class _TrustStoreAdapter(HTTPAdapter):
    def __init__(self, context: ssl.SSLContext) -> None:
        self._context = context
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self._context
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        kwargs["ssl_context"] = self._context
        return super().proxy_manager_for(proxy, **kwargs)


def tls_context(ca_bundle: Path | None) -> ssl.SSLContext:
    """The OS trust store (truststore), plus ``ca_bundle`` when given."""
    try:
        import truststore

        ctx: ssl.SSLContext = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    except ImportError:  # pragma: no cover - truststore is a dependency
        ctx = ssl.create_default_context()
    if ca_bundle is not None:
        try:
            ctx.load_verify_locations(cafile=str(ca_bundle))
        except (OSError, ssl.SSLError) as exc:
            raise DeliveryError(
                f"the CA bundle {ca_bundle} cannot be used ({exc}); set destination.ca_bundle "
                "to a PEM file with the helpdesk's CA certificate",
                kind="config",
            ) from None
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


class _PacSession(requests.Session):
    """Chooses the proxy per request with a PAC file (pypac evaluates it)."""

    def __init__(self, pac_url: str) -> None:
        super().__init__()
        try:
            pypac: Any = importlib.import_module("pypac")
            resolver_mod: Any = importlib.import_module("pypac.resolver")
        except ImportError:
            raise DeliveryError(
                "destination.proxy_pac_url is set but PAC support (the pypac package) is not "
                "installed; install it or set destination.proxy instead",
                kind="config",
            ) from None
        pac = pypac.get_pac(url=pac_url, allowed_content_types=None)
        if pac is None:
            raise DeliveryError(f"the PAC file {pac_url} could not be loaded; check "
                                "destination.proxy_pac_url", kind="network")
        self._resolver = resolver_mod.ProxyResolver(pac)

    def request(self, method: str | bytes, url: str | bytes, *args: Any,
                **kwargs: Any) -> requests.Response:
        proxies = self._resolver.get_proxy_for_requests(str(url))
        kwargs["proxies"] = {**(proxies or {}), **(kwargs.get("proxies") or {})}
        return super().request(method, url, *args, **kwargs)


def make_session(options: NetworkOptions) -> requests.Session:
    session: requests.Session = (
        _PacSession(options.proxy_pac_url) if options.proxy_pac_url else requests.Session()
    )
    adapter = _TrustStoreAdapter(tls_context(options.ca_bundle))
    session.mount("https://", adapter)
    session.verify = True
    if options.proxy:
        session.proxies = {"http": options.proxy, "https": options.proxy}
        session.trust_env = False
    # Otherwise requests uses the system proxy (environment; registry on Windows; macOS
    # system configuration) through urllib's getproxies().
    session.headers["User-Agent"] = "Flare (problem reporter)"
    return session
