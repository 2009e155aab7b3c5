"""Answers that describe instead of naming (issue 14, round 6).

The judge (app/form/judge.py) weighs every word that is left; some answers weigh enough and
still say nothing support can act on, because of what their words are *about*:

* an error text that describes the message (its colour, shape, icon, where it popped up, the
  language it was in, "numbers and letters") or tells the person's own acts ("I clicked the
  X", «я нажала крестик») holds none of the message's own words. What can be the message's
  words: a quotation, a code or number, a path, or a clause in the register of a program's
  message (impersonal, no first person: "Cannot connect to server", «Не удалось открыть
  файл»), including one written inside the person's sentence with its capital ("I get Access
  denied");
* the whole machine with only where it is, whose it is, or how long things take ("computer -
  3rd floor", «ноутбук Иванова, 2 этаж», "my laptop takes ages, 10 min per click") names no
  particular thing that fails; a part or a peripheral with what it does stays specific;
* a program pointed at by its look or place ("the blue icon on my desktop", «программа внизу
  экрана») names no program;
* in "what you expected" and "what you were trying to do", what is said to the helper ("do
  your job", «за что вам деньги платят») or what the person was *not* doing ("instead of
  filling this in", «а не с вами переписываться») is a complaint, not an expectation or task.

Which words describe a look (``looks``) and which say where, who or how long
(``circumstances``) is word data (resources/forms/words/*.yaml); what the person did is read
from grammar (person, tense) where the dictionary knows it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

from app.form.judge import Judgement, Piece, is_cyrillic, read_words
from app.form.lexicon import CIRCUMSTANCE, DEVICE, LOOK, LOOK_THING, WEAK, Lexicon, fold, grammar
from app.form.structure import MESSAGE_KINDS, has_class, is_person, person_acts, quality

MACHINE_KINDS = frozenset({"what_happened", "long_text", "subject"})
LOOK_KINDS = frozenset({"function", "short_text"})
COMPLAINT_KINDS = frozenset({"expected", "trying_to_do"})

_WORD = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")
_FIGURE = re.compile(r"\d{1,4}(?:st|nd|rd|th|й|я|е|ий|ой|ый|ий|ій)?")


@lru_cache(maxsize=1)
def _break() -> re.Pattern[str]:
    """Clause breaks: punctuation, and the words that start another statement (``grammar:
    clause_starts`` of the word files)."""
    starts = sorted(grammar()["clause_starts"], key=len, reverse=True)
    words = "|".join(re.escape(w) for w in starts)
    return re.compile(r"[,.;:!?()]+|\s[-–—]+\s|\s(?=(?:" + words + r")\s)", re.IGNORECASE)


def _clauses(text: str) -> list[str]:
    return [c for c in _break().split(text) if c and c.strip()]


def _named_inside(clause: str) -> bool:
    """A counted word written with a capital after the clause's first word ("I get Access
    denied"): the message's words written into the person's sentence, most likely."""
    words = _WORD.findall(clause)
    return any(w[:1].isupper() and not w.isupper() and fold(w) not in grammar()["first_person"]
               for w in words[1:])


def _first_person(words: list[str], language: str) -> bool:
    # "didn't copy it": the person's act with its subject left out (a program's message says
    # "could not", "cannot", never "didn't")
    if grammar()["first_person"] & set(words) or words[:1] in (["didnt"], ["did"]):
        return True
    from app.form.structure import parses

    return any(is_cyrillic(w) and any("1per" in p.tag.grammemes for p in parses(w, language)[:1])
               for w in words)


def _story_words(text: str, language: str) -> set[str]:
    """The words of clauses the person is the subject of ("I clicked the X", «я нажала
    крестик»), unless a capital inside shows the message's words are written in them."""
    out: set[str] = set()
    for clause in _clauses(text):
        words = read_words(clause)
        if _first_person(words, language) and not _named_inside(clause):
            out.update(words)
    return out


def _genitive(word: str, language: str) -> bool:
    from app.form.structure import parses

    return is_cyrillic(word) and any(p.tag.POS == "NOUN" and "gent" in p.tag.grammemes
                                     for p in parses(word, language)[:2])


def _counted(j: Judgement) -> list[Piece]:
    return [p for p in j.pieces if p.weight > 0]


def described_error(j: Judgement, kind: str, language: str, lex: Lexicon) -> bool:
    """An error text whose every word describes the message or tells the person's acts."""
    if kind not in MESSAGE_KINDS:
        return False
    counted = _counted(j)
    if not counted or any(p.what in ("quote", "code", "number", "path") for p in counted):
        return False
    words = read_words(j.text)
    before = {w: words[n - 1] for n, w in enumerate(words) if n}
    story = _story_words(j.text, language)
    shown = _shown(words, language, lex)
    return all(p.text in story or p.text in shown or has_class(p.text, LOOK, language, lex) or
               quality(p, language) or person_acts(p, language, before) for p in counted)


def _shown(words: list[str], language: str, lex: Lexicon) -> set[str]:
    """What a look word is said to show: "a picture of a padlock", «табличка с замочком»,
    "a window with a cross" (the picture, not the message's words)."""
    out: set[str] = set()
    for n, w in enumerate(words):
        if w in grammar()["showing"] and n and has_class(words[n - 1], LOOK, language, lex):
            out.update(x for x in words[n + 1:n + 3] if x not in grammar()["showing"])
    return out


def _about_everything(words: list[str]) -> set[str]:
    """Words beside "anything", «всё»: "30 seconds to open anything" names nothing opened."""
    at = [n for n, w in enumerate(words) if w in grammar()["everything"]]
    return {words[m] for n in at for m in range(max(0, n - 2), min(len(words), n + 3))}


def machine_only(j: Judgement, kind: str, language: str, lex: Lexicon) -> bool:
    """The whole machine (or a symptom that says little) with only where, whose or how long:
    nothing of what fails."""
    if kind not in MACHINE_KINDS:
        return False
    counted = _counted(j)
    words = read_words(j.text)
    machine = any(has_class(w, DEVICE, language, lex) for w in words)
    if machine and any(w in grammar()["absent"] and has_class(nxt, DEVICE, language, lex)
                       for w, nxt in pairwise(words)):
        return False  # "no internet in room 214": what fails (it is missing) and where
    # A connection said not to work is what fails too, with a place where («не працює інтернет
    # на 2 поверсі», "wifi not working in room 5"); a whole computer is not ("PC not working,
    # room 5": the machine could fail in any of a hundred ways).
    g = grammar()
    if machine and any(w in g["negations"] and not g["connections"].isdisjoint(
            words[max(0, n - 3):n] + words[n + 2:n + 3]) for n, w in enumerate(words)):
        return False
    weak = [p for p in counted if has_class(p.text, WEAK, language, lex)]
    if any(p.what in ("quote", "path") for p in counted):
        return False
    places = [n for n, w in enumerate(words) if has_class(w, CIRCUMSTANCE, language, lex)]
    # (a place by what is near: "near the window", «у окна»)
    where = bool(places) or any(has_class(w, LOOK, language, lex) for w in words)
    vague_verbs = _about_everything(words)
    # what a place word governs is part of the place: «відділ кадрів», «отдел продаж»; so is
    # what stands after "near", «біля»: «комп біля воріт»
    of_place = {words[n + 1] for n in places if n + 1 < len(words) and _genitive(
        words[n + 1], language)}
    g = grammar()
    of_place |= {next((x for x in words[n + 1:] if x not in g["before_a_thing"]), "")
                 for n, w in enumerate(words) if w in g["near"] or
                 # ("by the printer")
                 (w in g["by"] and words[n + 1:n + 2] and words[n + 1] in g["the"])}

    # (a place and a person alone: "Olga - reception - 3rd floor" too; "everything" is no place)
    placed = any(words[n] not in grammar()["everything"] for n in places)
    if not (machine or weak or placed):
        return False
    if not (machine or weak):
        vague_verbs = set()
    where_words = _where_words(words)
    # (a look thing before the machine is its kind: "desktop PC")
    where_words |= {w for w, nxt in pairwise(words)
                    if has_class(nxt, DEVICE, language, lex)}
    # names written as a person's are ("Olga"), not as an acronym ("BSOD", "VPN")
    titled = {fold(w).replace("'", "") for w in _WORD.findall(j.text)
              if w[:1].isupper() and not w.isupper()}

    def says_nothing(p: Piece) -> bool:
        if p.what in ("number", "code"):
            # a room number, a floor, a count of minutes (not "1С": a program)
            return _FIGURE.fullmatch(p.text) is not None
        if p.what == "name":
            # a person's name beside the machine and a place ("PC issues - Janet, accounts")
            # (or beside a place alone: "Olga - reception - 3rd floor"; not beside a symptom:
            # "BSOD after update", "crashes when I click Export")
            return (machine or (placed and not weak and p.text in titled)) and \
                where and p.text not in lex.protect
        # (its look too: "desktop PC", «чёрный ноутбук»; not a thing that fails on its own
        # unless it says where: "the clock on my laptop is 2 hours behind", «годинник відстає»)
        return p.text in of_place or p.text in vague_verbs or \
            has_class(p.text, DEVICE, language, lex) or \
            (has_class(p.text, LOOK, language, lex) and (
                p.text in where_words or not has_class(p.text, LOOK_THING, language, lex))) or \
            has_class(p.text, WEAK, language, lex) or \
            has_class(p.text, CIRCUMSTANCE, language, lex) or \
            (is_cyrillic(p.text) and is_person(p, language))
    return bool(counted) and all(says_nothing(p) for p in counted)


def look_program(j: Judgement, kind: str, language: str, lex: Lexicon) -> bool:
    """A program pointed at by its look or place, or by a pronoun and its use ("the one we use
    for orders", «ну та, где заказы»), with no name."""
    if kind not in LOOK_KINDS:
        return False
    counted = _counted(j)
    # (written with a capital, a word is the program's name: «та, где зарплата, ЗУП»)
    capitals = {fold(w) for w in _WORD.findall(j.text) if w[:1].isupper()}
    g = grammar()
    words = read_words(j.text) if counted and len(counted) <= 3 else []
    head = [n for n, w in enumerate(words[:-1]) if w in g["the_one"] and
            (w not in g["one"] or (n and words[n - 1] in g["pointing"]))]
    # who set it up: "the one Dave put on my laptop", «та, що Олег ставив» (the name is the
    # person's, right after the pronoun)
    if len(counted) <= 2 and any(not g["set_up"].isdisjoint(words[n + 2:n + 4]) and
           all((p.what == "word" and p.text not in capitals) or p.text == words[n + 1]
               for p in counted) for n in head):
        return True
    # its look and who set it up: "the one with the green logo that Sarah installed"
    setter = {words[n - 1] for n, w in enumerate(words) if n and w in g["set_up"]}
    if head and setter and all(p.text in g["set_up"] or p.text in setter or
                               has_class(p.text, LOOK, language, lex) for p in counted):
        return True
    if words and len(counted) <= 2 and all(p.what == "word" and p.text not in capitals
                                           for p in counted):
        if any(words[n + 1] in g["relative"] or words[n + 1] in g["for"] for n in head):
            return True
        # opened by a relative word, the program told by what it has or who set it up
        # ("which has the password", «яку Олег ставив», «де ми все заповнюємо»)
        start = next((n for n, w in enumerate(words) if w not in g["leading"]), len(words))
        if start < len(words) - 1 and words[start] in g["relative_start"]:
            return True
    # (an adverb: «весь компьютер целиком»; written with a capital it may be a name: «Вчасно»)
    return bool(counted) and all(p.what in ("word", "name") and (
        has_class(p.text, LOOK, language, lex) or
        (quality(p, language) and p.text not in capitals)) for p in counted)


def _where_words(words: list[str]) -> set[str]:
    """The words one or two after "on", "in", «на»: where something is ("on the desktop")."""
    return {words[m] for n, w in enumerate(words) if w in grammar()["where"]
            for m in (n + 1, n + 2) if m < len(words)}


def look_only(j: Judgement, kind: str, language: str, lex: Lexicon) -> bool:
    """A description whose every counted word is a look ("the blue one on the desktop is acting
    up", «синяя иконка на рабочем столе капризничает»): what it points at is named by neither
    a name nor what it does. A look word that can fail on its own (a screen, a clock: the list
    ``look_things``) is what fails unless it only says where ("on the desktop")."""
    if kind not in MACHINE_KINDS:
        return False
    counted = _counted(j)
    if not counted or any(p.what != "word" for p in counted):
        return False
    where = _where_words(read_words(j.text))
    return all(has_class(p.text, LOOK, language, lex) and (
        p.text in where or not has_class(p.text, LOOK_THING, language, lex)) for p in counted)


def complaint_weight(j: Judgement, kind: str, language: str) -> float | None:
    """What an expectation or task weighs without what is said to the helper or what the
    person was not doing; None when nothing of it is either."""
    if kind not in COMPLAINT_KINDS:
        return None
    counted = _counted(j)
    if any(p.what in ("quote", "code", "path", "name") for p in counted):
        return None
    gone: set[str] = set()
    low = fold(j.text)
    to_helper = False
    for clause in _clauses(low):
        words = read_words(clause)
        # «як ви приходили і щось там міняли»: what follows "and" has the same subject
        joined = to_helper and words[:1] and words[0] in grammar()["joined"] and \
            grammar()["first_person"].isdisjoint(words)
        to_helper = bool(grammar()["to_helper"] & set(words)) or bool(joined)
        if to_helper or clause.strip().startswith(tuple(grammar()["not_doing"])):
            gone.update(words)
    # «а не с вами переписываться»: "а" and "не" are split apart by the clause breaks above
    for m in re.finditer(r"\bа не\b([^,.;!?]*)", low):
        gone.update(read_words(m.group(1)))
    if not gone or not any(p.text in gone for p in counted):
        return None
    return sum(p.weight for p in counted if p.text not in gone)
