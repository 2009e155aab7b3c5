"""Round 7 of the vague-answer judge: numbers that only say when or whom to call, held-down
letters (app/form/figures.py), and the rules by role of app/form/described.py,
app/form/structure.py and app/form/clauses.py that came with them. Each vague case has a
specific twin the same rule must let through."""

from __future__ import annotations

import pytest

from app.form import check_text
from app.form.figures import phone_number, says_when, unstretched
from app.form.rules import builtin_rules, lexicon_of


def _vague(kind: str, text: str, lang: str) -> bool:
    return any(f.code == "vague" for f in check_text(kind, text, lang))


@pytest.mark.parametrize(("word", "previous", "when"), [
    ("8", "at", True), ("12", "by", True), ("2026", "in", True), ("2025", "в", True),
    ("30", "at", False),  # no hour
    ("404", "at", False), ("2016", "excel", False), ("5", "page", False),
])
def test_a_number_after_a_word_of_when_says_when(word: str, previous: str, when: bool) -> None:
    assert says_when(word, previous) is when


def test_a_number_after_a_word_of_how_to_reach_the_person_is_a_phone_number() -> None:
    lex = lexicon_of(builtin_rules())
    assert phone_number(["ext", "4471"], 1, lex) == 0
    assert phone_number(["на", "мобильный", "8", "916", "123"], 4, lex) == 1
    assert phone_number(["error", "4471"], 1, lex) == -1
    assert phone_number(["phone", "shows", "error", "4471"], 3, lex) == -1  # too far


@pytest.mark.parametrize(("word", "read"), [
    ("soooo", "so"), ("sloooow", "slow"), ("pleeease", "please"), ("оооочень", "очень"),
    ("slow", "slow"), ("коммит", "коммит"),
])
def test_a_held_down_letter_is_read_as_the_word_it_stretches(word: str, read: str) -> None:
    assert unstretched(word) == read


@pytest.mark.parametrize(("kind", "vague", "specific", "lang"), [
    # whom to call instead of the problem
    ("what_happened", "call me on extension 3310, hard to explain",
     "the phone at extension 3310 has no dial tone", "en"),
    ("what_happened", "перезвоните, внутренний 540, долго писать",
     "телефон с внутренним 540 не звонит, нет гудка", "ru"),
    ("what_happened", "передзвоніть, внутрішній 540, довго писати",
     "телефон з внутрішнім 540 не дзвонить, немає гудка", "uk"),
    # the whole machine, held-down letters
    ("what_happened", "my pc is sooo sloooow", "Word is sooo slow to save the 200-page file",
     "en"),
    # a thing pointed at only by its look, and a look thing that fails
    ("what_happened", "the red icon at the bottom is acting up",
     "the taskbar at the bottom vanishes after every reboot", "en"),
    ("what_happened", "красный значок внизу опять чудит",
     "панель задач внизу пропадает после каждой перезагрузки", "ru"),
    ("what_happened", "червоний значок унизу знову чудить",
     "панель задач унизу зникає після кожного перезавантаження", "uk"),
    # a place and a person
    ("subject", "Anna - reception - ground floor", "Anna - reception - scanner jams", "en"),
    ("subject", "Кабинет 110, Сидоренко", "Кабинет 110: не печатает принтер Kyocera", "ru"),
    # the whole machine since the update
    ("subject", "pc running slow since the update", "Teams crashes since the update", "en"),
    ("subject", "комп тормозит после обновления", "1С не запускается после обновления", "ru"),
    ("subject", "комп гальмує після оновлення", "1С не запускається після оновлення", "uk"),
])
def test_round_7_classes_are_vague_and_their_twins_pass(kind: str, vague: str, specific: str,
                                                       lang: str) -> None:
    assert _vague(kind, vague, lang)
    assert not _vague(kind, specific, lang)


@pytest.mark.parametrize(("vague", "specific", "lang"), [
    ("the one we use for payroll", "the one we use for payroll, Sage", "en"),
    ("ну та, где зарплата", "та, где зарплата, ЗУП", "ru"),
    ("ну та, де зарплата", "та, де зарплата, M.E.Doc", "uk"),
    ("the thing Paul set up", "the Zoom thing Paul set up", "en"),
])
def test_a_program_told_by_its_use_or_who_set_it_up_names_no_program(vague: str,
                                                                     specific: str,
                                                                     lang: str) -> None:
    assert _vague("function", vague, lang)
    assert not _vague("function", specific, lang)


def test_an_adverb_written_as_a_name_is_a_program() -> None:
    assert not _vague("function", "Вчасно", "uk")
    assert _vague("function", "весь ноутбук целиком", "ru")


@pytest.mark.parametrize(("text", "lang"), [
    ("Везде", "ru"), ("Повсюду", "ru"), ("Нигде", "ru"), ("Всюди", "uk"), ("Скрізь", "uk"),
    ("Everywhere", "en"),
])
def test_everywhere_written_with_a_capital_is_no_program(text: str, lang: str) -> None:
    # A capital at the start of an answer is how sentences begin, not a name: an adverb that
    # only says where (a pronoun's kind of word) names nothing, whatever its case.
    assert _vague("function", text, lang)


@pytest.mark.parametrize(("vague", "specific", "lang"), [
    ("это Word выдал", "Word выдал «Файл поврежден»", "ru"),
    ("це в Медку було", "Медок: «Ключ не знайдено»", "uk"),
    ("took a photo of it, can I send it to you?",
     "took a photo, it says 'Disk quota exceeded'", "en"),
    ("сфоткала на телефон, куда скинуть?", "сфоткала: «Нет доступа к папке»", "ru"),
    ("grey window, buttons OK and Cancel", "'Printer offline' with OK and Cancel buttons", "en"),
    ("не успела прочитать, само закрылось", "«Нет связи с сервером» и само закрылось", "ru"),
])
def test_an_error_text_that_names_who_showed_it_or_offers_a_photo_is_vague(
        vague: str, specific: str, lang: str) -> None:
    assert _vague("error_text", vague, lang)
    assert not _vague("error_text", specific, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("як було до того, як ви прийшли і щось поміняли", "uk"),
    ("что айтишники наконец сделают свою работу", "ru"),
])
def test_a_complaint_to_the_helper_is_no_expectation(text: str, lang: str) -> None:
    assert _vague("expected", text, lang)


def test_a_letters_frame_weighs_nothing_and_what_it_frames_counts() -> None:
    framed = "Hi all, hope you are well. My machine has issues again. Kind regards, Jo (HR)"
    assert _vague("what_happened", framed, "en")
    told = "Hi all. Excel freezes when I open the budget file. Kind regards, Jo (HR)"
    assert not _vague("what_happened", told, "en")


def test_a_storys_hours_are_no_codes() -> None:
    story = "I came in at 8, I logged in and I waited for 15 min, same as always"
    assert _vague("what_happened", story, "en")
    assert not _vague("what_happened", "I came in at 8, Outlook shows error 0x800ccc0e", "en")


@pytest.mark.parametrize(("kind", "vague", "specific", "lang"), [
    # the kind of program that showed the message, not its words
    ("error_text", "it came from the payroll program", "payroll program: 'Employee ID not found'",
     "en"),
    ("error_text", "из бухгалтерской программы было", "Ошибка бухгалтерской программы 2211",
     "ru"),
    # a program told by what it is for
    ("function", "the app for expenses", "the app for expenses, Concur", "en"),
    ("function", "програма для звітів", "програма для звітів M.E.Doc", "uk"),
])
def test_a_program_told_by_its_kind_or_use_names_no_program(kind: str, vague: str,
                                                            specific: str, lang: str) -> None:
    assert _vague(kind, vague, lang)
    assert not _vague(kind, specific, lang)


def test_a_name_with_a_capital_inside_the_text_is_no_typo() -> None:
    # «Хорошоп» is one letter from «хорошо», a word without information
    assert not _vague("function", "у нас Хорошоп", "uk")
    assert _vague("function", "у нас хорошо", "uk")


@pytest.mark.parametrize(("vague", "specific", "lang"), [
    ("something came up from the antivirus", "No response from the update server", "en"),
    ("что-то от антивируса", "Нет ответа от сервера обновлений", "ru"),
    ("щось від антивірусу", "Немає відповіді від сервера оновлень", "uk"),
])
def test_an_error_text_that_names_only_where_it_came_from_is_vague(vague: str, specific: str,
                                                                  lang: str) -> None:
    assert _vague("error_text", vague, lang)
    assert not _vague("error_text", specific, lang)
