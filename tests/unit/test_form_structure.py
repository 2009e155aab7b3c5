"""The shape of an answer (app/form/structure.py): a bare thing where the question asks how or
what should happen, and an error text that describes the error instead of giving its words."""

from __future__ import annotations

import pytest

from app.form import check_text


def _vague(kind: str, text: str, lang: str) -> bool:
    return any(f.code == "vague" for f in check_text(kind, text, lang))


@pytest.mark.parametrize(("kind", "text", "lang"), [
    ("trying_to_do", "в 1С", "ru"),
    ("trying_to_do", "teams", "en"),
    ("expected", "аутлук", "ru"),
    ("expected", "Outlook", "uk"),
    ("error_text", "outlook", "en"),
    ("error_text", "аутлук", "uk"),
    # the whole machine does not say which program or website
    ("function", "компьютер", "ru"),
    ("function", "КОМПЬЮТЕР", "ru"),
    ("function", "my laptop", "en"),
])
def test_a_bare_thing_says_what_not_how(kind: str, text: str, lang: str) -> None:
    assert _vague(kind, text, lang)


@pytest.mark.parametrize(("kind", "text", "lang"), [
    ("function", "Outlook", "en"),  # which program: a name is the answer
    ("function", "принтер Kyocera", "ru"),
    ("trying_to_do", "распечатать договор", "ru"),
    ("expected", "the printer prints the whole page", "en"),  # a verb says what it does
    ("expected", "принтер друкує сторінку повністю", "uk"),
    ("error_text", "Немає підключення до інтернету", "uk"),  # a thing said to be missing
    ("error_text", "No signal", "en"),
])
def test_a_thing_with_something_said_of_it_passes(kind: str, text: str, lang: str) -> None:
    assert not _vague(kind, text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("ДУРАЦКАЯ ОШИБКА", "ru"),  # shouting is read lower-cased
    ("дурацкая ошибка", "ru"),
    ("непонятная ошибка", "ru"),
    ("ДИВНЕ ПОВІДОМЛЕННЯ", "uk"),
    ("STUPID ERROR AGAIN", "en"),
    ("i clicked ok", "en"),  # what the person did
    ("не запомнила, закрыла сразу", "ru"),
    ("не бачила", "uk"),
])
def test_an_error_text_that_only_describes_the_error_is_vague(text: str, lang: str) -> None:
    assert _vague("error_text", text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("Неверный логин или пароль", "ru"),
    ("Не удалось подключиться к удаленному серверу", "ru"),  # impersonal, not the person
    ("Сервер RPC недоступен", "ru"),
    ("Невідомий користувач або неправильний пароль", "uk"),
    ("Access is denied", "en"),
    ("License expired", "en"),
    ("«Сеанс истек»", "ru"),
])
def test_an_error_text_with_the_messages_words_passes(text: str, lang: str) -> None:
    assert not _vague("error_text", text, lang)


def test_the_way_things_were_says_nothing_of_what_should_happen() -> None:
    assert _vague("expected", "the same as before the update", "en")
    assert _vague("expected", "как было до обновления", "ru")
    assert _vague("expected", "як було до оновлення", "uk")
    assert not _vague("expected", "the invoice prints on A4 as before", "en")


@pytest.mark.parametrize(("text", "lang"), [
    ("ошибка при входе", "ru"),
    ("помилка при вході", "uk"),
    ("an error when logging in", "en"),
    ("вылетает окно с ошибкой", "ru"),  # a symptom that says little is no word of a message
])
def test_an_error_text_that_tells_when_the_error_came_is_vague(text: str, lang: str) -> None:
    assert _vague("error_text", text, lang)


@pytest.mark.parametrize(("text", "lang", "vague"), [
    ("браузер", "ru", True), ("почта", "ru", True), ("the browser", "en", True),
    ("email", "en", True), ("пошта", "uk", True),
    ("почта Outlook", "ru", False), ("gmail", "en", False), ("сайт Приватбанку", "uk", False),
])
def test_a_kind_of_program_is_not_a_program(text: str, lang: str, vague: bool) -> None:
    assert _vague("function", text, lang) is vague


def test_a_persons_name_and_idioms_of_the_same_again_name_nothing_that_fails() -> None:
    assert _vague("what_happened", "как обсуждали с Сергеем", "ru")
    assert _vague("what_happened", "як домовлялися з Олегом", "uk")
    assert _vague("what_happened", "старая песня", "ru")
    assert _vague("what_happened", "same old story", "en")
    assert not _vague("what_happened", "Сергей не может открыть общую папку Бухгалтерия", "ru")


def test_a_time_of_day_or_a_number_alone_says_when_not_what() -> None:
    assert _vague("what_happened", "с 14:30", "ru")
    assert _vague("what_happened", "вчора о 15:00", "uk")
    assert _vague("what_happened", "since 14:30", "en")
    assert _vague("what_happened", "123", "en")
    assert not _vague("error_text", "403", "en")  # in an error text the number is the code
    assert not _vague("what_happened",
                      "с 14:30 не печатает принтер HP в 305, горит оранжевая лампочка", "ru")
    assert not _vague("what_happened", "cannot reach 10.0.0.1:80 from the VPN", "en")


@pytest.mark.parametrize(("kind", "text", "lang"), [
    ("error_text", "Fatal error", "en"),  # an adjective of the message's own
    ("error_text", "Неизвестная ошибка", "ru"),
    ("error_text", "Невідома помилка", "uk"),
    ("error_text", "Страница не найдена", "ru"),  # a participle: done to a thing, not by me
    ("trying_to_do", "печать", "ru"),  # a common noun names the task
    ("trying_to_do", "payroll", "en"),
    ("expected", "два монитора", "ru"),
    ("expected", "PDF-файл", "uk"),
])
def test_a_common_noun_or_an_adjective_of_the_message_passes(kind: str, text: str,
                                                              lang: str) -> None:
    assert not _vague(kind, text, lang)


@pytest.mark.parametrize(("kind", "text", "lang"), [
    # a placeholder and what qualifies it
    ("trying_to_do", "the invoices thing", "en"),
    ("trying_to_do", "stuff for the audit", "en"),
    ("trying_to_do", "ту штуковину с накладными", "ru"),
    ("trying_to_do", "вечірні справи", "uk"),
    ("function", "that new thingy", "en"),
    ("function", "новая штучка", "ru"),
    # a verb that names no task without what it acts on, and nothing named for it
    ("trying_to_do", "just open it", "en"),
    ("trying_to_do", "зайти туда", "ru"),
    ("trying_to_do", "відкрити", "uk"),
    # a diminutive of a word that names nothing, a category
    ("function", "сайтики", "ru"),
    ("function", "програмулька", "uk"),
    ("function", "чатик", "uk"),
    ("function", "оборудование", "ru"),
    ("function", "the hardware", "en"),
    # someone's request without what it was
    ("trying_to_do", "what Mike asked for", "en"),
    ("trying_to_do", "те, шо Наталка просила", "uk"),
    # an adjective of a noun that names nothing
    ("trying_to_do", "свою звичну роботу", "uk"),
    ("trying_to_do", "рабочие моменты", "ru"),
    # a kind of program and only where it is
    ("function", "программа в бухгалтерии", "ru"),
    ("function", "the software at work", "en"),
    # the Ukrainian apostrophe, typed any way
    ("function", "комп’ютер", "uk"),
    ("function", "компʼютер", "uk"),
    ("function", "комп'ютер", "uk"),
])
def test_an_answer_that_names_no_task_or_thing_is_vague(kind: str, text: str, lang: str) -> None:
    assert _vague(kind, text, lang)


@pytest.mark.parametrize(("kind", "text", "lang"), [
    ("trying_to_do", "open the invoice from Anna", "en"),
    ("trying_to_do", "printing", "en"),
    ("trying_to_do", "log in", "en"),
    ("trying_to_do", "зайти в 1С", "ru"),
    ("trying_to_do", "войти в систему", "ru"),
    ("trying_to_do", "перевірити пошту", "uk"),
    ("trying_to_do", "обʼєднати два звіти в Excel", "uk"),
    ("trying_to_do", "the thing in SAP where you approve invoices", "en"),
    ("function", "штука для сканирования Kodak", "ru"),
    ("function", "флешка", "ru"),
    ("function", "мишка", "uk"),
    ("function", "колонка", "uk"),
    ("function", "телефончик", "ru"),
    ("trying_to_do", "send Mike the figures he asked for", "en"),
    ("trying_to_do", "сделать сверку, которую просила Лена", "ru"),
    ("function", "сайт налоговой", "ru"),  # «налоговой» does not agree with «сайт»: the office
    ("function", "принтер у бухгалтерії", "uk"),
    ("function", "экран в переговорной", "ru"),
    ("function", "почта на Яндексе", "ru"),
])
def test_a_task_with_its_object_or_a_thing_that_can_fail_passes(kind: str, text: str,
                                                                lang: str) -> None:
    assert not _vague(kind, text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("шось про оновлення", "uk"),  # «щось» as it is spoken
    ("шо-то про сертифікат", "uk"),
    ("чё-то про лицензию", "ru"),
    ("smth about certificates", "en"),
])
def test_what_the_message_was_about_in_any_spelling_is_vague(text: str, lang: str) -> None:
    assert _vague("error_text", text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("Інформація про сертифікат недоступна", "uk"),  # "about" inside the message's words
    ("Сведения о лицензии не найдены", "ru"),
])
def test_a_message_that_says_about_what_passes(text: str, lang: str) -> None:
    assert not _vague("error_text", text, lang)
