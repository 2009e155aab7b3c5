"""`flare diagnostics` speaks the person's language: the real command, run as a process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(tmp_path: Path, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    clean.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"),
                 XDG_DATA_HOME=str(tmp_path / "data"), XDG_STATE_HOME=str(tmp_path / "state"),
                 XDG_CACHE_HOME=str(tmp_path / "cache"), **env)
    done = subprocess.run([sys.executable, "-m", "app.cli", "diagnostics", "--only",
                           "os,uptime,connectivity,custom,applications"],
                          capture_output=True, text=True, env=clean, cwd=ROOT, timeout=60)
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


@pytest.mark.parametrize(("env", "words"), [
    ({"LANG": "ru_RU.UTF-8"}, ["Диагностика: 5 разделов", "Операционная система",
                               "Время работы и последняя перезагрузка", "[пропущено]",
                               "ИТ-отдел не настроил проверок связи", "работает"]),
    # the case: LANGUAGE above LANG
    ({"LANG": "en_US.UTF-8", "LANGUAGE": "uk"}, ["Діагностика: 5 розділів", "Операційна система",
                                                "ІТ-відділ не налаштував перевірок зв\u02bcязку"]),
])
def test_diagnostics_speak_the_users_language(tmp_path: Path, env: dict[str, str],
                                              words: list[str]) -> None:
    out = run(tmp_path, **env)
    for word in words:
        assert word in out, out
    # no English word of Flare's own is left; what remains in Latin letters is data (OS name,
    # kernel, architecture, time zone, UTC)
    english = set(re.findall(r"\b(?:skipped|configured|policy|running|since|checks?|kernel|"
                             r"session|collectors?|Operating|Uptime)\b", out))
    assert not english, out


def test_english_stays_english(tmp_path: Path) -> None:
    out = run(tmp_path, LANG="C.UTF-8")
    assert out.startswith("Diagnostics: 5 collectors in ")
    assert "Operating system" in out and "[skipped]" in out
