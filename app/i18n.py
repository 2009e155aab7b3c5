"""Translations of Flare's own user-facing strings (English source, Russian and Ukrainian).

Plain Python so the CLI, the form engine and the UI share one mechanism. Catalogs are JSON
files in resources/i18n/ keyed by the English text; a test extracts every ``tr("...")`` call
in the code and fails when a shipped language lacks one. Qt's own dialogs are translated by
Qt's catalogs, loaded in app/ui.
"""

from __future__ import annotations

import contextlib
import json
import locale
import os
from functools import cache
from importlib import resources

LANGUAGES = ("en", "ru", "uk")
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "uk": "Українська"}


@cache
def _catalog(language: str) -> dict[str, str | list[str]]:
    if language == "en":
        return {}
    path = resources.files("resources").joinpath(f"i18n/{language}.json")
    data: dict[str, str | list[str]] = json.loads(path.read_text("utf-8"))
    return data


def resolve_language(setting: str | None, environ: dict[str, str] | None = None) -> str:
    """The language to use: the setting if fixed, else the OS language, else English."""
    if setting and setting != "auto" and setting in LANGUAGES:
        return setting
    env = os.environ if environ is None else environ
    candidates = [env.get(k, "") for k in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")]
    if environ is None:
        with contextlib.suppress(ValueError):
            candidates.append(locale.getlocale()[0] or "")
    for value in candidates:
        code = value.split(":")[0].split("_")[0].split(".")[0].lower()
        if code in LANGUAGES:
            return code
    return "en"


class Translator:
    def __init__(self, language: str = "en") -> None:
        self.language = language if language in LANGUAGES else "en"

    def tr(self, text: str, /, **fields: object) -> str:
        """Translate ``text`` and fill ``{fields}``; falls back to English."""
        out = _catalog(self.language).get(text, text) if self.language != "en" else text
        if not isinstance(out, str):  # a plural entry asked for as a plain one
            out = text
        return out.format(**fields) if fields else out

    def ntr(self, singular: str, plural: str, /, n: int, **fields: object) -> str:
        """The form of ``singular``/``plural`` for the number ``n`` (also given to the text as
        ``{n}``). A catalog holds the forms as a list keyed by the English singular."""
        forms: object = [singular, plural]
        if self.language != "en":
            forms = _catalog(self.language).get(singular, forms)
        if not isinstance(forms, list) or not forms:
            forms = [singular, plural]
        i = plural_form(self.language if len(forms) > 2 else "en", n)
        text = str(forms[min(i, len(forms) - 1)])
        return text.format(n=n, **fields)


def plural_form(language: str, n: int) -> int:
    """Index of the plural form for ``n`` (CLDR rules): English one/other; Russian and
    Ukrainian one (1, 21, 101), few (2–4, 22–24) and many (0, 5–20, 11–14, 25…)."""
    n = abs(n)
    if language in ("ru", "uk"):
        if n % 10 == 1 and n % 100 != 11:
            return 0
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return 1
        return 2
    return 0 if n == 1 else 1


def tr(text: str, /, language: str = "en", **fields: object) -> str:
    return Translator(language).tr(text, **fields)
