"""Translatable text: a plain string or a mapping of language code to string."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from app.i18n import Translator

LangCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")]
LocalText = str | dict[LangCode, str]

FALLBACK_LANGUAGE = "en"
# The built-in form's texts are in Flare's gettext catalogs under this context
# (app/i18n_catalogs.py extracts each ``en`` text); a form's own inline text still wins.
CATALOG_CONTEXT = "form"


def _catalog(english: str, language: str) -> str | None:
    t = Translator(language.split("-")[0])
    if t.language == FALLBACK_LANGUAGE or not t.has(english, context=CATALOG_CONTEXT):
        return None
    return t.ptr(CATALOG_CONTEXT, english)


def pick(text: LocalText | None, language: str, fallback: str = FALLBACK_LANGUAGE) -> str:
    """``text`` in ``language``; else in its base language (``pt-BR`` → ``pt``); else English;
    else whatever language it has. A plain string is the same in every language."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    for lang in (language, language.split("-")[0]):
        if lang in text:
            return text[lang]
    if isinstance(text.get(fallback), str):
        return _catalog(text[fallback], language) or text[fallback]
    return next(iter(text.values()), "")


def missing_languages(text: LocalText | None, languages: list[str]) -> list[str]:
    """The languages of ``languages`` that a mapping text lacks, inline or in Flare's catalogs
    (a plain string lacks none)."""
    if text is None or isinstance(text, str):
        return []
    english = text.get(FALLBACK_LANGUAGE, "")
    return [lang for lang in languages if not text.get(lang, "").strip()
            and not (english and _catalog(english, lang))]
