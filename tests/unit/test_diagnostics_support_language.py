"""Diagnostics sections reach support in support's language (policy support.language): a real
collector's summary and finding, through report.html, the ticket body and the review page."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.bundle import Bundle, list_bundles, read_bundle
from app.context import AppContext
from app.flow import ReportFlow
from app.flow.ports import FinishedRun
from app.flow.views import support_language_note
from app.helpdesk.ticket_text import ticket_text
from app.i18n import Translator, set_language
from app.render.html import render_html
from app.report import Diagnostics
from app.wiring import flow_deps
from diagnostics.collector import CollectContext, CollectorOutput, SkipCollector
from diagnostics.collectors.system import UptimeCollector
from diagnostics.redact import Redactor
from diagnostics.runner import collect_all
from tests.factories import sample_report
from tests.unit.flow_helpers import GOOD_HAPPENED, NOW, answer_sign_in

# 0.001 days (86 s): every machine running the tests is up longer, so the uptime collector
# finds a restart overdue, and the policy's number is written with a decimal separator.
DAYS = 0.001


@pytest.fixture
def speak() -> Iterator[None]:
    yield
    set_language("en")


def collect(reporter: str, support: str) -> Diagnostics:
    """The uptime collector, run by the real runner for a reporter who speaks ``reporter``."""
    set_language(reporter)
    ctx = CollectContext(restart_after_days=DAYS, support_language=support, budget_s=5)
    return collect_all([UptimeCollector()], ctx, redactor=Redactor())


def sent(reporter: str, support: str) -> tuple[str, str]:
    """report.html and the ticket body of a report with a real collector's section."""
    diagnostics = collect(reporter, support)
    report, files, _ = sample_report()
    report = report.model_copy(update={"locale": reporter, "support_locale": support})
    bundle = Bundle(report=report, diagnostics=diagnostics, files=files)
    return render_html(bundle), ticket_text(report, diagnostics)


@pytest.mark.usefixtures("speak")
def test_ukrainian_reporter_russian_support() -> None:
    html, body = sent("uk", "ru")
    for text in (html, body):
        assert "Время работы и последняя перезагрузка" in text, text
        assert "рекомендуется перезагрузка: компьютер работает уже" in text, text
        assert "раз в 0,001 дн." in text, text
        # Nothing of the Ukrainian lines is left among the Russian labels.
        for uk in ("Час роботи", "рекомендовано перезавантаження", "працює", "за політикою"):
            assert uk not in text, (uk, text)
    assert "работает " in html and ", с " in html  # the summary line, in the section


@pytest.mark.usefixtures("speak")
@pytest.mark.parametrize(("reporter", "support", "words", "not_words"), [
    ("en", "ru", ["Время работы и последняя перезагрузка", "раз в 0,001 дн."],
     ["restart recommended", "running for", "0.001"]),
    ("ru", "en", ["Uptime and last restart",
                  "restart recommended: running for", "(policy: every 0.001 days)"],
     ["рекомендуется", "работает", "0,001"]),
])
def test_english_and_russian(reporter: str, support: str, words: list[str],
                             not_words: list[str]) -> None:
    html, body = sent(reporter, support)
    for text in (html, body):
        for word in words:
            assert word in text, (word, text)
        for word in not_words:
            assert word not in text, (word, text)


@pytest.mark.usefixtures("speak")
def test_the_reporters_own_lines_stay_in_diagnostics_json() -> None:
    d = collect("uk", "ru")
    [section] = d.sections
    assert section.summary.startswith("працює ")
    assert section.translations["ru"].summary.startswith("работает ")
    dumped = d.as_written().model_dump(mode="json")
    assert dumped["schema_version"] == 2
    # Without a support language nothing changes: version 1, as older Flare reads it.
    plain = collect("uk", "")
    assert not plain.sections[0].translations
    assert plain.as_written().model_dump(mode="json")["schema_version"] == 1


@pytest.mark.usefixtures("speak")
def test_review_page_shows_what_is_sent(tmp_path: Path) -> None:
    """The review page shows the bundle's report.html: support's language texts are on it,
    and the same page is what is written."""
    diagnostics = collect("uk", "ru")
    ctx = AppContext.for_tests(tmp_path, **{"support.language": "ru"})
    ctx.clock = lambda: NOW
    deps = flow_deps(ctx)
    deps.capturer = None
    deps.start_diagnostics = lambda: FinishedRun(diagnostics)
    flow = ReportFlow(ctx, deps, language="uk")
    flow.start()
    answer_sign_in(flow, GOOD_HAPPENED)
    flow.go("review")
    under_review = flow.build_bundle()
    reviewed = under_review.html
    assert "рекомендуется перезагрузка" in reviewed
    assert "рекомендовано перезавантаження" not in reviewed
    # The page says why the report it shows is in Russian, in the person's Ukrainian.
    assert support_language_note(flow.t, under_review) == (
        "Служба підтримки читає російською, тому звернення нижче складено російською; ваші "
        "відповіді надсилаються так, як ви їх написали.")
    flow.set_reviewed(True)
    assert flow.next() == ""
    [path] = list(list_bundles(ctx.reports_dir()))
    bundle = read_bundle(path)
    assert "рекомендуется перезагрузка" in bundle.html
    written = json.loads((path / "diagnostics.json").read_text(encoding="utf-8"))
    assert written["schema_version"] == 2
    assert written["sections"][0]["translations"]["ru"]["findings"][0].startswith(
        "рекомендуется перезагрузка")


class _Skips(UptimeCollector):
    name = "skips"

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        from app.i18n import current

        raise SkipCollector(current().tr("IT has configured no connectivity checks"))


class _Breaks(UptimeCollector):
    name = "breaks"

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        raise OSError("disk on fire")


class _Hangs(UptimeCollector):
    name = "hangs"
    timeout_s = 0.05

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        time.sleep(1)
        raise AssertionError("abandoned")


@pytest.mark.usefixtures("speak")
def test_sections_the_runner_writes_itself() -> None:
    """Skipped, failed, timed out and disabled sections are in support's language too."""
    set_language("uk")
    ctx = CollectContext(support_language="ru", budget_s=5, disabled_collectors=["uptime"])
    d = collect_all([UptimeCollector(), _Skips(), _Breaks(), _Hangs()], ctx,
                    redactor=Redactor())
    ru = {s.name: s.in_language("ru").summary for s in d.sections}
    assert ru == {"uptime": "отключено политикой",
                  "skips": "ИТ-отдел не настроил проверок связи",
                  "breaks": "сбой: OSError: disk on fire",
                  "hangs": "нет ответа за 0,05 с; дальше не ждали"}, ru
    assert all(s.in_language("ru").title == "Время работы и последняя перезагрузка"
               for s in d.sections)


def test_send_policy_reads_the_support_language_texts_too(tmp_path: Path) -> None:
    """Personal data that policy removes, left in a section's text in support's language (a
    bundle edited by hand, an older redactor), stops the report at send time like the
    reporter's own text does."""
    from app.bundle import write_bundle
    from app.errors import FlareError
    from app.helpdesk.delivery_bundle import open_delivery_bundle
    from app.helpdesk.send_policy import SendPolicy
    from app.report import DiagnosticSection, SectionTexts
    from app.wiring import find_personal_data

    report, files, _ = sample_report()
    report = report.model_copy(update={"locale": "uk", "support_locale": "ru"})
    diagnostics = Diagnostics(sections=[DiagnosticSection(
        name="identity", summary="користувач user-1", translations={"ru": SectionTexts(
            summary="пользователь olena@example.org")})])
    path = write_bundle(report, files, tmp_path, diagnostics=diagnostics)
    policy = SendPolicy(redact=frozenset({"email"}),
                        find=lambda data: find_personal_data(["email"], data))
    with pytest.raises(FlareError, match="email"):
        policy(open_delivery_bundle(path))


def test_no_note_when_support_reads_the_persons_language() -> None:
    report, files, diagnostics = sample_report()
    for support in ("", "uk"):
        bundle = Bundle(report=report.model_copy(update={"locale": "uk",
                                                         "support_locale": support}),
                        diagnostics=diagnostics, files=files)
        assert support_language_note(Translator("uk"), bundle) == ""
    english = Bundle(report=report.model_copy(update={"locale": "ru", "support_locale": "en"}),
                     diagnostics=diagnostics, files=files)
    assert support_language_note(Translator("ru"), english).startswith(
        "Служба поддержки читает по-английски")


@pytest.mark.usefixtures("speak")
def test_the_forms_texts_reach_support_in_its_language(tmp_path: Path) -> None:
    """The category, the questions and the chosen options are the form's words, not the
    person's: report.html and the ticket body give them in support's language, report.json
    keeps the ones the person saw, and what the person typed stays as typed."""
    ctx = AppContext.for_tests(tmp_path, **{"support.language": "ru"})
    ctx.clock = lambda: NOW
    deps = flow_deps(ctx)
    deps.capturer = None
    deps.start_diagnostics = lambda: FinishedRun(collect("uk", "ru"))
    flow = ReportFlow(ctx, deps, language="uk")
    flow.start()
    answer_sign_in(flow, GOOD_HAPPENED)
    flow.go("review")
    bundle = flow.build_bundle()
    report = bundle.report
    where = next(a for a in report.answers if a.question_id == "sign_in_where")
    assert where.question == "Куди ви намагаєтеся увійти?"
    assert report.category_label == "Не вдається увійти"
    body = ticket_text(report, bundle.diagnostics)
    for page in (bundle.html, body):
        for words in ("Куда вы пытаетесь войти?", "Не получается войти", "Да, там получается",
                      "VPN client (Cisco AnyConnect)", GOOD_HAPPENED.split()[0]):
            assert words in page, words
        for words in ("Куди ви намагаєтеся увійти?", "Не вдається увійти"):
            assert words not in page, words
    assert report.lowest_schema_version() == 2
    again = type(report).model_validate_json(report.model_dump_json())
    assert again.translations["ru"].answers["sign_in_where"].question == \
        "Куда вы пытаетесь войти?"
