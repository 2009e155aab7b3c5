"""What the shape of an answer says, beside what it weighs (issue 14, point 1).

The judge (app/form/judge.py) weighs what an answer names. Some answers weigh enough and still
say only *what*, never *how*, or only describe where the question asks for words:

* a bare thing: one program or device by its name and nothing about it ("аутлук" as the
  error text, "в 1С" as what you were trying to do, "Outlook" as the expected result) names
  what, not how it fails or what should happen; a number alone ("123") counts nothing;
* an error text that tells how the error came ("сразу"), what the person did ("I clicked
  OK", "закрыла сразу") or when it came ("ошибка при входе") does not give the message's
  words: those have a noun or a verb of their own ("Нет доступа к файлу", "Access denied",
  "Сервер RPC недоступен"). Adjectives that only judge the error ("дурацкая", "stupid") are
  word data (``by_kind: error_text``): an adjective may be the message's own word ("Fatal
  error", "Неизвестная ошибка").

Shouting is judged after lower-casing: the judge folds every word first, and a word in
capitals is a key or an acronym only when it is short (judge.py), so "ДУРАЦКАЯ ОШИБКА" is read
as "дурацкая ошибка".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from app.form.judge import Judgement, Piece, is_cyrillic, read_words
from app.form.lexicon import (
    ACTION,
    ASKED,
    DEVICE,
    EN_ADJ,
    EN_ADV,
    EN_NOUN,
    EN_VERB,
    NOINFO,
    PERSON_GRAMMEMES,
    PLACEHOLDER,
    Lexicon,
    fold,
    grammar,
    morphology,
)

# Kinds whose answer must say how something fails or what should happen, not only what: a
# bare thing is vague there. (In "which program" a bare thing is the answer; in descriptions
# and the subject one thing already weighs no more than the limit.)
BARE_THING_KINDS = frozenset({"trying_to_do", "expected", "error_text"})
MESSAGE_KINDS = frozenset({"error_text"})

_QUALITY_POS = frozenset({"ADVB"})
_ACT_POS = frozenset({"VERB", "INFN", "GRND", "PRTS"})
# What a person does: not a participle ("найдена", "заблокирована": what was done to a thing)
_PERSON_POS = frozenset({"VERB", "INFN"})
# A code of a few characters is a program's name ("1С", "HP"); a longer one is an error code.
_SHORT_CODE = 4


def _parses(word: str, language: str) -> tuple[Any, ...]:
    morph = morphology()
    lang = language if language in morph.cyrillic else next(iter(morph.cyrillic), None)
    return morph.parse(lang, word) if lang is not None else ()


def _cyrillic_pos(word: str, language: str) -> set[str]:
    """The parts of speech of the readings nearly as likely as the first."""
    parses = _parses(word, language)
    if not parses:
        return set()
    top = parses[0].score
    return {str(p.tag.POS) for p in parses if p.score >= top * 0.5}


def _is_name(piece: Piece, lex: Lexicon, first: list[str]) -> bool:
    """A program's or a device's name: a product the word lists know ("teams"), a word no
    dictionary knows ("аутлук", "jira"), a short code ("1С"), or a word with a capital inside
    the text (the first word's capital opens a sentence: "Fatal error")."""
    if piece.text in lex.protect:
        return True
    if piece.what == "name":
        return piece.text not in first or morphology().english_pos(piece.text) == 0
    if piece.what == "code":
        return len(piece.text) < _SHORT_CODE
    if piece.what != "word":
        return False
    morph = morphology()
    if is_cyrillic(piece.text):
        # Unknown, and no part of it known either ("PDF-файл" is a file)
        return not any(morph.is_known(lang, part) for lang in morph.cyrillic
                       for part in {piece.text, *piece.text.split("-")})
    return morph.english_pos(piece.text) == 0


def lone_number(j: Judgement, kind: str) -> bool:
    """A number and nothing else ("123"): no unit, nothing it counts (in an error text a
    number alone is the code: "403")."""
    words = read_words(j.text)
    return kind not in MESSAGE_KINDS and kind not in ("function", "short_text") and \
        bool(words) and all(w.isdigit() for w in words)


def bare_thing(j: Judgement, kind: str, language: str, lex: Lexicon) -> bool:
    """The answer names one thing and nothing about it."""
    if kind not in BARE_THING_KINDS:
        return False
    counted = [p for p in j.pieces if p.weight > 0]
    words = read_words(j.text)
    # Only a name: a common noun may be what should happen ("два монитора"), the task
    # ("печать", "payroll") or the message's own word ("Ошибка сценария"); in the error text
    # also where it came from, written as a name («це в Медку було», "it was in Medoc").
    if len(counted) != 1 or not (_is_name(counted[0], lex, words[:1]) or (
            kind in MESSAGE_KINDS and (_source(counted[0].text, words, j.text) or
                                       _kind_of_program(counted[0].text, words, j.dropped,
                                                        language)))):
        return False
    # "Немає підключення", "no signal": a thing said to be missing is how it fails; "the
    # printer prints the whole page": a verb, even one the judge counts as the thing's own
    # job, says what it does. In the error text a verb of showing or complaining («это 1С
    # ругалась», "Outlook showed it") says only who showed it.
    thing = counted[0].text
    return grammar()["shape_negations"].isdisjoint(words) and not any(
        _is_verb(w, language) and not (kind in MESSAGE_KINDS and
                                       _has_class(w, NOINFO, language, lex))
        for w in words if w != thing and w not in grammar()["auxiliaries"])


def _kind_of_program(word: str, words: list[str], dropped: tuple[str, ...],
                     language: str) -> bool:
    """A word that only says what kind of program showed the message: "the accounting
    program", «из бухгалтерской программы» (an adjective agreeing with a word for any
    program)."""
    at = words.index(word) if word in words else -1
    if at < 0:
        return False
    if not is_cyrillic(word):
        return at + 1 < len(words) and words[at + 1] in grammar().of("en", "any_program")
    near = [fold(p.normal_form) for w in words[max(0, at - 2):at + 3] if w != word
            for p in _parses(w, language)[:1]]
    return bool(grammar().cyrillic("any_program").intersection(near)) and \
        _qualifies_nothing(word, words, dropped, language)


def _source(word: str, words: list[str], text: str) -> bool:
    """Where the message came from: any word after "from", «от», «від» ("something popped up
    from the antivirus"), a Cyrillic word written with a capital after «в», «у» (a program's
    name: «це в Медку було»)."""
    at = words.index(word) if word in words else -1
    before = [w for w in words[max(0, at - 2):at] if w != "the"]
    if at > 0 and before and before[-1] in grammar()["from_only"]:
        return True
    return at > 0 and is_cyrillic(word) and words[at - 1] in grammar()["from"] and any(
        t[:1].isupper() and fold(t) == word for t in re.findall(r"[^\W\d_]+", text))


def _is_verb(word: str, language: str) -> bool:
    if is_cyrillic(word):
        return bool(_cyrillic_pos(word, language) & _ACT_POS)
    return morphology().english_pos(word) & EN_VERB != 0


def _is_quality(piece: Piece, language: str) -> bool:
    """An adverb: how the error came, not what it said ("сразу", "quickly"). (An adjective
    may be the message's own word: "Fatal error", "Неизвестная ошибка"; the ones that only
    judge it, "дурацкая", "stupid", are listed under ``by_kind: error_text``.)"""
    if piece.what != "word":
        return False
    if is_cyrillic(piece.text):
        pos = _cyrillic_pos(piece.text, language)
        return bool(pos) and pos <= _QUALITY_POS
    bits = morphology().english_pos(piece.text)
    return bits != 0 and bits & EN_ADV != 0 and bits & (EN_NOUN | EN_ADJ) == 0


def _person_acts(piece: Piece, language: str, before: Mapping[str, str],
                 opening: frozenset[str] = frozenset(), lex: Lexicon | None = None) -> bool:
    """A verb the person is the subject of: "I clicked", "я нажал", or a past tense that
    leaves its subject out ("закрыла сразу"; not the impersonal "не удалось"; in English a
    verb of the `actions` list in the past tense opening a clause: "didn't read it, pressed
    OK", while "Failed to connect" is no act of the person's)."""
    if piece.what != "word":
        return False
    pronoun = before.get(piece.text, "") in grammar()["first_person"]
    if not is_cyrillic(piece.text) and lex is not None and piece.text in opening and \
            piece.text.endswith("ed") and _has_class(piece.text, ACTION, language, lex):
        return True
    if is_cyrillic(piece.text):
        return any(p.tag.POS in _PERSON_POS and (
            pronoun or "1per" in p.tag.grammemes or
            ("past" in p.tag.grammemes and {"masc", "femn"} & p.tag.grammemes))
            for p in _parses(piece.text, language)[:2])
    return pronoun and morphology().english_pos(piece.text) & EN_VERB != 0


def _indefinite(word: str, language: str) -> bool:
    """"Something" in any spelling: an English word of the list, or a Cyrillic pronoun the
    dictionary reads as one («щось», «шось», «что-то») or a spoken «шо-то», «чё-то»."""
    if not is_cyrillic(word):
        return word in grammar().of("en", "indefinite")
    if word.endswith(("-то", "-нибудь", "-небудь", "сь")) and len(word) <= 9:
        return True
    return "NPRO" in _cyrillic_pos(word, language)


_CLAUSE_BREAK = re.compile(r"[,.;:!?\u2014\u2013]|\s-\s|\band\b|\bthen\b")


def _clause_openings(text: str) -> frozenset[str]:
    """The first word of each clause of ``text``."""
    return frozenset(words[0] for part in _CLAUSE_BREAK.split(text)
                     if (words := read_words(part)))


def describes_message(j: Judgement, kind: str, language: str,
                      lex: Lexicon | None = None) -> bool:
    """An error text without the message's words: no quote, no code, no number, and
    everything it names only qualifies the error or tells what the person did."""
    if kind not in MESSAGE_KINDS:
        return False
    counted = [p for p in j.pieces if p.weight > 0]
    if not counted or any(p.what in ("quote", "code", "number", "path") for p in counted):
        return False
    words = read_words(j.text)
    # "something about updates", «шось про оновлення» (however "something" is spelt): what
    # the message was about, not its words
    about = grammar()["about"]
    if len(counted) <= 2 and any(w in about and n and _indefinite(words[n - 1], language)
                                 for n, w in enumerate(words)):
        return True
    before = {w: words[n - 1] for n, w in enumerate(words) if n}
    opening = _clause_openings(j.text) if lex is not None else frozenset()
    # When it came ("ошибка при входе", "an error when logging in"): one word of a
    # circumstance is the situation, not the message.
    when = [p for p in counted if grammar()["circumstance"] & {before.get(p.text, ""),
                                                    before.get(before.get(p.text, ""), "")}]
    return len(when) <= 1 and all(
        p in when or _is_quality(p, language) or
        _person_acts(p, language, before, opening, lex) for p in counted)


# Kinds whose answer must name one task or one thing that can fail on its own: a word that
# stands in for it, a diminutive of a word without information or a verb alone names neither.
NAMING_KINDS = frozenset({"trying_to_do", "function", "short_text"})
# Diminutive endings and what the word they come from ends in: «сайтик» is «сайт»,
# «програмка» «програма», «прогулька» no word of the lists.
_DIMINUTIVES = (("улька", "а"), ("ичок", "ик"), ("очка", "а"), ("ечка", "а"), ("чик", ""),
                ("ик", ""), ("ік", ""), ("ок", ""), ("ка", "а"))


def _placeholder(word: str, language: str, lex: Lexicon) -> bool:
    return _has_class(word, PLACEHOLDER, language, lex)


def _has_class(word: str, cls: str, language: str, lex: Lexicon) -> bool:
    langs = ("en",) if not is_cyrillic(word) else (language, "uk" if language == "ru" else "ru")
    for lang in langs:
        form = morphology().stem(word) if lang == "en" else word
        classes = lex.classes_of_form(lang, form) or lex.classes_of_form(lang, word)
        if classes and cls in classes:
            return True
    return False


def _diminutive_of_nothing(word: str, kind: str, language: str, lex: Lexicon) -> bool:
    if not is_cyrillic(word):
        return False
    # By its lemma: «сайтики» is «сайтик»
    parses = _parses(word, language)
    word = fold(parses[0].normal_form) if parses else word
    for ending, base_end in _DIMINUTIVES:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            base = word[:-len(ending)] + base_end
            for lang in (language, "uk" if language == "ru" else "ru"):
                classes = lex.classes_of_form(lang, base)
                if classes and (NOINFO in classes or DEVICE in classes or
                                f"kind:{kind}" in classes or
                                (kind == "short_text" and "kind:function" in classes)):
                    return True
    return False


def names_nothing(j: Judgement, kind: str, language: str, lex: Lexicon) -> str:
    """Why an answer of "trying to do" or "which program" names no task or thing ("" when it
    does): a placeholder with one word qualifying it ("the report thing", «новая штука»), a
    diminutive of a word without information («сайтик»), or, for a task, a verb alone ("open
    it", «зайти»): what was opened, where one went in, is the task."""
    if kind not in NAMING_KINDS:
        return ""
    counted = [p for p in j.pieces if p.weight > 0]
    words = read_words(j.text)
    if kind == "trying_to_do" and len(counted) <= 1 and \
            all(_is_person(p, language) for p in counted) and \
            any(_has_class(w, ASKED, language, lex) for w in words):
        return "someone's request without what it was"
    if _done_by_someone(counted, words, language, lex):
        return "stands in for a thing it does not name"
    if len(counted) != 1 or counted[0].what not in ("word", "name"):
        return ""
    word = counted[0].text
    # A name beside a placeholder names no task ("the thing Karen showed me", "the SAP
    # thing"), while in "which program" it names the program.
    if (counted[0].what == "word" or kind == "trying_to_do") and \
            any(_placeholder(w, language, lex) for w in words if w != word):
        return "stands in for a thing it does not name"
    if counted[0].what != "word":
        return ""
    if _diminutive_of_nothing(word, kind, language, lex):
        return "a diminutive of a word that names nothing"
    if _qualifies_nothing(word, words, j.dropped, language):
        return "only says what kind of a thing that names nothing"
    if kind != "trying_to_do" and _only_where(word, words, j.text, language, lex):
        return "a kind of thing and only where it is"
    if kind == "trying_to_do" and _has_class(word, ACTION, language, lex) and not any(
            _is_noun(w, language) for w in words if w != word):
        return "an action without what it was done to"
    return ""


def _done_by_someone(counted: list[Piece], words: list[str], language: str,
                     lex: Lexicon) -> bool:
    """A placeholder told by who did what to it: "the thing Dave installed for us", «штука,
    которую Олег поставил»: a person acting and the act, no program or task of its own."""
    if len(counted) != 2 or not any(_placeholder(w, language, lex) for w in words):
        return False
    people = [p for p in counted if _is_person(p, language)]
    acts = [p for p in counted if p not in people and p.what == "word" and
            _is_verb(p.text, language)]
    if len(people) != 1 or len(acts) != 1 or \
            not {people[0].text, acts[0].text} <= set(words):
        return False
    return words.index(people[0].text) + 1 == words.index(acts[0].text)  # "Dave installed"


def _is_noun(word: str, language: str) -> bool:
    if is_cyrillic(word):
        pos = _cyrillic_pos(word, language)
        return "NOUN" in pos and "NPRO" not in pos
    bits = morphology().english_pos(word)
    return bits & EN_NOUN != 0 and bits & EN_ADV == 0  # "open it up": "up" is no thing


def _is_person(piece: Piece, language: str) -> bool:
    """A person's name ("Sarah", «Олена»: the Ukrainian dictionary also reads it as a
    thing)."""
    if piece.what == "name":
        return True
    return piece.what == "word" and is_cyrillic(piece.text) and any(
        PERSON_GRAMMEMES & p.tag.grammemes for p in _parses(piece.text, language)[:3])


def _qualifies_nothing(word: str, words: list[str], dropped: tuple[str, ...],
                       language: str) -> bool:
    """An adjective agreeing with a noun that names nothing: «свою звичну роботу», «робочі
    моменти» (not «сайт налоговой»: «налоговой» does not agree with «сайт», it names the
    office)."""
    if not is_cyrillic(word) or word not in words:
        return False
    adjectives = [p for p in _parses(word, language)[:4] if p.tag.POS == "ADJF"]
    if not adjectives:
        return False
    at = words.index(word)
    near = {w for w in words[max(0, at - 2):at + 3] if w != word and w in dropped}
    for noun in near:
        for n in _parses(noun, language)[:4]:
            if n.tag.POS == "NOUN" and any(_agree(a.tag, n.tag) for a in adjectives):
                return True
    return False


def _only_where(word: str, words: list[str], text: str, language: str, lex: Lexicon) -> bool:
    """A kind of program and where it is, the place the one word left: «техника в офисе»,
    "the software at work" (not «принтер в бухгалтерии», «экран в переговорной»: a device
    can fail on its own; not «сайт на Госуслугах»: a place with a capital is a name)."""
    at = words.index(word) if word in words else 0
    if at == 0 or words[at - 1] not in grammar()["place_prepositions"]:
        return False
    if any(t[:1].isupper() and fold(t) == word for t in re.findall(r"[^\W\d_]+", text)):
        return False
    morph = morphology()
    if is_cyrillic(word) and not any(morph.is_known(lang, word) for lang in morph.cyrillic):
        return False  # a word no dictionary knows is a name («на госуслугах»)
    if is_cyrillic(word) and not any("loct" in p.tag.grammemes or "ablt" in p.tag.grammemes
                                     for p in _parses(word, language)[:3]):
        return False
    return any(_has_class(w, "kind:function", language, lex) for w in words[:at - 1])


def _agree(adj: Any, noun: Any) -> bool:
    if adj.case != noun.case or adj.number != noun.number:
        return False
    # Ukrainian adjectives in the plural and any in the singular name their gender
    return adj.number == "plur" or adj.gender is None or adj.gender == noun.gender or \
        (adj.number is None and noun.number == "plur")


# For app/form/described.py, which reads the same grammar.
parses = _parses
has_class = _has_class
is_person = _is_person
person_acts = _person_acts
quality = _is_quality
