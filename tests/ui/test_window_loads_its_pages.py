"""The report window loads a page's module when it first shows the page (issue 12: the cold
window opened 10-13 ms later for loading all eight); the tray's warm-up loads them all."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fresh import run_fresh


def _pages_loaded(tmp_path: Path, then: str) -> list[str]:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "import app.ui.qt_first\n"
        "from app.context import AppContext\n"
        "from app.ui.app import FlareApp\n"
        "from app.ui.qtapp import make_app\n"
        f"ctx = AppContext.for_tests(Path({str(tmp_path)!r}))\n"
        "qapp = make_app(ctx)\n"
        "flare = FlareApp(ctx)\n"
        f"{then}\n"
        "print(*sorted(m for m in sys.modules if m.startswith('app.ui.page_')))\n"
    )
    return run_fresh(code, qt_offscreen=True).split()


@pytest.mark.parametrize("warm", [False, True])
def test_the_window_loads_the_pages_it_shows(tmp_path: Path, warm: bool) -> None:
    opened = (
        "window = flare.open_report()\n"
        "assert window is not None and window.flow.page == 'category', window\n"
        "assert window.current_page().first_focus() is not None\n"
    )
    loaded = _pages_loaded(tmp_path, ("flare.warm_up()\n" if warm else "") + opened)
    if warm:
        assert {"app.ui.page_questions", "app.ui.page_review", "app.ui.page_sent"} <= set(loaded)
    else:
        assert loaded == ["app.ui.page_base", "app.ui.page_category", "app.ui.page_screenshots"]


def test_the_category_list_paints_without_building_qstyle(tmp_path: Path) -> None:
    """PySide6 builds QStyle's hundreds of enum members when Python first touches it (7 ms
    of the cold window); the category list's delegate draws its rows without it."""
    code = (
        "painted = []\n"
        "window = flare.open_report()\n"
        "window.first_painted.connect(lambda: painted.append(1))\n"
        "import time\n"
        "end = time.monotonic() + 10\n"
        "while not painted and time.monotonic() < end:\n"
        "    qapp.processEvents()\n"
        "import PySide6.QtWidgets as W\n"
        "assert painted and 'QStyle' not in vars(W), (painted, 'QStyle' in vars(W))\n"
        "window.pages['category'].choose(window.flow.form.form.categories[1].id)\n"
        "window.grab()\n"
        "assert window.flow.category == window.flow.form.form.categories[1].id\n"
    )
    assert "app.ui.page_category" in _pages_loaded(tmp_path, code)


def test_a_page_shown_later_is_there_when_the_window_goes_to_it(tmp_path: Path) -> None:
    loaded = _pages_loaded(tmp_path, (
        "window = flare.open_report()\n"
        "window.flow.set_category(window.flow.form.form.categories[0].id)\n"
        "window.go_next()\n"
        "assert window.flow.page == 'questions', window.flow.page\n"
        "assert type(window.current_page()).__name__ == 'QuestionsPage'\n"
    ))
    assert "app.ui.page_questions" in loaded and "app.ui.page_review" not in loaded
