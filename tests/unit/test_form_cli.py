"""`flare form check|show|check-text`, driven through the area's own argparse registration."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from app.context import AppContext
from app.errors import EXIT_USAGE, FlareError
from app.form import cli


def _run(argv: list[str], tmp_path: Path, **settings: object) -> int:
    parser = argparse.ArgumentParser(prog="flare")
    sub = parser.add_subparsers(dest="command")
    cli.register(sub)
    args = parser.parse_args(argv)
    ctx = AppContext.for_tests(tmp_path / "ctx", **settings)
    result: int = args.func(args, ctx)
    return result


def test_check_the_default_form_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    from app.form.loader import _builtin_path

    assert _run(["form", "check", str(_builtin_path())], tmp_path) == 0
    out = capsys.readouterr().out
    assert "OK — 9 categories" in out and "0 warnings" in out


def test_check_reports_file_line_col_and_exits_1(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ncategories:\n  - id: a\n    label: A\n    questions: [nope]\n",
                   encoding="utf-8")
    assert _run(["form", "check", str(bad)], tmp_path) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (f"{bad}:5:17: error: category 'a' asks question 'nope', which is not "
                      "defined; define it under 'questions:' or inline here")
    assert out[-1] == f"{bad}: 1 error, 0 warnings; the form cannot be used"


def test_warnings_pass_unless_strict(tmp_path: Path) -> None:
    form = tmp_path / "form.yaml"
    form.write_text("""\
id: x
languages: [en, ru]
categories:
  - id: a
    label: {en: A}
    questions:
      - {id: q, type: long_text, text: {en: What happened, ru: Что произошло}}
""", encoding="utf-8")
    assert _run(["form", "check", str(form)], tmp_path) == 0
    assert _run(["form", "check", "--strict", str(form)], tmp_path) == 1


def test_check_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(FlareError) as exc:
        _run(["form", "check", str(tmp_path / "nope.yaml")], tmp_path)
    assert exc.value.exit_code == EXIT_USAGE and "not found" in exc.value.message


def test_show_prints_categories_and_questions_in_the_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["form", "show", "--lang", "ru"], tmp_path) == 0
    out = capsys.readouterr().out
    assert "[cant_sign_in] Не получается войти" in out
    assert "- what_happened: Что произошло?  [long_text, required, role what_happened]" in out
    assert "shown if error_seen = yes" in out
    assert "· blocked: Не могу выполнять свою работу" in out
    # "A program shows an error" answers the error question itself: shown as not asked
    app_error = out.split("[app_error]", 1)[1].split("\n[", 1)[0]
    assert "error_seen:" in app_error and "not asked: the category answers yes" in app_error
    assert "not asked" not in out.split("[app_error]", 1)[0]


def test_show_uses_the_policy_form_file(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    form = tmp_path / "acme.yaml"
    form.write_text("id: acme\nextends: default\nremove_categories: [printer]\n",
                    encoding="utf-8")
    assert _run(["form", "show"], tmp_path, form__file=str(form)) == 0
    out = capsys.readouterr().out
    assert "(form 'acme' v1" in out and "[printer]" not in out and "[email]" in out


def test_show_a_broken_form_says_what_to_do(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [\n", encoding="utf-8")
    with pytest.raises(FlareError, match="flare form check"):
        _run(["form", "show", str(bad)], tmp_path)


def test_check_text_explains_the_verdict(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["form", "check-text", "Ничего не работает", "--lang", "uk"], tmp_path) == 1
    out = capsys.readouterr().out
    assert "matched: ничего не работает  (group vague)" in out
    assert "block: vague: Будь ласка, напишіть, що саме не вдається" in out
    assert _run(["form", "check-text", "Outlook crashes when I open the calendar"],
                tmp_path) == 0
    assert "ok: no findings" in capsys.readouterr().out


def test_check_text_says_when_the_shape_makes_an_answer_vague(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["form", "check-text", "I clicked OK", "--kind", "error_text", "--lang", "en"],
                tmp_path) == 1
    out = capsys.readouterr().out
    assert "shape:   vague all the same: describes the error instead of giving its words" in out
    assert _run(["form", "check-text", "Нет доступа к файлу", "--kind", "error_text",
                 "--lang", "ru"], tmp_path) == 0
    assert "shape:" not in capsys.readouterr().out
