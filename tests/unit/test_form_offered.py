"""Round 8 of the vague-answer judge, by the role words play: a picture offered instead of the
words, a complaint in place of an expectation, a subject that points at a call, tasks that
name no task, a story without the problem, "come to me, I'll show you", the person's own acts
in an error text, and an absence with a place ("no internet in room 214") that is specific."""

from __future__ import annotations

import pytest

from app.form import check_text
from app.form.normalize import word_matches
from app.form.rules import phrase_word_matches


def _vague(kind: str, text: str, lang: str) -> bool:
    return any(f.code == "vague" for f in check_text(kind, text, lang))


@pytest.mark.parametrize(("kind", "text", "lang"), [
    ("what_happened", "I snapped the screen on my phone, will forward it to whoever handles it",
     "en"),
    ("what_happened", "Есть фотка экрана, скину в вайбер кому надо", "ru"),
    ("what_happened", "Є фотка екрана, скину у вайбер кому треба", "uk"),
    ("error_text", "It's on my phone, I'll send it later", "en"),
    ("error_text", "Фотка в телефоне, потом перешлю", "ru"),
    ("error_text", "Скрін в телефоні, потім надішлю", "uk"),
])
def test_a_picture_offered_instead_of_the_words_is_vague(kind: str, text: str,
                                                          lang: str) -> None:
    assert _vague(kind, text, lang)


@pytest.mark.parametrize(("kind", "text", "lang"), [
    ("what_happened", "I took a photo of the screen: Excel says the file is locked", "en"),
    ("what_happened", "Сфоткала экран: Excel пишет, что файл заблокирован", "ru"),
    ("error_text", "Outlook on my phone says Cannot connect to server", "en"),
    ("what_happened", "не можу надіслати лист більше 20 мб", "uk"),
    ("what_happened", "не могу переслать письмо с вложением больше 20 мб", "ru"),
    ("what_happened", "I can send emails but the replies never arrive", "en"),
])
def test_the_rest_of_an_answer_that_mentions_a_photo_or_sending_still_counts(
        kind: str, text: str, lang: str) -> None:
    assert not _vague(kind, text, lang)


@pytest.mark.parametrize(("text", "lang", "vague"), [
    ("no internet in room 214", "en", False),
    ("нет сети в кабинете 214", "ru", False),
    ("нема інтернету в 7 кабінеті", "uk", False),
    ("computer in room 214", "en", True),
    ("компьютер в кабинете 214", "ru", True),
    ("нет интернета", "ru", True),
])
def test_an_absence_and_a_place_say_what_fails_and_where(text: str, lang: str,
                                                         vague: bool) -> None:
    assert _vague("subject", text, lang) is vague


@pytest.mark.parametrize(("kind", "text", "lang"), [
    ("expected", "Not to battle with the laptop every morning", "en"),
    ("expected", "Honestly it's not brain surgery, just make it go", "en"),
    ("expected", "Мы за это платим деньги, пусть работает", "ru"),
    ("expected", "Щоб не воювати з компом щоранку", "uk"),
    ("subject", "Following up on our phone conversation", "en"),
    ("subject", "По поводу нашего разговора", "ru"),
    ("subject", "Щодо нашої розмови", "uk"),
    ("trying_to_do", "Clear my backlog before the weekend", "en"),
    ("trying_to_do", "Поручение от руководителя", "ru"),
    ("trying_to_do", "Хотіла закінчити все до кінця дня", "uk"),
    ("what_happened", "Работаю себе спокойно, и тут опять, а у меня сроки горят", "ru"),
    ("what_happened", "Минулого разу приходив хлопець, щось поміняв і все пройшло", "uk"),
    ("what_happened", "Приходил мастер, всё прошло, а теперь опять", "ru"),
    ("what_happened", "Зайдите ко мне, на месте покажу", "ru"),
    ("what_happened", "Підійдіть до мене, на місці покажу", "uk"),
    ("error_text", "Didn't read it, clicked OK straight away", "en"),
    ("error_text", "Не читала, одразу натиснула ОК", "uk"),
    ("error_text", "Never read it, just hit OK", "en"),
    ("error_text", "I've got a pic of it, where do I send it?", "en"),
    ("trying_to_do", "Доробити те, що вчора не встигла", "uk"),
])
def test_answers_that_name_no_problem_by_the_role_of_their_words(kind: str, text: str,
                                                                   lang: str) -> None:
    assert _vague(kind, text, lang)


@pytest.mark.parametrize(("kind", "text", "lang"), [
    ("expected", "The payment page accepts my card and shows the receipt", "en"),
    ("expected", "Оплата картой проходит и приходит чек", "ru"),
    ("subject", "Follow-up: VPN drops every 10 minutes", "en"),
    ("function", "Тимс, звонки", "ru"),
    ("trying_to_do", "Finish the payroll export before lunch", "en"),
    ("trying_to_do", "Закінчити табель до обіду", "uk"),
    ("trying_to_do", "Зайти в личный кабинет налоговой", "ru"),
    ("what_happened", "Горит красный индикатор на принтере", "ru"),
    ("what_happened", "в Телеграме не приходят уведомления", "ru"),
    ("what_happened", "Оплата не проходит", "ru"),
    ("subject", "Не проходить авторизація в Бітрікс", "uk"),
    ("what_happened", "Подойдите ко мне, принтер в кабинете 12 зажевал бумагу", "ru"),
    ("error_text", "Failed to load user profile", "en"),
    ("error_text", "I've got a pic of it: Printer offline (error 0x00000709)", "en"),
    ("error_text", "Hit OK and then it said Access denied", "en"),
    ("trying_to_do", "Clear the browser cache", "en"),
    ("what_happened", "Нет места на диске C", "ru"),
    ("error_text", "Термін дії пароля минув", "uk"),
    ("error_text", "Clicked Export, then: Access denied", "en"),
])
def test_their_specific_twins_pass(kind: str, text: str, lang: str) -> None:
    assert not _vague(kind, text, lang)


def test_a_word_the_dictionary_knows_is_no_typo_of_screenshot() -> None:
    # «скрізь» (everywhere) is one letter from «скрін*»; the dictionary knows it as a word
    assert word_matches("скрізь", "скрін*")  # the plain matcher allows the typo ...
    assert not phrase_word_matches("скрізь", "скрін*", 5)  # ... the phrase matcher does not
    assert phrase_word_matches("скрин", "скрін*", 5)  # a spelling the dictionary does not know
