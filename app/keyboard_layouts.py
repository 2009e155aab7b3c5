"""Which letters share a key across the keyboard layouts Flare's users type in.

A shortcut is a key, not a letter: Alt+N is the same key as Alt+Т on a Russian layout, and
Alt+Д (Russian "&Далее") is Alt+L on a Latin one. Qt matches shortcuts by the letter the
active layout produces, so the window registers each mnemonic's twins too.
"""

from __future__ import annotations

# One row each: the letters on the same physical keys (US QWERTY, Russian and Ukrainian
# ЙЦУКЕН, as in the standard xkb and Windows layouts), lower case.
_LATIN = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
_RUSSIAN = "йцукенгшщзхъфывапролджэячсмитьбюё"
_UKRAINIAN = "йцукенгшщзхїфівапролджєячсмитьбю'"

_KEYS: dict[str, set[str]] = {}
for _row in zip(_LATIN, _RUSSIAN, _UKRAINIAN, strict=True):
    for _ch in _row:
        _KEYS.setdefault(_ch, set()).update(_row)


def same_key(letter: str) -> set[str]:
    """Letters (lower case, letters only) typed by the key that types ``letter`` elsewhere;
    ``letter`` itself excluded."""
    ch = letter.lower()
    return {c for c in _KEYS.get(ch, set()) if c != ch and c.isalpha()}


def mnemonic(text: str) -> str:
    """The letter after a single ``&`` in a button text, lower case ("" when none)."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] == "&":
                i += 2
                continue
            return text[i + 1].lower()
        i += 1
    return ""


def option_number(text: str, count: int) -> int | None:
    """The option (1..``count``) a key press picks by its number, or None. Digits sit on the
    same keys in the Latin and Cyrillic layouts, so the number works in every one of them
    (and on the keypad)."""
    if len(text) != 1 or not text.isdecimal():
        return None
    n = int(text)
    return n if 1 <= n <= min(count, 9) else None


def numbered(n: int, label: str) -> str:
    """An option's label with the number that picks it ("2. Sometimes")."""
    return f"{n}. {label}"
