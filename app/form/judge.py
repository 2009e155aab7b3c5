"""The vague-answer judge: an answer is weighed by what it names.

An answer is specific when it names what fails (a program, device, site, file, function, place)
and how (an error code or text, a number, a quoted message, an observable behaviour). It is
vague when, after taking away what carries no information about the problem, too little is
left. The words that carry no information are data (resources/forms/words/*.yaml, compiled by
:mod:`app.form.lexicon`); what is left is weighed here:

* an error code, a file name, a path, an address: 2;
* any other word or number that is left: 1, once per dictionary form;
* a whole machine ("computer", "ноутбук"): half in a description or subject, 1 in "which
  device or program", 0 in "what were you trying to do"; a symptom that says little on its
  own ("slow", "зависает"): half;
* a quoted message of two words or more: 1 more.

Before weighing, text typed in the wrong keyboard layout ("ytn cdzpb") is read in the layout
meant ("нет связи"), transliterated Cyrillic ("nichego ne rabotaet") is read as the words it
spells, and a word one typo away from a word without information is read as that word (never a
word of the language: "stays" is not "says").

Grammar does what lists cannot keep up with (resources/forms/words/README.md): a Russian or
Ukrainian verb addressed to the helper ("почините") is a request; an adverb alone ("дико",
"terribly") counts half; a verb after "nothing"/"ничего не" counts half; a verb that only says
a thing does its job ("принтер не печатает") nothing; a key or acronym in capitals counts.

What the shape of an answer says beside its weight (a bare thing, an error text that only
describes the error) is app/form/structure.py's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from typing import Any, TypeVar, cast

from app.form.figures import phone_number, says_when, unstretched
from app.form.lexicon import (
    ACTION,
    AS_VERB,
    CIRCUMSTANCE,
    CLOSED_GRAMMEMES,
    CLOSED_POS,
    CONTACT,
    DEVICE,
    EN_ADV,
    EN_NOUN,
    LAYOUT_CHARS,
    LOOK,
    LOOK_THING,
    NEGATED_SAYS,
    NOINFO,
    PERSON_GRAMMEMES,
    TO_RU,
    TO_UK,
    WEAK,
    Lexicon,
    fold,
    grammar,
    latin_key,
    morphology,
)

_T = TypeVar("_T")
# Classes that tell what a word is about, not that it carries no information: a word of them
# (or of another kind's list) written with a capital is still a name ("Mark's", "Blue Cross").
_DESCRIPTIVE = frozenset({LOOK, CIRCUMSTANCE, CONTACT, LOOK_THING})


@dataclass(frozen=True)
class Piece:
    """One thing an answer names, with its weight."""

    text: str
    what: str  # word, number, code, name, path, quote
    weight: float


@dataclass(frozen=True)
class Judgement:
    """How much an answer says, and how the judge read it."""

    score: float
    pieces: tuple[Piece, ...] = ()
    dropped: tuple[str, ...] = ()  # words that carry no information
    read_as: str = ""  # "layout" or "translit" when the text was read differently
    text: str = ""  # the text as read
    # Says what something does: a verb (known to the dictionary), or any English word (no
    # parts of speech are known there)
    predicate: bool = False

    @property
    def content(self) -> list[str]:
        return [p.text for p in self.pieces]


@dataclass(frozen=True)
class Weights:
    """How much each kind of piece counts (tunable in rules.yaml under ``judge``)."""

    device: Mapping[str, float] = field(default_factory=dict)
    device_default: float = 0.5
    weak: float = 0.5
    weak_by_kind: Mapping[str, float] = field(default_factory=dict)
    code: float = 2.0
    quote: float = 1.0
    name: Mapping[str, float] = field(default_factory=dict)

    def device_for(self, kind: str) -> float:
        return self.device.get(kind, self.device_default)

    def weak_for(self, kind: str) -> float:
        return self.weak_by_kind.get(kind, self.weak)

    def name_for(self, kind: str) -> float:
        return self.name.get(kind, 1.0)


# Kinds that share another kind's word list.
KIND_ALIASES = {"short_text": "function", "long_text": "what_happened"}

PREDICATE_POS = frozenset({"VERB", "INFN", "PRTF", "PRTS", "GRND", "PRED"})


_PATH = re.compile(r"\\\\[^\s\"'«»“”]+|\b[a-zA-Z]:\\[^\s\"'«»“”]*|\b[a-zA-Z]:(?=\s|$)")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s\"'«»“”]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
                  re.IGNORECASE)
_QUOTES = re.compile(
    r"«([^»]+)»|“([^”]+)”|„([^“”]+)[“”]|\"([^\"]+)\"|(?<![\w'])'([^']{3,}?)'(?![\w'])"
)
_TOKEN = re.compile(r"[^\W_]+(?:[-'’ʼ._][^\W_]+)*")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_UK_LETTERS = re.compile(r"[іїєґ]")
_RU_LETTERS = re.compile(r"[ыэъё]")
_LOOKALIKES = str.maketrans("aceopxyik", "асеорхуік")


def _is_cyrillic(word: str) -> bool:
    return _CYRILLIC.search(word) is not None


is_cyrillic = _is_cyrillic


def _fix_mixed(word: str) -> str:
    if _is_cyrillic(word) and re.search("[a-z]", word):
        return word.translate(_LOOKALIKES)
    return word


# ---------------------------------------------------------------------------------------------
# Reading the text


_LAYOUT_SAMPLE = 8
_ENGLISH_SAMPLE = 16


def _read_layout(text: str, lex: Lexicon) -> str | None:
    """The text in the Cyrillic layout, if most of its Latin chunks were typed in it."""
    morph = morphology()
    if not morph.cyrillic:
        return None
    chunks = text.split()
    latin_chunks = (c for c in chunks if c.isascii() and any(ch.isalpha() for ch in c))
    # Mostly English words: English, not another layout (and no dictionary is asked). A long
    # text is told by its beginning, as below (and the rest is not looked at).
    sample = list(islice(latin_chunks, _ENGLISH_SAMPLE))
    if not sample:
        return None
    english = sum(1 for c in sample if morph.english_pos(c.lower().strip(".,;:!?()\"'")))
    if english * 2 > len(sample):
        return None
    latin = sample + list(latin_chunks)
    hits: dict[str, str] = {}
    for n, chunk in enumerate(latin, 1):
        converted = _memo(lex, ("layout", chunk), partial(_layout_word, chunk, lex))
        if converted is not None:
            hits[chunk] = converted
        if n == _LAYOUT_SAMPLE and len(hits) * 2 < n:
            return None  # a long text that does not start in another layout is not in one
    # Two letters convert into some word too often ("ne" is "ту"): a longer word must too.
    if not hits or len(hits) * 2 < len(latin) or all(len(c) < 3 for c in hits):
        return None
    # Transliterated words the lists know ("ne pamyatayu yak nazyvayetsya") outnumbering what
    # the layout makes of them ("yak" is «нфл»): transliteration, not a layout.
    known = 0
    for n, c in enumerate(latin):
        if known + len(latin) - n <= len(hits):
            break  # the rest cannot outnumber the layout's words
        word = c.lower().strip(".,;:!?()\"'").replace("'", "")
        known += _memo(lex, ("translit", word), partial(_translit_word, word, lex))[1] is not None
        if known > len(hits):
            return None
    # The rest was typed in the same layout: slang or a typo the dictionary does not know.
    # Names written with a capital ("Outlook") stay as they are.
    return " ".join(hits.get(c) or (c.translate(TO_RU) if c.islower() and set(c) <= LAYOUT_CHARS
                                     else c) for c in chunks)


def _layout_word(chunk: str, lex: Lexicon) -> str | None:
    """``chunk`` in the Russian or Ukrainian layout, if that is a known word."""
    morph = morphology()
    low = chunk.lower()
    core = low.rstrip("!?")
    if not core or not set(core) <= LAYOUT_CHARS or len(core) < 2:
        return None
    word = core.strip(".,;:")
    if word in lex.english_words or word in lex.protect:
        return None
    for table in (TO_RU, TO_UK):
        for candidate in (core, core.rstrip(".,")):
            converted = fold(candidate.translate(table)).strip("'")
            if len(converted) >= 2 and (
                any(morph.is_known(lang, converted) for lang in morph.cyrillic)
                or any(lex.classes_of_form(lang, converted) for lang in ("ru", "uk"))
            ):
                return candidate.translate(table) + chunk[len(core):]
    return None


def _translit_word(w: str, lex: Lexicon) -> tuple[bool, frozenset[str] | None]:
    """Whether a Latin word is English the lexicon knows; else what it spells in Cyrillic."""
    if w in lex.english_words or lex.classes_of_form("en", morphology().stem(w)):
        return True, None
    if w in lex.protect:
        return False, None
    hit = lex.translit.get(latin_key(w))
    head, _, tail = w.partition("-")
    if hit is None and tail in grammar()["translit_particles"]:  # "kakaya-to", "chto-nibud"
        hit = lex.translit.get(latin_key(head))
    return False, hit


def _tokens(text: str) -> list[str]:
    return [w for w, _, _ in _tokens_with_case(text)]


read_words = _tokens  # the folded words of a text, as the judge reads them


def _tokens_with_case(text: str) -> list[tuple[str, bool, bool]]:
    """Folded words, each with whether it was written with a capital (a name, likely) and
    whether it was written all in capitals (a key, a drive, an acronym: "Ж", "S", "HR")."""
    out = []
    for m in _TOKEN.finditer(text):
        raw = m.group(0)
        try:
            token = _READ_TOKENS[raw]
        except KeyError:
            word = unstretched(_fix_mixed(fold(raw)))  # "soooo": "so"
            token = (word if _is_cyrillic(word) else word.replace("'", ""), raw[0].isupper(),
                     raw.isupper())
            if len(_READ_TOKENS) > _READ_TOKENS_LIMIT:
                _READ_TOKENS.clear()
            _READ_TOKENS[raw] = token
        if token[2] and len(raw) == 1:  # "У меня", "A few": a capital that opens a sentence
            upper = text[:m.start()].rstrip()[-1:] not in ("", ".", "!", "?", "\n", ":")
            token = (token[0], token[1], upper)
        out.append(token)
    return out


# Each written word as read (the same words come back at every keystroke and in every part of
# an answer weighed for several problems).
_READ_TOKENS: dict[str, tuple[str, bool, bool]] = {}
_READ_TOKENS_LIMIT = 50_000


def forget_words() -> None:
    """Forget how written words were read (with the dictionaries released, or to measure
    the judge on words it has not seen)."""
    _READ_TOKENS.clear()


# ---------------------------------------------------------------------------------------------
# Classifying one word


def _classify_latin(word: str, lex: Lexicon, after_negation: bool,
                    typos: bool = True) -> frozenset[str] | None:
    return _memo(lex, ("en", word, "n" if after_negation else "", "t" if typos else ""),
                 lambda: _classify_latin_uncached(word, lex, after_negation, typos))


def _classify_latin_uncached(
    word: str, lex: Lexicon, after_negation: bool, typos: bool = True
) -> frozenset[str] | None:
    found = lex.classes_of_form("en", word)
    if found is not None:
        return found
    if word in lex.protect:  # "Teams" is not a form of "team", "word" no typo of "work"
        return None
    morph = morphology()
    stem = morph.stem(word)
    pos = morph.english_pos(word)
    # A stem shorter than an inflection leaves ("attachment" -> "attach") would read a word of
    # its own as a listed one ("attached"): a word the lexicon knows is matched by it only
    # when the stem takes off an ending ("-s", "-ed", "-ing", "-ly").
    found = lex.classes_of_form("en", stem) if not pos or _inflection(word, stem) else None
    if found is not None:
        return found
    lemma = morph.english_lemmas.get(word)  # "froze" is a form of "freeze"
    if lemma is not None:
        found = lex.classes_of_form("en", lemma) or lex.classes_of_form("en", morph.stem(lemma))
        if found is not None:
            return found
    if pos:
        # A word of the language, not a typo of a word without information ("stays" is not
        # "says"). An adverb alone ("terribly", "randomly") says little about what fails.
        return frozenset({WEAK}) if pos == EN_ADV else None
    long_enough = len(word) >= 5 or (after_negation and len(word) == 4)
    if typos and long_enough and lex.typos["en"].nearest(word) is not None:
        return frozenset({NOINFO})
    return None


_ENDINGS = frozenset({"", "s", "es", "d", "ed", "ing", "ly", "er", "est", "'s"})


def _inflection(word: str, stem: str) -> bool:
    """Whether the stem takes an ending off ``word`` ("getting", "works", "stopped"), not a
    suffix that makes a word of its own ("attachment", "operation")."""
    if not word.startswith(stem):
        return True  # "happier" -> "happi": the stemmer rewrote the ending
    rest = word[len(stem):]
    return rest in _ENDINGS or (rest[:1] == stem[-1:] and rest[1:] in ("ed", "ing", "er"))


_MEMO_LIMIT = 50_000


def _memo(lex: Lexicon, key: tuple[str, ...], compute: Callable[[], _T]) -> _T:
    try:
        return cast(_T, lex.memo[key])
    except KeyError:
        pass
    value = compute()
    if len(lex.memo) >= _MEMO_LIMIT:
        lex.memo.clear()
    lex.memo[key] = value
    return value


def _classify_cyrillic(word: str, primary: str, lex: Lexicon,
                       typos: bool = True) -> tuple[frozenset[str] | None, str]:
    """Classes of a Cyrillic word and the key it is counted under (its lemma)."""
    return _memo(lex, ("cyr", word, primary, "t" if typos else ""),
                 lambda: _classify_cyrillic_uncached(word, primary, lex, typos))


def _classify_cyrillic_uncached(
    word: str, primary: str, lex: Lexicon, typos: bool = True
) -> tuple[frozenset[str] | None, str]:
    secondary = "uk" if primary == "ru" else "ru"
    listed: frozenset[str] | None = None
    for lang in (primary, secondary):
        listed = lex.classes_of_form(lang, word)
        if listed is not None:
            break
    # (a word only of where or how it looks, or an action, is read on: it may be said to the
    # helper, «спросите у неё», «зайдите ко мне»)
    if listed is not None and not listed <= _DESCRIPTIVE | {ACTION}:
        return listed, word
    morph = morphology()
    analyzers = morph.cyrillic
    if listed is not None:
        said_to_helper = any(_addressed(p) for lang in analyzers if morph.is_known(lang, word)
                             for p in morph.parse(lang, word)[:2])
        return (frozenset({NOINFO}) if said_to_helper else listed), word
    if not analyzers:
        return None, word
    lang = primary if primary in analyzers else secondary
    # Each dictionary is asked once (the window checks at every keystroke).
    known_by = {code: morph.is_known(code, word) for code in analyzers}
    if not known_by[lang] and known_by.get(secondary):
        lang = secondary
    known = known_by[lang]
    if not known and not any(known_by.values()):
        # Unknown to both dictionaries: a typo, slang (whose entries' forms the lexicon
        # already holds) or a name. Guessing its grammar by analogy costs more than the rest
        # of the check and would tell nothing the word lists do not.
        for typo_lang in (primary, secondary):
            index = lex.typos.get(typo_lang)
            if typos and index is not None and len(word) >= 4 and \
                    index.nearest(word) is not None:
                return frozenset({NOINFO}), word
        return None, word
    parses = morph.parse(lang, word)
    # Readings nearly as likely as the first (the Ukrainian dictionary does not order them).
    top = parses[0].score
    likely = [p for p in parses if p.score >= top * 0.5] if known else parses[:1]
    lemma = fold(parses[0].normal_form)
    if known and any(p.tag.POS in CLOSED_POS or CLOSED_GRAMMEMES & p.tag.grammemes
                     for p in likely):
        return frozenset({NOINFO}), lemma
    # A person's name ("как обсуждали с Сергеем"): who, not what fails.
    if known and all(PERSON_GRAMMEMES & p.tag.grammemes for p in likely):
        return frozenset({NOINFO}), lemma
    # A verb addressed to the helper ("почините", "посмотрите", "ремонтуйте", «спросите у
    # неё»): a request, not a description; the person describing a problem speaks of "I",
    # "it", "they". (Before the lists: a word of where or how it looks, «спросить» among the
    # circumstances, is still a request when said to the helper.)
    request = known and any(_addressed(p) for p in likely)
    lemmas = lex.lemmas.get(lang, {})
    for p in likely:
        found = lemmas.get(fold(p.normal_form))
        if found is not None:
            if request and found <= _DESCRIPTIVE | {ACTION}:
                return frozenset({NOINFO}), fold(p.normal_form)
            return found, fold(p.normal_form)
    if known:
        if request:
            return frozenset({NOINFO}), lemma
        # An adverb alone ("жутко", "дико", "постійно") says little about what fails.
        if all(p.tag.POS == "ADVB" for p in likely):
            return frozenset({WEAK}), lemma
    return None, lemma if known else word


def _addressed(parse: Any) -> bool:
    """A verb said to the helper: imperative, or the second person plural."""
    return bool(parse.tag.POS in ("VERB", "INFN") and (
        "impr" in parse.tag.grammemes or {"2per", "plur"} <= parse.tag.grammemes))


def _dictionary_for(primary: str) -> str | None:
    """The language whose dictionary reads a Cyrillic word: ``primary``'s, or the other."""
    analyzers = morphology().cyrillic
    return primary if primary in analyzers else next(iter(analyzers), None)


def _known_anywhere(word: str) -> bool:
    morph = morphology()
    return any(morph.is_known(lang, word) for lang in morph.cyrillic)


def _is_predicate(word: str, primary: str, lex: Lexicon) -> bool:
    """A Cyrillic word that says what something does or is ("не работает", "нет", "видно")."""
    def compute() -> bool:
        if word in ("нет", "немає", "нема"):
            return True
        morph = morphology()
        lang = _dictionary_for(primary)
        if lang is None or not _known_anywhere(word):
            return True  # a typo or slang: guessing its grammar by analogy costs too much
        return any(p.tag.POS in PREDICATE_POS for p in morph.parse(lang, word)[:2])
    return _memo(lex, ("pred", word, primary), compute)


_TIME_OF_DAY = re.compile(r"\d{1,2}(?:am|pm|a\.m|p\.m)")
_CLOCK = re.compile(r"(?<![\d.:])(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?![\d.:])")


def _is_thing(word: str, primary: str, lex: Lexicon) -> bool:
    """A word that names a thing (a noun, a name), not what it does."""
    def compute() -> bool:
        morph = morphology()
        if not _is_cyrillic(word):
            pos = morph.english_pos(word)
            return pos == 0 or bool(pos & EN_NOUN)
        lang = _dictionary_for(primary)
        if lang is None:
            return False
        if not _known_anywhere(word):
            return True  # unknown to both dictionaries: a name, most likely ("Битрикс")
        return all(p.tag.POS == "NOUN" for p in morph.parse(lang, word)[:2])
    return _memo(lex, ("thing", word, primary), compute)


def _weight(classes: frozenset[str] | None, kind: str, weights: Weights) -> float:
    if not classes:
        return 1.0
    if NOINFO in classes or f"kind:{kind}" in classes or \
            f"kind:{KIND_ALIASES.get(kind, '')}" in classes:
        return 0.0
    if DEVICE in classes:
        return weights.device_for(kind)
    if WEAK in classes:
        return weights.weak_for(kind)
    return 1.0


def _special(word: str) -> tuple[str, float] | None:
    """Codes, numbers, names with dots: ``(what, weight)``; None for a plain word."""
    has_digit = any(c.isdigit() for c in word)
    has_alpha = any(c.isalpha() for c in word)
    if "_" in word:
        return "code", 2.0
    if _TIME_OF_DAY.fullmatch(word):
        return "time", 0.0  # "since 9am", "by 5pm": when, not what fails
    if "." in word:
        parts = word.split(".")
        if all(p.isdigit() for p in parts):
            return "number", 1.0 if len(parts) == 2 else 2.0
        if all(p.isalpha() and len(p) <= 2 for p in parts):
            return "abbreviation", 0.0  # e.g, т.д
        return "name", 2.0
    if has_digit and not has_alpha:
        return "number", 2.0 if len(word) >= 3 else 1.0
    if has_digit and has_alpha:
        return "code", 2.0 if len(word) >= 4 else 1.0
    return None


# ---------------------------------------------------------------------------------------------
# The judge


def judge(
    text: str,
    kind: str,
    lex: Lexicon,
    weights: Weights,
    language: str = "en",
    *,
    enough: float | None = None,
    enough_pieces: int = 0,
    predicate: bool = False,
    typos: bool = True,
) -> Judgement:
    """Weigh what ``text``, an answer of ``kind``, names.

    With ``enough``, weighing stops once the weight is above it and ``enough_pieces`` pieces
    are found (a long answer is judged by its first sentences). With ``predicate``, the
    judgement tells whether the text says what something does. Without ``typos``, no word is
    read as a typo of a listed one (the parts of a long answer, judged for several problems:
    looking up typos costs more than the rest).
    """
    read_as = ""
    layout = _read_layout(text, lex)
    if layout is not None:
        text, read_as = layout, "layout"
    pieces: list[Piece] = []
    dropped: list[str] = []
    for m in _PATH.finditer(text):
        pieces.append(Piece(m.group(0), "path", weights.code))
    for m in _URL.finditer(text):
        pieces.append(Piece(m.group(0), "name", weights.code))
    rest = _URL.sub(" ", _PATH.sub(" ", text))
    # A time of day ("с 14:30", "since 9:15") says when, not what fails.
    dropped.extend(_CLOCK.findall(rest))
    rest = _CLOCK.sub(" ", rest)
    for m in _QUOTES.finditer(rest):
        quoted = next(g for g in m.groups() if g is not None)
        if len(_tokens(quoted)) >= 2:
            pieces.append(Piece(quoted, "quote", weights.quote))
    cased = _tokens_with_case(rest)
    words = [w for w, _, _ in cased]

    uk = sum(1 for w in words if _UK_LETTERS.search(w))
    ru = sum(1 for w in words if _RU_LETTERS.search(w))
    primary = "uk" if uk > ru else "ru" if ru > uk else ("uk" if language == "uk" else "ru")

    # Transliterated Cyrillic: more Latin words spell Russian or Ukrainian words without
    # information than are English words.
    latin = [w for w in words if w.isascii() and w.replace("-", "").isalpha() and len(w) >= 2]
    translit: dict[str, frozenset[str]] = {}
    english = 0
    for w in latin:
        is_english, hit = _memo(lex, ("translit", w), partial(_translit_word, w, lex))
        english += is_english
        if hit is not None:
            translit[w] = hit
    if translit and len(translit) > english:
        read_as = read_as or "translit"
    else:
        translit = {}

    seen: set[str] = set()
    counted: list[tuple[str, Piece | None]] = []  # the key of each word piece
    everything_at = -9  # where "nothing", "всё" was last seen
    last_thing: tuple[int, float] | None = None  # where the last thing counted was, its weight
    previous = ""
    says_what = not predicate  # not asked: not looked for
    score = sum(p.weight for p in pieces)
    for position, (word, capital, upper) in enumerate(cased):
        if enough is not None and score > enough and len(pieces) >= enough_pieces and says_what:
            break
        special = _special(word)
        if special is not None:
            what, weight = special
            contact = phone_number(words, position, lex) if what == "number" else -1
            if contact >= 0 or (what == "number" and says_when(word, previous)):
                weight = 0  # "at 8", "in 2026", "ext 4471": when, or whom to call
                dropped.append(word)
            # "mobile 067 …", «внутренний 215»: the word before the number is whom to call too
            for i, (k, piece) in enumerate(counted):
                if contact >= 0 and piece is not None and piece.text == words[contact]:
                    pieces.remove(piece)
                    score -= piece.weight
                    counted[i] = (k, None)
            if weight and word not in seen:
                seen.add(word)
                pieces.append(Piece(word, what, weight))
                score += weight
            previous = word
            continue
        if len(word) <= (1 if _is_cyrillic(word) else 2):
            # One capital letter inside a sentence names a key or a drive ("букву Ж",
            # "drive S"); two name something too ("HR portal") unless a list says otherwise
            # ("OK", "PC", "IT").
            named = upper and word not in ("i", "я")
            if named and len(word) == 1 and any(
                    _weight(lex.classes_of_form(lang, word), kind, weights) == 0
                    for lang in ("en", "ru", "uk")):
                named = False  # "a red box with an X" in the text of an error
            if named and len(word) == 1 and word not in seen:
                seen.add(word)
                pieces.append(Piece(word.upper(), "name", 1.0))
                score += 1.0
                previous = word
                continue
            if not (named and len(word) == 2):
                dropped.append(word)
                previous = word
                continue
        if not says_what:
            says_what = not _is_cyrillic(word) or _is_predicate(word, primary, lex)
        key = word
        if word in translit:
            classes: frozenset[str] | None = translit[word]
        elif _is_cyrillic(word):
            # (a word with a capital inside the text is a name, not a typo: «Хорошоп»)
            classes, key = _classify_cyrillic(word, primary, lex,
                                              typos and not (capital and position > 0))
        else:
            classes = _classify_latin(word, lex, previous in grammar()["verb_negations"], typos)
            key = morphology().stem(word)
            if classes and AS_VERB in classes and (
                    previous in grammar()["determiners"] or
                    (previous in grammar()["verb_negations"] and NEGATED_SAYS in classes)):
                # "the display", "a call": a thing; "won't start", "doesn't show": what
                # fails (where "it started to" or "it shows" only lead up to it)
                classes = None
        weight = _weight(classes, kind, weights)
        if word in grammar()["no_subject"]:
            everything_at = position
        elif weight and position - everything_at <= 2:  # "ничего не открывается"
            weight *= 0.5
            everything_at = -9
        what = "word"
        if weight == 1.0 and capital and word.isascii() and not (
                classes and any(c not in _DESCRIPTIVE and not c.startswith("kind:")
                                for c in classes)):
            what, weight = "name", weights.name_for(kind)  # "Outlook": a thing, not a result
        previous = word
        if weight == 0:
            dropped.append(word)
            continue
        if key in seen:
            continue
        # "the printer doesn't print": the verb only says the thing does its job
        if any(key in lex.functions.get(k, ()) for k in seen):
            dropped.append(word)
            continue
        if key in lex.functions:  # the thing after its verb: "не печатает принтер"
            for i, (k, p) in enumerate(counted):
                if k in lex.functions[key] and p is not None:
                    score -= p.weight
                    pieces.remove(p)
                    dropped.append(p.text)
                    counted[i] = (k, None)
        # Whether a word names a thing is asked only next to "and" (the dictionary costs).
        after_and = last_thing is not None and last_thing[0] == position - 2 and \
            cased[position - 1][0] in grammar()["and_or"]
        before_and = position + 1 < len(cased) and cased[position + 1][0] in grammar()["and_or"]
        thing = (after_and or before_and) and (what == "name" or
                                               _is_thing(word, primary, lex))
        if thing and after_and and last_thing is not None and weight <= last_thing[1]:
            # "почта и интернет не работают": two things with nothing said about either
            # say no more than one
            dropped.append(word)
            last_thing = (position, last_thing[1])
            continue
        last_thing = (position, weight) if thing else None
        seen.add(key)
        piece = Piece(word, what, weight)
        counted.append((key, piece))
        pieces.append(piece)
        score += weight
    return Judgement(score, tuple(pieces), tuple(dropped), read_as, text,
                     says_what and predicate)
