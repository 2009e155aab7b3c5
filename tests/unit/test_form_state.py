"""FormState: conditions, complete answers, cross-question rules, quality, priority, subject."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.form import FormState, When, default_form
from app.report import Report

NOW = datetime(2026, 11, 25, 10, 30, tzinfo=UTC)
KYIV_WINTER = timezone(timedelta(hours=2))


def _state(language: str = "en", category: str = "app_error") -> FormState:
    state = FormState(default_form(), language, clock=lambda: NOW, tz=KYIV_WINTER)
    state.set_category(category)
    return state


def _good_app_error(state: FormState) -> FormState:
    state.set_answer("application", "Outlook")
    state.set_answer("trying_to_do", "Send the monthly report to the finance team")
    state.set_answer("what_happened",
                     "After I click Send the mail stays in the Outbox with attachments over 10 MB")
    state.set_answer("expected", "The mail is sent and appears in Sent Items")
    state.set_answer("error_seen", True)
    state.set_answer("error_text", "Cannot connect to the server. Error 0x800CCC0E")
    state.set_answer("first_time", "every_time")
    state.set_answer("restarted", "restarted_no_change")
    state.set_answer("when", "earlier_today:09:40")
    state.set_answer("impact", "team")
    state.set_answer("urgency", "blocked")
    return state


def _ids(state: FormState) -> list[str]:
    return [q.id for q in state.visible_questions()]


def test_no_category_blocks_and_scores_zero() -> None:
    state = FormState(default_form(), "ru", clock=lambda: NOW)
    (issue,) = state.validate()
    assert issue.question_id == "category" and issue.severity == "block"
    assert "Другое" in issue.message
    assert state.quality().score == 0
    assert not state.can_submit(0)


def test_conditional_questions_follow_the_yes_no_answer() -> None:
    state = _state(category="network")
    assert "error_text" not in _ids(state) and "error_screenshot" not in _ids(state)
    state.set_answer("error_seen", True)
    assert _ids(state).index("error_text") == _ids(state).index("error_seen") + 1
    assert "error_screenshot" in _ids(state)
    state.set_answer("error_seen", False)
    assert "error_text" not in _ids(state)
    state.set_answer("error_seen", None, dont_know=True)
    assert "error_text" not in _ids(state)


def test_every_visible_question_must_be_answered() -> None:
    state = _state("uk")
    blocked = {i.question_id for i in state.validate() if i.code == "required"}
    assert blocked == {"application", "trying_to_do", "what_happened", "expected",
                       "first_time", "restarted", "when", "impact", "urgency"}
    issue = next(i for i in state.validate() if i.question_id == "what_happened")
    assert issue.message == "Будь ласка, дайте відповідь на питання «Що сталося»."
    assert issue.example  # the question's own example answer


def test_dont_know_only_where_the_question_allows_it() -> None:
    state = _good_app_error(_state())
    state.set_answer("first_time", None, dont_know=True)  # allowed
    assert [i for i in state.validate() if i.question_id == "first_time"] == []
    state.set_answer("application", None, dont_know=True)  # not allowed
    (issue,) = [i for i in state.validate() if i.question_id == "application"]
    assert issue.code == "dont_know_not_allowed" and issue.severity == "block"
    required = _state()
    (fresh,) = [i for i in required.validate() if i.question_id == "first_time"]
    assert "I don't know" in fresh.message  # the message offers it when it is allowed


def test_a_complete_specific_report_passes() -> None:
    state = _good_app_error(_state())
    assert state.validate() == []
    quality = state.quality()
    assert quality.score >= 90
    assert sum(quality.breakdown.values()) == quality.score
    assert state.can_submit(60)


def test_vague_answer_blocks_with_a_kind_message_in_the_state_language() -> None:
    state = _good_app_error(_state("ru"))
    state.set_answer("what_happened", "ничего не работает!!!")
    issues = [i for i in state.validate() if i.question_id == "what_happened"]
    assert [(i.code, i.severity) for i in issues] == [("vague", "block"), ("exclamations", "hint")]
    assert "именно" in issues[0].message and issues[0].example
    assert not state.can_submit(0)


def test_error_seen_requires_text_or_screenshot() -> None:
    state = _good_app_error(_state())
    state.set_answer("error_text", None)
    (issue,) = state.validate()
    assert (issue.question_id, issue.code) == ("error_text", "error_evidence")
    state.set_answer("error_screenshot", ["step-001.webp"])
    assert state.validate() == []
    fields = state.to_report_fields()
    shot = next(a for a in fields["answers"] if a.question_id == "error_screenshot")
    assert shot.value == ["step-001.webp"] and "1" in shot.display


def test_expected_must_differ_from_what_happened() -> None:
    state = _good_app_error(_state())
    state.set_answer("expected", state.answer("what_happened"))
    (issue,) = state.validate()
    assert (issue.question_id, issue.code, issue.severity) == (
        "expected", "same_as_happened", "block")


def test_several_problems_is_a_hint_that_does_not_block() -> None:
    state = _good_app_error(_state())
    state.set_answer("what_happened",
                     "1) Outlook keeps the mail in the Outbox 2) the printer on floor 3 jams")
    (issue,) = state.validate()
    assert issue.code == "several_problems" and issue.severity == "hint"
    assert state.can_submit(60)
    assert state.quality().breakdown["polish"] < 10


def test_quality_gate_uses_the_threshold() -> None:
    state = _good_app_error(_state())
    state.set_answer("what_happened", "Outlook keeps it in the Outbox")
    state.set_answer("trying_to_do", "Send a report")
    state.set_answer("expected", "It is sent")
    score = state.quality().score
    assert state.validate() == []
    assert state.can_submit(score) and not state.can_submit(score + 1)


def test_quality_grows_as_answers_come_in() -> None:
    state = _state()
    scores = [state.quality().score]
    state.set_answer("application", "Outlook")
    scores.append(state.quality().score)
    _good_app_error(state)
    scores.append(state.quality().score)
    assert scores == sorted(scores) and scores[0] < scores[-1]


@pytest.mark.parametrize(
    ("impact", "urgency", "level"),
    [("me", "can_work", "low"), ("me", "blocked", "medium"), ("team", "slowed", "medium"),
     ("team", "blocked", "high"), ("many", "can_work", "medium"), ("many", "blocked", "critical")],
)
def test_priority_from_impact_and_urgency(impact: str, urgency: str, level: str) -> None:
    state = _state()
    state.set_answer("impact", impact)
    state.set_answer("urgency", urgency)
    p = state.priority()
    assert (p.impact, p.urgency, p.level) == (impact, urgency, level)


def test_priority_is_shown_in_the_users_language() -> None:
    state = _state("ru")
    state.set_answer("impact", "many")
    state.set_answer("urgency", "blocked")
    assert state.priority_text() == (
        "Приоритет: критический (затронуты: многие сотрудники; работать не могу)")


def test_policy_can_change_the_priority_matrix() -> None:
    form = default_form()
    form.priority_matrix.me["blocked"] = "high"
    state = FormState(form, clock=lambda: NOW)
    state.set_category("other")
    state.set_answer("urgency", "blocked")
    assert state.priority().level == "high"


def test_subject_is_generated_from_category_function_and_error() -> None:
    state = _good_app_error(_state())
    assert state.subject() == (
        "A program shows an error: Outlook — Cannot connect to the server")
    state.set_answer("error_text", None)
    assert state.subject().startswith(
        "A program shows an error: Outlook — After I click Send the mail stays")
    assert len(state.subject()) <= 120


def test_subject_uses_the_choice_label_in_the_language() -> None:
    state = _state("uk", "email")
    state.set_answer("mail_client", "webmail")
    assert state.subject() == "Електронна пошта: У браузері (веб-пошта)"


def test_edited_subject_is_checked_by_the_same_rules() -> None:
    state = _good_app_error(_state())
    state.set_subject("HELP!!! NOTHING WORKS")
    codes = {(i.question_id, i.code) for i in state.validate()}
    assert ("subject", "vague") in codes and ("subject", "shouting") in codes
    state.set_subject("Outlook: mail over 10 MB stays in the Outbox")
    assert state.validate() == []
    assert state.to_report_fields()["title"] == "Outlook: mail over 10 MB stays in the Outbox"
    state.set_subject(None)
    assert state.subject().startswith("A program shows an error")


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("now", NOW),
        ("minutes_ago:15", NOW - timedelta(minutes=15)),
        # 09:40 in UTC+2 is 07:40 UTC
        ("earlier_today:09:40", datetime(2026, 11, 25, 7, 40, tzinfo=UTC)),
        ("pick:2026-11-24T16:05", datetime(2026, 11, 24, 14, 5, tzinfo=UTC)),
        ("pick:2026-11-24T16:05+00:00", datetime(2026, 11, 24, 16, 5, tzinfo=UTC)),
        (When("minutes_ago", minutes=5), NOW - timedelta(minutes=5)),
    ],
)
def test_when_resolves_with_the_injected_clock_and_zone(answer: object,
                                                        expected: datetime) -> None:
    state = _good_app_error(_state())
    state.set_answer("when", answer)  # type: ignore[arg-type]
    assert state.validate() == []
    happened = state.to_report_fields()["happened_at"]
    assert happened == expected and happened.tzinfo is not None


def test_when_in_the_future_or_garbled_is_blocked() -> None:
    state = _good_app_error(_state())
    state.set_answer("when", "earlier_today:23:50")  # later than 12:30 local
    (issue,) = state.validate()
    assert issue.code == "future"
    state.set_answer("when", "yesterday-ish")
    (issue,) = state.validate()
    assert issue.code == "invalid"
    assert state.to_report_fields()["happened_at"] is None


def test_when_display_in_russian() -> None:
    state = _good_app_error(_state("ru"))
    state.set_answer("when", "minutes_ago:20")
    when = next(a for a in state.to_report_fields()["answers"] if a.question_id == "when")
    assert when.display == "20 мин назад"
    assert when.value == "2026-11-25T12:10:00+02:00"


def test_number_question_checks_range_and_accepts_comma_decimals() -> None:
    state = _state("en", "slow")
    state.set_answer("slow_seconds", "12,5")
    assert [i for i in state.validate() if i.question_id == "slow_seconds"] == []
    state.set_answer("slow_seconds", -3)
    (issue,) = [i for i in state.validate() if i.question_id == "slow_seconds"]
    assert issue.code == "out_of_range" and "0" in issue.message and "86400" in issue.message
    state.set_answer("slow_seconds", "a while")
    (issue,) = [i for i in state.validate() if i.question_id == "slow_seconds"]
    assert issue.code == "invalid"


def test_invalid_choice_is_blocked() -> None:
    state = _good_app_error(_state())
    state.set_answer("impact", "everyone")
    (issue,) = state.validate()
    assert (issue.question_id, issue.code) == ("impact", "invalid")


def test_unknown_ids_are_refused() -> None:
    state = _state()
    with pytest.raises(ValueError, match="unknown category"):
        state.set_category("coffee_machine")
    with pytest.raises(ValueError, match="unknown question"):
        state.set_answer("favourite_colour", "blue")


def test_report_fields_build_a_valid_report() -> None:
    state = _good_app_error(_state("uk"))
    state.set_answer("first_time", None, dont_know=True)
    fields = state.to_report_fields()
    report = Report(created_at=NOW, **fields)
    assert report.category == "app_error" and report.category_label == "Помилка в програмі"
    assert report.priority.level == "high"
    assert report.happened_at == datetime(2026, 11, 25, 7, 40, tzinfo=UTC)
    by_id = {a.question_id: a for a in report.answers}
    assert by_id["impact"].value == "team"
    assert by_id["impact"].display == "Мою команду або кількох колег"
    assert by_id["error_seen"].value is True and by_id["error_seen"].display == "Так"
    assert by_id["first_time"].dont_know and by_id["first_time"].display == "Не знаю"
    assert by_id["what_happened"].question == "Що сталося?"
    # hidden questions are not reported, even if answered earlier: in "Network" the error
    # question is asked, and unanswered it hides the error's text
    state.set_category("network")
    reported = {a.question_id for a in state.to_report_fields()["answers"]}
    assert "error_text" not in reported and "error_seen" not in reported


def test_the_subject_never_ends_in_a_vague_or_shouted_answer() -> None:
    from app.form import FormState, default_form

    state = FormState(default_form(), "en")
    state.set_category("app_error")
    state.set_answer("application", "Outlook 365")
    state.set_answer("what_happened", "it doesn't work")
    assert state.subject() == "A program shows an error: Outlook 365"
    state.set_answer("what_happened", "NOTHING WORKS HELP!!!")
    assert state.subject() == "A program shows an error: Outlook 365"
    state.set_answer("what_happened", "Outlook closes itself when I open the Calendar tab")
    assert state.subject().endswith("— Outlook closes itself when I open the Calendar tab")


def test_a_category_gives_the_answer_its_choice_already_says() -> None:
    """"A program shows an error" says an error was seen: the question is not asked, the
    report still carries the answer, and the error's text and screenshot are asked."""
    state = _state()
    asked = [q.id for q in state.asked_questions()]
    assert "error_seen" not in asked and "error_seen" in _ids(state)
    assert asked.index("error_text") == asked.index("expected") + 1
    assert "error_screenshot" in asked
    assert state.given_by_category() == {"error_seen": True}
    # an answer from elsewhere (a draft, another category) does not undo what the category says
    state.set_answer("error_seen", False)
    assert state.answer("error_seen") is True
    # without the error's text or a screenshot, support would get nothing to go on
    codes = {(i.question_id, i.code) for i in _good_app_error(state).validate()}
    assert codes == set()
    state.set_answer("error_text", None)
    assert ("error_text", "error_evidence") in {(i.question_id, i.code)
                                                for i in state.validate()}
    state.set_answer("error_text", "Cannot connect to the server")
    by_id = {a.question_id: a for a in state.to_report_fields()["answers"]}
    assert by_id["error_seen"].value is True and by_id["error_seen"].display == "Yes"
    # another category asks it again, unanswered
    state.set_category("email")
    assert "error_seen" in [q.id for q in state.asked_questions()]
    assert state.answer("error_seen") is None
    assert "error_seen" in {i.question_id for i in state.validate() if i.code == "required"}
