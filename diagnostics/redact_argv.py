"""Passwords given on a command line, as ps, shell history and service logs show them.

Two shapes: a long option whose *name* is secret (``--password=…``, ``--api-key …``,
``-Password …``), and the short options particular programs use (``mysql -p…``, ``sshpass -p``,
``net use \\\\srv\\share P@ss``, ``ConvertTo-SecureString "…"``). Each pattern names the
group holding the value; the caller replaces only that group.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# One shell word: a quoted string or a run without blanks and shell operators.
VALUE = r"(?P<value>\"[^\"\n]*\"|'[^'\n]*'|[^\s\"'|;&<>()]+)"
_ANY = r"[^\n|;&]*?"  # the rest of the same command, lazily

# Long option with a value; whether its name is secret is decided by the caller.
OPTION = re.compile(
    r"(?<![\w\-])(?P<opt>--?[A-Za-z][\w.\-]*)(?P<sep>=|[ \t]+)(?!-)" + VALUE
)

# Programs whose short option carries the password, and how.
PROGRAM_OPTIONS: list[re.Pattern[str]] = [
    # mysql/mariadb -pSECRET (attached; "-p dbname" prompts and names a database)
    re.compile(r"\b(?i:(?:mysql\w*|mariadb\w*))\b" + _ANY + r"[ \t]-p(?!\s)" + VALUE),
    re.compile(r"\b(?i:sshpass)\b(?:[ \t]+-[def]\S*)*[ \t]+-p[ \t]*" + VALUE),
    re.compile(r"\b(?i:(?:sqlcmd|bcp|osql|isql))\b" + _ANY + r"[ \t]-P[ \t]*" + VALUE),
    re.compile(r"\b(?i:(?:7z|7za|7zr|rar|unrar))\b" + _ANY + r"[ \t]-p(?!\s)" + VALUE),
    re.compile(r"\b(?i:(?:un)?zip)\b" + _ANY + r"[ \t]-P[ \t]+" + VALUE),
    re.compile(r"\b(?i:psexec(?:64)?(?:\.exe)?)\b" + _ANY + r"[ \t]-p[ \t]+" + VALUE),
    re.compile(r"\b(?i:ldap\w*)\b" + _ANY + r"[ \t]-w[ \t]+" + VALUE),
    re.compile(r"\b(?i:redis-cli)\b" + _ANY + r"[ \t]-a[ \t]+" + VALUE),
    re.compile(
        r"\b(?i:mongo(?:sh|dump|restore|import|export)?)\b" + _ANY + r"[ \t]-p[ \t]+" + VALUE
    ),
    re.compile(
        r"\b(?i:docker|podman|nerdctl|helm|buildah|skopeo|oras)\b" + _ANY
        + r"\blogin\b" + _ANY + r"[ \t]-p[ \t]*" + VALUE
    ),
    re.compile(r"\b(?i:[xw]freerdp)\b" + _ANY + r"[ \t]/p:" + VALUE),
    re.compile(r"\b(?i:cmdkey)(?:\.exe)?\b" + _ANY + r"[ \t]/pass:" + VALUE),
    re.compile(r"\b(?i:schtasks)(?:\.exe)?\b" + _ANY + r"[ \t]/RP[ \t]+" + VALUE),
    re.compile(r"\b(?i:htpasswd)\b[ \t]+-\w*b\w*[ \t]+\S+[ \t]+\S+[ \t]+" + VALUE),
    re.compile(r"\b(?i:net(?:\.exe)?[ \t]+user)[ \t]+(?!/)\S+[ \t]+(?![/*])" + VALUE),
    # curl/wget -u user:SECRET, --proxy-user user:SECRET; smbclient -U user%SECRET
    re.compile(r"(?:[ \t]-u[ \t]*|--user[ \t=]|--proxy-user[ \t=]|[ \t]-U[ \t]+)"
               r"[\"']?[^\s:%\"']+[:%]" + VALUE),
    # openssl -pass pass:SECRET, -passin pass:SECRET
    re.compile(r"[ \t]-pass(?:in|out)?[ \t]+pass:" + VALUE),
    # .netrc: machine HOST login USER password SECRET
    re.compile(r"\b(?i:machine)[ \t]+\S+(?:[ \t]+(?i:login)[ \t]+\S+)?[ \t]+(?i:password)[ \t]+"
               + VALUE),
    # PowerShell: ConvertTo-SecureString "SECRET" -AsPlainText
    re.compile(
        r"(?i)\bConvertTo-SecureString\b(?:[ \t]+-(?:AsPlainText|Force)\b)*[ \t]+(?:-String[ \t]+)?"
        + VALUE
    ),
    re.compile(r"\b(?i:rdesktop)\b" + _ANY + r"[ \t]-p[ \t]*" + VALUE),
    # Windows switches: wmic /password:SECRET, tool.exe /pwd=SECRET
    re.compile(r"(?i)(?<![\w/])/(?:password|passwd|pwd|pass)[:=]" + VALUE),
]

# An argv written as a JSON or Python list: ["sshpass", "-p", "SECRET", …]
QUOTED_LIST = re.compile(
    r"(?P<oq>[\"'])(?P<opt>-{1,2}[A-Za-z][\w.\-]*|/[A-Za-z]+)(?P=oq)[ \t]*,[ \t]*"
    r"(?P<vq>[\"'])(?P<value>(?:\\.|(?!(?P=vq)).)*)(?P=vq)"
)
_PROGRAM_IN_LIST = re.compile(r"[\"'](?:[^\"']*[\\/])?(?P<prog>[\w.\-]+?)(?:\.exe)?[\"']")


def list_program_option(before: str, opt: str) -> bool:
    """True when ``opt`` carries the password for a program named earlier in ``before``."""
    for m in _PROGRAM_IN_LIST.finditer(before[-300:]):
        if opt in LIST_OPTIONS.get(m.group("prog").lower(), frozenset()):
            return True
    return False


_NET_USE = re.compile(r"(?i)\bnet(?:\.exe)?[ \t]+use\b(?P<rest>[^\r\n|&]*)")
_WORD = re.compile(r"\"[^\"\n]*\"|'[^'\n]*'|\S+")


def net_use(s: str, mark: Callable[[str], str]) -> str:
    """``net use [Z:] \\\\srv\\share [PASSWORD | *] [/user:…] [/persistent:…]``: the password is
    the first word that is neither a drive, a share, ``*`` nor a ``/switch``."""

    def repl(m: re.Match[str]) -> str:
        rest = m.group("rest")
        for w in _WORD.finditer(rest):
            word = w.group(0)
            bare = word.strip("\"'")
            if (re.fullmatch(r"[A-Za-z]:|\*|/.*|\\\\.*", bare) or bare.upper() == "/DELETE"
                    or bare.startswith("[")):
                continue
            start, end = w.span()
            if word[:1] in "\"'":
                start, end = start + 1, end - 1
            head = m.group(0)[: m.start("rest") - m.start(0)]
            return head + rest[:start] + mark(rest[start:end]) + rest[end:]
        return m.group(0)

    return _NET_USE.sub(repl, s)


# The same knowledge for an argv list (["sshpass", "-p", "x", …]): options whose next element
# is the secret, per program; "*" applies after any program.
LIST_OPTIONS: dict[str, frozenset[str]] = {
    "sshpass": frozenset({"-p"}),
    "sqlcmd": frozenset({"-P"}), "bcp": frozenset({"-P"}),
    "zip": frozenset({"-P"}), "unzip": frozenset({"-P"}),
    "psexec": frozenset({"-p"}), "psexec64": frozenset({"-p"}),
    "redis-cli": frozenset({"-a"}),
    "mongo": frozenset({"-p"}), "mongosh": frozenset({"-p"}), "mongodump": frozenset({"-p"}),
    "ldapsearch": frozenset({"-w"}), "ldapmodify": frozenset({"-w"}), "ldapadd": frozenset({"-w"}),
    "docker": frozenset({"-p"}), "podman": frozenset({"-p"}), "helm": frozenset({"-p"}),
    "schtasks": frozenset({"/RP", "/rp"}),
}
