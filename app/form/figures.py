"""Numbers and spellings that say less than they seem to (issue 14, round 7).

The judge (app/form/judge.py) counts every number; some say nothing of what fails, by what
stands next to them, whatever the number:

* a time or a year after a word of when ("at 8", "by 12", "until 5", "in 2026", «в 2025»):
  when, not what fails (a clock time, "14:30", is dropped before this);
* a phone number or an extension after a word of how to reach the person ("ext 4471",
  «внутренний 215», «мобільний 067…»: the list ``contact`` in resources/forms/words/): who
  to call back, not what fails.

And a word written with a letter held down ("soooo", "pleeease", «оооочень») is read as the
word it stretches ("so", "please", «очень»), so it weighs what that word weighs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.form.lexicon import CIRCUMSTANCE, CONTACT, Lexicon, grammar, morphology

_YEAR = re.compile(r"(?:19|20)\d\d")
_HELD = re.compile(r"([^\W\d_])\1{2,}")


def says_when(word: str, previous: str) -> bool:
    """A number that only says when: an hour after "at", "by"; a year after "in", «в»."""
    if not word.isdigit():
        return False
    if previous in grammar()["at_time"] and len(word) <= 2 and int(word) <= 24:
        return True
    return previous in grammar()["in_year"] and _YEAR.fullmatch(word) is not None


def story_time(words: Sequence[str], at: int) -> bool:
    """A number of a story that says when or how long ("at 8", "for 20 min", «в 9»)."""
    word = words[at]
    if not word.isdigit() or len(word) > 2:
        return False
    before = words[at - 1] if at else ""
    after = words[at + 1] if at + 1 < len(words) else ""
    g = grammar()
    return after in g["time_units"] or says_when(word, before) or before in g["at_hour"]


def _is_contact(word: str, lex: Lexicon, what: str = CONTACT) -> bool:
    for lang in ("en", "ru", "uk"):
        form = morphology().stem(word) if lang == "en" else word
        classes = lex.classes_of_form(lang, form) or lex.classes_of_form(lang, word)
        if classes and what in classes:
            return True
    return False


def place_number(words: Sequence[str], at: int, lex: Lexicon) -> bool:
    """A number beside a word of place ("room 12", «305 кабінет»): where the person is, in a
    clause that asks to be visited, not a figure of the problem."""
    if not words[at].isdigit():
        return False
    return any(0 <= n < len(words) and _is_contact(words[n], lex, CIRCUMSTANCE)
               for n in (at - 1, at + 1))


def phone_number(words: Sequence[str], at: int, lex: Lexicon) -> int:
    """Where the word of how to reach the person stands when the number at ``at`` follows it
    (the number's other groups and a short word or two between: "ext. 4471", «на мобильный
    8 916 123 45 67»); -1 when it follows none."""
    if not any(c.isdigit() for c in words[at]):
        return -1
    back = at - 1
    while back >= 0 and any(c.isdigit() for c in words[back]):
        back -= 1
    for n in range(back, max(-1, back - 3), -1):
        if _is_contact(words[n], lex):
            return n
        if len(words[n]) > 3:
            return -1
    return -1


def unstretched(word: str) -> str:
    """``word`` with a letter held down read once or twice, whichever the dictionaries know
    ("soooo" -> "so", "sloooow" -> "slow"; unknown either way: once)."""
    if _HELD.search(word) is None:
        return word
    once = _HELD.sub(r"\1", word)
    twice = _HELD.sub(r"\1\1", word)
    morph = morphology()
    if word.isascii():
        return twice if morph.english_pos(twice) and not morph.english_pos(once) else once
    if any(morph.is_known(lang, twice) for lang in morph.cyrillic) and \
            not any(morph.is_known(lang, once) for lang in morph.cyrillic):
        return twice
    return once
