"""The ticket body and report.html speak the reporter's language, or support's where policy
names another (support.language)."""

from __future__ import annotations

from app.bundle import Bundle
from app.helpdesk.ticket_text import ticket_subject, ticket_text
from app.i18n import support_language
from app.render.html import render_html
from tests.factories import sample_report


def _bundle(locale: str, support: str = "") -> Bundle:
    report, files, diagnostics = sample_report()
    report = report.model_copy(update={"locale": locale, "support_locale": support})
    return Bundle(report=report, diagnostics=diagnostics, files=files)


def test_ticket_body_in_the_reporters_language() -> None:
    b = _bundle("uk")
    text = ticket_text(b.report, b.diagnostics)
    for words in ("Пріоритет: ", "Автор звернення: ", "Коли сталося: ", "Відповіді",
                  "Повне звернення — у report.html"):
        assert words in text, text
    assert "Priority:" not in text and "Answers" not in text


def test_support_reads_another_language() -> None:
    b = _bundle("uk", support="ru")
    text = ticket_text(b.report, b.diagnostics)
    assert "Приоритет: " in text and "Автор обращения: " in text
    assert "Язык автора обращения — украинский; ответы приведены так, как написаны." in text
    html = render_html(b)
    assert '<html lang="ru">' in html and "Обращение Flare" in html


def test_english_subject_and_setting() -> None:
    b = _bundle("en")
    assert ticket_subject(b.report).endswith(f"[Flare {b.report.short_id()}]")
    assert "Priority: " in ticket_text(b.report, b.diagnostics)
    assert support_language("reporter", "uk") == ""
    assert support_language("uk", "uk") == ""
    assert support_language("ru", "uk") == "ru"
