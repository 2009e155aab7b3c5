"""Clauses that name nothing of the problem (app/form/clauses.py): meta-talk (references to an
earlier conversation, questions back), the person's own story, and punctuation dictated to
voice input. Their words weigh nothing; the rest of the answer is weighed as usual."""

from __future__ import annotations

import pytest

from app.form import check_text


def _vague(kind: str, text: str, lang: str) -> bool:
    return any(f.code == "vague" for f in check_text(kind, text, lang))


def _message(kind: str, text: str, lang: str) -> str:
    return next(f.message for f in check_text(kind, text, lang) if f.code == "vague")


@pytest.mark.parametrize(("kind", "text", "lang"), [
    # words that would weigh enough anywhere else («письмо», "thread", «переписка»)
    ("what_happened", "see my previous email about the thread with Mark", "en"),
    ("what_happened", "подробности в переписке с Андреем", "ru"),
    ("what_happened", "див. мій попередній лист", "uk"),
    ("function", "the one we talked about", "en"),
    # questions back
    ("what_happened", "which one do you mean, the old one or the new one?", "en"),
    ("function", "а какую вы имеете в виду?", "ru"),
    ("what_happened", "який саме ви маєте на увазі?", "uk"),
    ("trying_to_do", "в смысле что пыталась сделать?", "ru"),
    ("what_happened", "do you need the serial number or something?", "en"),
    ("what_happened", "вам серійний номер потрібен чи що?", "uk"),
    # a name beside a placeholder names no task
    ("trying_to_do", "the thing Karen showed me", "en"),
])
def test_meta_talk_weighs_nothing(kind: str, text: str, lang: str) -> None:
    assert _vague(kind, text, lang)


@pytest.mark.parametrize(("kind", "text", "lang"), [
    ("what_happened", "as discussed: Teams crashes with 0xc0000005 on start", "en"),
    ("what_happened", "Like I told the guy on the phone, the VPN drops every 10 minutes", "en"),
    ("what_happened", "то же, что у Ольги: сканер на втором этаже сохраняет пустые PDF", "ru"),
    ("expected", "як домовлялися, спільний календар має показувати відпустки відділу", "uk"),
    ("trying_to_do", "as discussed, upload the timesheet to the portal", "en"),
    # a code counts wherever it stands
    ("what_happened", "как обсуждали ошибка 0x80070643", "ru"),
    # "same as" is a phrase, not "same" and "as" some words apart
    ("expected", "the inbox shows the same mails as the web version", "en"),
    # a question about a thing that fails, not one back to the helper
    ("what_happened", "Why does Excel crash when I open macros?", "en"),
    ("what_happened", "Can you tell me why Excel crashes when I open the budget file?", "en"),
    ("what_happened", "Подскажите, почему Outlook не синхронизирует календарь?", "ru"),
    # the question starts where it speaks to the helper
    ("what_happened", "Outlook asks for my password every 5 minutes, can you reset it?", "en"),
    # a task named beside a placeholder in "which program" is the program
    ("function", "the SAP thing", "en"),
])
def test_what_stands_beside_meta_talk_counts(kind: str, text: str, lang: str) -> None:
    assert not _vague(kind, text, lang)


def test_a_reference_is_asked_to_be_written_out_again() -> None:
    assert "earlier conversation" in _message("what_happened", "see my previous email", "en")
    # the error text still asks for the message's words
    assert "exact text" in _message("error_text", "the same one as in my last ticket", "en")


@pytest.mark.parametrize(("text", "lang"), [
    ("So I got in at 8, made coffee, sat down, logged in like every day and then, well, "
     "you know how it goes.", "en"),
    ("Утром пришла, разделась, включила чайник, села за стол, начала работать, и тут опять "
     "началось.", "ru"),
    ("Зранку прийшла, роздяглася, увімкнула чайник, сіла за стіл, почала працювати, і тут "
     "знову почалося.", "uk"),
    ("Прийшов, увімкнув, почекав, ще почекав, пішов по каву, повернувся — все так само.", "uk"),
])
def test_the_persons_own_story_names_nothing_that_fails(text: str, lang: str) -> None:
    assert _vague("what_happened", text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("Пришла утром, включила компьютер, а 1С пишет что база заблокирована", "ru"),
    ("came in this morning, logged in and Outlook shows a blank white window", "en"),
    # what the person saw or could not do is what fails
    ("I print from Acrobat and get a blank page", "en"),
    ("I can't log in to SAP, tried twice", "en"),
    ("вчера отправила счёт, сегодня не могу открыть его в 1С", "ru"),
    # one clause of the person's is what fails, not a story
    ("I lost all my bookmarks in Chrome", "en"),
    # the subject after its verb: «страница» cannot be what was printed
    ("отправила документ на печать, распечаталась только первая страница", "ru"),
    # a product named in the story is a particular thing still
    ("I upgraded to Windows 11 and lost the Cisco VPN client", "en"),
    # «ще» (no word of the Ukrainian dictionary) is no subject of a story
    ("прийшов, увімкнув ноутбук, ще почекав, а сканер відбитків пальців не визначається", "uk"),
])
def test_a_story_that_names_what_fails_passes(text: str, lang: str) -> None:
    assert not _vague("what_happened", text, lang)


@pytest.mark.parametrize(("kind", "text", "lang", "vague"), [
    ("what_happened", "it stopped comma again period I need it fixed period", "en", True),
    ("what_happened", "опять запятая не могу ничего сделать точка помогите", "ru", True),
    ("what_happened", "знову кома нічого не можу зробити крапка допоможіть", "uk", True),
    ("what_happened", "в экселе запятая при открытии файла бюджета запятая пишет что файл "
     "занят другим пользователем точка", "ru", False),
])
def test_dictated_punctuation_is_read_as_the_mark(kind: str, text: str, lang: str,
                                                  vague: bool) -> None:
    assert _vague(kind, text, lang) is vague


@pytest.mark.parametrize(("text", "lang", "vague"), [
    # a message that says nothing of its own: nothing support can search for
    ("contact your administrator", "en", True),
    ("обратитесь к администратору", "ru", True),
    ("зверніться до адміністратора", "uk", True),
    # a real message with what it is about is the error text
    ("Access denied. Contact your administrator to request access to Finance share", "en",
     False),
    ("Доступ запрещён. Обратитесь к администратору для получения доступа к папке Бухгалтерия",
     "ru", False),
])
def test_a_generic_message_as_the_error_text(text: str, lang: str, vague: bool) -> None:
    assert _vague("error_text", text, lang) is vague
