"""Translations of Flare's own user-facing strings (English source, Russian and Ukrainian).

gettext catalogs, one domain (``flare``) for app/, capture/, diagnostics/ and the built-in form:
``resources/locale/<lang>/LC_MESSAGES/flare.po`` is what translators edit (Poedit, Lokalize,
Weblate open it), ``flare.mo`` beside it is what runs. ``python -m app.i18n_catalogs update``
extracts the strings with Babel and compiles the .mo; a test fails when either is stale.

This module sits in the bottom layer (it imports nothing of Flare), so capture/ and
diagnostics/ use it too. Qt's own dialogs are translated by Qt's catalogs, loaded in app/ui.
"""

from __future__ import annotations

import _thread  # threading's own lock, without threading's import for every command
import gettext
import os
import re
import sys
from collections.abc import Callable, Mapping
from functools import cache

import resources

# subprocess and locale are imported where they are used: every `flare` command imports this
# module, and most never read the OS's language.

DOMAIN = "flare"
LANGUAGES = ("en", "ru", "uk")
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "uk": "Українська"}
# gettext's own order (GNU gettext and Python's gettext.find): the first of these that is set
# decides; LANGUAGE may list several languages, tried in turn.
ENV_ORDER = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def N_(text: str) -> str:  # the name xgettext and Babel know
    """Mark ``text`` for the catalogs where it is defined; translate it where it is shown."""
    return text


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog of ``language`` (English, the source, needs none)."""
    if language not in LANGUAGES or language == "en":
        return gettext.NullTranslations()
    name = f"locale/{language}/LC_MESSAGES/{DOMAIN}.mo"
    try:
        with resources.file(name).open("rb") as fp:
            return gettext.GNUTranslations(fp)
    except OSError:  # a broken install still speaks English rather than not starting
        return gettext.NullTranslations()


def _code(value: str) -> str:
    """``uk_UA.UTF-8`` → ``uk``; ``C``/``POSIX`` → ``en`` (no translation); else ``""``."""
    value = value.strip()
    if value in ("C", "POSIX") or value.startswith("C."):
        return "en"
    code = value.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else ""


def language_from_environment(environ: Mapping[str, str]) -> str | None:
    """The language the environment asks for, in gettext's order; ``None`` when unset.

    As in gettext, the first variable that is set wins even when it names no language Flare
    has (``LANG=de_DE`` gives English, not a later variable's language)."""
    for name in ENV_ORDER:
        value = environ.get(name, "")
        if not value:
            continue
        for part in value.split(":"):
            code = _code(part)
            if code:
                return code
        return "en"
    return None


def _windows_ui_language() -> str:
    import ctypes  # only on Windows: the display language of the user's account
    import locale

    lcid = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
    return str(locale.windows_locale.get(int(lcid), ""))


def _macos_languages() -> str:
    # System Settings → Language & Region → Preferred Languages, e.g. "(\n    "uk-UA",\n ...)"
    import subprocess

    out = subprocess.run(["defaults", "read", "-g", "AppleLanguages"], capture_output=True,
                         text=True, timeout=5, check=False).stdout
    return ":".join(p.strip(' \t\n"(),') for p in out.splitlines() if p.strip(' \t\n"(),'))


def os_language(platform: str = sys.platform) -> str:
    """The user's display language from the OS where it is not in the environment."""
    try:
        if platform.startswith("win"):
            return _code(_windows_ui_language())
        if platform == "darwin":
            for part in _macos_languages().split(":"):
                if _code(part):
                    return _code(part)
            return ""
        import locale

        return _code(locale.getlocale(locale.LC_MESSAGES)[0] or "")
    except Exception:  # no setting readable: the caller falls back
        return ""


def resolve_language(setting: str | None, environ: Mapping[str, str] | None = None,
                     os_setting: Callable[[], str] = os_language) -> str:
    """The language to use: policy/user setting ``general.language`` if fixed; else LANGUAGE,
    LC_ALL, LC_MESSAGES, LANG in gettext's order; else the OS setting; else English."""
    if setting and setting != "auto" and setting in LANGUAGES:
        return setting
    found = language_from_environment(os.environ if environ is None else environ)
    if found:
        return found
    return os_setting() or "en"


def support_language(setting: object, reporter: str) -> str:
    """The language support reads when policy ``support.language`` names one other than the
    reporter's; ``""`` when support reads the reporter's own."""
    if isinstance(setting, str) and setting in LANGUAGES and setting != reporter:
        return setting
    return ""


# A pattern, not a compiled one: re compiles it (and caches it) at the first size shown, not
# in every command that imports the translator.
_SIZE = r"(\d+(?:\.\d+)?) (B|bytes|KB|MB|GB|TB)"


class Translator:
    """``tr``/``ntr``/``ptr`` in one language; every text may hold ``{fields}``."""

    def __init__(self, language: str = "en") -> None:
        self.language = language if language in LANGUAGES else "en"
        self._t = translations(self.language)

    def tr(self, text: str, /, **fields: object) -> str:
        """Translate ``text`` and fill ``{fields}``; falls back to English."""
        out = self._t.gettext(text)
        return out.format(**fields) if fields else out

    def ptr(self, context: str, text: str, /, **fields: object) -> str:
        """``tr`` for an English word with more than one meaning: ``context`` tells which."""
        out = self._t.pgettext(context, text)
        return out.format(**fields) if fields else out

    def ntr(self, singular: str, plural: str, /, n: int, **fields: object) -> str:
        """The form of ``singular``/``plural`` for the number ``n`` (also given to the text as
        ``{n}``): English has two forms, Russian and Ukrainian three (one, few, many)."""
        return self._t.ngettext(singular, plural, n).format(n=n, **fields)

    def size(self, text: str) -> str:
        """A size as app.sizes writes it ("557.3 KB", "512 B") in this language: decimal comma
        and КБ/ГБ in Russian and Ukrainian. (app.sizes sits beside this module and may not
        import it, so its callers pass the text through here.)"""
        m = re.fullmatch(_SIZE, text.strip())
        if not m or self.language == "en":
            return text
        digits = m.group(1)
        number = self.number(float(digits), len(digits.partition(".")[2]))
        unit = {"B": self.ptr("unit", "B"), "bytes": self.ptr("unit", "B"),
                "KB": self.ptr("unit", "KB"), "MB": self.ptr("unit", "MB"),
                "GB": self.ptr("unit", "GB"), "TB": self.ptr("unit", "TB")}[m.group(2)]
        return f"{number} {unit}"

    def number(self, value: float, decimals: int | None = None) -> str:
        """``value`` as this language writes it (CLDR, through Babel): "1.5" in English,
        «1,5» in Russian and Ukrainian, with a no-break space between thousands there. ``decimals``
        fixes the digits after the point; else up to three, trailing zeros dropped (as
        ``:g``). English is written without a thousands separator, as Flare always has."""
        from babel.numbers import format_decimal  # loaded by the first number, not at start

        pattern = "#,##0" + ("." + "0" * decimals if decimals else "" if decimals == 0
                             else ".###")
        return format_decimal(value, format=pattern, locale=self.language,
                              group_separator=self.language != "en")

    def unit(self, value: float, unit: str, decimals: int | None = None) -> str:
        """A number with a unit word ("12.5 s", «12,5 с», «98,3 %»): the unit is translated in
        the context ``unit`` (s, ms, min, h, %, GB, …), after a space."""
        words = {"s": self.ptr("unit", "s"), "ms": self.ptr("unit", "ms"),
                 "min": self.ptr("unit", "min"), "h": self.ptr("unit", "h"),
                 "%": self.ptr("unit", "%"), "KB": self.ptr("unit", "KB"),
                 "MB": self.ptr("unit", "MB"), "GB": self.ptr("unit", "GB")}
        return f"{self.number(value, decimals)} {words.get(unit, unit)}"

    def has(self, text: str, context: str | None = None) -> bool:
        """Whether the catalog has ``text`` (a translation may equal the English, "Outlook");
        English, the source, has everything."""
        if self.language == "en":
            return True
        key = text if context is None else f"{context}\x04{text}"  # the .mo's context key
        return key in getattr(self._t, "_catalog", {})


class TwinTranslator(Translator):
    """Speaks ``language`` and says every text once more in ``other``, so that what was put
    together from those texts can be read in ``other`` too (:meth:`in_other`).

    Diagnostics collectors write their summaries and findings in the reporter's language;
    support may read another (policy ``support.language``). Translating the finished line is
    impossible (it holds data: names, paths, counts), so each call is recorded with its text
    in both languages, and the finished line is rewritten text by text. Numbers and sizes
    are recorded as written (``number``, ``unit``, ``size``): «1,5 ГБ» becomes "1.5 GB"."""

    def __init__(self, language: str, other: str) -> None:
        super().__init__(language)
        self.other = Translator(other)
        self._pairs: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None
        # The units inside a number ("с", "ГБ") are not recorded on their own: only the whole
        # "12,5 с" is, so a lone letter of a word is never mistaken for a unit.
        self._inside = 0

    def _twin(self, said: str, other: Callable[[], str]) -> str:
        if self._inside:
            return said
        self._inside += 1
        try:
            twin = other()
        finally:
            self._inside -= 1
        # A word of one or two letters alone («с», «ГБ») is also a preposition or part of a
        # name: only a number with it ("12,5 с") or a longer text is worth rewriting.
        short = len(said.strip()) < 3 and not any(ch.isdigit() for ch in said)
        if not short and said != twin and said not in self._pairs:
            self._pairs[said] = twin
            self._pattern = None
        return said

    def _fields(self, fields: Mapping[str, object]) -> dict[str, object]:
        # A field that is itself a recorded text (or holds some) goes in in the other language.
        return {k: self.in_other(v) if isinstance(v, str) else v for k, v in fields.items()}

    def _say(self, call: Callable[[Translator], str]) -> str:
        if self._inside:
            return call(Translator(self.language))
        self._inside += 1
        try:
            said = call(Translator(self.language))
        finally:
            self._inside -= 1
        return self._twin(said, lambda: call(self.other))

    def tr(self, text: str, /, **fields: object) -> str:
        said = super().tr(text, **fields)
        return self._twin(said, lambda: self.other.tr(text, **self._fields(fields)))

    def ptr(self, context: str, text: str, /, **fields: object) -> str:
        said = super().ptr(context, text, **fields)
        return self._twin(said, lambda: self.other.ptr(context, text, **self._fields(fields)))

    def ntr(self, singular: str, plural: str, /, n: int, **fields: object) -> str:
        said = super().ntr(singular, plural, n=n, **fields)
        return self._twin(said, lambda: self.other.ntr(singular, plural, n=n,
                                                       **self._fields(fields)))

    def number(self, value: float, decimals: int | None = None) -> str:
        return self._say(lambda t: t.number(value, decimals))

    def unit(self, value: float, unit: str, decimals: int | None = None) -> str:
        return self._say(lambda t: t.unit(value, unit, decimals))

    def size(self, text: str) -> str:
        return self._say(lambda t: t.size(text))

    def in_other(self, text: str) -> str:
        """``text``, put together from what this translator said, in the other language:
        every recorded text is replaced by its twin, the longest first and in one pass (a
        replacement is never replaced again); a recorded text that starts or ends with a
        letter or digit is replaced only where it is not part of a longer word or number."""
        if not self._pairs or not text:
            return text
        if self._pattern is None:
            alts = []
            for said in sorted(self._pairs, key=len, reverse=True):
                head = r"(?<!\w)" if said[0].isalnum() else ""
                tail = r"(?!\w)" if said[-1].isalnum() else ""
                alts.append(f"{head}{re.escape(said)}{tail}")
            self._pattern = re.compile("|".join(alts))
        return self._pattern.sub(lambda m: self._pairs[m.group(0)], text)


def plural_form(language: str, n: int) -> int:
    """Index of the plural form for ``n`` (CLDR rules, the same as the catalogs' Plural-Forms):
    English one/other; Russian and Ukrainian one (1, 21, 101), few (2–4, 22–24) and many."""
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


# The language of this process's person: set once at start (app.cli, the tray app) from the
# setting and the environment. capture/ and diagnostics/ speak it through ``current()`` instead
# of taking a translator through every helper; text for support in another language takes an
# explicit Translator.
_current: list[Translator] = []
_pending: list[Callable[[], str]] = []
# Diagnostics collectors translate from several threads at once: the first one chooses, the
# others wait for its choice rather than speaking English meanwhile.
_choosing = _thread.allocate_lock()
# While the choice reads the settings, their own messages (a bad value in a file) are said in
# the language the process spoke before: the thread that chooses must not wait for itself.
_chooser: list[int] = []
_before: list[Translator] = []


def set_language(language: str) -> Translator:
    _pending.clear()
    _current[:] = [Translator(language)]
    return _current[0]


def set_language_from(choose: Callable[[], str]) -> None:
    """Let ``choose`` pick the language when text is first translated: the choice reads the
    settings, which a command that never shows a translated word (`flare outbox list`) should
    not pay for at start."""
    _before[:] = _current[:1]
    _current.clear()
    _pending[:] = [choose]


# A thread may speak through its own translator for a while (a collector of a report that
# support reads in another language records what it says, see TwinTranslator).
_local = _thread._local()


def speak_on_this_thread(t: Translator | None) -> None:
    """``current()`` on this thread is ``t`` from now on; ``None``: the process's again."""
    _local.translator = t


def current() -> Translator:
    own = getattr(_local, "translator", None)
    if own is not None:
        return own  # type: ignore[no-any-return]
    if not _current and _pending:
        if _chooser and _chooser[0] == _thread.get_ident():
            if not _before:
                _before.append(Translator(resolve_language(None)))
            return _before[0]
        with _choosing:
            if not _current and _pending:
                _chooser[:] = [_thread.get_ident()]
                try:
                    language = _pending[0]()
                except Exception:  # unreadable settings still leave the environment's
                    language = resolve_language(None)
                finally:
                    _chooser.clear()
                _current[:] = [Translator(language)]
                _pending.clear()  # only now: until here, other threads wait at the lock
    return _current[0] if _current else Translator("en")


# argparse's own words ("usage: ", "options", its errors). Python ships no catalog for them:
# argparse asks gettext's default domain, which holds nothing. They are in Flare's catalog,
# spelled exactly as argparse spells them, and ``translate_argparse`` hands argparse Flare's.
ARGPARSE_TEXTS = (
    N_("usage: "), N_("positional arguments"), N_("options"),
    N_("show this help message and exit"), N_("show program's version number and exit"),
    N_("argument %(argument_name)s: %(message)s"), N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"), N_("expected one argument"),
    N_("expected at most one argument"), N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"), N_("ignored explicit argument %r"),
    N_("one of the arguments %s is required"), N_("%(prog)s: error: %(message)s\n"),
)


def translate_argparse(t: Translator) -> None:
    """argparse speaks ``t``'s language from now on (its help headings and errors)."""
    import argparse  # the CLI has it loaded already; nothing else needs it

    catalog = t._t
    setattr(argparse, "_", catalog.gettext)  # noqa: B010 (argparse's module-level name)
    setattr(argparse, "ngettext", catalog.ngettext)  # noqa: B010
