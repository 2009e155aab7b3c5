"""Loading forms: the default form is complete, and bad files get precise file:line:col messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.form import FormError, check_form, default_form, load_form
from app.form.loader import _builtin_path
from app.form.model import ROLE_OPTIONS
from app.form.texts import missing_languages


def _write(tmp_path: Path, text: str, name: str = "form.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    return [str(p) for p in check_form(path)[1]]


def test_default_form_is_clean_and_complete_in_three_languages() -> None:
    form, problems = check_form(_builtin_path())
    assert form is not None
    assert problems == []  # also: no missing translation for en, ru, uk
    assert form.languages == ["en", "ru", "uk"]
    ids = [c.id for c in form.categories]
    assert ids == ["cant_sign_in", "app_error", "slow", "network", "email", "printer",
                   "hardware", "access_request", "other"]


def test_default_form_texts_have_every_language() -> None:
    form = default_form()
    texts = [form.title]
    for q in form.questions:
        texts += [q.text, q.help, q.example, q.unit] + [o.label for o in q.options]
    for c in form.categories:
        texts += [c.label, c.description]
    missing = [t for t in texts if missing_languages(t, ["en", "ru", "uk"])]
    assert missing == []


def test_shared_questions_are_defined_once_and_referenced() -> None:
    form = default_form()
    ids = [q.id for q in form.questions]
    assert len(ids) == len(set(ids))
    users = [c.id for c in form.categories if "what_happened" in c.question_ids()]
    assert len(users) >= 7
    for role, options in ROLE_OPTIONS.items():
        q = next(q for q in form.questions if q.role == role)
        assert tuple(o.id for o in q.options) == options


def test_default_form_is_a_fresh_copy() -> None:
    a = default_form()
    a.categories.clear()
    assert default_form().categories


def test_yaml_syntax_error_points_at_the_place(tmp_path: Path) -> None:
    path = _write(tmp_path, "id: x\ncategories:\n  - id: a\n    label: {en: What? }\n")
    (msg,) = _problems(path)
    assert msg.startswith(f"{path}:4:")
    assert "YAML syntax" in msg and "quotes" in msg


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
id: x
categories:
  - id: a
    label: A
    questions:
      - id: q
        type: short_text
        txt: Hello
""")
    msgs = _problems(path)
    assert f"{path}:8:9: error: unknown key 'txt'; did you mean 'text'?" in msgs
    assert any(m.startswith(f"{path}:6:") and "'text' is required" in m for m in msgs)


def test_wrong_type_and_bad_id(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
id: x
questions:
  - id: Bad-Id
    type: long_txt
    text: {en: Hello}
categories:
  - {id: a, label: A, questions: [Bad-Id]}
""")
    msgs = _problems(path)
    assert any(m.startswith(f"{path}:3:9: error:") and "'Bad-Id' is not a valid id" in m
               for m in msgs)
    assert any(m.startswith(f"{path}:4:11: error:") and "did you mean 'long_text'" in m
               for m in msgs)


def test_text_must_be_text_or_translations(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
id: x
categories:
  - id: a
    label: [not, text]
    questions: [q]
""")
    (msg, *_) = _problems(path)
    assert msg.startswith(f"{path}:4:12: error: categories[0].label: expected text")


def test_duplicate_key_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "id: x\nid: y\ncategories: []\n")
    assert _problems(path) == [f"{path}:2:1: error: 'id' appears twice here; keep one of them"]


def test_semantic_problems_with_locations(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
id: x
languages: [en, ru]
questions:
  - id: seen
    type: yes_no
    text: {en: "Seen?", ru: "Видели?"}
  - id: detail
    type: short_text
    text: {en: Detail}
    show_if: {question: seen, equals: maybe}
  - id: pick
    type: choice
    text: {en: Pick, ru: Выбор}
    options:
      - {id: one, label: One}
  - id: spare
    type: short_text
    text: Spare
categories:
  - id: a
    label: {en: A, ru: А}
    questions: [detail, seen, pick, what_hapened]
""")
    form, problems = check_form(path)
    assert form is None
    msgs = [str(p) for p in problems]
    expected = [
        f"{path}:9:11: warning: no translation for ru",
        f"{path}:10:14: error: 'seen' is a yes/no question: compare it with true or false",
        f"{path}:12:11: error: question 'pick' is a choice and needs at least two options",
        f"{path}:16:9: warning: question 'spare' is not asked by any category",
        f"{path}:22:17: error: in category 'a', 'detail' depends on 'seen', which must be asked",
        f"{path}:22:37: error: category 'a' asks question 'what_hapened', which is not defined",
    ]
    for want in expected:
        assert any(m.startswith(want) for m in msgs), (want, msgs)
    with pytest.raises(FormError) as exc:
        load_form(path)
    assert all(p.severity == "error" for p in exc.value.problems)
    assert str(exc.value).startswith(str(path))


def test_role_needs_its_options(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
id: x
questions:
  - id: who
    type: choice
    role: impact
    text: Who?
    options: [{id: me, label: Me}, {id: everyone, label: Everyone}]
categories:
  - {id: a, label: A, questions: [who]}
""")
    msgs = _problems(path)
    assert any("role 'impact' needs exactly the options me, team, many" in m for m in msgs)


def test_extends_default_adds_replaces_and_removes(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
id: acme
extends: default
remove_categories: [printer]
questions:
  - id: when
    type: datetime
    role: when
    text: {en: "When did it start?", ru: "Когда началось?", uk: "Коли почалося?"}
categories:
  - id: sap
    label: {en: SAP, ru: SAP, uk: SAP}
    keywords: {en: [sap]}
    questions:
      - id: sap_transaction
        type: short_text
        role: function
        text: {en: "Which transaction?", ru: "Какая транзакция?", uk: "Яка транзакція?"}
      - what_happened
      - when
      - impact
      - urgency
messages:
  vague:
    message: {en: Tell us the SAP transaction, ru: Укажите транзакцию, uk: Вкажіть транзакцію}
""")
    form, problems = check_form(path)
    assert problems == []
    assert form is not None
    ids = [c.id for c in form.categories]
    assert "printer" not in ids and ids[-1] == "sap" and "email" in ids
    assert form.question("when").text == {
        "en": "When did it start?", "ru": "Когда началось?", "uk": "Коли почалося?"}
    assert form.messages["vague"].message == {
        "en": "Tell us the SAP transaction", "ru": "Укажите транзакцию",
        "uk": "Вкажіть транзакцію"}
    assert form.id == "acme" and form.languages == ["en", "ru", "uk"]


def test_extends_cycle_and_missing_base(tmp_path: Path) -> None:
    a = _write(tmp_path, "id: a\nextends: b.yaml\ncategories: []\n", "a.yaml")
    _write(tmp_path, "id: b\nextends: a.yaml\ncategories: []\n", "b.yaml")
    (msg,) = _problems(a)
    assert msg.startswith(f"{a}:2:10: error: the form named in 'extends' cannot be used")
    assert "leads back" in msg
    c = _write(tmp_path, "id: c\nextends: nowhere.yaml\n", "c.yaml")
    (msg,) = _problems(c)
    assert "cannot be used" in msg and "file not found" in msg


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(FormError, match="file not found"):
        load_form(tmp_path / "nope.yaml")
    empty = _write(tmp_path, "")
    with pytest.raises(FormError, match="the file is empty"):
        load_form(empty)
    listing = _write(tmp_path, "- a\n- b\n")
    with pytest.raises(FormError, match="must be a mapping"):
        load_form(listing)


def test_undeclared_languages_are_inferred_from_the_translations(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
id: x
categories:
  - id: a
    label: {en: A, uk: А}
    questions:
      - {id: q, type: long_text, text: {en: What happened, ru: Что произошло}}
""")
    msgs = _problems(path)
    assert any(m.startswith(f"{path}:4:12: warning: no translation for ru") for m in msgs)
    assert any(m.startswith(f"{path}:6:40: warning: no translation for uk") for m in msgs)


def test_both_yaml_parsers_read_the_builtin_forms_identically() -> None:
    import yaml

    from app.form import form_yaml, loader

    for name in ("default.yaml", "messages.yaml", "rules.yaml"):
        path = loader._builtin_path().with_name(name)
        text = path.read_text("utf-8")
        assert form_yaml.parse(text, yaml.SafeLoader) == form_yaml.parse(text,
                                                                         form_yaml.FAST_LOADER)


def test_the_builtin_forms_copy_is_its_yaml_and_loads_as_the_yaml_does(tmp_path: Path) -> None:
    import resources
    from app.form import form_yaml, loader

    committed = resources.file("forms", "default_form.py").read_text("utf-8")
    assert committed == form_yaml.builtin_form_copy(), (
        "resources/forms/default_form.py is out of date; regenerate it with "
        'python -c "from app.form.form_yaml import write_builtin_form_copy as w; w()"')
    # The same form as the YAML read as any form file is (a copy of it elsewhere).
    mirror = tmp_path / "default.yaml"
    mirror.write_text(loader._builtin_path().read_text("utf-8"), encoding="utf-8")
    assert loader.load_form(mirror) == loader.builtin_form()


def test_the_builtin_yaml_given_as_a_file_is_read_itself_not_its_copy() -> None:
    # `flare form check resources/forms/default.yaml` after an edit checks the edit.
    from tests.fresh import run_fresh

    code = ("import sys\nfrom app.form import loader\n"
            "loader.load_form(loader._builtin_path())\nprint('yaml' in sys.modules)\n"
            "loader.builtin_form()\n")
    assert run_fresh(code).strip() == "True"
    broken = ("import sys\nfrom app.form import loader\n"
              "from app.form.loader import FormError\n"
              "import resources.forms.default_form as copy\n"
              "copy.FORM = {**copy.FORM, 'categories': []}\n"
              "print(len(loader.load_form(loader._builtin_path()).categories) > 0)\n")
    assert run_fresh(broken).strip() == "True"


def test_a_category_answers_only_questions_it_asks_in_their_values(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
id: mine
extends: default
categories:
  - id: app_error
    label: {en: "A program shows an error", ru: "Ошибка", uk: "Помилка"}
    answers: {error_seen: "yes", first_time: never, printer_name: x, application: Outlook}
    questions: [application, error_seen, first_time]
""")
    problems = _problems(path)
    assert any(":6:" in p and "'error_seen' is a yes/no question: answer it with true or false"
               in p for p in problems), problems
    assert any("'first_time' has no option 'never'" in p for p in problems), problems
    assert any("answers 'printer_name', which it does not ask" in p for p in problems), problems
    assert any("yes/no and choice questions only; 'application' is short_text" in p
               for p in problems), problems
    good = _write(tmp_path, path.read_text(encoding="utf-8").replace(
        '{error_seen: "yes", first_time: never, printer_name: x, application: Outlook}',
        "{error_seen: true, first_time: sometimes}"), "good.yaml")
    form = load_form(good)
    assert form.category("app_error").answers == {"error_seen": True, "first_time": "sometimes"}


@pytest.mark.parametrize("language", ["ru", "uk"])
def test_problems_are_in_the_admins_language(tmp_path: Path, language: str) -> None:
    # The admin who writes a form for Russian- or Ukrainian-speaking staff may read only that.
    import re

    from app.i18n import set_language

    path = _write(tmp_path, """\
id: x
languages: [en, ru]
questions:
  - id: seen
    type: yes_no
    text: {en: "Seen?", ru: "Видели?"}
  - id: detail
    type: short_text
    text: {en: Detail}
    show_if: {question: seen, equals: maybe}
  - id: pick
    type: choice
    text: {en: Pick, ru: Выбор}
    colur: red
    options:
      - {id: one, label: One}
categories:
  - id: a
    label: {en: A, ru: А}
    questions: [detail, seen, pick, what_hapened]
""")
    set_language(language)
    try:
        msgs = [str(p) for p in check_form(path)[1]]
        msgs += [str(p) for p in check_form(_write(tmp_path, "", "empty.yaml"))[1]]
    finally:
        set_language("en")
    assert len(msgs) >= 2
    for m in msgs:
        text = m.split(": ", 2)[-1]
        assert re.search(r"[а-яіїєґ]{3,}", text), m
        assert not re.search(r"\b(is|the|and|not|question|category)\b", text), m
