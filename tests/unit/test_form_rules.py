"""Shouting, several problems, expected-vs-happened, and check_text's kinds and ids."""

from __future__ import annotations

import pytest

from app.form import builtin_rules, check_text, default_form
from app.form.rules import (
    has_exclamations,
    is_shouting,
    same_as_happened,
)
from app.form.several import looks_like_several_problems


@pytest.mark.parametrize(
    "text",
    [
        "OUTLOOK DOES NOT SEND ANY MAIL SINCE THIS MORNING",
        "ПРИНТЕР ПЕЧАТАЕТ ПУСТЫЕ СТРАНИЦЫ",
        "ПРИНТЕР ДРУКУЄ ПОРОЖНІ СТОРІНКИ",
        "HELP NOTHING WORKS AT ALL",
        "Outlook DOES NOT SEND ANY MAIL AT ALL TODAY",
    ],
)
def test_shouting_is_noticed(text: str) -> None:
    assert is_shouting(text)
    assert [f.code for f in check_text("what_happened", text, "en") if f.code == "shouting"]


@pytest.mark.parametrize(
    "text",
    [
        "VPN disconnects every 10 minutes",
        "SAP shows ERR_CONNECTION_RESET and HTTP 500",
        "Error 0x80070005 from MSI when installing the VPN client",
        "VPN SAP",
        "Chrome: NET::ERR_CERT_AUTHORITY_INVALID on the HR portal",
        "Не работает SSO в SAP GUI, код ошибки RFC_ERROR_LOGON_FAILURE",
    ],
)
def test_codes_and_acronyms_are_not_shouting(text: str) -> None:
    assert not is_shouting(text)


def test_exclamations_get_a_calm_hint_and_one_is_fine() -> None:
    assert has_exclamations("Outlook crashes when I open the calendar!!!")
    assert has_exclamations("Outlook crashes ! ! !")
    assert not has_exclamations("Outlook crashes when I open the calendar!")
    findings = check_text("what_happened", "Outlook crashes when I open the calendar!!!", "ru")
    assert [(f.code, f.severity) for f in findings] == [("exclamations", "hint")]
    assert "восклицательного" in findings[0].message


def test_shouting_message_is_a_hint_with_an_example() -> None:
    (f,) = check_text("what_happened", "OUTLOOK DOES NOT SEND MAIL WITH ATTACHMENTS", "uk")
    assert f.severity == "hint" and f.code == "shouting"
    assert "Великі літери" in f.message and f.example


def test_error_text_in_capitals_is_not_shouting() -> None:
    assert check_text("error_text", "ACCESS DENIED. CONTACT YOUR ADMINISTRATOR", "en") == []


KEYWORDS = default_form().category_keywords()


@pytest.mark.parametrize(
    "text",
    [
        "1) Outlook doesn't send mail\n2) the printer on floor 3 jams",
        "1. Не отправляются письма 2. Принтер не печатает",
        "- VPN drops every hour\n- my mouse double-clicks",
        "Outlook не отправляет письма. А ещё принтер на 3 этаже печатает пустые страницы",
        "Outlook не надсилає листи, а також принтер друкує порожні сторінки",
        "The VPN drops every hour. Also my monitor flickers.",
    ],
)
def test_several_problems_are_noticed(text: str) -> None:
    assert looks_like_several_problems(text, KEYWORDS)
    codes = [f.code for f in check_text("what_happened", text, "en")]
    assert "several_problems" in codes


@pytest.mark.parametrize(
    "text",
    [
        "I can't print from Outlook. The printer shows offline.",
        "VPN asks for my password again and again after the update",
        "Outlook also shows error 0x800CCC0E when sending",
        "Excel version 16.0.1 freezes when I open budget.xlsx from the S drive",
        "Письмо с вложением 10 МБ не уходит. Вложение поменьше уходит нормально.",
        "Не можу увійти в пошту: пароль правильний, але Outlook знову питає пароль",
    ],
)
def test_one_problem_is_not_split(text: str) -> None:
    assert not looks_like_several_problems(text, KEYWORDS)


def test_several_problems_is_only_a_hint() -> None:
    findings = check_text("what_happened", "1) Outlook crashes 2) printer jams", "en")
    assert {f.severity for f in findings if f.code == "several_problems"} == {"hint"}


def test_expected_must_differ_from_what_happened() -> None:
    happened = "Outlook does not send mail with attachments"
    assert same_as_happened(happened, happened)
    assert same_as_happened("Outlook does not send mail with attachments!", happened)
    assert same_as_happened("outlook  DOES not send mail with attachments", happened)
    # the expected result stated positively is a real answer
    assert not same_as_happened("Outlook sends mail with attachments", happened)
    assert not same_as_happened("The mail is sent and appears in Sent Items", happened)


def test_kind_can_be_a_question_id_of_the_default_form() -> None:
    # error_text (by id) is judged strictly and never as shouting
    assert check_text("error_text", "ACCESS DENIED", "en") == []
    # expected (by id) uses the "it should work" patterns
    assert [f.code for f in check_text("expected", "it should work", "en")] == ["vague"]
    # an unknown id falls back to long text
    assert [f.code for f in check_text("no_such_question", "help", "en")] == ["vague"]


def test_blank_text_has_no_findings() -> None:
    assert check_text("what_happened", "   ", "en") == []


def test_subject_gets_the_subject_message() -> None:
    (f,) = check_text("subject", "Problem!", "en")
    assert f.code == "vague" and "subject" in f.message.lower()


def test_rules_can_be_tuned_without_code() -> None:
    lenient = builtin_rules().model_copy(update={"max_content_words": 0}, deep=True)
    text = "Outlook doesn't work"
    assert [f.code for f in check_text("what_happened", text, "en")] == ["vague"]
    assert check_text("what_happened", text, "en", rules=lenient) == []


def test_a_copy_with_new_word_lists_uses_them() -> None:
    rules = builtin_rules()
    check_text("what_happened", "warm up the cache", "en", rules=rules)
    extra = {**rules.filler, "en": [*rules.filler["en"], "outlook"]}
    tuned = rules.model_copy(update={"filler": extra})
    assert check_text("what_happened", "Outlook crashes", "en", rules=rules) == []
    assert [f.code for f in check_text("what_happened", "Outlook crashes", "en",
                                       rules=tuned)] == ["vague"]
