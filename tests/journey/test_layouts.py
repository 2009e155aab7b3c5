"""Shortcuts are keys, not letters: Next works from the keyboard in a Latin or a Cyrillic
layout, whatever the language of the window."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.journey import atspi
from tests.journey.desktop import Person, desktop, flare_command, write_settings
from tests.journey.steps import assert_focus, tab_to

pytestmark = [pytest.mark.journey, pytest.mark.xvfb, pytest.mark.slow]

CASES = [
    # window language, active layout, the key a person presses for Next, what Next says
    ("en", "ru", "alt+Cyrillic_te", "Choose what the problem is about."),
    ("ru", "us", "alt+l", "Выберите, к чему относится проблема."),
    ("uk", "us", "alt+l", None),
    ("uk", "ua", "alt+Cyrillic_de", None),
]


@pytest.mark.parametrize(("language", "layout", "key", "refusal"), CASES)
def test_next_in_any_layout(tmp_path: Path, language: str, layout: str, key: str,
                            refusal: str | None) -> None:
    with desktop(tmp_path, f"layout-{language}-{layout}", language=language,
                 layout=layout) as d:
        write_settings(d.home, {"general.language": language,
                                "reports.folder": str(tmp_path / "out")})
        d.start([*flare_command(), "report"], "flare")
        d.wait_window("Flare")
        p = Person(d)
        try:
            p.screen.find(atspi.ROLE_LIST)
            before = {n.name for n in p.screen.nodes() if n.role == atspi.ROLE_LABEL}
            p.key(key)  # no category chosen: Next refuses, and says so
            after = p.screen.wait(
                lambda ns: next((n for n in ns if n.role == atspi.ROLE_LABEL
                                 and n.name not in before and n.name), None),
                describe="the refusal Next shows")
            d.screenshot("next-pressed")
            if refusal is not None:
                assert after.name == refusal
        finally:
            p.close()


NUMBER_CASES = [
    # window language, active layout, the questions page's title, two questions in a row
    ("ru", "ru", "Расскажите, что случилось", "Такое уже случалось?", "Вы перезапускали"),
    ("uk", "ua", "Розкажіть, що сталося", "Таке вже траплялося?", "Ви перезапускали"),
    ("en", "ru", "Tell us what happened", "Has this happened before?", "Have you restarted"),
]


@pytest.mark.parametrize(("language", "layout", "title", "first", "second"), NUMBER_CASES)
def test_numbers_choose_in_a_cyrillic_layout(tmp_path: Path, language: str, layout: str,
                                             title: str, first: str, second: str) -> None:
    """Digits are the same keys in every layout: the category's and the option's number
    choose and go on with a Cyrillic layout active."""
    with desktop(tmp_path, f"numbers-{language}-{layout}", language=language,
                 layout=layout) as d:
        write_settings(d.home, {"general.language": language,
                                "reports.folder": str(tmp_path / "out")})
        d.start([*flare_command(), "report"], "flare")
        d.wait_window("Flare")
        p = Person(d)
        try:
            p.screen.find(atspi.ROLE_LIST)
            p.key("2")  # "A program shows an error"
            p.screen.find(atspi.ROLE_LABEL, title)
            tab_to(p, first)
            p.key("2")
            d.screenshot("chosen-by-number")
            assert_focus(p, second)
        finally:
            p.close()
