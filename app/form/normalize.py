"""Text normalisation and typo-tolerant word matching for the answer rules.

Users type fast, in three languages, on keyboards that switch layouts mid-word. Matching works on
a normalised form: case-folded, ``ё`` read as ``е``, apostrophes dropped (``doesn't`` →
``doesnt``, ``комп'ютер`` → ``компютер``), punctuation and emoji removed, and runs of a repeated
letter squeezed to one (``helppp`` → ``help``; patterns get the same treatment, so ``error`` and
``errror`` meet as ``eror``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = "'’ʼ`´ʹ‘"
# Latin letters that look like Cyrillic ones: a word typed half in the wrong layout is read as
# Cyrillic when it holds Cyrillic letters too.
_LATIN_TO_CYRILLIC = str.maketrans("aceopxyik", "асеорхуік")


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


_NOT_WORD = re.compile(r"[^\w]+")  # \w: letters, digits and "_"
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN = re.compile("[a-z]")


def _fix_mixed_script(word: str) -> str:
    if _LATIN.search(word) and _CYRILLIC.search(word):
        return word.translate(_LATIN_TO_CYRILLIC)
    return word


def squeeze(word: str) -> str:
    """Collapse runs of the same character: ``pomogiteee`` → ``pomogite``."""
    out: list[str] = []
    for ch in word:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def words(text: str) -> list[str]:
    """The case-folded words of ``text`` (letters, digits and ``_``), before squeezing."""
    folded = unicodedata.normalize("NFC", text).casefold().replace("ё", "е")
    for apostrophe in _APOSTROPHES:
        folded = folded.replace(apostrophe, "")
    return [_fix_mixed_script(w) for w in _NOT_WORD.split(folded) if w]


def tokens(text: str) -> list[str]:
    """Normalised, squeezed tokens: the unit every pattern is matched against."""
    return [squeeze(w) for w in words(text)]


def normalised(text: str) -> str:
    """One string for equality tests: ``"Doesn't WORK!!!"`` → ``"doesnt work"``."""
    return " ".join(tokens(text))


def within_one_edit(a: str, b: str) -> bool:
    """True if ``a`` and ``b`` are at most one Damerau-Levenshtein edit apart.

    One edit is a substitution, an insertion, a deletion or a swap of two adjacent characters.
    """
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True  # one substitution
        return (
            i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
        )
    return a[i:] == b[i + 1 :]  # one insertion into a


@lru_cache(maxsize=65536)
def word_matches(word: str, pattern: str, typo_min_len: int = 5) -> bool:
    """Match one normalised token against one pattern token.

    ``pattern`` is a whole word, or a stem ending in ``*`` that matches any word starting with
    it. Words and stems of at least ``typo_min_len`` letters tolerate one typo.
    """
    if pattern.endswith("*"):
        stem = pattern[:-1]
        if word.startswith(stem):
            return True
        if len(stem) < typo_min_len or len(word) < len(stem) - 1:
            return False
        return any(
            within_one_edit(word[:k], stem)
            for k in (len(stem) - 1, len(stem), len(stem) + 1)
            if 0 < k <= len(word)
        )
    if word == pattern:
        return True
    if len(pattern) < typo_min_len or len(word) < typo_min_len:
        return False
    return within_one_edit(word, pattern)
