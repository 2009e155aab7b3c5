"""Answers that describe instead of naming (app/form/described.py): an error text told by its
look or the person's acts, the whole machine with only a place or a wait, a program pointed
at by its look, a complaint in place of an expectation or a task."""

from __future__ import annotations

import pytest

from app.form import check_text


def _vague(kind: str, text: str, lang: str) -> bool:
    return any(f.code == "vague" for f in check_text(kind, text, lang))


@pytest.mark.parametrize(("text", "lang"), [
    ("a small white box popped up in the corner", "en"),
    ("it was in chinese or something, I closed it", "en"),
    ("long red text, I was in a rush", "en"),
    ("вылезло синее окошко посередине, я нажал ОК", "ru"),
    ("там были одни иероглифы", "ru"),
    ("чорне віконце в кутку, я його закрила", "uk"),
    ("якісь букви англійською", "uk"),
])
def test_an_error_text_told_by_its_look_or_the_persons_acts_is_vague(text: str,
                                                                      lang: str) -> None:
    assert _vague("error_text", text, lang)


def test_a_described_error_is_asked_for_its_words_or_a_screenshot() -> None:
    found = check_text("error_text", "a small white box popped up in the corner", "en")
    assert found and "screenshot" in found[0].message


@pytest.mark.parametrize(("text", "lang"), [
    ("The window cannot be opened", "en"),  # a look word inside the message's words
    ("I get Access denied every time", "en"),  # the message written into the sentence
    ("Small disk space warning: drive C is full", "en"),
    ("Окно не отвечает", "ru"),
    ("я вижу Ошибка подключения к базе", "ru"),
    ("Не вдалося завантажити картинку", "uk"),
])
def test_an_error_text_with_the_messages_words_in_it_passes(text: str, lang: str) -> None:
    assert not _vague("error_text", text, lang)


@pytest.mark.parametrize(("kind", "text", "lang"), [
    ("what_happened", "laptop trouble, office 12, ask for Kevin", "en"),
    ("what_happened", "my computer takes forever, 3 min per step", "en"),
    ("subject", "PC 2nd floor", "en"),
    ("what_happened", "компьютер в приемной, 4 этаж", "ru"),
    ("what_happened", "ноут очень долго думает, по минуте на каждый клик", "ru"),
    ("subject", "комп'ютер у відділі кадрів, кабінет 7", "uk"),
])
def test_the_whole_machine_with_only_where_or_how_long_is_vague(kind: str, text: str,
                                                                lang: str) -> None:
    assert _vague(kind, text, lang)


@pytest.mark.parametrize(("kind", "text", "lang"), [
    ("what_happened", "the laptop in room 12 shuts down when unplugged", "en"),
    ("what_happened", "the app crashes when I click Export to CSV", "en"),
    ("subject", "Зависает 1С", "ru"),
    ("what_happened", "в кабинете 7 принтер жует бумагу", "ru"),
    ("what_happened", "ноутбук у бухгалтерії не бачить флешку", "uk"),
])
def test_a_part_or_a_behaviour_beside_a_place_passes(kind: str, text: str, lang: str) -> None:
    assert not _vague(kind, text, lang)


@pytest.mark.parametrize(("text", "lang", "vague"), [
    ("the orange icon at the top of the screen", "en", True),
    ("такая голубенькая, внизу слева", "ru", True),
    ("червона іконка на робочому столі", "uk", True),
    ("the orange Firefox icon", "en", False),
    ("Бітрікс на робочому столі", "uk", False),
])
def test_a_program_pointed_at_by_its_look_names_none(text: str, lang: str, vague: bool) -> None:
    assert _vague("function", text, lang) is vague


@pytest.mark.parametrize(("kind", "text", "lang"), [
    ("expected", "that you finally do what you are paid for", "en"),
    ("expected", "чтобы ваша служба хоть раз сработала", "ru"),
    ("trying_to_do", "my job, instead of filling in your forms", "en"),
    ("trying_to_do", "робити свою роботу, а не писати вам листи", "uk"),
])
def test_a_complaint_is_no_expectation_or_task(kind: str, text: str, lang: str) -> None:
    assert _vague(kind, text, lang)


@pytest.mark.parametrize(("kind", "text", "lang"), [
    ("expected", "the invoice you sent opens in Acrobat", "en"),
    ("trying_to_do", "send the contract to Excel instead of Word", "en"),
    ("trying_to_do", "выгрузить отчёт в налоговую", "ru"),
])
def test_a_real_expectation_or_task_passes(kind: str, text: str, lang: str) -> None:
    assert not _vague(kind, text, lang)


def test_a_translit_freeze_is_read_as_one() -> None:
    assert _vague("what_happened", "komp tormozit strashno", "ru")


@pytest.mark.parametrize(("kind", "text", "lang"), [
    ("error_text", "it had a picture of a padlock and some text", "en"),  # what a look shows
    ("error_text", "появилась какая-то табличка с замочком", "ru"),
    ("what_happened", "PC slow, 30 seconds to open anything", "en"),  # a verb of anything
    ("what_happened", "комп'ютер дуже повільний, по 30 секунд відкривається все", "uk"),
    ("what_happened", "workstation near the window, Tom's", "en"),  # a place by what is near
])
def test_what_a_look_shows_and_a_verb_of_anything_say_nothing(kind: str, text: str,
                                                              lang: str) -> None:
    assert _vague(kind, text, lang)


@pytest.mark.parametrize(("kind", "text", "lang"), [
    ("error_text", "A window with the title Setup Error and code 1722", "en"),
    ("what_happened", "laptop won't open anything from the USB stick", "en"),
])
def test_a_look_or_anything_beside_what_fails_passes(kind: str, text: str, lang: str) -> None:
    assert not _vague(kind, text, lang)
