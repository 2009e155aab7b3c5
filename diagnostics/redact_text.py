"""Passwords announced in running text, in English, Russian and Ukrainian.

"my password is Summer2024!", "пароль от почты: …", "Пароль администратора — …", "гасло до
пошти …". Without a separator (":" or a dash) the value must look like a password (letters with
digits or symbols), so "Failed password for invalid user admin" stays as it is.
"""

from __future__ import annotations

import re
from functools import cache

from diagnostics.redact_words import words


def _text_words_pattern() -> str:
    w = words()
    english = [re.escape(t).replace(r"\ ", r"\s+") for t in w.text_words]
    cyr = [c.replace("_?", r"[\s_\-]?") for c in w.cyrillic_words]
    return "|".join(english + cyr)


_PWLIKE = (
    r"(?![/~]\S*/)(?:(?=[^\s]*\d)(?=[^\s]*[^\W\d_])|(?=[^\s]*[!@#$%^&*~?+])(?=[^\s]*[^\W\d_]))"
    r"[^\s\"'«»:=,;()]{6,}|\d{4,}(?![\w.])"
)
_FILLER_WORDS = r"от|для|к|до|від|на|з|із|у|в|for|to|of|on|at|the|in|into|from|with"
# "пароль поменяли на X", "password changed to X": a change verb may come before the filler.
_CHANGE_VERBS = (
    r"(?:по|с|из|за)?мен(?:ял|яли|яла|или|ил|ила|ён|ен)|змін(?:ив|или|ила|ено)|поміняли|"
    r"changed|set|reset|updated"
)
# "Пароль администратора: X", "гасло користувача — X": one noun in the genitive (-а/-я/-ы/-и/-у)
_GENITIVE = r"[а-яіїєґ]{3,}(?:а|я|ы|и|і|у|ю)"
# What a line says about a password rather than what it is: "Пароль пользователя: изменён".
TEXT_STATUS = frozenset({
    "изменён", "изменен", "сброшен", "неверный", "неверен", "верный", "истёк", "истек", "змінено",
    "скинуто", "невірний", "хибний", "застарів", "changed", "expired", "incorrect", "reset",
    "required", "invalid", "ok", "wrong", "set", "saved", "updated",
})


@cache
def lead_patterns() -> list[re.Pattern[str]]:
    """Running text announcing a password: "пароль от почты: X", "my password is Summer2024"."""
    tw = r"(?i)(?<![\w\-/.])(?:" + _text_words_pattern() + r")(?![\w\-])"
    value = r"(?P<value>\"[^\"\n]+\"|'[^'\n]+'|«[^»\n]+»|[^\s\"'«]+)"
    return [
        # with a separator: "пароль от почты: X", "Пароль администратора — X"
        re.compile(
            tw + r"(?:[ \t]+(?:" + _FILLER_WORDS + r")(?:[ \t]+[^\s:=.!?;,\"']{1,15}){1,2}?"
            r"|[ \t]+" + _GENITIVE + r")?[ \t]*(?::|[ \t][—–-][ \t])[ \t]*" + value
        ),
        # "password is X", "пароль это X"
        re.compile(
            tw + r"(?:[ \t]+(?:" + _FILLER_WORDS + r")(?:[ \t]+[^\s:=]{1,15}){1,2}?)?"
            r"[ \t]+(?:is|was|это|є|был|була|будет|буде|—|-)[ \t]+(?P<value>" + _PWLIKE + ")"
        ),
        # bare: "мой пароль X", "пароль поменяли на X", "password for the share X"
        re.compile(
            tw + r"(?:[ \t]+(?:" + _CHANGE_VERBS + r"))?"
            r"(?:[ \t]+(?:" + _FILLER_WORDS + r")(?:[ \t]+[^\s:=]{1,20}){0,2})?"
            r"[ \t]+(?P<value>" + _PWLIKE + ")"
        ),
    ]
