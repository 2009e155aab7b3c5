"""The vague-answer judge measured on labelled answers it was and was not tuned on (issue 14).

tests/data/form_answers/ holds 1354 answers in English, Russian and Ukrainian, for every kind of
question, in a tuning half and a held-out half (see its README.md). The goals hold for each
language on the held-out half: at least 95 % of vague answers flagged, at most 3 % of specific
answers flagged, the 99th percentile of one check at most 5 ms of CPU time. A regression fails
here. Run with -s to see the figures per language and kind, and every miss.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from app.form import check_text, default_form
from app.form.rules import analyse_vague, builtin_rules
from app.form.several import looks_like_several_problems
from tests.form_corpus import (
    DATA,
    GOAL_P99_MS,
    GOAL_SPECIFIC_FLAGGED,
    GOAL_VAGUE_FLAGGED,
    HALVES,
    KINDS,
    LANGUAGES,
    Result,
    evaluate,
    load,
)

ROOT = Path(__file__).resolve().parents[2]
_results: dict[str, Result] = {}


def _result(half: str) -> Result:
    if half not in _results:
        _results[half] = evaluate(half)
        print("\n" + _results[half].report())
    return _results[half]


def test_corpus_is_big_split_once_and_covers_every_language_and_kind() -> None:
    tuning, heldout = load("tuning"), load("heldout")
    assert len(tuning) + len(heldout) >= 600
    # the same words may answer two questions; the same answer is never in both halves
    assert not {(a.lang, a.kind, a.text) for a in tuning} & {
        (a.lang, a.kind, a.text) for a in heldout}
    for half in (tuning, heldout):
        cells = {(a.lang, a.kind, a.label) for a in half}
        assert cells == {(lang, kind, label) for lang in LANGUAGES for kind in KINDS
                         for label in ("vague", "specific")}
    assert "NEVER change a rule" in (DATA / "heldout.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("half", HALVES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_goals_per_language(half: str, lang: str) -> None:
    cell = _result(half).by_lang[lang]
    assert cell.recall >= GOAL_VAGUE_FLAGGED, f"{half} {lang}: {cell.row()}"
    assert cell.false_alarms <= GOAL_SPECIFIC_FLAGGED, f"{half} {lang}: {cell.row()}"


@pytest.mark.parametrize("half", HALVES)
def test_a_check_is_fast_enough_to_run_as_the_person_types(half: str) -> None:
    # CPU time of the check itself: the shared machine's scheduler is not the judge's doing.
    assert _result(half).p99() <= GOAL_P99_MS


# --- what the judge reads --------------------------------------------------------------------


def _vague(text: str, kind: str = "what_happened", lang: str = "en") -> bool:
    return any(f.code == "vague" for f in check_text(kind, text, lang))


@pytest.mark.parametrize(
    "text",
    [
        # the examples of what the word lists missed
        "перестало работать", "см. тему", "якась помилка", "вискочила помилка",
        "nichego ne rabotaet", "ремонтуйте", "my computer is acting weird", "an error popped up",
        # vague answers without a stock phrase
        "компьютер глючит", "the usual problem",
    ],
)
def test_vague_answers_the_word_lists_missed(text: str) -> None:
    assert _vague(text)


def test_specific_answer_with_vague_words_passes() -> None:
    assert not _vague("В 1С всё не работает после обновления: при входе ошибка 'Нет лицензии'",
                      lang="ru")
    assert not _vague("Nothing works in Outlook: it opens, then closes within 5 seconds")


def test_inflections_come_from_the_dictionary() -> None:
    # none of these forms is written in the word lists; their lemmas are
    for text in ("заработало и опять перестало", "поламалося все", "помилочки якісь вилазять",
                 "ничего не функционирует", "worked yesterday, broke today"):
        assert _vague(text, lang="ru"), text


def test_wrong_keyboard_layout_is_read_in_the_layout_meant() -> None:
    analysis = analyse_vague("ytn cdzpb", "what_happened", language="ru")
    assert analysis.judgement is not None
    assert analysis.judgement.read_as == "layout" and analysis.judgement.text == "нет связи"
    assert analysis.vague
    assert _vague("ybxtuj yt hf,jnftn", lang="ru")  # ничего не работает
    # a specific answer typed in the wrong layout still passes
    assert not _vague("Jenkjr yt jnghfdkztn gbcmvf c dkj;tybzvb", lang="ru")
    # English is never "read" as a layout
    assert not _vague("VPN drops every hour", lang="ru")


def test_transliterated_cyrillic_is_read() -> None:
    for text in ("nichego ne rabotaet", "pomogite pozhalujsta", "nichoho ne pratsyuye",
                 "vse slomalos"):
        analysis = analyse_vague(text, "what_happened")
        assert analysis.vague and analysis.judgement is not None, text
        assert analysis.judgement.read_as == "translit", text
    # hyphenated pronouns, and two letters that happen to spell a word in another layout
    for text, lang in (("kakaya-to oshibka", "ru"), ("chto-to ne tak", "ru"),
                       ("ne pratsiuie", "uk")):
        analysis = analyse_vague(text, "error_text" if "oshibka" in text else "what_happened",
                                 language=lang)
        assert analysis.vague and analysis.judgement is not None, text
        assert analysis.judgement.read_as == "translit", text
    # what it names still counts
    assert not _vague("ne otpravlyaetsya pochta v outlook s vlozheniyami")
    # and English words are not mistaken for transliteration ("net" is not "нет" here)
    assert not _vague(".NET framework installer fails with 0x80070643")


def test_typos_in_words_without_information() -> None:
    for text in ("не работаит", "ничево не работаит", "its not wroking", "dosent wrok",
                 "everythign is broke", "не працюе"):
        assert _vague(text), text
    # a product one letter from "work" is not a typo of it
    result = analyse_vague("Word doesn't open files from SharePoint", "what_happened")
    assert not result.vague and "word" in result.content


def test_weights_a_whole_machine_half_and_a_name_fully() -> None:
    assert _vague("the laptop is slow")  # 0.5 + 0.5
    assert not _vague("Excel is slow when I open files from the S drive")
    assert not _vague("ноутбук не заряжается", lang="ru")  # 0.5 + 1
    assert _vague("Outlook doesn't work")  # 1: what, but not how
    assert not _vague("Outlook crashes when I open the calendar")


def test_each_kind_names_what_to_add() -> None:
    messages = {
        "what_happened": "which program or function",
        "subject": "subject should say what fails",
        "expected": "what you expected",
        "trying_to_do": "the task you had in hand",
        "function": "name the program, website or device",
        "error_text": "exact text of the error message",
    }
    for kind, phrase in messages.items():
        (finding,) = [f for f in check_text(kind, "nothing", "en") if f.code == "vague"]
        assert phrase in finding.message, kind
        assert finding.example and finding.severity == "block"
    # the phrases still choose a more precise message
    (f,) = check_text("what_happened", "see screenshot", "ru")
    assert "Скриншот помогает" in f.message


def test_a_name_alone_is_not_a_result() -> None:
    assert _vague("Outlook normally", "expected")
    assert not _vague("it sends", "expected")
    assert not _vague("Outlook", "function")


def test_english_words_are_not_read_as_typos_and_irregular_forms_have_lemmas() -> None:
    # "stays" is one letter from "says" but a word of its own (the false alarm seen in use)
    assert not _vague("The error window stays where it was.", "expected")
    # a typo is still read as the word meant; an irregular form as its lemma ("froze")
    assert _vague("everythign is brokn")
    assert _vague("computer froze up")
    assert not _vague("Outlook froze when I opened the shared calendar")
    # a stem is a listed word's only when it takes an ending off: "attachment" is not "attached"
    result = analyse_vague("save an attachment", "trying_to_do")
    assert result.judgement is not None and "attachment" in result.judgement.content
    assert _vague("see attached") and _vague("I keep getting kicked out")


def test_grammar_of_russian_and_ukrainian_words() -> None:
    # a verb addressed to the helper is a request, whatever the verb
    for text, lang in (("посмотрите мой компьютер пожалуйста", "ru"),
                       ("гляньте комп будь ласка", "uk"), ("разберитесь уже", "ru")):
        assert _vague(text, lang=lang), text
    # an adverb alone says little ("дико" counts half), a noun names a thing
    result = analyse_vague("комп дико", "what_happened", language="ru")
    assert result.judgement is not None and result.judgement.score == 1.0
    assert not _vague("посмотрите, пожалуйста: принтер печатает пустые листы", lang="ru")


def test_a_verb_that_only_says_the_thing_does_its_job() -> None:
    for text, lang in (("принтер не печатает", "ru"), ("не печатает принтер", "ru"),
                       ("принтер не друкує", "uk"), ("printer not printing", "en")):
        assert _vague(text, lang=lang), text
    assert not _vague("принтер печатает пустые листы", lang="ru")
    assert not _vague("the printer prints every page twice")


def test_a_noun_after_a_determiner_and_a_negated_verb_say_something() -> None:
    assert not _vague("the display flickers")  # "display" the thing, not the verb
    assert not _vague("Teams won't start")  # "start" negated: what fails
    assert _vague("it started again")
    assert not _vague("Teams keeps the call going", "expected")


def test_two_things_with_nothing_said_about_either_say_no_more_than_one() -> None:
    for text, lang in (("почта и интернет не работают", "ru"), ("пошта та інтернет не працюють",
                       "uk"), ("Outlook and Teams not working", "en")):
        assert _vague(text, lang=lang), text
    assert not _vague("Word and Excel crash when opening files from SharePoint")
    assert not _vague("принтер и сканер не видят сеть после переезда", lang="ru")


def test_phrases_that_cover_their_words_are_a_second_signal() -> None:
    # "I don't know" in any words, and a description of the message instead of its text
    for text, lang in (("no idea, it vanished", "en"), ("понятия не имею, исчезло", "ru"),
                       ("гадки не маю, зникло", "uk"), ("что-то про обновления вроде", "ru"),
                       ("щось про оновлення начебто", "uk"), ("some popup about updates", "en")):
        assert _vague(text, "error_text", lang), text
    # what else the answer says still counts
    assert not _vague("no idea why, but Outlook closes when I open the calendar")
    assert not _vague("понятия не имею почему, но Excel закрывается при сохранении", lang="ru")
    assert not _vague('something about "certificate revoked"', "error_text")


def test_keys_drives_and_acronyms_in_capitals_are_named() -> None:
    assert not _vague("всё плохо: клавиатура не печатает букву Ж", lang="ru")
    assert not _vague("HR portal is down")
    assert _vague("PC broken") and _vague("I need help")
    assert _vague("a red box with an X", "error_text")


def test_any_labelled_file_can_be_measured(tmp_path: Path) -> None:
    from tests.form_corpus import evaluate

    corpus = tmp_path / "fresh.yaml"
    corpus.write_text(
        '- {lang: en, kind: what_happened, label: vague, text: "nothing works"}\n'
        '- {lang: ru, kind: expected, label: specific, text: "письмо уходит"}\n'
        '- {lang: uk, kind: subject, label: specific, text: "не працює"}\n', encoding="utf-8")
    result = evaluate(corpus)
    assert result.by_lang["en"].vague_flagged == 1 and result.by_lang["ru"].specific == 1
    assert [a.text for a, _ in result.misses] == ["не працює"]
    report = result.report()
    assert "fresh.yaml: 3 answers" in report and "не працює" in report
    out = subprocess.run([sys.executable, "bench/form.py", "--corpus", str(corpus)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and "uk  all" in out.stdout and "misses:" in out.stdout
    nested = tmp_path / "nested.yaml"
    nested.write_text("uk:\n  expected:\n    vague: [щоб працювало]\n    specific: [лист іде]\n",
                      encoding="utf-8")
    result = evaluate(nested)
    assert (result.by_lang["uk"].vague, result.by_lang["uk"].specific) == (1, 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {lang: en, text: x}\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "bench/form.py", "--corpus", str(bad)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 2 and "item 1" in out.stderr and "needs lang, kind" in out.stderr


# --- several problems ------------------------------------------------------------------------

SEVERAL = yaml.safe_load((DATA / "several.yaml").read_text(encoding="utf-8"))
KEYWORDS = default_form().category_keywords()


def test_several_problems_told_by_content() -> None:
    found = missed = alarms = total = 0
    lines = []
    for lang in LANGUAGES:
        for text in SEVERAL[lang]["several"]:
            total += 1
            if looks_like_several_problems(text, KEYWORDS, language=lang):
                found += 1
            else:
                missed += 1
                lines.append(f"  missed [{lang}] {text}")
        for text in SEVERAL[lang]["one"]:
            if looks_like_several_problems(text, KEYWORDS, language=lang):
                alarms += 1
                lines.append(f"  split by mistake [{lang}] {text}")
    print(f"\nseveral problems: {found}/{total} found, {alarms} single problems split")
    print("\n".join(lines))
    assert found / total >= 0.9
    assert alarms == 0


def test_several_problems_hint_suggests_splitting_and_names_both() -> None:
    text = "Outlook не отправляет письма, и ещё Excel вылетает при открытии отчёта"
    (f,) = [f for f in check_text("what_happened", text, "ru") if f.code == "several_problems"]
    assert f.severity == "hint" and "отдельно" in f.message
    assert "«Outlook не отправляет письма» и «Excel вылетает при открытии отчёта»" in f.message
    (f,) = [f for f in check_text("what_happened", "1. Не надсилаються листи 2. Принтер "
                                  "не друкує", "uk") if f.code == "several_problems"]
    assert "«Не надсилаються листи» і «Принтер не друкує»" in f.message
    long = ("Teams has no sound in calls with the external auditors since Monday morning, and "
            "also the printer on floor 2 prints blank pages")
    (f,) = [f for f in check_text("what_happened", long, "en") if f.code == "several_problems"]
    assert "“Teams has no sound in calls with the external…”" in f.message
    assert "“the printer on floor 2 prints blank pages”" in f.message


def test_a_vague_description_that_names_a_thing_says_so_and_asks_what_goes_wrong() -> None:
    (f,) = check_text("what_happened", "Outlook doesn't work", "en")
    assert f.message.startswith("“Outlook” is a good start. Now please say what exactly goes")
    (f,) = check_text("what_happened", "с почтой опять проблема", "ru")
    assert f.message.startswith("«почта» — хорошее начало. Теперь напишите, что именно не так")
    (f,) = check_text("what_happened", "пошта не працює", "uk")
    assert f.message.startswith("«пошта» — добрий початок.")
    # nothing named, or a verb: the message asks for both
    for text in ("nothing works", "it doesnt open"):
        (f,) = check_text("what_happened", text, "en")
        assert f.message.startswith("Please say what exactly fails"), text


# --- the dictionaries load lazily ------------------------------------------------------------


def test_dictionaries_load_only_when_an_answer_is_checked() -> None:
    script = textwrap.dedent("""
        import sys
        from app.context import AppContext
        import app.cli, app.form
        from app.form import FormState, default_form, builtin_rules
        state = FormState(default_form(), "ru")
        state.set_category("email")
        builtin_rules()
        heavy = [m for m in ("pymorphy3", "snowballstemmer", "Stemmer", "dawg2_python",
                             "dawg_python")
                 if m in sys.modules]
        print("before", heavy)
        app.form.check_text("what_happened", "не работает", "ru")
        print("after", "pymorphy3" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=True).stdout
    assert "before []" in out and "after True" in out


def test_the_dictionaries_can_be_released_and_come_back() -> None:
    from app.form import lexicon
    from app.form.check import prepare
    from app.form.rules import release

    prepare()
    release()
    assert lexicon._morphology is None and builtin_rules()._lexicon is None
    assert _vague("перестало работать", lang="ru")  # loaded again
    assert lexicon._morphology is not None


def test_without_the_dictionaries_the_judge_still_works(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.form import lexicon
    from app.form.rules import lexicon_of

    monkeypatch.setattr(lexicon, "_morphology", lexicon.Morphology())  # nothing loaded
    rules = builtin_rules().model_copy(update={"words": dict(builtin_rules().words)})
    lexicon_of(rules)
    assert _vague_with(rules, "не работает") and _vague_with(rules, "nothing works")
    assert not _vague_with(rules, "Outlook не отправляет письма с вложениями больше 10 МБ")


def _vague_with(rules: object, text: str) -> bool:
    return any(f.code == "vague" for f in check_text("what_happened", text, "ru",
                                                     rules=rules))  # type: ignore[arg-type]
