"""Financial and identity numbers: card numbers, IBANs, national identity numbers, phones.

Nobody needs them to fix a computer, so they are always removed. A bare run of digits is taken
only when its own check passes (Luhn for cards, mod 97 for IBANs, the SNILS and SSN rules) or
when a label in front says what it is ("ИНН", "паспорт", "SSN", "tel."); that keeps build
numbers, sizes, epoch times and four-part versions readable.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

# --- card numbers ---------------------------------------------------------------------------
# 13–19 digits, bare or grouped by single spaces or dashes (4-4-4-4, 4-6-5 for Amex, …).
CARD = re.compile(r"(?<![\w\-.])\d{4}(?:[ \-]?\d{2,6}){2,4}(?:[ \-]?\d{1,4})?(?![\w\-]|\.\d)")
# Issuer ranges (IIN) of the networks that issue cards people use: Visa, Mastercard, Amex,
# Discover, Diners, JCB, UnionPay, Mir (Russia), Maestro, ПРОСТІР (Ukraine).
_IIN = re.compile(
    r"^(?:4|5[0-8]|2[2-7]|3[47]|3[068]|35|6011|65|64[4-9]|62|6[37]|220[0-4]|9804)"
)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def is_card(text: str) -> bool:
    digits = re.sub(r"[ \-]", "", text)
    seps = set(re.findall(r"[ \-]", text))
    if len(seps) > 1 or not 13 <= len(digits) <= 19:
        return False
    return bool(_IIN.match(digits)) and luhn_ok(digits)


# --- IBAN -----------------------------------------------------------------------------------
IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}(?![A-Za-z0-9])")
_IBAN_LEN = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BY": 28, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20, "ES": 24, "FI": 18,
    "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IS": 26, "IT": 27, "KZ": 20, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
    "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25,
    "RO": 24, "RS": 22, "SA": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TR": 26, "UA": 29,
    "VA": 22, "XK": 20,
}


def is_iban(text: str) -> bool:
    s = text.replace(" ", "")
    if _IBAN_LEN.get(s[:2]) != len(s):
        return False
    moved = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


# --- national identity numbers --------------------------------------------------------------
# US SSN in its written form (the invalid areas 000, 666, 9xx are not SSNs).
SSN = re.compile(r"(?<![\w\-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w\-])")
# Russian SNILS 123-456-789 01, with its check number.
SNILS = re.compile(r"(?<![\w\-])\d{3}-\d{3}-\d{3}[ \-]\d{2}(?![\w\-])")
# UK National Insurance number.
NINO = re.compile(r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")
# A number after a label that says it is an identity document or tax number.
_ID_LABEL = (
    r"ИНН|ІПН|РНОКПП|ЄДРПОУ|ЕДРПОУ|СНИЛС|УНЗР|ОГРН|паспорт\w*|ID[ \-]?карт\w*|"
    r"серия и номер|серія та номер|номер паспорта|"
    r"SSN|social security(?: number| no\.?)?|passport(?: number| no\.?)?|national id(?:entity)?"
    r"(?: number| no\.?)?|tax id|TIN|personal id(?: number)?|id number|driver'?s licen[cs]e"
    r"(?: number| no\.?)?"
)
ID_LABELLED = re.compile(
    r"(?i)(?<![\w])(?:" + _ID_LABEL + r")(?:\s*(?:[:#№=]|no\.?|номер|серия|серія))?[ \t]*"
    r"(?P<value>(?=[A-ZА-ЯІЇЄ0-9 \-]*\d)[A-ZА-ЯІЇЄ0-9]"
    r"(?:[A-ZА-ЯІЇЄ0-9]|[ \-](?=[A-ZА-ЯІЇЄ0-9])){4,20})"
)


def snils_ok(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    body, check = digits[:9], int(digits[9:])
    total = sum(int(d) * (9 - i) for i, d in enumerate(body))
    expect = total % 101 if total > 101 else total
    return (0 if expect in (100, 101) else expect) == check


# --- phone numbers --------------------------------------------------------------------------
PHONES: list[re.Pattern[str]] = [
    # international: +7 916 123-45-67, +380 (44) 123 45 67, +1-202-555-0173, +44 20 7946 0958
    re.compile(
        r"(?<![\w+])\+\d{1,3}(?:[ \-.]?\(\d{1,4}\)|[ \-.]?\d{1,4})(?:[ \-.]?\d{2,4}){2,4}"
        r"(?![\w]|[.\-]\d)"
    ),
    # Russian long-distance: 8 (916) 123-45-67, 8-916-123-45-67, 89161234567
    re.compile(
        r"(?<![\w+\-.])8(?:[ \-]?\(\d{3,4}\)[ \-]?|[ \-]\d{3}[ \-])\d{2,3}[ \-]?\d{2}[ \-]?\d{2}"
        r"(?![\w\-]|\.\d)|(?<![\w+\-.])89\d{9}(?![\w\-]|\.\d)"
    ),
    # Ukrainian national: 044 123 45 67, 067-123-45-67, (044) 123-45-67
    re.compile(
        r"(?<![\w+\-.])(?:\(0\d{2}\)[ \-]?|0\d{2}[ \-])\d{3}[ \-]\d{2}[ \-]\d{2}(?![\w\-]|\.\d)"
    ),
    # North American: (202) 555-0173, 202-555-0173, 202.555.0173
    re.compile(
        r"(?<![\w+\-.])(?:\(\d{3}\)[ ]?\d{3}-\d{4}|\d{3}-\d{3}-\d{4}|\d{3}\.\d{3}\.\d{4})"
        r"(?![\w\-]|\.\d)"
    ),
    # after a label: tel. 12-34-56, телефон: 123 45 67, phone 5550173
    re.compile(
        r"(?i)(?<![\w])(?:tel|phone|mobile|cell|fax|тел|телефон\w*|моб|мобільний|мобильный)"
        r"\.?(?:[ \t]*(?:no\.?|номер|№))?[ \t]*[:=]?[ \t]*"
        r"(?P<value>\+?\(?\d[\d \-()]{4,18}\d)(?![\w])"
    ),
]


# --- applying them --------------------------------------------------------------------------
# Every shape above lies inside a run of digits and separators; finding those runs first (one
# cheap pass) and trying the shapes only there keeps a long log fast.
_RUN = re.compile(r"[+(]?\d[\d \-().]{5,}\d")
_SHAPES: list[tuple[str, re.Pattern[str], Callable[[str], bool]]] = [
    ("card_number", CARD, is_card),
    ("national_id", SNILS, snils_ok),
    ("national_id", SSN, lambda v: True),
    *[("phone", p, lambda v: len(re.sub(r"\D", "", v)) >= 7) for p in PHONES[:-1]],
]
_LETTERED: list[tuple[str, re.Pattern[str], Callable[[str], bool]]] = [
    ("iban", IBAN, is_iban),
    ("national_id", NINO, lambda v: True),
]
_ID_TRIGGERS = ("инн", "іпн", "рнокпп", "єдрпоу", "едрпоу", "снилс", "унзр", "огрн", "паспорт",
                "карт", "серия", "серія", "ssn", "social security", "passport", "national id",
                "tax id", "tin", "personal id", "id number", "driver")
_PHONE_TRIGGERS = ("tel", "phone", "mobile", "cell", "fax", "тел", "моб")
_LABEL_WINDOW = 100


def redact(s: str, counts: Counter[str], mark: Callable[[str], str]) -> str:
    """``s`` with every checked number replaced by ``mark(kind)``; ``counts`` per kind."""
    if not any(c.isdigit() for c in s):
        return s
    spans: list[tuple[int, int, str]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y, _ in spans)

    low = s.lower()
    labelled = [("national_id", ID_LABELLED, _ID_TRIGGERS), ("phone", PHONES[-1], _PHONE_TRIGGERS)]
    for kind, pat, triggers in labelled:
        if len(low) != len(s):  # lower-casing changed lengths: search the whole text
            starts = [0]
            window = len(s)
        else:
            starts = sorted({i for t in triggers for i in _find_all(low, t)})
            window = _LABEL_WINDOW
        for pos in starts:
            m = pat.search(s, pos, min(len(s), pos + window))
            if m and free(*m.span("value")):
                spans.append((*m.span("value"), kind))
    for kind, pat, ok in _LETTERED:
        for m in pat.finditer(s):
            if ok(m.group(0)) and free(*m.span()):
                spans.append((*m.span(), kind))
    for run in _RUN.finditer(s):
        a, b = run.span()
        for kind, pat, ok in _SHAPES:
            for m in pat.finditer(s, a, min(len(s), b + 2)):
                if ok(m.group(0)) and free(*m.span()):
                    spans.append((*m.span(), kind))
    if not spans:
        return s
    out: list[str] = []
    last = 0
    for a, b, kind in sorted(spans):
        counts[kind] += 1
        out += [s[last:a], mark(kind)]
        last = b
    out.append(s[last:])
    return "".join(out)


def _find_all(haystack: str, needle: str) -> list[int]:
    found = []
    i = haystack.find(needle)
    while i != -1:
        found.append(i)
        i = haystack.find(needle, i + 1)
    return found
