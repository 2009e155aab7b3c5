"""Redaction of everything a collector returns, before it is shown or stored.

Two layers, like sos. Secrets are always removed, matched by their real shape (a GitHub token,
a JWT, a PEM or PuTTY private key, ``password=`` in a connection string, ``--password …`` on a
command line, the value of a variable whose *name* looks secret, in English, Russian or
Ukrainian) rather than by keywords, so ordinary log lines mentioning "password" stay readable.
Card numbers, IBANs, national identity numbers and phone numbers are always removed too
(diagnostics/redact_numbers.py): nobody needs them to fix a computer. Other personal data
(e-mail, IP and MAC addresses, host and user names) is replaced only when policy asks, by
pseudonyms that stay the same within one :class:`Redactor` — one report — so support can still
tell that two lines talk about the same machine.

The detectors live beside this module: redact_tokens (key shapes), redact_argv (command lines),
redact_text (passwords announced in running text), redact_numbers (checked numbers),
redact_hosts (host names), redact_triggers (the words that decide which text is looked at),
redact_words (the tunable word lists in resources/redaction/words.yaml); bidi.py neutralises
bidi control characters.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
import threading
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import accumulate
from typing import Any

from app.bidi import neutralise_bidi
from diagnostics import (
    redact_argv,
    redact_hosts,
    redact_numbers,
    redact_text,
    redact_tokens,
    redact_triggers,
)
from diagnostics.redact_triggers import has_trigger
from diagnostics.redact_words import words

# Personal data a policy may ask to replace by pseudonyms (diagnostics.redact); secrets always go.
PII_KINDS: frozenset[str] = frozenset({"email", "ip", "mac", "hostname", "username"})

MARK = "[REDACTED"

_HEADER = re.compile(
    r"(?im)(?P<name>\b(?:proxy-)?authorization|\bset-cookie|\bcookie|\bx-api-key|\bx-auth-token)"
    r"(?P<sep>[\"']?[ \t]*[:=][ \t]*[\"']?)(?P<value>[^\r\n\"']+)"
)
_URL_USERINFO = re.compile(
    r"(?i)\b(?P<head>[a-z][a-z0-9+.\-]*://[^\s/:@]*:)(?P<value>[^\s/@]+)(?=@)"
)
# A variable name: letters of any script (a Cyrillic ПАРОЛЬ_БД too), digits, _ . -
_NAME = r"[^\W\d][\w.\-]*"
_ASSIGN_QUOTED = re.compile(
    r"(?P<q>[\"'])(?P<name>" + _NAME + r")(?P=q)(?P<sep>[ \t]*:[ \t]*)"
    r"(?P<vq>[\"'])(?P<value>(?:\\.|(?!(?P=vq)).)*)(?P=vq)"
)
# JSON inside a JSON string: {\"db.password\":\"…\"}
_ASSIGN_QUOTED_ESC = re.compile(
    r'\\"(?P<name>' + _NAME + r')\\"[ \t]*:[ \t]*\\"(?P<value>(?:(?!\\").)*)\\"'
)
# name=value inline; "-Ddb.password=" (a JVM property) counts although "D" precedes the name.
_ASSIGN_EQ = re.compile(
    r"(?:(?<=-D)|(?<![\w.\-]))(?P<name>\w[\w.\-]*)(?P<sep>[ \t]*=(?![=>])[ \t]*)"
    r"(?P<value>\"[^\"\n]*\"|'[^'\n]*'|[^\s;&,\"']+)"
)
# ini and .env lines: the value runs to the end of the line, blanks included.
_ASSIGN_EQ_LINE = re.compile(
    r"(?m)^(?P<lead>[ \t]*(?:export[ \t]+|set[ \t]+|SET[ \t]+)?)(?P<name>" + _NAME + r")"
    r"(?P<sep>[ \t]*=(?![=>])[ \t]*)(?P<value>[^\s\"'][^\r\n]*?)[ \t]*$"
)
# name: value anywhere on a line (YAML, a log line's "… db: password: x"), quoted or not; a
# colon without a blank after it ("libsecret-1-0:amd64", "host:port") is not an assignment.
_ASSIGN_COLON = re.compile(
    r"(?m)(?<![\w.\-])(?P<name>\w[\w.\-]*)(?P<sep>[ \t]*:(?:[ \t]+|(?=[\"'])))"
    r"(?P<value>\"(?:\\.|[^\"\\\n])*\"|'[^'\n]*'|[^\s\"'][^\r\n]*?)[ \t]*$"
)
# "name value" config lines (ldap.conf bindpw, kickstart rootpw --plaintext, sssd, .pgpass-like)
_ASSIGN_SPACE_LINE = re.compile(
    r"(?m)^[ \t]*(?P<name>" + _NAME + r")(?:[ \t]+--?[A-Za-z][\w\-]*)*[ \t]+(?P<value>[^\s=:]\S*)"
    r"[ \t]*$"
)
_PLAIN_WORDS = frozenset({"password", "passwd", "passphrase", "passcode", "token", "secret",
                          "pin", "pwd", "pass", "credentials", "cookie", "key"})
# Words a log line puts after "Password"/"Token" that say what happened, not what it is.
_STATUS_WORDS = frozenset({
    "expired", "changed", "incorrect", "required", "reset", "ok", "failed", "saved", "accepted",
    "updated", "invalid", "rejected", "removed", "set", "unset", "cleared", "missing", "empty",
    "wrong", "mismatch", "refreshed", "revoked", "created", "deleted", "verified", "locked",
})
# YAML block scalars: "password: |" and the more-indented lines after it are the value.
_YAML_BLOCK = re.compile(
    r"(?m)^(?P<ind>[ \t]*)(?:-[ \t]+)?(?P<name>" + _NAME + r")[ \t]*:[ \t]*[|>][-+0-9]*[ \t]*\n"
    r"(?P<value>(?:(?P=ind)[ \t]+[^\n]*(?:\n|\Z))+)"
)
_YAML_BLOCK_START = re.compile(r":[ \t]*[|>][-+0-9]*[ \t]*$", re.MULTILINE)
# The Wi-Fi key as Windows shows it (netsh wlan show profile key=clear), in its languages.
_WIFI_KEY = re.compile(
    r"(?im)^[ \t]*(?:Key Content|Содержимое ключа|Вміст ключа|Schlüsselinhalt|Contenu de la clé)"
    r"[ \t]*:[ \t]*(?P<value>[^\r\n]*?)[ \t]*$"
)
# Perl/PHP/Ruby "name" => "value", Go/Pascal name := value
_ASSIGN_ARROW = re.compile(
    r"(?P<q>[\"']?)(?P<name>" + _NAME + r")(?P=q)(?P<sep>[ \t]*(?:=>|:=)[ \t]*)"
    r"(?P<value>\"[^\"\n]*\"|'[^'\n]*'|[^\s,;\"')]+)"
)
_ASSIGN_XML = re.compile(r"<(?P<name>" + _NAME + r")(?:[ \t][^>]*)?>(?P<value>[^<\n]+)</(?P=name)>")
# Java/Spring/Maven: <property name="hibernate.connection.password">…</property>, <entry key=…>
_ASSIGN_XML_NAMED = re.compile(
    r"<(?P<tag>[\w:.\-]+)[^>\n]*?\b(?:name|key)[ \t]*=[ \t]*\"(?P<name>[^\"\n]+)\"[^>\n]*>"
    r"(?P<value>[^<\n]+)</(?P=tag)>"
)
# .NET config: <add key="DbPassword" value="…"/>
_ASSIGN_DOTNET = re.compile(
    r"(?i)\b(?:key|name)[ \t]*=[ \t]*\"(?P<name>[^\"\n]+)\"[ \t]+value[ \t]*=[ \t]*"
    r"\"(?P<value>[^\"\n]*)\""
)

# A template that names a secret and holds none: "Token token={{ secret.token }}"
_TEMPLATE = re.compile(r"(?:[\w\-]+[ \t]+)?(?:[A-Za-z_]+=)?\{\{[ \t]*[\w.]+[ \t]*\}\}[ \t]*")
_CAMEL = re.compile(r"(?<=[a-zа-яіїєґ0-9])(?=[A-ZА-ЯІЇЄҐ])")
_PLACEHOLDER = re.compile(
    r"^(?:|[|>][-+0-9]*|\*+|x{3,}|X{3,}|•+|…|\.{3}|<[^>]*>|\$\{[A-Za-z_][^}]*\}?|\$[A-Za-z_]\w*|"
    r"%\([^)]*\)s|%[A-Za-z_]\w*%|\{\{(?:[ \t]*[A-Za-z_][\w.]*(?:[ \t]*\}\})?)?|"
    r"null|none|nil|true|false|yes|no|redacted|\[REDACTED[^\]]*\])$",
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
_PSEUDONYM_AT = re.compile(r"host-\d")
_PSEUDONYM = re.compile(r"^(?:email|ip|mac|host|user)-\d+(?:@redacted)?$")
_VERSION_BEFORE = re.compile(
    r"(?i)(?:\bv|\bversion|\bver\.?|\bbuild|\brelease|\brev|\bfirmware|\bdriver|верси[яиюй]|"
    r"версі[яїю]|[A-Za-z]/)[ \t:=]*$"
)
# Longer texts are redacted line by line, only where a trigger word occurs (see
# _secrets_by_line); shorter ones, like most values in collector data, whole (if they hold one).
_WHOLE_TEXT_MAX = 8192
_MAX_DEPTH = 3  # nested values ("JAVA_OPTS=-Ddb.password=…") are redacted this deep


def _norm_name(name: str) -> list[str]:
    norm = re.sub(r"[^\w]+|_+", "_", _CAMEL.sub("_", name).lower()).strip("_")
    return [p for p in norm.split("_") if p]


def looks_secret_name(name: str) -> bool:
    """True for names like ``GITHUB_TOKEN``, ``db.password``, ``clientSecret``, ``ПАРОЛЬ_БД``."""
    w = words()
    parts = _norm_name(name)
    if not parts or (parts[0] == "no" and len(parts) > 1):  # --no-password is a switch
        return False
    bare = [p.rstrip("0123456789") or p for p in parts]
    if bare[-1] in w.not_secret_last or "public" in bare:
        return False
    norm = "_".join(bare)
    if norm in w.secret_names or w.cyrillic.search(norm):
        return True
    for p in bare:
        if p in w.secret_words:
            return True
        if any(p.endswith(s) or p.endswith(s + "s") for s in w.secret_suffixes):
            return True
    if bare[-1] == "key" and len(bare) >= 2:
        return bare[-2] not in w.not_secret_key_owner
    return False


def _docker_auth(name: str, value: str) -> bool:
    """Docker's ``"auth"`` is base64 of ``user:password``; "auth: pam" is not."""
    if name.lower() != "auth":
        return False
    v = value.strip("\"'")
    if len(v) < 8 or not re.fullmatch(r"[A-Za-z0-9+/]+={0,2}", v):
        return False
    try:
        raw = base64.b64decode(v + "=" * (-len(v) % 4), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return ":" in raw and raw.isprintable()


def _is_placeholder(value: str) -> bool:
    v = value.strip("\"'").strip()
    return bool(_PLACEHOLDER.match(v) or _TEMPLATE.fullmatch(v))


def _looks_like_path(value: str) -> bool:
    v = value.strip("\"'")
    return v.startswith(("/", "~")) or bool(re.match(r"^[A-Za-z]:\\", v))


def _mark(kind: str) -> str:
    return f"{MARK}:{kind}]"


def _replace_group(m: re.Match[str], group: str, new: str) -> str:
    start, end = m.span(group)
    base = m.start(0)
    whole = m.group(0)
    return whole[: start - base] + new + whole[end - base :]


def _unquote_span(value: str) -> tuple[int, int]:
    """The span of a value without its surrounding quotes."""
    if len(value) >= 2 and value[0] in "\"'«" and value[-1] in "\"'»":
        return 1, len(value) - 1
    return 0, len(value)


class Redactor:
    """Redacts text and JSON-like data; pseudonyms stay stable for the instance's lifetime.

    ``kinds`` is the policy list of personal data to replace (email, ip, mac, hostname,
    username); secrets, card numbers, IBANs, identity and phone numbers are always removed.
    ``known_hosts`` and ``known_users`` are literal values (this machine's names) replaced
    wherever they occur when that kind is enabled; other host names get their own pseudonyms.
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
        s = neutralise_bidi(s)  # a right-to-left override must not disguise what follows
        if len(s) <= _WHOLE_TEXT_MAX:
            if has_trigger(s):
                s = self._secrets(s, counts, 0)
        else:
            s = self._secrets_by_line(s, counts)
        s = redact_numbers.redact(s, counts, _mark)  # always: no one needs them to fix a PC
        if self.kinds:
            s = self._pii(s, counts)
        return s, counts

    def _secrets_by_line(self, s: str, counts: Counter[str]) -> str:
        """A long text (a log tail): the secret detectors run only on the lines that hold one
        of their trigger words, found by plain substring search, which is what keeps a 10 MB
        log at several MB/s. Key blocks span lines, so they are removed from the whole first."""
        if "PRIVATE KEY" in s:
            s = redact_tokens.PEM.sub(lambda m: self._count(counts, "private_key"), s)
        if "PuTTY-User-Key-File" in s:
            s = redact_tokens.PUTTY.sub(lambda m: self._count(counts, "private_key"), s)
        s = self._yaml_blocks(s, counts)
        lines = s.split("\n")
        starts = list(accumulate((len(line) + 1 for line in lines), initial=0))
        low = s.lower()
        hits: set[int] = set()
        if len(low) == len(s):
            searches = ((low, redact_triggers.triggers()), (s, redact_triggers.CASE_TRIGGERS))
            for haystack, needles in searches:
                for needle in needles:
                    i = haystack.find(needle)
                    while i != -1:
                        n = bisect_right(starts, i) - 1
                        hits.add(n)
                        i = haystack.find(needle, starts[n + 1])
        else:  # lower-casing changed lengths (rare scripts): decide line by line
            hits = {n for n, text in enumerate(lines) if has_trigger(text)}
        for n in hits:
            lines[n] = self._secrets(lines[n], counts, 0)
        return "\n".join(lines)

    def _yaml_blocks(self, s: str, counts: Counter[str]) -> str:
        if not _YAML_BLOCK_START.search(s):
            return s

        def repl(m: re.Match[str]) -> str:
            if not looks_secret_name(m.group("name")):
                return m.group(0)
            end = "\n" if m.group("value").endswith("\n") else ""
            indent = m.group("ind") + "  "
            return _replace_group(m, "value", indent + self._count(counts, "secret_value") + end)

        return _YAML_BLOCK.sub(repl, s)

    @staticmethod
    def _count(counts: Counter[str], kind: str) -> str:
        counts[kind] += 1
        return _mark(kind)

    def _secrets(self, s: str, counts: Counter[str], depth: int) -> str:
        def whole(kind: str) -> Callable[[re.Match[str]], str]:
            def repl(m: re.Match[str]) -> str:
                counts[kind] += 1
                return _mark(kind)

            return repl

        def value_of(kind: str) -> Callable[[re.Match[str]], str]:
            def repl(m: re.Match[str]) -> str:
                value = m.group("value")
                if value.startswith(MARK) or _is_placeholder(value):
                    return m.group(0)
                counts[kind] += 1
                a, b = _unquote_span(value)
                return _replace_group(m, "value", value[:a] + _mark(kind) + value[b:])

            return repl

        if "PRIVATE KEY" in s:
            s = redact_tokens.PEM.sub(whole("private_key"), s)
        if "PuTTY-User-Key-File" in s:
            s = redact_tokens.PUTTY.sub(whole("private_key"), s)
        if depth == 0 and len(s) <= _WHOLE_TEXT_MAX:
            s = self._yaml_blocks(s, counts)
        s = _HEADER.sub(value_of("auth_header"), s)
        if "://" in s:
            s = _URL_USERINFO.sub(value_of("url_password"), s)
        s = self._command_lines(s, counts, value_of("cli_password"))
        s = self._assignments(s, counts, depth)
        lead = value_of("secret_value")

        def announced(m: re.Match[str]) -> str:
            word = m.group("value").strip("\"'«».,;!").lower()
            return m.group(0) if word in redact_text.TEXT_STATUS else lead(m)

        for pat in redact_text.lead_patterns():
            s = pat.sub(announced, s)
        for kind, pat in redact_tokens.TOKENS:
            s = pat.sub(whole(kind), s)
        return s

    def _command_lines(
        self, s: str, counts: Counter[str], repl: Callable[[re.Match[str]], str]
    ) -> str:
        for pat in redact_argv.PROGRAM_OPTIONS:
            s = pat.sub(repl, s)
        if "net" in s.lower():
            def mark(v: str) -> str:
                if v.startswith(MARK) or _is_placeholder(v):
                    return v
                counts["cli_password"] += 1
                return _mark("cli_password")

            s = redact_argv.net_use(s, mark)

        def option(m: re.Match[str]) -> str:
            if not looks_secret_name(m.group("opt").lstrip("-")):
                return m.group(0)
            return repl(m)

        def listed(m: re.Match[str]) -> str:
            opt = m.group("opt")
            if looks_secret_name(opt.lstrip("-/")) or redact_argv.list_program_option(
                s[: m.start()], opt
            ):
                return repl(m)
            return m.group(0)

        if "\"-" in s or "'-" in s:
            s = redact_argv.QUOTED_LIST.sub(listed, s)
        return redact_argv.OPTION.sub(option, s)

    def _assignments(self, s: str, counts: Counter[str], depth: int) -> str:
        def repl(m: re.Match[str]) -> str:
            name, value = m.group("name"), m.group("value")
            if value.startswith(MARK) or _is_placeholder(value):
                return m.group(0)
            secret = looks_secret_name(name) or _docker_auth(name, value)
            if secret and name.lower() in ("pwd", "oldpwd") and _looks_like_path(value):
                secret = False
            if not secret:
                # a value may hold more assignments: JAVA_OPTS="-Ddb.password=…"
                if depth < _MAX_DEPTH and len(value) > 3 and any(c in value for c in "=:"):
                    inner = self._secrets(value, counts, depth + 1)
                    if inner != value:
                        return _replace_group(m, "value", inner)
                return m.group(0)
            counts["secret_value"] += 1
            a, b = _unquote_span(value)
            return _replace_group(m, "value", value[:a] + _mark("secret_value") + value[b:])

        def spaced(m: re.Match[str]) -> str:
            # "Token expired", "Пароль изменён": a plain word as the name is a sentence
            name, word = m.group("name"), m.group("value").strip(".,;!").lower()
            plain = name.lower() in _PLAIN_WORDS or not name.isascii()
            if plain or word in _STATUS_WORDS or not looks_secret_name(name):
                return m.group(0)
            return repl(m)

        def wifi(m: re.Match[str]) -> str:
            value = m.group("value")
            if value.startswith(MARK) or _is_placeholder(value):
                return m.group(0)
            return _replace_group(m, "value", self._count(counts, "secret_value"))

        if "=" in s:
            s = _ASSIGN_EQ_LINE.sub(repl, s)
            s = _ASSIGN_EQ.sub(repl, s)
            if "=>" in s or ":=" in s:
                s = _ASSIGN_ARROW.sub(repl, s)
            if "value" in s:
                s = _ASSIGN_DOTNET.sub(repl, s)
        if ":" in s:
            s = _ASSIGN_QUOTED.sub(repl, s)
            if '\\"' in s:
                s = _ASSIGN_QUOTED_ESC.sub(repl, s)
            s = _ASSIGN_COLON.sub(repl, s)
        if "</" in s:
            s = _ASSIGN_XML.sub(repl, s)
            s = _ASSIGN_XML_NAMED.sub(repl, s)
        if ":" in s:
            s = _WIFI_KEY.sub(wifi, s)
        s = _ASSIGN_SPACE_LINE.sub(spaced, s)
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
            def ipv4(m: re.Match[str]) -> str:
                # "version 10.0.0.1", "Chrome/120.0.0.1": a four-part version, not an address
                if _VERSION_BEFORE.search(s, max(0, m.start() - 12), m.start()):
                    return m.group(0)
                return replacer("ip", _canon_ip)(m)

            s = _IPV4.sub(ipv4, s)
            if ":" in s:
                s = _IPV6.sub(replacer("ip", _canon_ip), s)
        for kind in ("hostname", "username"):
            pat = self._literal_re[kind]
            if kind in self.kinds and pat is not None:
                s = pat.sub(replacer(kind, lambda v: v), s)
        if "hostname" in self.kinds:
            s = self._foreign_hosts(s, counts)
        return s

    def _foreign_hosts(self, s: str, counts: Counter[str]) -> str:
        def host(value: str) -> str | None:
            if value.startswith(MARK) or _PSEUDONYM.match(value) or not redact_hosts.is_host(value):
                return None
            counts["hostname"] += 1
            return self.pseudonym("hostname", value.rstrip("."))

        def by_group(m: re.Match[str]) -> str:
            new = host(m.group("value"))
            return m.group(0) if new is None else _replace_group(m, "value", new)

        def by_whole(m: re.Match[str]) -> str:
            return host(m.group(0)) or m.group(0)

        def all_of(text: str) -> str:
            if "\\\\" in text or "//" in text:
                text = redact_hosts.UNC.sub(by_group, text)
            text = redact_hosts.LABELLED.sub(by_group, text)
            if "." in text:
                text = redact_hosts.fqdn().sub(by_whole, text)
            return text

        if len(s) <= _WHOLE_TEXT_MAX:
            return all_of(s)
        # a long text: only the lines where a top-level domain, a share or a label occurs
        lines = s.split("\n")
        starts = list(accumulate((len(line) + 1 for line in lines), initial=0))
        at = [m.start() for m in redact_hosts.hint().finditer(s)]
        low = s.lower()
        if len(low) != len(s):
            return all_of(s)
        for needle in ("\\\\", "//", *redact_hosts.LABEL_WORDS):
            i = low.find(needle)
            while i != -1:
                if not _PSEUDONYM_AT.match(low, i):  # "host-3" is a pseudonym, not a label
                    at.append(i)
                i = low.find(needle, i + 1)
        for n in {bisect_right(starts, i) - 1 for i in at}:
            lines[n] = all_of(lines[n])
        return "\n".join(lines)

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
            if key is not None and looks_secret_name(key):
                # {"password": {"value": "…"}}: everything under a secret name is secret
                return self._walk_secret(obj, counts)
            mapping: dict[Any, Any] = {}
            for k, v in obj.items():
                mapping[self._key(k, counts, mapping)] = self._walk(v, counts, str(k))
            return mapping
        if isinstance(obj, list | tuple):
            if key is not None and looks_secret_name(key):
                return self._walk_secret(obj, counts)
            items = list(obj)
            if items and all(isinstance(v, str) for v in items):
                items = self._argv(items, counts)
            return [self._walk(v, counts, key) for v in items]
        return obj

    def _key(self, k: Any, counts: Counter[str], taken: dict[Any, Any]) -> Any:
        """A mapping key is data too ({"fs01.corp.example": …}); two keys that redact alike
        stay apart so no value is lost."""
        if not isinstance(k, str):
            return k
        new, c = self.text(k)
        if new == k:
            return k
        counts.update(c)
        n = 2
        unique = new
        while unique in taken:
            unique, n = f"{new} ({n})", n + 1
        return unique

    def _walk_secret(self, obj: Any, counts: Counter[str]) -> Any:
        if isinstance(obj, str):
            if obj.startswith(MARK) or _is_placeholder(obj):
                return obj
            counts["secret_value"] += 1
            return _mark("secret_value")
        if isinstance(obj, dict):
            return {k: self._walk_secret(v, counts) for k, v in obj.items()}
        if isinstance(obj, list | tuple):
            return [self._walk_secret(v, counts) for v in obj]
        return obj

    def _argv(self, argv: list[str], counts: Counter[str]) -> list[str]:
        """A command line as a list: the element after a secret option is the secret."""
        prog = re.split(r"[\\/]", argv[0])[-1].lower().removesuffix(".exe")
        short = redact_argv.LIST_OPTIONS.get(prog, frozenset())
        out = list(argv)
        for i in range(len(out) - 1):
            opt, nxt = out[i], out[i + 1]
            if not opt.startswith(("-", "/")) or "=" in opt or nxt.startswith(MARK):
                continue
            secret_opt = opt in short or (
                opt.startswith("-") and looks_secret_name(opt.lstrip("-"))
            )
            if secret_opt and not nxt.startswith("-") and not _is_placeholder(nxt):
                counts["cli_password"] += 1
                out[i + 1] = _mark("cli_password")
        return out

    def _by_key(self, key: str, value: str, counts: Counter[str]) -> str | None:
        if value.startswith(MARK):
            return value
        is_path_var = key.lower() in ("pwd", "oldpwd") and _looks_like_path(value)
        secret = looks_secret_name(key) or _docker_auth(key, value)
        if secret and not _is_placeholder(value) and not is_path_var:
            counts["secret_value"] += 1
            return _mark("secret_value")
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


def _canon_mac(v: str) -> str | None:
    mac = v.lower().replace("-", ":")
    return None if mac in ("00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff") else mac


def _canon_ip(v: str) -> str | None:
    if ":" in v and "::" not in v and v.count(":") != 7:  # a time like 10:00:01, not IPv6
        return None
    try:
        addr = ipaddress.ip_address(v.split("%", 1)[0])
    except ValueError:
        return None
    if addr.is_loopback or addr.is_unspecified:
        return None
    return str(addr)
