"""Flare's gettext catalogs: complete, fresh, compiled, and read the way the code asks."""

from __future__ import annotations

import re
import shutil
import string
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.i18n import Translator
from app.i18n_catalogs import ROOT, po_path, problems, update

LANGS = ["ru", "uk"]
MNEMONIC = re.compile(r"&\w")


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_catalogs_are_complete_fresh_and_compiled() -> None:
    found = problems()
    assert not found, "\n".join(found)


@pytest.mark.parametrize("language", LANGS)
def test_translations_keep_placeholders_and_mnemonics(language: str) -> None:
    with po_path(language).open("rb") as fp:
        catalog = read_po(fp, locale=language)
    assert catalog.num_plurals == 3
    for message in catalog:
        if not message.id:
            continue
        ids = list(message.id) if isinstance(message.id, tuple) else [message.id]
        forms = list(message.string) if isinstance(message.string, tuple) else [message.string]
        for form in forms:
            assert _fields(ids[0]) | {"n"} >= _fields(form) >= _fields(ids[0]) - {"n"}, (
                ids[0], form)
            # a keyboard mnemonic ("&Send") stays one; "Privacy & Security" is none
            assert bool(MNEMONIC.search(ids[0])) == bool(MNEMONIC.search(form)), (ids[0], form)


def test_msgfmt_accepts_the_catalogs() -> None:
    if shutil.which("msgfmt") is None:
        pytest.skip("gettext's msgfmt is not installed (.ci/run installs it)")
    for language in LANGS:
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_path(language))],
                       check=True)


def _tree(tmp_path: Path, code: str) -> Path:
    """A copy of the catalogs and the form beside one module of code."""
    for part in ("resources/locale", "resources/forms"):
        shutil.copytree(ROOT / part, tmp_path / part)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "page.py").write_text(code, "utf-8")
    return tmp_path


def test_a_string_new_in_the_code_makes_the_catalog_incomplete(tmp_path: Path) -> None:
    root = _tree(tmp_path, 't.tr("Cancel")\nt.tr("A string no catalog has")\n')
    update(root)
    found = problems(root)
    assert any("untranslated 'A string no catalog has'" in p for p in found), found
    assert all("'Cancel'" not in p for p in found), found


def test_a_fuzzy_or_stale_catalog_is_caught(tmp_path: Path) -> None:
    root = _tree(tmp_path, 't.tr("Cancel")\n')
    update(root)
    assert problems(root) == []
    po = po_path("ru", root)
    text = po.read_text("utf-8").replace('msgid "Cancel"\n',
                                         '#, fuzzy\nmsgid "Cancel"\n', 1)
    po.write_text(text, "utf-8")
    found = problems(root)
    assert any("fuzzy translation of 'Cancel'" in p for p in found), found
    assert any("flare.mo is not compiled" in p for p in found), found
    (root / "app" / "page.py").write_text('t.tr("Something else")\n', "utf-8")
    assert any("no longer used" in p for p in problems(root))


def test_plural_forms_follow_the_numbers() -> None:
    en, ru, uk = Translator("en"), Translator("ru"), Translator("uk")
    one, many = "{n} answer needs more detail: see the message next to it.", \
        "{n} answers need more detail: see the messages next to the questions."
    assert en.ntr(one, many, n=1).startswith("1 answer needs")
    assert en.ntr(one, many, n=2).startswith("2 answers need")
    assert [ru.ntr(one, many, n=k).split()[1] for k in (1, 3, 5, 11, 21, 22)] == [
        "ответ", "ответа", "ответов", "ответов", "ответ", "ответа"]
    assert [uk.ntr(one, many, n=k).split()[1] for k in (1, 2, 7, 12, 101)] == [
        "відповідь", "відповіді", "відповідей", "відповідей", "відповідь"]


def test_the_form_reads_its_texts_from_the_catalogs() -> None:
    from app.form.texts import pick

    assert pick({"en": "What happened?"}, "uk") == "Що сталося?"
    assert pick({"en": "What happened?"}, "ru") == "Что произошло?"
    # a form's own inline text wins; a text no catalog has stays English
    assert pick({"en": "What happened?", "ru": "Ну и?"}, "ru") == "Ну и?"
    assert pick({"en": "Which SAP transaction?"}, "ru") == "Which SAP transaction?"


# docs/glossary.md, checked where a machine can: words the glossary rules out, and the
# Ukrainian letter apostrophe. The form's business examples ("Send the monthly report to the
# finance team") keep «отчёт»/«звіт», which is a report in the business sense.
BANNED = {
    "ru": [r"[Сс]ним(ок|к)", r"[Сс]нять шаг", r"пострадав", r"затрагивает: "],
    "uk": [r"[Зз]няти крок", r"постражда", r"стосується: ", r"(?<=[а-яієїґ])['’](?=[а-яієїґ])"],
}
BUSINESS_REPORT = {"ru": r"отч[её]т", "uk": r"звіт"}


@pytest.mark.parametrize("language", LANGS)
def test_glossary_holds(language: str) -> None:
    with po_path(language).open("rb") as fp:
        catalog = read_po(fp, locale=language)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        forms = list(message.string) if isinstance(message.string, tuple) else [message.string]
        source = message.id[0] if isinstance(message.id, tuple) else message.id
        for form in forms:
            wrong += [(source, form) for rx in BANNED[language] if re.search(rx, form, re.I)]
            if re.search(BUSINESS_REPORT[language], form, re.I) and "report" in source and (
                    message.context != "form"):
                wrong.append((source, form))
    assert not wrong, wrong


def test_every_literal_the_code_translates_is_extracted() -> None:
    """Babel does not look inside f-strings: f"{t.tr('Report a problem')} — Flare" would
    reach nobody's catalog. The syntax tree sees every call; each literal must be extracted."""
    import ast

    from app.i18n_catalogs import extract

    extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in extract() if m.id}
    missing = {}
    for package in ("app", "capture", "diagnostics"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", "")
                args = node.args[1:] if name == "ptr" else node.args
                if name in ("tr", "ntr", "ptr", "N_") and args and isinstance(
                        args[0], ast.Constant) and isinstance(args[0].value, str) and (
                        args[0].value not in extracted):
                    missing[args[0].value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    assert not missing, missing


def test_sizes_speak_the_language() -> None:
    assert Translator("ru").size("557.3 KB") == "557,3 КБ"
    assert Translator("uk").size("12 B") == "12 Б"
    assert Translator("en").size("557.3 KB") == "557.3 KB"
    assert Translator("ru").size("not a size") == "not a size"
