"""The word data of the vague-answer judge and the morphology that reads it.

Support tunes resources/forms/words/{en,ru,uk}.yaml; this module turns them into lookup tables:
every inflected form of every Russian and Ukrainian entry (pymorphy3 and its dictionaries), the
Snowball stem of every English entry, an index that finds a word one typo away from an entry,
and a key that reads transliterated Cyrillic ("nichego ne rabotaet") as the Cyrillic it stands
for.

Nothing here is imported by the idle tray: the dictionaries (about 50 MB) load on the first
answer the form checks, or earlier through :func:`prepare` (the report window can call it off
the UI thread). Without pymorphy3 (a build that left it out) the judge still works on the
written forms of the entries, only with less reach; :func:`morphology_available` tells.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

import yaml

import resources

log = logging.getLogger(__name__)

LANGUAGES = ("en", "ru", "uk")
CYRILLIC_LANGUAGES = ("ru", "uk")

# Parts of speech (OpenCorpora tags, used by both dictionaries) that never say what fails.
CLOSED_POS = frozenset({"NPRO", "PREP", "CONJ", "PRCL", "INTJ", "PRED", "NUMR"})
# Grammemes that make an adjective a pronoun ("какой", "весь") or an ordinal ("третий").
CLOSED_GRAMMEMES = frozenset({"Apro", "Anum"})
# First names, surnames, patronymics: a person, not a thing that fails.
PERSON_GRAMMEMES = frozenset({"Name", "Surn", "Patr"})

APOSTROPHES = "'’ʼ`´ʹ‘"


def fold(word: str) -> str:
    """Lower case, "ё" as "е", every apostrophe as "'"."""
    word = word.casefold().replace("ё", "е")
    for a in APOSTROPHES:
        if a in word:
            word = word.replace(a, "'")
    return word


class WordLists(Protocol):
    """One language's word data, as :class:`app.form.rules.RuleSet` holds it."""

    @property
    def noinfo(self) -> Mapping[str, list[str]]: ...
    @property
    def devices(self) -> list[str]: ...
    @property
    def weak(self) -> list[str]: ...
    @property
    def by_kind(self) -> Mapping[str, list[str]]: ...
    @property
    def protect(self) -> list[str]: ...
    @property
    def functions(self) -> Mapping[str, list[str]]: ...
    @property
    def negated(self) -> list[str]: ...
    @property
    def placeholders(self) -> list[str]: ...
    @property
    def actions(self) -> list[str]: ...
    @property
    def asked(self) -> list[str]: ...
    @property
    def spoken_punctuation(self) -> list[str]: ...
    @property
    def perceive(self) -> list[str]: ...
    @property
    def looks(self) -> list[str]: ...
    @property
    def circumstances(self) -> list[str]: ...
    @property
    def contact(self) -> list[str]: ...
    @property
    def look_things(self) -> list[str]: ...


def read_word_file(name: str) -> dict[str, Any]:
    path = resources.file("forms", "words", f"{name}.yaml")
    data = yaml.load(path.read_text(encoding="utf-8"),
                     Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data or {}


class Grammar:
    """The small words the rules read by their role (section ``grammar`` of each word file):
    ``grammar()["joins"]`` is the set in every language, ``grammar().of("en", "joins")`` in one.
    They are compared as written (lower case), not by stem."""

    def __init__(self, by_lang: Mapping[str, Mapping[str, Iterable[str]]]) -> None:
        self._by_lang = {lang: {name: frozenset(str(w) for w in words or ())
                                for name, words in (sets or {}).items()}
                         for lang, sets in by_lang.items()}
        names = {n for sets in self._by_lang.values() for n in sets}
        self._all = {n: frozenset().union(*(sets.get(n, ()) for sets in self._by_lang.values()))
                     for n in names}

    def __getitem__(self, name: str) -> frozenset[str]:
        return self._all.get(name, frozenset())

    def of(self, lang: str, name: str) -> frozenset[str]:
        return self._by_lang.get(lang, {}).get(name, frozenset())

    def cyrillic(self, name: str) -> frozenset[str]:
        return self.of("ru", name) | self.of("uk", name)


_grammar: Grammar | None = None


def builtin_word_files() -> dict[str, dict[str, Any]]:
    """The shipped word files, parsed; their ``grammar`` sections become :func:`grammar` as
    they are read, so loading the built-in rules and the grammar parse them once, not twice."""
    global _grammar
    files = {lang: read_word_file(lang) for lang in LANGUAGES}
    with _lock:
        if _grammar is None:
            _grammar = Grammar({lang: data.get("grammar") or {} for lang, data in files.items()})
    return files


def grammar() -> Grammar:
    """The ``grammar`` sections of the word files (read on first use; thread-safe)."""
    if _grammar is None:
        builtin_word_files()
    assert _grammar is not None
    return _grammar


# ---------------------------------------------------------------------------------------------
# Morphology, loaded once


class _Parse(Protocol):
    normal_form: str
    tag: Any
    score: float


class _Analyzer(Protocol):
    def parse(self, word: str) -> list[_Parse]: ...
    def word_is_known(self, word: str) -> bool: ...


# Parts of speech of an English word, as bits (lemminflect's lexicon).
EN_NOUN, EN_VERB, EN_ADJ, EN_ADV = 1, 2, 4, 8
_WORD_MEMO = 50_000  # words remembered per table before it starts afresh
_EN_POS_BITS = {"noun": EN_NOUN, "verb": EN_VERB, "aux": EN_VERB, "adj": EN_ADJ, "adv": EN_ADV}


@dataclass
class Morphology:
    """pymorphy3 analysers for Russian and Ukrainian, the English stemmer, and the English
    lexicon (every inflected form lemminflect knows, with its parts of speech)."""

    cyrillic: dict[str, _Analyzer] = field(default_factory=dict)
    stem_en: Any = None
    english: dict[str, int] = field(default_factory=dict)  # folded form -> EN_* bits
    # irregular forms -> lemma ("froze" -> "freeze", "went" -> "go"); the stem does the rest
    english_lemmas: dict[str, str] = field(default_factory=dict)
    _stems: dict[str, str] = field(default_factory=dict)
    # What each dictionary said of a word: the window checks the answer at every keystroke,
    # and the judge, the several-problems hint and the message all ask about the same words.
    _parses: dict[tuple[str, str], tuple[_Parse, ...]] = field(default_factory=dict)
    _known: dict[tuple[str, str], bool] = field(default_factory=dict)

    def parse(self, lang: str, word: str) -> tuple[_Parse, ...]:
        """The dictionary's readings of ``word`` (most likely first); none without it."""
        key = (lang, word)
        try:
            return self._parses[key]
        except KeyError:
            pass
        analyzer = self.cyrillic.get(lang)
        parses = tuple(analyzer.parse(word)) if analyzer is not None else ()
        if len(self._parses) > _WORD_MEMO:
            self._parses.clear()
        self._parses[key] = parses
        return parses

    def is_known(self, lang: str, word: str) -> bool:
        """Whether the dictionary of ``lang`` holds ``word`` (not a guess by analogy)."""
        key = (lang, word)
        try:
            return self._known[key]
        except KeyError:
            pass
        analyzer = self.cyrillic.get(lang)
        known = analyzer is not None and analyzer.word_is_known(word)
        if len(self._known) > _WORD_MEMO:
            self._known.clear()
        self._known[key] = known
        return known

    def forget(self) -> None:
        """Empty what was remembered of words seen (the benchmarks measure first sight)."""
        self._stems.clear()
        self._parses.clear()
        self._known.clear()

    def english_pos(self, word: str) -> int:
        """The parts of speech of an English word (0: not an English word the lexicon knows:
        a name, a code, a typo)."""
        return self.english.get(word, 0)

    def stem(self, word: str) -> str:
        try:
            return self._stems[word]
        except KeyError:
            pass
        stem = str(self.stem_en.stemWord(word)) if self.stem_en is not None else _crude_stem(word)
        if len(self._stems) > _WORD_MEMO:
            self._stems.clear()
        self._stems[word] = stem
        return stem


_lock = threading.Lock()
_morphology: Morphology | None = None


def morphology() -> Morphology:
    """The analysers (loaded on first use; thread-safe)."""
    global _morphology
    if _morphology is None:
        with _lock:
            if _morphology is None:
                _morphology = _load_morphology()
    return _morphology


def release() -> None:
    """Drop the analysers (loaded again on the next use)."""
    global _morphology
    with _lock:
        _morphology = None
    latin_key.cache_clear()


def morphology_available() -> bool:
    return bool(morphology().cyrillic)


def _load_morphology() -> Morphology:
    m = Morphology()
    try:
        import snowballstemmer

        m.stem_en = snowballstemmer.stemmer("english")
    except ImportError:  # pragma: no cover - a build without it
        log.warning("snowballstemmer is missing: English answers are judged by crude stems")
    m.english, m.english_lemmas = _load_english_lexicon()
    try:
        import pymorphy3
    except ImportError:  # pragma: no cover - a build without it
        log.warning("pymorphy3 is missing: Russian and Ukrainian answers are judged without "
                    "a dictionary")
        return m
    for lang in CYRILLIC_LANGUAGES:
        try:
            # By the package's path rather than its entry point: a frozen build keeps the
            # package's data files without necessarily keeping its metadata. Plain imports,
            # so that PyInstaller sees them.
            if lang == "ru":
                import pymorphy3_dicts_ru as dicts
            else:
                import pymorphy3_dicts_uk as dicts
            m.cyrillic[lang] = pymorphy3.MorphAnalyzer(dicts.get_path(), lang=lang)
        except Exception as exc:  # pragma: no cover - dictionary package missing
            log.warning("no %s dictionary for the answer judge: %s", lang, exc)
    return m


def _load_english_lexicon() -> tuple[dict[str, int], dict[str, str]]:
    """Every English word form lemminflect knows, with its parts of speech; and the lemmas of
    its irregular forms (those that do not start like their lemma).

    Read from the package's lexicon file rather than through its API: the API imports numpy
    (for guessing the lemmas of unknown words, which the judge does not need) and keeps far
    bigger tables than these few MB.
    """
    import csv
    import gzip
    import importlib.util
    from pathlib import Path


    spec = importlib.util.find_spec("lemminflect")
    if spec is not None and spec.submodule_search_locations:
        path = Path(next(iter(spec.submodule_search_locations)), "resources", "lemma_lu.csv.gz")
    else:
        # The frozen build carries the word list alone (packaging/pyinstaller/flare.spec), not
        # the package, whose code would bring numpy.
        path = Path(getattr(sys, "_MEIPASS", ""), "lemminflect", "resources", "lemma_lu.csv.gz")
    if not path.is_file():  # pragma: no cover - left out of this build
        log.warning("lemminflect's word list is missing: English typos are guessed without a "
                    "lexicon")
        return {}, {}
    out: dict[str, int] = {}
    lemmas: dict[str, str] = {}
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for row in csv.reader(f):
                if len(row) < 3:
                    continue
                form = sys.intern(fold(row[0]).replace("'", ""))
                out[form] = out.get(form, 0) | _EN_POS_BITS.get(row[1], 0)
                lemma = fold(row[2].split("/")[0])
                if lemma != form and form not in lemmas and not form.startswith(lemma[:-1]):
                    lemmas[form] = lemma
    except OSError as exc:  # pragma: no cover - a build that left the file out
        log.warning("no English lexicon for the answer judge: %s", exc)
    return out, lemmas


def _crude_stem(word: str) -> str:
    for suffix in ("ingly", "edly", "ing", "ed", "es", "ly", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def english_forms(word: str) -> set[str]:
    """``word`` and its regular inflections ("work" -> "works", "worked", "working"), so a typo
    in an inflected form is found too."""
    out = {word}
    if len(word) < 3 or not word.isalpha():
        return out
    base = word[:-1] if word.endswith("e") else word
    out |= {word + "s", base + "ed", base + "ing"}
    if word.endswith("y") and word[-2] not in "aeiou":
        out |= {word[:-1] + "ies", word[:-1] + "ied"}
    if word.endswith(("s", "x", "ch", "sh")):
        out.add(word + "es")
    return out


# ---------------------------------------------------------------------------------------------
# Typo index: the words one edit away from a word, looked up among the entries' forms

LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz'"
CYRILLIC_LETTERS = "абвгдежзийклмнопрстуфхцчшщъыьэюяіїєґ'"


def edits(word: str, alphabet: str) -> set[str]:
    """Every string one substitution, insertion, deletion or adjacent swap from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in alphabet}
    out |= {a + c + b for a, b in splits for c in alphabet}
    return out


_OWNER_BITS = 20  # forms per index, at most 2**20 (a language has some 10 000)
_HASH_MASK = (1 << (64 - _OWNER_BITS)) - 1


@dataclass
class TypoIndex:
    """Finds a form of an entry one edit (substitution, insertion, deletion, adjacent swap)
    from a word.

    Two words one edit apart share a form with one letter taken out (or one is the other with
    a letter taken out), so the index keeps, for every form, the hashes of its forms with one
    letter taken out, each packed with the form's number into one sorted array of 64-bit
    integers (about 1 MB for the three languages, where a table of the strings would take
    ten); a look-up tries the word's own few deletions instead of the hundreds of strings one
    edit from it, and checks a hash that matches on the form itself."""

    alphabet: str
    forms: set[str] = field(default_factory=set)
    _packed: Any = None  # array('Q'): hash << _OWNER_BITS | number of the form, sorted
    _by_number: list[str] = field(default_factory=list)

    def add(self, form: str) -> None:
        self.forms.add(form)
        self._packed = None

    def build(self) -> None:
        """Index the forms added (done once as the tables are built, not in a check)."""
        from array import array

        self._by_number = sorted(self.forms)
        self._packed = array("Q", sorted(
            (hash(f[:i] + f[i + 1:]) & _HASH_MASK) << _OWNER_BITS | n
            for n, f in enumerate(self._by_number) for i in range(len(f))))

    def nearest(self, word: str) -> str | None:
        from bisect import bisect_left

        from app.form.normalize import within_one_edit

        if self._packed is None:
            self.build()
        packed, by_number = self._packed, self._by_number
        found: list[str] = [word] if word in self.forms else []
        deletes = {word[:i] + word[i + 1:] for i in range(len(word))}
        found.extend(d for d in deletes if d in self.forms)  # the word with a letter more
        for d in (*deletes, word):
            h = hash(d) & _HASH_MASK
            i = bisect_left(packed, h << _OWNER_BITS)
            while i < len(packed) and packed[i] >> _OWNER_BITS == h:
                form = by_number[packed[i] & ((1 << _OWNER_BITS) - 1)]
                if within_one_edit(form, word):
                    found.append(form)
                i += 1
        return min(found) if found else None


# ---------------------------------------------------------------------------------------------
# Transliteration: a lossy key that Latin and Cyrillic spellings of a word share

_LATIN_GROUPS = [
    ("shch", "ш"), ("sch", "ш"), ("zh", "ж"), ("kh", "х"), ("ch", "ч"), ("sh", "ш"),
    ("ts", "ц"), ("tz", "ц"), ("ya", "я"), ("ja", "я"), ("ia", "я"), ("yu", "ю"), ("ju", "ю"),
    ("iu", "ю"), ("yo", "е"), ("jo", "е"), ("ye", "е"), ("je", "е"), ("ie", "е"), ("yi", "и"),
    ("ji", "и"),
]
_LATIN_SINGLE = dict(zip("abvwgdefijklmnopqrstuhcxyz'", "абввгдефийклмнопкрстухцхыз'",
                         strict=True))
_KEY_REDUCE = str.maketrans({"э": "е", "є": "е", "ё": "е", "і": "и", "ы": "и", "й": "и",
                             "ї": "и", "ґ": "г", "х": "г", "щ": "ш", "ь": None, "ъ": None,
                             "'": None})


def cyrillic_key(word: str) -> str:
    """The key of a Cyrillic word: ambiguous letters merged, doubled letters once."""
    # "тс" as "ц": "-ться" is spelt "-tsya" ("nazyvayetsya" is «називається»)
    reduced = word.translate(_KEY_REDUCE).replace("тс", "ц")
    out: list[str] = []
    for ch in reduced:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=16384)
def latin_key(word: str) -> str:
    """The key of a Latin word read as transliterated Russian or Ukrainian."""
    out: list[str] = []
    i = 0
    while i < len(word):
        for latin, cyr in _LATIN_GROUPS:
            if word.startswith(latin, i):
                out.append(cyr)
                i += len(latin)
                break
        else:
            out.append(_LATIN_SINGLE.get(word[i], word[i]))
            i += 1
    return cyrillic_key("".join(out))


# ---------------------------------------------------------------------------------------------
# Keyboard layouts: text typed with the wrong layout switched on

_QWERTY = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
_RU_LAYOUT = "йцукенгшщзхъфывапролджэячсмитьбюё"
_UK_LAYOUT = "йцукенгшщзхїфівапролджєячсмитьбю'"
LAYOUT_CHARS = frozenset(_QWERTY)
TO_RU = str.maketrans(_QWERTY, _RU_LAYOUT)
TO_UK = str.maketrans(_QWERTY, _UK_LAYOUT)


# ---------------------------------------------------------------------------------------------
# The compiled word data

NOINFO = "noinfo"
DEVICE = "device"
WEAK = "weak"
# A word without information only as a verb ("call", "show", "display"): after "the", "my",
# "a" it is a noun and names a thing ("the display flickers").
AS_VERB = "as-verb"
# A verb without information that says what fails when negated: "won't start".
NEGATED_SAYS = "negated-says"
# A word that stands in for a thing not named ("the thing", «штука», «всяке»)
PLACEHOLDER = "placeholder"
# A verb that names no task without what it acts on: "open", «зайти»
ACTION = "action"
# A word of asking ("asked", «просила»): someone's request, which says nothing of what it was
ASKED = "asked"
# A word of how something looks or where it is on the screen (a colour, a shape, an icon, the
# corner, a language, "numbers and letters"): a description, never a message's own word
LOOK = "look"
# A word of where, who or how long (a room, a floor, a department, "takes ages", "per click"):
# about the person or the wait, not what fails
CIRCUMSTANCE = "circumstance"
# A word of how to reach the person ("ext", «внутренний», «мобільний»): a number after it is
# a phone number, not what fails (app/form/figures.py)
CONTACT = "contact"
# A word of the look list that names a thing which can fail on its own (a screen, a clock, the
# taskbar): said to misbehave, it is what fails, not where something is
LOOK_THING = "look-thing"


@dataclass
class Lexicon:
    """Lookup tables for one rule set."""

    # exact folded form (ru/uk) or stem (en) -> classes ("noinfo", "device", "weak",
    # "kind:expected", ...)
    forms: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    lemmas: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    prefixes: dict[str, list[tuple[str, frozenset[str]]]] = field(default_factory=dict)
    typos: dict[str, TypoIndex] = field(default_factory=dict)
    translit: dict[str, frozenset[str]] = field(default_factory=dict)  # key -> classes
    protect: frozenset[str] = frozenset()
    # key of a thing (lemma; English: stem) -> keys of the verbs that only say it does its job
    functions: dict[str, frozenset[str]] = field(default_factory=dict)
    english_words: frozenset[str] = frozenset()  # folded English entries (for text language)
    # Punctuation spoken into voice input, any language ("comma", «запятая», «кома»)
    spoken: re.Pattern[str] | None = None
    # lang -> verbs of what the person saw or got (English: stems; otherwise lemmas)
    perceive: dict[str, frozenset[str]] = field(default_factory=dict)
    # What the judge found for a word before (the window checks the answer at every keystroke)
    memo: dict[tuple[str, ...], Any] = field(default_factory=dict)

    def classes_of_form(self, lang: str, form: str) -> frozenset[str] | None:
        found = self.forms.get(lang, {}).get(form)
        if found is not None:
            return found
        for prefix, classes in self.prefixes.get(lang, ()):
            if form.startswith(prefix):
                return classes
        return None


def _entries(lists: WordLists) -> Iterable[tuple[str, str]]:
    for group, words in lists.noinfo.items():
        for w in words:
            yield w, NOINFO
            if group == "verbs":
                yield w, AS_VERB
    for w in lists.devices:
        yield w, DEVICE
    for w in lists.weak:
        yield w, WEAK
    for kind, words in lists.by_kind.items():
        for w in words:
            yield w, f"kind:{kind}"
    for w in lists.negated:
        yield w, NEGATED_SAYS
    for w in lists.placeholders:
        yield w, NOINFO
        yield w, PLACEHOLDER
    for w in lists.actions:
        yield w, ACTION
    for w in lists.asked:
        yield w, NOINFO
        yield w, ASKED
    for w in lists.looks:
        yield w, LOOK
    for w in lists.circumstances:
        yield w, CIRCUMSTANCE
    for w in lists.contact:
        yield w, CONTACT
    for w in lists.look_things:
        yield w, LOOK_THING


def _key(lang: str, word: str, morph: Morphology) -> str:
    """What the judge counts a word under: its stem in English, its lemma otherwise."""
    if lang == "en":
        return morph.stem(word)
    analyzer = morph.cyrillic.get(lang)
    return fold(analyzer.parse(word)[0].normal_form) if analyzer is not None else word


def build_lexicon(words: Mapping[str, WordLists]) -> Lexicon:
    morph = morphology()
    lex = Lexicon()
    english: set[str] = set()
    # One object per set of classes (a few dozen), not one per form (some 40 000): every
    # object kept is one more for each of the garbage collector's full passes, which would
    # land inside a check now and then.
    shared: dict[frozenset[str], frozenset[str]] = {}

    def one(classes: Iterable[str]) -> frozenset[str]:
        key = frozenset(classes)
        return shared.setdefault(key, key)

    for lang, lists in words.items():
        forms: dict[str, set[str]] = {}
        lemmas: dict[str, set[str]] = {}
        prefixes: dict[str, set[str]] = {}
        analyzer = morph.cyrillic.get(lang)
        protected = frozenset(fold(w) for w in lists.protect)
        for raw, cls in _entries(lists):
            for entry in fold(raw).split():
                if entry.endswith("*"):
                    prefixes.setdefault(entry[:-1], set()).add(cls)
                    continue
                if lang == "en":
                    english.add(entry)
                    forms.setdefault(morph.stem(entry), set()).add(cls)
                    for form in english_forms(entry):
                        if form != entry and form in protected and cls.startswith("kind:"):
                            # a word of no information in one kind of answer ("team" in a
                            # task) does not take over a program's name ("Teams")
                            continue
                        forms.setdefault(form, set()).add(cls)
                    continue
                forms.setdefault(entry, set()).add(cls)
                lemmas.setdefault(entry, set()).add(cls)
                if analyzer is None:
                    continue
                for parse in analyzer.parse(entry):
                    if fold(parse.normal_form) != entry:
                        continue
                    for form in parse.lexeme:  # type: ignore[attr-defined]
                        forms.setdefault(fold(form.word), set()).add(cls)
        lex.forms[lang] = {f: one(c) for f, c in forms.items()}
        lex.lemmas[lang] = {f: one(c) for f, c in lemmas.items()}
        lex.prefixes[lang] = sorted(((p, one(c)) for p, c in prefixes.items()),
                                    key=lambda pc: -len(pc[0]))
        index = TypoIndex(LATIN_LETTERS if lang == "en" else CYRILLIC_LETTERS)
        for form, classes in lex.forms[lang].items():
            if NOINFO in classes and len(form) >= 4:
                index.add(form)
        index.build()
        lex.typos[lang] = index
        if lang in CYRILLIC_LANGUAGES:
            for form, classes in lex.forms[lang].items():
                # (a symptom that says little too: "zavislo", "tormozit"; a word of one kind
                # of answer: "dodomu" in a task)
                if NOINFO in classes or DEVICE in classes or WEAK in classes or \
                        any(c.startswith("kind:") for c in classes):
                    key = cyrillic_key(form)
                    lex.translit[key] = one(lex.translit.get(key, frozenset()) | classes)
        lex.protect = lex.protect | protected
        for thing, verbs in lists.functions.items():
            key = _key(lang, fold(thing), morph)
            lex.functions[key] = lex.functions.get(key, frozenset()) | frozenset(
                _key(lang, fold(v), morph) for v in verbs)
    lex.english_words = frozenset(english)
    spoken = sorted({fold(w) for lists in words.values() for w in lists.spoken_punctuation},
                    key=len, reverse=True)
    if spoken:
        lex.spoken = re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, spoken)) +
                                r")(?![^\W_])", re.IGNORECASE)
    lex.perceive = {lang: frozenset(_key(lang, fold(w), morph) for w in lists.perceive)
                    for lang, lists in words.items()}
    return lex
