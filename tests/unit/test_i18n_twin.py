"""TwinTranslator: lines put together from recorded texts, rewritten in a second language,
and diagnostics.json's version 2, written only when it holds those texts."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from app.i18n import TwinTranslator, current, set_language, speak_on_this_thread
from app.report import Diagnostics, DiagnosticSection, Finding, SectionTexts


@pytest.fixture
def twin() -> Iterator[TwinTranslator]:
    yield TwinTranslator("uk", "ru")
    speak_on_this_thread(None)


def test_nested_fields_longest_first(twin: TwinTranslator) -> None:
    inner = twin.tr("{hours} h {minutes} min", hours=3, minutes=12)
    line = twin.tr("running for {time}, since {since} UTC", time=inner,
                   since="2026-12-01 08:00")
    assert line == "працює 3 год 12 хв, з 2026-12-01 08:00 UTC"
    # The whole line is replaced, not its inner part first (which would leave «працює … з»).
    assert twin.in_other(line) == "работает 3 ч 12 мин, с 2026-12-01 08:00 UTC"
    # A field put together from recorded texts and data goes in rewritten too.
    days = twin.ntr("{n} day {hours} h", "{n} days {hours} h", n=2, hours=4)
    composed = twin.tr("failed: {error}", error=f"LT-0042: {days}")
    assert twin.in_other(composed) == "сбой: LT-0042: 2 дня 4 ч"


def test_numbers_sizes_and_units(twin: TwinTranslator) -> None:
    en = TwinTranslator("ru", "en")
    n = en.number(12345.5, 1)
    size = en.size("1.5 GB")
    took = en.unit(12.5, "s")
    line = f"{n} / {size} / {took}"
    assert line == "12\u00a0345,5 / 1,5 ГБ / 12,5 с"
    assert en.in_other(line) == "12345.5 / 1.5 GB / 12.5 s"
    # The unit inside a number is not recorded alone: a letter «с» elsewhere stays.
    assert en.in_other("с сервером") == "с сервером"
    # A recorded number is not replaced inside a longer number or a name.
    assert en.in_other("v12,5 и 212,5 с") == "v12,5 и 212,5 с"
    # Digits written alike in both languages are not recorded at all.
    twin.number(5)
    assert twin.in_other("pc5") == "pc5"


def test_a_unit_word_alone_is_not_rewritten() -> None:
    en = TwinTranslator("ru", "en")
    assert en.ptr("unit", "s") == "с"
    # «с» is also the preposition: a letter or two alone is never taken for the unit.
    assert en.in_other("сервер с ошибкой") == "сервер с ошибкой"
    assert en.in_other(en.unit(5, "s")) == "5 s"


def test_only_this_thread_speaks_through_it(twin: TwinTranslator) -> None:
    set_language("uk")
    try:
        speak_on_this_thread(twin)
        seen: list[object] = []
        other = threading.Thread(target=lambda: seen.append(current()))
        other.start()
        other.join()
        assert current() is twin
        assert seen and seen[0] is not twin
        speak_on_this_thread(None)
        assert current() is not twin
    finally:
        set_language("en")


def test_diagnostics_json_version() -> None:
    plain = Diagnostics(sections=[DiagnosticSection(name="uptime", summary="працює 5 хв")])
    assert plain.as_written().schema_version == 1
    twin = plain.model_copy(deep=True)
    twin.sections[0].findings = [Finding(message="рекомендовано перезавантаження")]
    twin.sections[0].translations = {"ru": SectionTexts(
        title="Время работы", summary="работает 5 мин",
        findings=["рекомендуется перезагрузка"])}
    written = twin.as_written()
    assert written.schema_version == 2
    back = Diagnostics.model_validate(written.model_dump(mode="json"))
    [s] = back.in_language("ru").sections
    assert (s.title, s.summary, s.findings[0].message) == (
        "Время работы", "работает 5 мин", "рекомендуется перезагрузка")
    assert back.in_language("en") is back
    # A version 1 file (older Flare) is read; version 1 with translations is refused.
    assert Diagnostics.model_validate({"schema_version": 1, "sections": [
        {"name": "uptime", "summary": "up 5 min"}]}).sections[0].summary == "up 5 min"
    with pytest.raises(ValueError, match="translations"):
        Diagnostics.model_validate({**written.model_dump(mode="json"), "schema_version": 1})
