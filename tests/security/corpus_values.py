"""The secret and personal values the redaction corpus is made of, drawn from one seeded
random source (``R``) so that tests.security.redaction_corpus builds the same corpus each time."""

from __future__ import annotations

import base64
import json
import random
import string
from collections.abc import Callable

SEED = 13

R = random.Random(SEED)
ALNUM = string.ascii_letters + string.digits
WORDS = [
    "Summer",
    "Winter",
    "Dragon",
    "Monkey",
    "Sunshine",
    "Kitten",
    "Rocket",
    "Falcon",
    "Orange",
    "Silver",
    "Coffee",
    "Tiger",
    "Shadow",
    "Purple",
    "Hunter",
    "Maple",
]


def rand(alphabet: str, n: int) -> str:
    return "".join(R.choice(alphabet) for _ in range(n))


def password(shell_safe: bool = True) -> str:
    """A password as people choose them: word+year+symbol, random, leetspeak, passphrase-ish."""
    style = R.randrange(5)
    sym = "!@#%^*_+.~-" if shell_safe else "!@#%^*_+.~-$&"
    if style == 0:
        return R.choice(WORDS) + str(R.randrange(1990, 2030)) + R.choice("!#@%*")
    if style == 1:
        return rand(ALNUM + sym, R.randrange(10, 22)) + R.choice(string.digits)
    if style == 2:
        w = R.choice(WORDS)
        return w.replace("a", "@").replace("o", "0").replace("e", "3") + str(R.randrange(10, 99))
    if style == 3:
        return "-".join(R.choice(WORDS).lower() for _ in range(3)) + str(R.randrange(10))
    return rand(string.ascii_lowercase, 6) + rand(string.digits, 4) + R.choice("!#")


def cyr_password() -> str:
    return R.choice(["Ромашка", "Котик", "Весна", "Сонечко", "Зірка"]) + str(R.randrange(100, 999))


def b64(n: int) -> str:
    return base64.b64encode(bytes(R.randrange(256) for _ in range(n))).decode()


def hexs(n: int) -> str:
    return rand("0123456789abcdef", n)


def jwt() -> str:
    head = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').decode().rstrip("=")
    body = (
        base64.urlsafe_b64encode(
            json.dumps({"sub": rand(ALNUM, 8), "iat": R.randrange(10**9, 2 * 10**9)}).encode()
        )
        .decode()
        .rstrip("=")
    )
    return f"{head}.{body}.{rand(ALNUM + '-_', 43)}"


TOKENS: dict[str, Callable[[], str]] = {
    "github": lambda: "ghp_" + rand(ALNUM, 36),
    "github_pat": lambda: "github_pat_" + rand(ALNUM, 22) + "_" + rand(ALNUM, 59),
    "gitlab": lambda: "glpat-" + rand(ALNUM + "-_", 20),
    "slack": lambda: (
        f"xoxb-{rand(string.digits, 12)}-{rand(string.digits, 13)}-" + rand(ALNUM, 24)
    ),
    "aws": lambda: "AKIA" + rand(string.ascii_uppercase + string.digits, 16),
    "google": lambda: "AIza" + rand(ALNUM + "-_", 35),
    "stripe": lambda: "sk_live_" + rand(ALNUM, 24),
    "sendgrid": lambda: "SG." + rand(ALNUM + "-_", 22) + "." + rand(ALNUM + "-_", 43),
    "openai_old": lambda: "sk-" + rand(ALNUM, 20) + "T3BlbkFJ" + rand(ALNUM, 20),
    "openai_proj": lambda: (
        "sk-proj-" + rand(ALNUM + "-_", 20) + rand(string.digits, 2) + rand(ALNUM + "-_", 60)
    ),
    "anthropic": lambda: "sk-ant-api03-" + rand(ALNUM + "-_", 93) + "AA",
    "npm": lambda: "npm_" + rand(ALNUM, 36),
    "pypi": lambda: "pypi-AgEIcHlwaS5vcmc" + rand(ALNUM + "-_", 60),
    "huggingface": lambda: "hf_" + rand(ALNUM, 34),
    "jwt": jwt,
    "telegram": lambda: f"{R.randrange(10**8, 10**9)}:AA{rand(ALNUM + '-_', 33)}",
    "vault": lambda: "hvs." + rand(ALNUM, 24),
    "twilio": lambda: "SK" + hexs(32),
    "mailgun": lambda: "key-" + hexs(32),
    "shopify": lambda: "shpat_" + hexs(32),
    "digitalocean": lambda: "dop_v1_" + hexs(64),
}


def luhn_complete(prefix: str, length: int) -> str:
    body = prefix + rand(string.digits, length - len(prefix) - 1)
    for d in string.digits:
        cand = body + d
        total = 0
        for i, ch in enumerate(reversed(cand)):
            n = int(ch)
            if i % 2:
                n = n * 2 - 9 if n > 4 else n * 2
            total += n
        if total % 10 == 0:
            return cand
    raise AssertionError("unreachable")


def card() -> str:
    prefix, length = R.choice(
        [
            ("4", 16),
            ("51", 16),
            ("55", 16),
            ("2221", 16),
            ("37", 15),
            ("34", 15),
            ("2200", 16),
            ("2202", 16),
            ("6011", 16),
            ("4", 13),
        ]
    )
    num = luhn_complete(prefix + rand(string.digits, 6 - len(prefix)), length)
    style = R.randrange(3)
    if style == 0 or length == 13:
        return num
    sep = " " if style == 1 else "-"
    if length == 15:
        return sep.join([num[:4], num[4:10], num[10:]])
    return sep.join(num[i : i + 4] for i in range(0, 16, 4))


_IBAN_BBAN = {
    "DE": (18, string.digits),
    "GB": (18, None),
    "FR": (23, string.digits),
    "UA": (25, string.digits),
    "PL": (24, string.digits),
    "NL": (14, None),
    "ES": (20, string.digits),
    "CH": (17, string.digits),
    "KZ": (16, string.digits),
}


def iban() -> str:
    country = R.choice(sorted(_IBAN_BBAN))
    n, alphabet = _IBAN_BBAN[country]
    if alphabet is None:  # GB, NL: a 4-letter bank code, then digits
        bban = rand(string.ascii_uppercase, 4) + rand(string.digits, n - 4)
    else:
        bban = rand(alphabet, n)
    moved = bban + country + "00"
    check = 98 - int("".join(str(int(c, 36)) for c in moved)) % 97
    s = f"{country}{check:02d}{bban}"
    return " ".join(s[i : i + 4] for i in range(0, len(s), 4)) if R.random() < 0.5 else s


def phone() -> str:
    d = lambda n: rand(string.digits, n)  # noqa: E731
    return R.choice(
        [
            f"+7 9{d(2)} {d(3)}-{d(2)}-{d(2)}",
            f"8 (9{d(2)}) {d(3)}-{d(2)}-{d(2)}",
            f"+380 {R.choice(['44', '67', '50', '93'])} {d(3)} {d(2)} {d(2)}",
            f"0{R.choice(['44', '67', '50'])} {d(3)} {d(2)} {d(2)}",
            f"+1-{R.randrange(201, 989)}-555-{d(4)}",
            f"({R.randrange(201, 989)}) 555-{d(4)}",
            f"+44 20 {d(4)} {d(4)}",
            f"+49 30 {d(8)}",
            f"89{d(9)}",
            f"+7{d(10)}",
            f"+380{d(9)}",
        ]
    )


def snils() -> str:
    body = rand(string.digits, 9)
    total = sum(int(c) * (9 - i) for i, c in enumerate(body))
    check = total % 101 if total > 101 else total
    check = 0 if check in (100, 101) else check
    return f"{body[:3]}-{body[3:6]}-{body[6:9]} {check:02d}"


def ssn() -> str:
    return f"{R.randrange(1, 665):03d}-{R.randrange(1, 99):02d}-{R.randrange(1, 9999):04d}"


def inn() -> str:
    return rand("123456789", 1) + rand(string.digits, 11)


def pem(label: str) -> str:
    body = "\n".join(b64(48) for _ in range(R.randrange(3, 8)))
    return f"-----BEGIN {label}-----\n{body}\n-----END {label}-----", body


def putty(version: int) -> tuple[str, str]:
    priv = "\n".join(b64(48) for _ in range(R.randrange(3, 6)))
    pub = b64(48)
    extra = "Key-Derivation: Argon2id\nArgon2-Memory: 8192\n" if version == 3 else ""
    text = (
        f"PuTTY-User-Key-File-{version}: ssh-rsa\nEncryption: none\n{extra}"
        f"Comment: rsa-key-20240501\nPublic-Lines: 1\n{pub}\nPrivate-Lines: "
        f"{priv.count(chr(10)) + 1}\n{priv}\nPrivate-MAC: {hexs(40)}"
    )
    return text, priv
