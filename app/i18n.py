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
def _catalog(language: str) -> dict[str, str]:
    if language == "en":
        return {}
    path = resources.files("resources").joinpath(f"i18n/{language}.json")
    data: dict[str, str] = json.loads(path.read_text("utf-8"))
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
        return out.format(**fields) if fields else out


def tr(text: str, /, language: str = "en", **fields: object) -> str:
    return Translator(language).tr(text, **fields)
