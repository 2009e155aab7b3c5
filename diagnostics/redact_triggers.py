"""Trigger words: the fragments any secret detector starts from, found by plain substring search.

A text holding none of them cannot hold a secret by context or by shape, so the detectors
(about a hundred regular expressions) are skipped for it; in a long log only the lines that
hold one are looked at. This is what keeps a 10 MB log at several MB/s. Every word in
resources/redaction/words.yaml is a trigger too (a unit test keeps it so).
"""

from __future__ import annotations

from functools import cache

from diagnostics.redact_words import words

# Case-sensitive fragments of the key shapes in redact_tokens, for finding candidate lines.
CASE_TRIGGERS = (
    "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "gldt-", "glrt-", "glptt-",
    "glft-", "glcbt-", "gloas-", "glsoat-", "glimt-", "glagent-", "xox", "xapp-", "hooks.slack",
    "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "ABIA", "ACCA", "AIza",
    "ya29.", "GOCSPX-", "_live_", "_test_", "SG.", "sk-", "npm_", "pypi-", "hf_", "shp", "_v1_",
    "hvs.", "hvb.", "hvr.", "SK", "key-", ":AA", "ATATT3", "8Q~", "==", "eyJ", "$",
    "PRIVATE KEY", "PuTTY-User-Key-File",
)
# Lower-case words around secrets in context: secret names, the programs whose options carry
# passwords, header and URL forms.
CONTEXT_TRIGGERS = (
    # secret names and words
    "key", "auth", "pass", "pwd", "pw", "token", "secret", "cookie", "psk", "sig", "otp", "cred",
    "bearer", "sessid", "sessionid", "pin", "mdp", "senha", "haslo", "contrase", "wachtwoord",
    "salasana", "kennwort", "парол", "гасл", "пин", "пін", "токен", "секрет", "код", "ключ",
    # Windows Wi-Fi key content, .netrc
    "key content", "schlüssel", "clé", "machine",
    # programs whose options carry passwords, and how a password is piped into one
    "mysql", "mariadb", "sshpass", "sqlcmd", "bcp", "osql", "isql", "7z", "rar", "zip", "psexec",
    "ldap", "redis", "mongo", "login", "rdp", "rdesktop", "cmdkey", "schtasks", "htpasswd",
    "net ", "-u", "--user", "pass:", "securestring", "/p:", "echo ", "kinit", "psql",
    # URLs with credentials
    "://",
)


@cache
def triggers() -> tuple[str, ...]:
    w = words()
    names = [n.replace("_", "") for n in w.secret_names] + list(w.secret_names)
    extra = [t for t in (*w.secret_suffixes, *w.secret_words, *w.text_words, *names)
             if not any(c in t for c in CONTEXT_TRIGGERS)]
    return (*CONTEXT_TRIGGERS, *dict.fromkeys(extra))


def has_trigger(s: str) -> bool:
    """Whether ``s`` holds a word or fragment any secret detector starts from; a text without
    one cannot hold a secret by context or shape, so the detectors are skipped."""
    low = s.lower()
    return any(t in low for t in triggers()) or any(t in s for t in CASE_TRIGGERS)
