"""Redaction of everything a collector returns, before it is shown or stored.

Two layers, like sos: secrets are always removed, matched by their real shape (a GitHub token,
a JWT, a PEM private key, ``password=`` in a connection string, the value of a variable whose
*name* looks secret) rather than by keywords, so ordinary log lines mentioning "password" stay
readable. Personal data (e-mail, IP and MAC addresses, host and user names) is replaced only
when policy asks, by pseudonyms that stay the same within one :class:`Redactor` — one report —
so support can still tell that two lines talk about the same machine.
"""

from __future__ import annotations

import ipaddress
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

# Personal data a policy may ask to replace by pseudonyms (diagnostics.redact); secrets always go.
PII_KINDS: frozenset[str] = frozenset({"email", "ip", "mac", "hostname", "username"})

MARK = "[REDACTED"

# Secret shapes: (kind, pattern). Order matters: wider contexts first.
_PEM = re.compile(
    r"-----BEGIN (?P<label>[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?)-----"
    r".*?(?:-----END (?P=label)-----|\Z)",
    re.DOTALL,
)
_HEADER = re.compile(
    r"(?im)(?P<name>\b(?:proxy-)?authorization|\bset-cookie|\bcookie|\bx-api-key|\bx-auth-token)"
    r"(?P<sep>[\"']?[ \t]*[:=][ \t]*[\"']?)(?P<value>[^\r\n\"']+)"
)
_URL_USERINFO = re.compile(
    r"(?i)\b(?P<head>[a-z][a-z0-9+.\-]*://[^\s/:@]+:)(?P<value>[^\s/@]+)(?=@)"
)
_NAME = r"[A-Za-z_][A-Za-z0-9_.\-]*"
_ASSIGN_QUOTED = re.compile(
    r"(?P<q>[\"'])(?P<name>" + _NAME + r")(?P=q)(?P<sep>[ \t]*:[ \t]*)"
    r"(?P<vq>[\"'])(?P<value>(?:\\.|(?!(?P=vq)).)*)(?P=vq)"
)
_ASSIGN_EQ = re.compile(
    r"(?<![\w.\-])(?P<name>" + _NAME + r")(?P<sep>[ \t]*=[ \t]*)"
    r"(?P<value>\"[^\"\n]*\"|'[^'\n]*'|[^\s;&,\"']+)"
)
_ASSIGN_COLON_LINE = re.compile(
    r"(?m)^(?P<lead>[ \t]*(?:export[ \t]+)?)(?P<name>" + _NAME + r")(?P<sep>[ \t]*:[ \t]+)"
    r"(?P<value>[^\s\"'][^\r\n]*?)[ \t]*$"
)
_TOKENS: list[tuple[str, re.Pattern[str]]] = [
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}")),
    (
        "aws_key",
        re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA)[A-Z0-9]{16}\b"),
    ),
    (
        "github_token",
        re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b"),
    ),
    (
        "gitlab_token",
        re.compile(r"\bgl(?:pat|dt|rt|ptt|ft|cbt|oas|soat|imt|agent)-[A-Za-z0-9_\-]{20,}"),
    ),
    ("slack_token", re.compile(r"\bxox[abposr]-[A-Za-z0-9\-]{10,}")),
    ("slack_webhook", re.compile(r"https://hooks\.slack\.com/services/[A-Za-z0-9/_\-]+")),
    ("google_api_key", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}(?![0-9A-Za-z_\-])")),
    ("stripe_key", re.compile(r"\b(?:sk|rk)_live_[0-9A-Za-z]{24,}\b")),
    ("bearer_token", re.compile(r"(?<=\bBearer )[A-Za-z0-9\-._~+/]{16,}=*")),
]

# Personal data shapes.
_EMAIL = re.compile(
    r"(?<![\w.+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}\b"
)
_MAC = re.compile(
    r"(?<![0-9A-Fa-f:\-])[0-9A-Fa-f]{2}(?P<s>[:\-])(?:[0-9A-Fa-f]{2}(?P=s)){4}[0-9A-Fa-f]{2}"
    r"(?![0-9A-Fa-f:\-])"
)
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)")
_IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?:%[\w.]+)?(?![\w:])")

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NOT_SECRET_LAST = frozenset(
    [
        "file", "path", "dir", "sock", "socket", "length", "len", "min", "max", "count",
        "policy", "hint", "expiry", "expires", "expire", "set", "required", "enabled",
        "type", "url", "uri", "name", "env", "prompt", "command", "cmd", "helper",
        "timeout", "ttl", "age", "store", "manager", "field", "format", "mode", "id_file",
        "endpoint"
    ]
)
_NOT_SECRET_KEY_OWNER = frozenset(
    [
        "primary", "foreign", "sort", "partition", "cache", "hot", "shortcut", "lookup",
        "registry", "reg", "public", "dict", "map", "group", "row", "index", "idx",
        "unique", "hash", "routing", "sequence"
    ]
)
_PLACEHOLDER = re.compile(
    r"^(?:|\*+|x{3,}|X{3,}|<[^>]*>|\$\{[^}]*\}|\$[A-Za-z_]\w*|%\([^)]*\)s|\{\{.*\}\}|null|none|"
    r"nil|true|false|yes|no|redacted|\[REDACTED[^\]]*\])$",
    re.IGNORECASE,
)
_SYSTEM_USERS = frozenset(
    {
        "root", "system", "daemon", "nobody", "bin", "sys", "adm", "messagebus", "syslog",
        "www-data", "local service", "network service", "nt authority\\system",
        "nt authority\\local service", "nt authority\\network service",
    }
)
_HOST_KEYS = frozenset({"hostname", "fqdn", "computer_name", "computername", "nodename"})
_USER_KEYS = frozenset({"user", "username", "user_name", "login", "owner"})


def looks_secret_name(name: str) -> bool:
    """True for names like ``GITHUB_TOKEN``, ``db.password``, ``clientSecret``, ``AWS_..._KEY``."""
    norm = re.sub(r"[^a-z0-9]+", "_", _CAMEL.sub("_", name).lower()).strip("_")
    parts = [p for p in norm.split("_") if p]
    if not parts or parts[-1] in _NOT_SECRET_LAST or "public" in parts:
        return False
    if any(s in norm for s in ("password", "passwd", "passphrase", "secret")):
        return True
    words = set(parts)
    if words & {"token", "pwd", "pass", "credential", "credentials", "apikey", "passcode"}:
        return True
    if norm in ("sig", "accountkey", "sharedaccesskey", "access_key", "authtoken",
                "authorization", "proxy_authorization", "cookie", "set_cookie"):
        return True
    if parts[-1] in ("key", "accountkey", "sharedaccesskey", "apikey") and len(parts) >= 2:
        return parts[-2] not in _NOT_SECRET_KEY_OWNER
    return parts[-1] in ("apikey", "accountkey", "sharedaccesskey")


def _is_placeholder(value: str) -> bool:
    return bool(_PLACEHOLDER.match(value.strip("\"'").strip()))


def _looks_like_path(value: str) -> bool:
    v = value.strip("\"'")
    return v.startswith(("/", "~")) or bool(re.match(r"^[A-Za-z]:\\", v))


class Redactor:
    """Redacts text and JSON-like data; pseudonyms stay stable for the instance's lifetime.

    ``kinds`` is the policy list of personal data to replace (email, ip, mac, hostname,
    username); secrets are always removed. ``known_hosts`` and ``known_users`` are literal
    values (this machine's names) replaced wherever they occur when that kind is enabled.
    Thread-safe: collectors running in parallel share one instance.
    """

    def __init__(
        self,
        kinds: Iterable[str] = (),
        *,
        known_hosts: Iterable[str] = (),
        known_users: Iterable[str] = (),
    ) -> None:
        self.kinds = frozenset(kinds) & PII_KINDS
        self._lock = threading.RLock()
        self._names: dict[str, dict[str, str]] = {k: {} for k in PII_KINDS}
        self._literals: dict[str, set[str]] = {"hostname": set(), "username": set()}
        self._literal_re: dict[str, re.Pattern[str] | None] = {"hostname": None, "username": None}
        for h in known_hosts:
            self._learn("hostname", h)
        for u in known_users:
            self._learn("username", u)

    # -- pseudonyms -------------------------------------------------------------------------
    def pseudonym(self, kind: str, value: str) -> str:
        key = value.lower()
        with self._lock:
            table = self._names[kind]
            if key not in table:
                n = len(table) + 1
                table[key] = {
                    "email": f"email-{n}@redacted",
                    "ip": f"ip-{n}",
                    "mac": f"mac-{n}",
                    "hostname": f"host-{n}",
                    "username": f"user-{n}",
                }[kind]
            return table[key]

    def _learn(self, kind: str, value: str) -> None:
        value = value.strip()
        if len(value) < 3 or value.lower() in _SYSTEM_USERS or value.startswith("_"):
            return
        with self._lock:
            lits = self._literals[kind]
            if value.lower() in lits:
                return
            lits.add(value.lower())
            if kind == "hostname" and "." in value:
                short = value.split(".", 1)[0]
                if len(short) >= 3:
                    lits.add(short.lower())
            alts = sorted(lits, key=len, reverse=True)
            self._literal_re[kind] = re.compile(
                r"(?<![\w\-])(?:" + "|".join(re.escape(a) for a in alts) + r")(?![\w\-])",
                re.IGNORECASE,
            )

    # -- text -------------------------------------------------------------------------------
    def text(self, s: str) -> tuple[str, Counter[str]]:
        """Return ``s`` redacted, with the number of redactions per kind."""
        counts: Counter[str] = Counter()
        s = self._secrets(s, counts)
        if self.kinds:
            s = self._pii(s, counts)
        return s, counts

    def _secrets(self, s: str, counts: Counter[str]) -> str:
        def sub(kind: str, pat: re.Pattern[str], s: str, group: str | None = None) -> str:
            def repl(m: re.Match[str]) -> str:
                if group is None:
                    counts[kind] += 1
                    return f"{MARK}:{kind}]"
                value = m.group(group)
                if value.startswith(MARK) or _is_placeholder(value):
                    return m.group(0)
                counts[kind] += 1
                start, end = m.span(group)
                base = m.start(0)
                whole = m.group(0)
                return whole[: start - base] + f"{MARK}:{kind}]" + whole[end - base :]

            return pat.sub(repl, s)

        if "PRIVATE KEY" in s:
            s = sub("private_key", _PEM, s)
        s = sub("auth_header", _HEADER, s, "value")
        if "://" in s:
            s = sub("url_password", _URL_USERINFO, s, "value")
        s = self._assignments(s, counts)
        for kind, pat in _TOKENS:
            s = sub(kind, pat, s)
        return s

    def _assignments(self, s: str, counts: Counter[str]) -> str:
        def repl(m: re.Match[str]) -> str:
            name, value = m.group("name"), m.group("value")
            if not looks_secret_name(name) or value.startswith(MARK) or _is_placeholder(value):
                return m.group(0)
            if name.lower() in ("pwd", "oldpwd") and _looks_like_path(value):
                return m.group(0)
            counts["secret_value"] += 1
            start, end = m.span("value")
            base = m.start(0)
            whole = m.group(0)
            return whole[: start - base] + f"{MARK}:secret_value]" + whole[end - base :]

        if "=" in s:
            s = _ASSIGN_EQ.sub(repl, s)
        if ":" in s:
            s = _ASSIGN_QUOTED.sub(repl, s)
            s = _ASSIGN_COLON_LINE.sub(repl, s)
        return s

    def _pii(self, s: str, counts: Counter[str]) -> str:
        Repl = Callable[[re.Match[str]], str]

        def replacer(kind: str, canon: Callable[[str], str | None]) -> Repl:
            def repl(m: re.Match[str]) -> str:
                key = canon(m.group(0))
                if key is None:
                    return m.group(0)
                counts[kind] += 1
                return self.pseudonym(kind, key)

            return repl

        if "email" in self.kinds and "@" in s:
            s = _EMAIL.sub(replacer("email", lambda v: v), s)
        if "mac" in self.kinds:
            s = _MAC.sub(replacer("mac", _canon_mac), s)
        if "ip" in self.kinds:
            s = _IPV4.sub(replacer("ip", _canon_ip), s)
            if ":" in s:
                s = _IPV6.sub(replacer("ip", _canon_ip), s)
        for kind in ("hostname", "username"):
            pat = self._literal_re[kind]
            if kind in self.kinds and pat is not None:
                s = pat.sub(replacer(kind, lambda v: v), s)
        return s

    # -- data -------------------------------------------------------------------------------
    def data(self, obj: Any) -> tuple[Any, Counter[str]]:
        """Redact every string inside JSON-like ``obj``; returns a new object and counts."""
        counts: Counter[str] = Counter()
        return self._walk(obj, counts, None), counts

    def _walk(self, obj: Any, counts: Counter[str], key: str | None) -> Any:
        if isinstance(obj, str):
            if key is not None:
                handled = self._by_key(key, obj, counts)
                if handled is not None:
                    return handled
            out, c = self.text(obj)
            counts.update(c)
            return out
        if isinstance(obj, dict):
            return {k: self._walk(v, counts, str(k)) for k, v in obj.items()}
        if isinstance(obj, list | tuple):
            return [self._walk(v, counts, key) for v in obj]
        return obj

    def _by_key(self, key: str, value: str, counts: Counter[str]) -> str | None:
        if value.startswith(MARK):
            return value
        is_path_var = key.lower() in ("pwd", "oldpwd") and _looks_like_path(value)
        if looks_secret_name(key) and not _is_placeholder(value) and not is_path_var:
            counts["secret_value"] += 1
            return f"{MARK}:secret_value]"
        k = key.lower()
        for kind, keys in (("hostname", _HOST_KEYS), ("username", _USER_KEYS)):
            if k in keys and kind in self.kinds and value.strip():
                bare = value.split("\\")[-1]
                if bare.lower() in _SYSTEM_USERS or value.lower() in _SYSTEM_USERS:
                    return value
                self._learn(kind, bare)
                counts[kind] += 1
                return self.pseudonym(kind, bare)
        return None


def _canon_mac(v: str) -> str | None:
    mac = v.lower().replace("-", ":")
    return None if mac in ("00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff") else mac


def _canon_ip(v: str) -> str | None:
    try:
        addr = ipaddress.ip_address(v.split("%", 1)[0])
    except ValueError:
        return None
    if addr.is_loopback or addr.is_unspecified:
        return None
    return str(addr)
