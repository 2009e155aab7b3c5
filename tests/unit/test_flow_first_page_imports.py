"""The report window's first page needs the form and its categories: the answer rules (the
judge, the rule set) and the bundle writer/reader load later, where they are first used
(issue 12: the window opened cold in 370-410 ms, a third of it those imports). Loading the
form does not read every language's catalog to list its missing translations, warnings that
only ``flare form check`` shows."""

from __future__ import annotations

from pathlib import Path

from tests.fresh import run_fresh

LATER = ("app.form.rules", "app.form.check", "app.form.judge", "app.bundle", "app.bundle_reader",
         "app.render.html",
         # The built-in form comes from its generated copy: no YAML parser, no "did you mean"
         # matcher, no package-resource machinery (zipfile, tempfile, shutil) for its path.
         "yaml", "app.form.form_yaml", "difflib", "importlib.resources",
         # Pydantic's plugin loader, with importlib.metadata and email (app/__init__.py).
         "importlib.metadata", "email.message")


def _probe(tmp_path: Path, then: str) -> list[str]:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from app.context import AppContext\n"
        "from app.flow import ReportFlow\n"
        "from app.wiring import flow_deps\n"
        f"ctx = AppContext.for_tests(Path({str(tmp_path)!r}))\n"
        "flow = ReportFlow(ctx, flow_deps(ctx), language='en')\n"
        "flow.deps.form_categories('en')\n"
        f"{then}\n"
        f"print(' '.join(m for m in {LATER!r} if m in sys.modules))\n"
        "from app.i18n import translations\n"
        "print(translations.cache_info().currsize)\n"
    )
    loaded, catalogs = run_fresh(code).splitlines()
    assert catalogs == "1", "an English window read another language's catalog (1: English)"
    return loaded.split()


def test_the_first_page_loads_neither_the_answer_rules_nor_the_bundle(tmp_path: Path) -> None:
    assert _probe(tmp_path, "") == []


def test_the_first_check_of_an_answer_loads_the_rules_and_finds_the_vague_one(
        tmp_path: Path) -> None:
    loaded = _probe(tmp_path, (
        "state = flow.form\n"
        "state.set_category(state.form.categories[0].id)\n"
        "q = next(q for q in state.visible_questions() if q.role == 'what_happened')\n"
        "state.set_answer(q.id, 'it does not work')\n"
        "assert any(i.question_id == q.id for i in state.validate()), state.validate()\n"
    ))
    assert {"app.form.rules", "app.form.check"} <= set(loaded)
