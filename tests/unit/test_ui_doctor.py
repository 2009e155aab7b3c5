"""`flare doctor`'s desktop checks."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.context import AppContext
from app.ui.doctor import check_qt_translations, check_tray, checks


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the GNOME hint is for Linux")
def test_gnome_gets_the_appindicator_hint() -> None:
    gnome = check_tray({"XDG_CURRENT_DESKTOP": "ubuntu:GNOME"})
    assert gnome.status == "warning" and "appindicator" in gnome.fix
    assert check_tray({"XDG_CURRENT_DESKTOP": "KDE"}).status == "ok"


@pytest.mark.parametrize("language", ["ru", "uk"])
def test_qt_catalogs_are_found(language: str) -> None:
    result = check_qt_translations(language)
    assert result.status == "ok", result.detail
    assert f"_{language}.qm" in result.detail


def test_checks_name_qt_and_tray(tmp_path: Path) -> None:
    names = [c.name for c in checks(AppContext.for_tests(tmp_path, general__language="ru"))]
    assert names == ["qt", "qt translations", "tray"]
