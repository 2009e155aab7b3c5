"""The small words of the rules live in the word files (resources/forms/words/, ``grammar:``)."""

from __future__ import annotations

import re
from pathlib import Path

from app.form.lexicon import LANGUAGES, Grammar, grammar, read_word_file

FORM = Path(__file__).resolve().parents[2] / "app" / "form"
# grammar()["joins"], g["joins"] (g = grammar()), grammar().of("en", "x"), .cyrillic("x")
_USED = re.compile(r"""(?:grammar\(\)|\bg)(?:\.(?:of|cyrillic)\((?:"\w+", )?|\[)"(\w+)"[\])]""")


def _used_names() -> set[str]:
    return {m.group(1) for f in FORM.glob("*.py") for m in _USED.finditer(f.read_text("utf-8"))}


def test_every_set_the_code_reads_is_in_the_files() -> None:
    # A misspelt name would read as an empty set and silently switch a rule off.
    names = _used_names()
    assert len(names) >= 30
    missing = sorted(n for n in names if not grammar()[n])
    assert missing == []


def test_no_set_in_the_files_is_unused() -> None:
    in_files = {n for lang in LANGUAGES for n in (read_word_file(lang).get("grammar") or {})}
    assert sorted(in_files - _used_names()) == []


def test_sets_are_read_in_every_language_and_one_by_one() -> None:
    g = Grammar({"en": {"joins": ["and"]}, "uk": {"joins": ["та", "і"]}, "ru": {}})
    assert g["joins"] == {"and", "та", "і"}
    assert g.of("en", "joins") == {"and"}
    assert g.cyrillic("joins") == {"та", "і"}
    assert g["nothing"] == frozenset()


def test_each_language_has_its_own_words() -> None:
    g = grammar()
    assert "and" in g.of("en", "joins") and "and" not in g.of("ru", "joins")
    assert "але" in g.of("uk", "joins") and "але" not in g.of("ru", "joins")
    assert "но" in g.of("ru", "joins") and "но" not in g.of("uk", "joins")
