"""The one TLS trust rule Flare has: the operating system's trust store (corporate CAs
included), plus the CA file the administrator names.

Delivery and the connectivity diagnostics use the same rule, so a check that says "TLS ok"
means the report will get through too.
"""

from __future__ import annotations

import os
import ssl
import sys
from pathlib import Path


def _openssl_defaults_ignoring_env() -> ssl.SSLContext:
    """OpenSSL's built-in CA locations, not the ones SSL_CERT_FILE/SSL_CERT_DIR name (on
    Linux, truststore reads OpenSSL's defaults, which honour those variables)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    paths = ssl.get_default_verify_paths()
    cafile = paths.openssl_cafile if os.path.isfile(paths.openssl_cafile) else None
    capath = paths.openssl_capath if os.path.isdir(paths.openssl_capath) else None
    if cafile or capath:
        ctx.load_verify_locations(cafile=cafile, capath=capath)
    return ctx


def system_store_plus_ca(ca_file: Path | str | None = None, *,
                         ignore_env: bool = False) -> ssl.SSLContext:
    """A client context trusting the OS store plus ``ca_file`` (PEM) when given; hostname
    checked, certificate required. ``ignore_env``: when policy sets the CA file, the CAs the
    environment names are not trusted (someone who can set variables must not add a CA).

    Raises OSError (ssl.SSLError included) when ``ca_file`` cannot be read as CA certificates.
    """
    ctx: ssl.SSLContext
    if ignore_env and sys.platform.startswith("linux"):
        ctx = _openssl_defaults_ignoring_env()
    else:
        try:
            import truststore

            ctx = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        except ImportError:  # pragma: no cover - truststore is a dependency
            ctx = ssl.create_default_context()
    if ca_file:
        ctx.load_verify_locations(cafile=str(ca_file))
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx
