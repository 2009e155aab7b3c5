"""The language Flare speaks: policy first, then gettext's order, then the OS setting."""

from __future__ import annotations

import pytest

from app.i18n import language_from_environment, resolve_language


def no_os() -> str:
    return ""


@pytest.mark.parametrize(("environ", "expected"), [
    ({"LANG": "en_GB.UTF-8", "LANGUAGE": "uk"}, "uk"),          # the case
    ({"LANG": "ru_RU.UTF-8", "LC_ALL": "uk_UA.UTF-8"}, "uk"),
    ({"LANG": "uk_UA.UTF-8", "LC_MESSAGES": "ru_RU.UTF-8"}, "ru"),
    ({"LANG": "ru_RU.UTF-8"}, "ru"),
    ({"LANGUAGE": "de:uk:ru", "LANG": "de_DE.UTF-8"}, "uk"),     # LANGUAGE lists, tried in turn
    ({"LANGUAGE": "", "LC_ALL": "", "LANG": "uk_UA@euro"}, "uk"),  # empty means unset
    ({"LC_ALL": "C", "LANG": "ru_RU.UTF-8"}, "en"),              # C: no translation at all
    ({"LANG": "de_DE.UTF-8", "LC_MESSAGES": ""}, "en"),          # the first set one decides
    ({"LANG": "uk-UA"}, "uk"),
])
def test_environment_in_gettext_order(environ: dict[str, str], expected: str) -> None:
    assert resolve_language("auto", environ, no_os) == expected


def test_nothing_set_asks_the_os_then_falls_back_to_english() -> None:
    assert language_from_environment({}) is None
    assert resolve_language("auto", {}, lambda: "uk") == "uk"
    assert resolve_language(None, {}, no_os) == "en"


def test_the_setting_general_language_is_above_all() -> None:
    env = {"LANGUAGE": "uk", "LC_ALL": "uk_UA.UTF-8"}
    assert resolve_language("ru", env, lambda: "uk") == "ru"
    assert resolve_language("en", env, lambda: "uk") == "en"
    assert resolve_language("fr", env, no_os) == "uk"  # not a shipped language: ignored


def test_the_lazy_choice_may_itself_translate_without_waiting_for_itself() -> None:
    """The choice reads the settings, and a bad value in them is reported in words: that
    message is said in the language spoken before, instead of the chooser waiting for its
    own lock (which hung `flare outbox list` for good)."""
    import threading

    from app.i18n import current, set_language, set_language_from

    said: list[str] = []

    def choose() -> str:
        said.append(current().language)
        return "ru"

    set_language("uk")
    set_language_from(choose)
    chosen: list[str] = []
    worker = threading.Thread(target=lambda: chosen.append(current().language), daemon=True)
    worker.start()
    worker.join(5)
    try:
        assert chosen == ["ru"], "the first translation never came back"
        assert said == ["uk"]
        assert current().language == "ru"
    finally:
        set_language("en")


def test_the_choice_of_language_may_itself_translate(monkeypatch: pytest.MonkeyPatch) -> None:
    # Reading the settings to choose the language validates them, and a value's problem is
    # worded through current(): `flare doctor` hung for ever at the lock of its own choice.
    import threading

    from app import i18n

    monkeypatch.setenv("LANGUAGE", "uk")

    def choose() -> str:
        i18n.current().tr("one of {values}", values="a, b")
        return "ru"

    said: list[str] = []
    i18n.set_language_from(choose)
    try:
        worker = threading.Thread(target=lambda: said.append(i18n.current().language),
                                  daemon=True)
        worker.start()
        worker.join(10)
        assert not worker.is_alive(), "current() waited for its own choice"
        assert said == ["ru"]
    finally:
        i18n.set_language("en")
