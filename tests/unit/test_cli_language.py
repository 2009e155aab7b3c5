"""Every `flare` subcommand speaks the person's language: argparse's help and errors, Flare's
help texts, the commands' output; --json keeps its English keys. Numbers are written the
language's way (Babel): «1,5 ГБ», «98,3 %», «12,5 с»."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.i18n import Translator, set_language
from app.i18n_catalogs import ROOT


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    yield
    set_language("en")  # the process-wide language: later tests expect the source's


def flare(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The real command in a fresh process, in a home of its own."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    home = tmp_path / "home"
    environ.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
                   XDG_STATE_HOME=str(home / ".state"), XDG_DATA_HOME=str(home / ".data"),
                   XDG_CACHE_HOME=str(home / ".cache"), PYTHONPATH=str(ROOT), LANG="C.UTF-8")
    environ.pop("DISPLAY", None)
    environ.pop("WAYLAND_DISPLAY", None)
    environ.update(env)
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True,
                          text=True, env=environ, timeout=120, check=False)


@pytest.mark.parametrize(("language", "words"), [
    ("ru", ["использование: flare", "показать эту справку и выйти", "параметры:",
            "проверить, может ли этот компьютер делать скриншоты", "коды выхода:"]),
    ("uk", ["використання: flare", "показати цю довідку й вийти", "параметри:",
            "перевірити, чи може цей компʼютер робити знімки екрана", "коди виходу:"]),
])
def test_help_is_in_the_language_of_the_environment(
        language: str, words: list[str], tmp_path: Path) -> None:
    done = flare(["--help"], tmp_path, LANGUAGE=language)
    assert done.returncode == 0, done.stderr
    for word in words:
        assert word in done.stdout
    assert "show this help message" not in done.stdout
    assert "check that this machine" not in done.stdout


def test_a_usage_error_is_one_translated_line(tmp_path: Path) -> None:
    done = flare(["form", "check"], tmp_path, LANGUAGE="uk")
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == ("flare form check: помилка: треба вказати "
                                            "аргументи: file")


def test_doctor_speaks_russian_and_its_json_keeps_english_names(tmp_path: Path) -> None:
    text = flare(["doctor"], tmp_path, LANGUAGE="ru")
    assert "[СБОЙ] дисплей: нет графического сеанса" in text.stdout
    assert "что сделать: " in text.stdout and "fix:" not in text.stdout
    assert "[ ок ] папка обращений: в " in text.stdout
    machine = flare(["doctor", "--json"], tmp_path, LANGUAGE="ru")
    results = {r["name"]: r for r in json.loads(machine.stdout)}
    assert results["display"]["status"] == "fail"  # the keys and names scripts match
    assert results["display"]["detail"].startswith("нет графического сеанса")


def test_outbox_and_policy_speak_ukrainian(tmp_path: Path) -> None:
    assert flare(["outbox", "list"], tmp_path, LANGUAGE="uk").stdout == (
        "Черга надсилання порожня.\n")
    shown = flare(["policy", "show", "general"], tmp_path, LANGUAGE="uk").stdout
    assert "general.autostart     true     за замовчуванням" in shown
    unknown = flare(["policy", "show", "nope"], tmp_path, LANGUAGE="uk")
    assert unknown.returncode == 2 and "невідоме налаштування «nope»" in unknown.stderr


def test_the_policy_language_is_above_the_environment(tmp_path: Path) -> None:
    config = tmp_path / "home" / ".config" / "Flare"
    config.mkdir(parents=True)
    (config / "settings.json").write_text('{"general.language": "uk"}', "utf-8")
    assert flare(["outbox", "list"], tmp_path, LANGUAGE="ru").stdout == (
        "Черга надсилання порожня.\n")


def test_form_check_counts_with_the_right_noun_forms(tmp_path: Path) -> None:
    form = ROOT / "resources" / "forms" / "default.yaml"
    out = flare(["form", "check", str(form)], tmp_path, LANGUAGE="ru").stdout
    assert out.endswith(": OK — 9 категорий, 83 задаваемых вопроса, 0 предупреждений\n")


def test_numbers_are_written_the_languages_way() -> None:
    ru, uk, en = Translator("ru"), Translator("uk"), Translator("en")
    assert ru.size("1.5 GB") == "1,5 ГБ"
    assert ru.unit(98.3, "%", 1) == "98,3 %"
    assert ru.unit(12.5, "s") == "12,5 с" and uk.unit(3, "min") == "3 хв"
    assert uk.unit(1.25, "h", 1) == "1,2 год"  # half to even, as Python's own rounding
    assert ru.number(12345.5, 1) == "12\u00a0345,5"
    assert en.number(12345.5, 1) == "12345.5" and en.unit(12.5, "s") == "12.5 s"


def test_diagnostics_figures_have_a_decimal_comma() -> None:
    from diagnostics.collectors.resources import resources_summary

    data = {"cpu_count": 4, "cpu_percent": 12.0, "memory_percent": 40.0,
            "memory_available_gb": 9.5, "memory_total_gb": 15.6, "swap_total_gb": 0}
    set_language("ru")
    assert resources_summary(data) == ("процессор 12 % (4 ядра), память занята на 40 % "
                                       "(свободно 9,5 из 15,6 ГБ)")
    set_language("en")
    assert resources_summary(data) == ("CPU 12% of 4 cores, memory 40% used (9.5 of 15.6 GB "
                                       "free)")


def test_policy_check_names_each_problem_in_russian(tmp_path: Path) -> None:
    bad = tmp_path / "10.json"
    bad.write_text('{"capture.step_limt": 3, "general.language": 5}', "utf-8")
    done = flare(["policy", "check", str(bad)], tmp_path, LANGUAGE="ru")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"{bad}:1:2: неизвестная настройка «capture.step_limt» (может быть, "
        "«capture.step_limit»?); она не применяется",
        f"{bad}:1:26: general.language: ожидается одно из значений auto, en, ru, uk, а указано "
        "5; настройка не применяется",
        "2 проблемы (1 файл); названные выше настройки не применяются",
    ]


@pytest.mark.parametrize("first_read", ["a setting", "a translation"])
def test_the_settings_load_once_whatever_reads_them_first(tmp_path: Path,
                                                          first_read: str) -> None:
    """Loading the settings translates (their checks' messages), which chooses the language,
    which reads general.language: a first read of another setting (the tray's) loaded them a
    second time inside the first (issue 12: tray start to icon)."""
    from app import cli
    from app.context import AppContext
    from app.dirs import Dirs
    from app.i18n import current
    from app.settings import Settings

    loads: list[int] = []

    def load() -> Settings:
        loads.append(1)
        current().tr("show tracebacks and debug logs")  # as the declaration's checks do
        return Settings.defaults().with_overrides({"general.language": "uk"})

    ctx = AppContext(Dirs.under(tmp_path), load_settings=load)
    cli._speak_the_users_language(ctx)
    if first_read == "a setting":
        assert ctx.settings.get("general.allow_quit") in (True, False)
    else:
        current().tr("interrupted")
    assert current().language == "uk"
    assert loads == [1]
