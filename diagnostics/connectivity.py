"""Connectivity checks from policy: DNS, TCP, HTTP(S), TLS certificate; each with a plain summary.

Every check has its own timeout and reports a sentence support can act on, e.g.
"VPN gateway vpn.example:443 unreachable: timeout after 2 s".
"""

from __future__ import annotations

import errno
import functools
import http.client
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from app.daemon_threads import run_bounded
from app.i18n import current
from app.tls_trust import system_store_plus_ca
from diagnostics import x509

DEFAULT_TIMEOUT_S = 2.0
CHECK_TYPES = ("dns", "tcp", "http", "tls")


@dataclass
class CheckResult:
    name: str
    type: str
    target: str
    ok: bool
    summary: str
    latency_ms: float | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def as_data(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "type": self.type, "target": self.target,
                             "ok": self.ok, "summary": self.summary}
        if self.latency_ms is not None:
            d["latency_ms"] = self.latency_ms
        d.update(self.detail)
        return d


class CheckConfigError(ValueError):
    """A check in policy lacks what it needs; the message names the check and the field."""


def _secs(s: float) -> str:
    return current().tr("{seconds} s", seconds=current().number(s))


def describe_error(e: BaseException, timeout_s: float) -> str:
    """An OS-level failure as a short phrase."""
    t = current()
    if isinstance(e, socket.gaierror):
        return t.tr("name not found in DNS")
    if isinstance(e, TimeoutError | socket.timeout):
        return t.tr("no answer within {time}", time=_secs(timeout_s))
    if isinstance(e, ConnectionRefusedError):
        return t.tr("connection refused (nothing listening)")
    if isinstance(e, ConnectionResetError):
        return t.tr("connection reset by the server")
    if isinstance(e, OSError) and e.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return t.tr("network unreachable")
    if isinstance(e, ssl.SSLError):
        return t.tr("TLS error: {error}", error=e.reason or e)
    if isinstance(e, http.client.HTTPException):
        return t.tr("bad HTTP answer: {error}", error=type(e).__name__)
    return f"{type(e).__name__}: {e}"


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 1)


def check_dns(name: str, host: str, timeout_s: float) -> CheckResult:
    t0 = time.perf_counter()
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError as e:
        return CheckResult(name, "dns", host, False,
                           current().tr("{name} {host} does not resolve: {error}", name=name,
                                        host=host, error=describe_error(e, timeout_s)),
                           _ms(t0))
    addrs = sorted({str(i[4][0]) for i in infos})
    ms = _ms(t0)
    return CheckResult(name, "dns", host, True,
                       current().tr("{name} {host} resolves to {addresses} in {ms} ms",
                                    name=name, host=host, addresses=", ".join(addrs[:3]),
                                    ms=current().number(ms, 0)), ms,
                       {"addresses": addrs})


def check_tcp(name: str, host: str, port: int, timeout_s: float) -> CheckResult:
    target = f"{host}:{port}"
    t0 = time.perf_counter()
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            pass
    except OSError as e:
        return CheckResult(name, "tcp", target, False, _unreachable(name, target, e, timeout_s),
                           _ms(t0))
    ms = _ms(t0)
    return CheckResult(name, "tcp", target, True, current().tr(
        "{name} {target} reachable in {ms} ms", name=name, target=target,
        ms=current().number(ms, 0)), ms)


def _unreachable(name: str, target: str, e: BaseException, timeout_s: float) -> str:
    return current().tr("{name} {target} unreachable: {error}", name=name, target=target,
                        error=describe_error(e, timeout_s))


def _cert_text(info: x509.CertInfo) -> str:
    t = current()
    exp = t.tr(", expires {date}", date=f"{info.not_after:%Y-%m-%d}") if info.not_after else ""
    return t.tr("issued to {subject} by {issuer}", subject=info.subject or "?",
                issuer=info.issuer or "?") + exp


def _peer_cert_unverified(host: str, port: int, timeout_s: float) -> x509.CertInfo | None:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((host, port), timeout=timeout_s) as raw, \
                ctx.wrap_socket(raw, server_hostname=host) as s:
            der = s.getpeercert(binary_form=True)
        return x509.parse(der) if der else None
    except (OSError, ValueError):
        return None


def check_tls(
    name: str, host: str, port: int, timeout_s: float, *, ca_file: str | None = None,
    expect_issuer: str = "", now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> CheckResult:
    target = f"{host}:{port}"
    t0 = time.perf_counter()
    try:
        with socket.create_connection((host, port), timeout=timeout_s) as raw, \
                system_store_plus_ca(ca_file).wrap_socket(raw, server_hostname=host) as s:
            der = s.getpeercert(binary_form=True)
            version = s.version() or ""
    except ssl.SSLCertVerificationError as e:
        ms = _ms(t0)
        seen = _peer_cert_unverified(host, port, timeout_s)
        why = str(e.verify_message or e.reason or e)
        detail: dict[str, Any] = {"verify_error": why}
        if seen:
            detail.update(_cert_detail(seen))
            if seen.not_after and seen.not_after < now():
                why = current().tr("certificate expired on {date}",
                                   date=f"{seen.not_after:%Y-%m-%d}")
            elif seen.self_signed and "self" not in why.lower():
                why += current().tr(" (self-signed)")
        text = _untrusted(name, target, why)
        if seen:
            text += f"; {_cert_text(seen)}"
        return CheckResult(name, "tls", target, False, text, ms, detail)
    except OSError as e:
        return CheckResult(name, "tls", target, False, _unreachable(name, target, e, timeout_s),
                           _ms(t0))
    ms = _ms(t0)
    info = x509.parse(der) if der else x509.CertInfo("", "", None, None)
    detail = {"tls_version": version, **_cert_detail(info)}
    t = current()
    text = t.tr("{name} {target} TLS ok ({version}), {certificate}", name=name, target=target,
                version=version, certificate=_cert_text(info))
    ok = True
    if expect_issuer and expect_issuer.lower() not in info.issuer.lower():
        ok = False
        text = t.tr("{name} {target} certificate issued by {issuer}, expected {expected}: a "
                    "TLS-inspection proxy may be in the way", name=name, target=target,
                    issuer=info.issuer, expected=expect_issuer)
    elif info.not_after and (info.not_after - now()).days < 14:
        text += t.ntr(" — expires in {n} day", " — expires in {n} days",
                      n=(info.not_after - now()).days)
        detail["expires_soon"] = True
    return CheckResult(name, "tls", target, ok, text, ms, detail)


def _untrusted(name: str, target: str, why: str) -> str:
    return current().tr("{name} {target} TLS certificate not trusted: {reason}", name=name,
                        target=target, reason=why)


def _cert_detail(info: x509.CertInfo) -> dict[str, Any]:
    return {
        "subject": info.subject,
        "issuer": info.issuer,
        "not_after": info.not_after.isoformat() if info.not_after else None,
        "self_signed": info.self_signed,
    }


def check_http(
    name: str, url: str, timeout_s: float, *, expect_status: list[int] | None = None,
    ca_file: str | None = None,
) -> CheckResult:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CheckConfigError(f"check {name!r}: url {url!r} must start with http:// or https://")
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout_s,
                                           context=system_store_plus_ca(ca_file))
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout_s)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    t0 = time.perf_counter()
    try:
        conn.request("GET", path,
                     headers={"User-Agent": "Flare-diagnostics", "Connection": "close"})
        resp = conn.getresponse()
        status = resp.status
    except ssl.SSLCertVerificationError as e:
        why = str(e.verify_message or e.reason or e)
        return CheckResult(name, "http", url, False, _untrusted(name, url, why), _ms(t0))
    except (OSError, http.client.HTTPException) as e:
        return CheckResult(name, "http", url, False, _unreachable(name, url, e, timeout_s),
                           _ms(t0))
    finally:
        conn.close()
    ms = _ms(t0)
    ok = status in expect_status if expect_status else status < 400
    t = current()
    text = t.tr("{name} {url}: HTTP {status} in {ms} ms", name=name, url=url, status=status,
                ms=current().number(ms, 0))
    if not ok:
        want = "/".join(map(str, expect_status)) if expect_status else t.tr("below 400")
        text = t.tr("{name} {url} answered HTTP {status}, expected {expected}", name=name,
                    url=url, status=status, expected=want)
    return CheckResult(name, "http", url, ok, text, ms, {"status": status})


def run_check(spec: dict[str, Any]) -> CheckResult:
    """Run one policy check; raises :class:`CheckConfigError` if the policy entry is incomplete."""
    kind = str(spec.get("type", ""))
    name = str(spec.get("name") or spec.get("host") or spec.get("url") or kind)
    timeout = float(spec.get("timeout_s") or DEFAULT_TIMEOUT_S)
    if kind not in CHECK_TYPES:
        raise CheckConfigError(
            f"check {name!r}: type {kind!r} is not one of {', '.join(CHECK_TYPES)}")
    if kind == "http":
        url = str(spec.get("url") or "")
        if not url:
            raise CheckConfigError(f"check {name!r}: an http check needs 'url'")
        raw = spec.get("expect_status")
        expect = [int(x) for x in (raw if isinstance(raw, list) else [raw])] if raw else None
        return check_http(name, url, timeout, expect_status=expect, ca_file=spec.get("ca_file"))
    host = str(spec.get("host") or "")
    if not host:
        raise CheckConfigError(f"check {name!r}: a {kind} check needs 'host'")
    if kind == "dns":
        return check_dns(name, host, timeout)
    port = spec.get("port") or (443 if kind == "tls" else None)
    if not port:
        raise CheckConfigError(f"check {name!r}: a tcp check needs 'port'")
    if kind == "tcp":
        return check_tcp(name, host, int(port), timeout)
    return check_tls(name, host, int(port), timeout, ca_file=spec.get("ca_file"),
                     expect_issuer=str(spec.get("expect_issuer") or ""))


def run_checks(specs: list[dict[str, Any]], budget_s: float) -> list[CheckResult]:
    """All checks in parallel; any still running at its timeout (or the budget) is reported as
    a timeout and abandoned, so the total never exceeds ``budget_s``."""

    def safe(i: int) -> CheckResult:
        try:
            return run_check(specs[i])
        except CheckConfigError as e:
            return CheckResult(str(specs[i].get("name") or f"check {i + 1}"),
                               str(specs[i].get("type", "")), "", False,
                               f"misconfigured: {e}", detail={"config_error": True})
        except Exception as e:
            return CheckResult(str(specs[i].get("name") or f"check {i + 1}"),
                               str(specs[i].get("type", "")), "", False,
                               f"check failed: {type(e).__name__}: {e}")

    # DNS + connect + TLS each may take up to the timeout; allow a little slack, never past
    # the budget.
    limits = [min(float(spec.get("timeout_s") or DEFAULT_TIMEOUT_S) + 0.5, budget_s)
              for spec in specs]
    tasks: list[Callable[[], CheckResult]] = [functools.partial(safe, i) for i in range(len(specs))]
    results = run_bounded(tasks, limits,
                          name="flare-check")
    out = []
    for i, (spec, limit, r) in enumerate(zip(specs, limits, results, strict=True)):
        if r is None:
            name = str(spec.get("name") or spec.get("host") or spec.get("url") or f"check {i + 1}")
            target = str(spec.get("url") or spec.get("host") or "")
            if spec.get("port"):
                target += f":{spec['port']}"
            r = CheckResult(name, str(spec.get("type", "")), target, False,
                            f"{name} {target} unreachable: no answer within {_secs(limit)}")
        out.append(r)
    return out
