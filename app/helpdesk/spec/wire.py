"""What Flare puts on the wire and reads back from it, apart from the request itself: header
names and values, the origin that credentials stay with, dot segments in a URL path, the
Retry-After header and the short texts that HTTP and TLS failures are reported with."""

from __future__ import annotations

import re
import time
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urlsplit

from app.helpdesk.errors import SpecError
from app.helpdesk.spec.template import to_text
from app.i18n import current

_TOKEN_RE = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]+")

# A helpdesk's error text is kept, but not a whole HTML error page.
_MAX_MESSAGE = 500


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


def _origin(url: str) -> str:
    return url.split("?", 1)[0]


def origin_of(url: str) -> str:
    """scheme://host:port, the unit a browser (and Flare) trusts with credentials."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme, 0)
    except ValueError:
        port = -1
    return f"{scheme}://{(parts.hostname or '').lower()}:{port}"


def escape_dot_segments(url: str) -> str:
    """Path segments that are only dots, percent-encoded: a spec never writes "/../" into a
    URL, so any such segment came from a value and stays a name, not a step up."""
    parts = urlsplit(url)
    segments = ["%2E" * len(seg) if seg and set(seg) == {"."} else seg
                for seg in parts.path.split("/")]
    return parts._replace(path="/".join(segments)).geturl()


def header_name(name: Any, where: str) -> str:
    """A header name is a token (RFC 9110): a value that is not one never becomes a name."""
    text = to_text(name, where)
    if not _TOKEN_RE.match(text):
        raise SpecError(current().tr("{where}: {text} is not a valid HTTP header name",
                                     where=where, text=repr(text)))
    return text


def header_value(value: str) -> str:
    """A header value on one line, in Latin-1 as HTTP/1.1 carries it: line breaks and
    control characters become spaces, blanks at either end go; other characters are
    percent-encoded (UTF-8)."""
    # Leading and trailing blanks are not part of a header value (RFC 9110 5.5), and
    # requests refuses a value that starts with one.
    text = _CONTROL_RE.sub(" ", value).strip()
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        text = "".join(c if ord(c) < 256 else quote(c, safe="") for c in text)
    return text


def _tls_reason(exc: Exception) -> str:
    text = str(exc)
    m = re.search(r"certificate verify failed: ([^()'\]]+)", text)
    if m:
        return m.group(1).strip()
    if "hostname" in text.lower() and "match" in text.lower():
        return "the certificate is for another host name"
    m = re.search(r"\[SSL: ([A-Z_]+)\]", text)
    return m.group(1).replace("_", " ").lower() if m else "TLS handshake failed"


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"


def _short(exc: Exception) -> str:
    text = str(exc)
    m = re.search(r"\[Errno -?\d+\] ([^')\]]+)", text)
    if m:
        return m.group(1)
    if "Connection refused" in text:
        return "connection refused"
    return _clip(text.split(":")[-1].strip() or type(exc).__name__)


def _is_connect_failure(exc: Exception) -> bool:
    text = str(exc)
    return any(s in text for s in ("NewConnectionError", "Connection refused",
                                   "Name or service not known", "nodename nor servname",
                                   "getaddrinfo failed", "No route to host"))
