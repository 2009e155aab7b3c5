"""Host names that are not this machine's: servers in logs, shares, connection strings.

Taken only when policy asks to replace host names. A dotted name counts when it ends in a
top-level domain from resources/redaction/words.yaml, which leaves out the domains that are
also file extensions, so "setup.py", "libssl.so.3" and "diagnostics.redact" stay.
"""

from __future__ import annotations

import re
from functools import cache

from diagnostics.redact_words import words

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
# \\server\share and //server/share (a UNC path names its host)
UNC = re.compile(r"(?<![\w\\/])(?:\\\\|//(?=[A-Za-z0-9\-.]+/))(?P<value>" + _LABEL
                 + r"(?:\." + _LABEL + r")*)(?=[\\/])")
# host=db01, Server=sql02;, Data Source=…, remote host: fs03, "host": "srv" in text
LABELLED = re.compile(
    r"(?i)(?<![\w.\-])(?:host|hostname|host_name|server|servername|server_name|data source|"
    r"addr|rhost|remote_host|smtp_host|db_host|computer|computername|machine|node)"
    r"(?P<sep>[\"']?[ \t]*[=:][ \t]*[\"']?)(?P<value>" + _LABEL + r"(?:\." + _LABEL + r")*)"
    r"(?![\w\-])"
)
NOT_HOSTS = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "none", "null",
                       "true", "false", "yes", "no", "any", "all", "default", "auto"})


@cache
def fqdn() -> re.Pattern[str]:
    tlds = sorted(words().host_tlds, key=len, reverse=True)
    return re.compile(
        r"(?<![\w.\-@])(?:" + _LABEL + r"\.)+(?:" + "|".join(re.escape(t) for t in tlds) + r")"
        r"(?![\w\-]|\.[A-Za-z0-9])",
        re.IGNORECASE,
    )


def is_host(value: str) -> bool:
    """A plausible host name: has a letter, is not a number, a keyword or an IP address."""
    v = value.lower().rstrip(".")
    return (len(v) >= 2 and v not in NOT_HOSTS and bool(re.search(r"[a-z]", v))
            and not re.fullmatch(r"[\d.]+", v))
