"""Translatable text: a plain string or a mapping of language code to string."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

LangCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")]
LocalText = str | dict[LangCode, str]

FALLBACK_LANGUAGE = "en"


def pick(text: LocalText | None, language: str, fallback: str = FALLBACK_LANGUAGE) -> str:
    """``text`` in ``language``; else in its base language (``pt-BR`` → ``pt``); else English;
    else whatever language it has. A plain string is the same in every language."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    for lang in (language, language.split("-")[0], fallback):
        if lang in text:
            return text[lang]
    return next(iter(text.values()), "")


def missing_languages(text: LocalText | None, languages: list[str]) -> list[str]:
    """The languages of ``languages`` that a mapping text lacks (a plain string lacks none)."""
    if text is None or isinstance(text, str):
        return []
    return [lang for lang in languages if not text.get(lang, "").strip()]
