"""Secrets recognisable by their own shape, wherever they stand: keys, tokens, key files.

Each pattern is the documented format of one issuer's credential (a fixed prefix, a length, a
checksum part), so a bare key pasted into a log is caught without any "password=" around it,
and ordinary hex hashes or UUIDs are not.
"""

from __future__ import annotations

import re

# Private key files: everything from the header to the footer, or to the end when truncated.
PEM = re.compile(
    r"-----BEGIN (?P<label>[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?)-----"
    r".*?(?:-----END (?P=label)-----|\Z)",
    re.DOTALL,
)
# PuTTY .ppk (versions 2 and 3): the whole file, up to its MAC line or the end when truncated.
PUTTY = re.compile(
    r"PuTTY-User-Key-File-\d+:.*?(?:Private-MAC:[ \t]*[0-9A-Fa-f]+|\Z)", re.DOTALL
)

_B64URL = r"[A-Za-z0-9_\-]"
TOKENS: list[tuple[str, re.Pattern[str]]] = [
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
    ("slack_token", re.compile(r"\bxox[abposre]-[A-Za-z0-9\-]{10,}|\bxapp-\d-[A-Za-z0-9\-]{10,}")),
    ("slack_webhook", re.compile(r"https://hooks\.slack\.com/services/[A-Za-z0-9/_\-]+")),
    ("google_api_key", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}(?![0-9A-Za-z_\-])")),
    ("google_oauth", re.compile(r"\bya29\.[A-Za-z0-9_\-]{20,}|\bGOCSPX-[A-Za-z0-9_\-]{20,}")),
    ("stripe_key", re.compile(r"\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}\b")),
    # SendGrid: SG.<22>.<43>
    ("sendgrid_key", re.compile(r"\bSG\.[A-Za-z0-9_\-]{16,32}\.[A-Za-z0-9_\-]{16,64}")),
    # OpenAI (sk-…, sk-proj-…, sk-svcacct-…) and Anthropic (sk-ant-…): long, with a digit.
    (
        "openai_key",
        re.compile(r"\bsk-(?=[A-Za-z0-9_\-]*\d)(?:[A-Za-z0-9]+-){0,3}[A-Za-z0-9_\-]{20,}"),
    ),
    ("npm_token", re.compile(r"\bnpm_[A-Za-z0-9]{36}\b")),
    ("pypi_token", re.compile(r"\bpypi-AgE[A-Za-z0-9_\-]{50,}")),
    ("huggingface_token", re.compile(r"\bhf_[A-Za-z0-9]{30,}\b")),
    ("shopify_token", re.compile(r"\bshp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}\b")),
    ("digitalocean_token", re.compile(r"\bdo[opr]_v1_[a-f0-9]{64}\b")),
    ("vault_token", re.compile(r"\bhv[sbr]\.[A-Za-z0-9_\-]{24,}")),
    ("twilio_key", re.compile(r"\bSK[0-9a-f]{32}\b")),
    ("mailgun_key", re.compile(r"\bkey-[0-9a-f]{32}\b")),
    # no \b in front: the token follows "bot" in https://api.telegram.org/bot<token>/
    (
        "telegram_bot_token",
        re.compile(r"(?<!\d)\d{8,10}:AA[A-Za-z0-9_\-]{33}(?!" + _B64URL + ")"),
    ),
    (
        "webhook_url",
        re.compile(r"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d+/[\w\-]+"),
    ),
    ("atlassian_token", re.compile(r"\bATATT3[A-Za-z0-9_\-=]{50,}")),
    (
        "azure_client_secret",
        re.compile(r"(?<![\w~.\-])[A-Za-z0-9_~.\-]{3}8Q~[A-Za-z0-9_~.\-]{31,34}"),
    ),
    ("azure_storage_key", re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==")),
    # crypt(3) hashes as in /etc/shadow: a hash of a password can be cracked offline.
    (
        "password_hash",
        re.compile(r"\$(?:1|2[abxy]?|5|6|y|gy|7|argon2i?d?)\$[^\s:$]{0,64}\$[./A-Za-z0-9$=+,]{20,}"),
    ),
    ("bearer_token", re.compile(r"(?i)(?<=\bbearer )[A-Za-z0-9\-._~+/]{16,}=*")),
]
