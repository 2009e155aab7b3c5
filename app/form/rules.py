"""The rules that keep free-text answers useful, as plain functions support can call and tune.

:func:`check_text` (app/form/check.py) is the entry point: ``(question kind or id, text,
language) → findings``.
Whether an answer is vague is decided by the judge (app/form/judge.py), which weighs what the
answer names, with the word data in resources/forms/words/*.yaml; the vague phrases, thresholds
and the other rules live in resources/forms/rules.yaml; the messages in
resources/forms/messages.yaml.
"""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

import resources
from app.form.clauses import STORY_AT_MOST, STORY_KINDS, Phrases, clauses, discount, unspoken
from app.form.described import (
    complaint_weight,
    described_error,
    look_only,
    look_program,
    machine_only,
)
from app.form.judge import Judgement, Weights, forget_words, is_cyrillic, judge
from app.form.lexicon import (
    Lexicon,
    build_lexicon,
    builtin_word_files,
    fold,
    grammar,
    morphology,
)
from app.form.normalize import normalised, squeeze, tokens, word_matches
from app.form.structure import bare_thing, describes_message, lone_number, names_nothing

Severity = Literal["block", "hint"]


@dataclass(frozen=True)
class Finding:
    """One problem with an answer: ``block`` stops the user, ``hint`` only advises."""

    code: str
    severity: Severity
    message: str
    example: str = ""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PatternGroup(_Strict):
    id: str
    message: str
    # another message for answers of some kinds ("the text of the error" asks for its words)
    message_by_kind: dict[str, str] = Field(default_factory=dict)
    kinds: list[str] | None = None
    patterns: dict[str, list[str]]
    # The words a pattern of this group covers carry no information whatever they are
    # ("понятия не имею", "something about *"): the second signal beside the judge.
    covers: bool = False
    # A clause holding a pattern of this group points elsewhere ("as discussed", "see my
    # previous email"): all its words carry no information but codes, numbers and quotes
    # (app/form/clauses.py).
    clause: bool = False


class SeveralProblemsRules(_Strict):
    min_items: int = 2
    connectors: dict[str, list[str]] = Field(default_factory=dict)


class ShoutingRules(_Strict):
    min_letters: int = 12
    max_upper_ratio: float = 0.6
    exclamations: int = 3
    acronym_max_len: int = 5


class ExpectedRules(_Strict):
    max_overlap: float = 0.8


class WordLists(_Strict):
    """One language's words without information (resources/forms/words/LANG.yaml)."""

    noinfo: dict[str, list[str]] = Field(default_factory=dict)
    devices: list[str] = Field(default_factory=list)
    weak: list[str] = Field(default_factory=list)
    by_kind: dict[str, list[str]] = Field(default_factory=dict)
    protect: list[str] = Field(default_factory=list)
    # a thing -> the verbs that only say it does its job ("printer": "print"): "the printer
    # doesn't print" says no more than "the printer doesn't work"
    functions: dict[str, list[str]] = Field(default_factory=dict)
    # verbs of ``noinfo`` that say what fails when negated ("won't start")
    negated: list[str] = Field(default_factory=list)
    # words that stand in for a thing not named ("the thing", «штука»): whatever qualifies
    # one ("the report thing", «эту штуку с отчётами») is no task or program of its own
    placeholders: list[str] = Field(default_factory=list)
    # verbs that name no task without what they act on ("open it", «зайти»)
    actions: list[str] = Field(default_factory=list)
    # words of asking ("what Sarah asked for", «то, шо Олена просила»): a request named by who
    # made it, not by what it was
    asked: list[str] = Field(default_factory=list)
    # punctuation spoken into voice input ("comma", «запятая»): read as the mark it names
    spoken_punctuation: list[str] = Field(default_factory=list)
    # verbs of what the person saw or got ("I get", «вижу»): no act of the person's own story
    perceive: list[str] = Field(default_factory=list)
    # how something looks or where it is on the screen: a description of a message or a
    # program, not its words or its name (app/form/described.py)
    looks: list[str] = Field(default_factory=list)
    # where, who, how long: a place, a room, a wait ("takes ages"), not what fails
    circumstances: list[str] = Field(default_factory=list)
    # how to reach the person ("ext", «внутренний»): a number after one is a phone number
    contact: list[str] = Field(default_factory=list)
    # words of ``looks`` that name a thing which can fail on its own (screen, clock, taskbar)
    look_things: list[str] = Field(default_factory=list)
    # small words the rules read by their role ("and", «нет», "you"), compared as written;
    # loaded on their own by app.form.lexicon.grammar()
    grammar: dict[str, list[str]] = Field(default_factory=dict)


class JudgeRules(_Strict):
    """How the judge weighs what an answer names (see app/form/judge.py)."""

    # Kinds other than descriptions (what_happened, long_text, subject), which use
    # ``max_content_words``: an answer weighing at most this much is vague.
    max_content_by_kind: dict[str, float] = Field(default_factory=dict)
    device_weight: dict[str, float] = Field(default_factory=dict)
    device_weight_default: float = 0.5
    weak_weight: float = 0.5
    weak_weight_by_kind: dict[str, float] = Field(default_factory=dict)
    code_weight: float = 2.0
    quote_weight: float = 1.0
    name_weight: dict[str, float] = Field(default_factory=dict)


class RuleSet(_Strict):
    """The tunable word lists and thresholds (resources/forms/rules.yaml)."""

    max_content_words: float = 1
    max_gap: int = 2
    typo_min_len: int = 5
    filler: dict[str, list[str]] = Field(default_factory=dict)
    groups: list[PatternGroup] = Field(default_factory=list)
    several_problems: SeveralProblemsRules = Field(default_factory=SeveralProblemsRules)
    shouting: ShoutingRules = Field(default_factory=ShoutingRules)
    expected_vs_happened: ExpectedRules = Field(default_factory=ExpectedRules)
    judge: JudgeRules = Field(default_factory=JudgeRules)
    words: dict[str, WordLists] = Field(default_factory=dict)

    _compiled: tuple[tuple[int, int, int], _Compiled] | None = PrivateAttr(None)
    _lexicon: tuple[tuple[int, int], Lexicon] | None = PrivateAttr(None)

    def vague_limit(self, kind: str) -> float:
        """An answer of ``kind`` that weighs at most this much is vague."""
        if kind in DESCRIPTION_KINDS:
            return self.max_content_words
        return self.judge.max_content_by_kind.get(kind, 0)


def _with_builtin_words(data: dict[str, Any]) -> dict[str, Any]:
    if "words" not in data:
        data = {**data, "words": builtin_word_files()}
    return data


def load_rules(path: Path) -> RuleSet:
    """A rule set from a file; without ``words:`` it uses the built-in word lists."""
    data = _load_yaml(path.read_text(encoding="utf-8")) or {}
    return RuleSet.model_validate(_with_builtin_words(data))


@lru_cache(maxsize=1)
def builtin_rules() -> RuleSet:
    """The rules shipped in resources/forms/rules.yaml and words/ (read once; frozen)."""
    path = resources.file("forms", "rules.yaml")
    data = _load_yaml(path.read_text(encoding="utf-8")) or {}
    return RuleSet.model_validate(_with_builtin_words(data))


_LEXICON_LOCK = threading.Lock()
CONTENT_ENOUGH = 12  # pieces of content worth finding in one answer (see FormState.quality)
DESCRIPTION_KINDS = frozenset({"what_happened", "long_text", "subject"})


def lexicon_of(rules: RuleSet) -> Lexicon:
    """The judge's lookup tables for ``rules`` (built on first use: this loads the
    dictionaries)."""
    signature = (id(rules.words), id(rules.filler))
    cached = rules._lexicon
    if cached is not None and cached[0] == signature:
        return cached[1]
    with _LEXICON_LOCK:  # prepare() may build it in a worker thread while the window checks
        cached = rules._lexicon
        if cached is not None and cached[0] == signature:
            return cached[1]
        words: dict[str, WordLists] = dict(rules.words)
        for lang, extra in rules.filler.items():
            base = words.get(lang, WordLists())
            words[lang] = base.model_copy(
                update={"noinfo": {**base.noinfo, "filler (rules.yaml)": list(extra)}})
        cached = (signature, build_lexicon(words))
        rules._lexicon = cached  # derived data only; the rule set itself stays frozen
        # The tables are tens of thousands of new objects: the garbage collector's next full
        # pass would count them all, inside some check; it passes now, as they are built.
        gc.collect()
    return cached[1]


def weights_of(rules: RuleSet) -> Weights:
    j = rules.judge
    return Weights(device=j.device_weight, device_default=j.device_weight_default,
                   weak=j.weak_weight, weak_by_kind=j.weak_weight_by_kind,
                   code=j.code_weight, quote=j.quote_weight, name=j.name_weight)


def release() -> None:
    """Forget the dictionaries and word tables (about 35 of their 60 MB come back), e.g. when
    the report window closes and the tray goes back to idle; the next check loads them again."""
    from app.form import lexicon
    from app.form.normalize import word_matches

    builtin_rules()._lexicon = None
    lexicon.release()
    forget_words()
    word_matches.cache_clear()


# Which checks apply to which kind of answer. A kind is a question type or a question role.
CHECKS_BY_KIND: dict[str, frozenset[str]] = {
    "short_text": frozenset({"vague", "shouting"}),
    "long_text": frozenset({"vague", "shouting", "several_problems"}),
    "error_text": frozenset({"vague_strict"}),
    "subject": frozenset({"vague", "shouting"}),
    "function": frozenset({"vague", "shouting"}),
    "trying_to_do": frozenset({"vague", "shouting"}),
    "what_happened": frozenset({"vague", "shouting", "several_problems"}),
    "expected": frozenset({"vague", "shouting"}),
}


# ---------------------------------------------------------------------------------------------
# Vague answers


@dataclass(frozen=True)
class _Compiled:
    """A rule set turned into token lists, ready for matching."""

    groups: tuple[tuple[PatternGroup, tuple[tuple[str, ...], ...]], ...]
    connectors: tuple[tuple[str, ...], ...]
    # kind -> the phrases of its ``clause`` groups (built on first use)
    meta: dict[str, Phrases] = field(default_factory=dict)


def _pattern_tokens(pattern: str) -> tuple[str, ...]:
    out: list[str] = []
    for part in pattern.split():
        if part == "*":  # any one word
            out.append("*")
            continue
        stem = part.endswith("*")
        toks = tokens(part)
        # a pattern word like "что-то" normalises to two tokens; only the last keeps the star
        out.extend(toks[:-1])
        if toks:
            out.append(toks[-1] + ("*" if stem else ""))
    return tuple(out)


def _compile(rules: RuleSet) -> _Compiled:
    # model_copy() carries private attributes along; the identity of the word lists tells a
    # copy with new lists (which needs compiling) from the rule set the cache was built for.
    signature = (id(rules.groups), id(rules.several_problems), 0)
    cached = rules._compiled
    if cached is None or cached[0] != signature:
        cached = (signature, _compile_uncached(rules))
        rules._compiled = cached  # derived data only; the rule set itself stays frozen
    return cached[1]


def _compile_uncached(rules: RuleSet) -> _Compiled:
    groups = tuple(
        (g, tuple(_pattern_tokens(p) for lst in g.patterns.values() for p in lst))
        for g in rules.groups
    )
    connectors = tuple(
        _pattern_tokens(p) for lst in rules.several_problems.connectors.values() for p in lst
    )
    return _Compiled(groups, connectors)


def phrase_word_matches(word: str, pattern: str, typo_min_len: int) -> bool:
    """A word of a text against a word of a vague phrase: as :func:`word_matches`, but a
    Cyrillic word the dictionary knows is no typo of another word («скрізь», everywhere, is
    not «скрін*», a screenshot; «скрин» is, the dictionary does not know it)."""
    if not word_matches(word, pattern, typo_min_len):
        return False
    if word == pattern or (pattern.endswith("*") and word.startswith(pattern[:-1])):
        return True
    if not is_cyrillic(word):
        return True
    morph = morphology()
    return not any(morph.is_known(lang, word) for lang in morph.cyrillic)


class _Starts:
    """Where each pattern's first word stands in one text. A first word too short to allow a
    typo ("не", "как", "as") can only equal a word, so it is looked up instead of matched
    against every word; the others are matched once per text, not once per pattern (about
    300 patterns, 160 first words: a quarter off the tuning half's checks, p99 5.5 -> 3.4 ms)."""

    def __init__(self, toks: Sequence[str], typo_min_len: int) -> None:
        self._toks = toks
        self._typo_min_len = typo_min_len
        self._memo: dict[str, list[int]] = {}
        self._at: dict[str, list[int]] = {}
        for i, tok in enumerate(toks):
            self._at.setdefault(tok, []).append(i)

    def of(self, word: str) -> list[int]:
        if len(word) < self._typo_min_len and not word.endswith("*"):
            return self._at.get(word, [])  # a short whole word matches only itself
        found = self._memo.get(word)
        if found is None:
            # (a whole word matches only words of its length give or take one letter)
            size = len(word) if not word.endswith("*") else -9
            found = self._memo[word] = [
                i for i, tok in enumerate(self._toks)
                if (size < 0 or -1 <= len(tok) - size <= 1) and
                phrase_word_matches(tok, word, self._typo_min_len)]
        return found


def _find(
    toks: Sequence[str], pattern: tuple[str, ...], max_gap: int, typo_min_len: int,
    starts: _Starts | None = None,
) -> list[int]:
    """Indices of ``toks`` covered by every occurrence of ``pattern`` (words in order, up to
    ``max_gap`` other words between two of them)."""
    covered: list[int] = []
    if not pattern:
        return covered
    starts = starts or _Starts(toks, typo_min_len)
    for start in starts.of(pattern[0]):
        hit = [start]
        pos = start
        for pat in pattern[1:]:
            # the words already matched make a typo in a shorter word ("doesnt wrok") safe
            nxt = next(
                (
                    j
                    for j in range(pos + 1, min(len(toks), pos + 2 + max_gap))
                    if phrase_word_matches(toks[j], pat, typo_min_len - 1)
                ),
                None,
            )
            if nxt is None:
                break
            hit.append(nxt)
            pos = nxt
        else:
            covered.extend(hit)
    return covered


@dataclass(frozen=True)
class VagueAnalysis:
    """What the vague-answer rule saw in a text; useful when tuning the word lists."""

    tokens: list[str]  # empty for a clearly specific answer (no phrase was looked for)
    group: str | None
    message_key: str | None
    matched: list[str] = field(default_factory=list)
    content: list[str] = field(default_factory=list)
    vague: bool = False
    judgement: Judgement | None = None
    limit: float = 0
    shape: str = ""  # why the answer's shape makes it vague (app/form/structure.py), if it does


def _phrase_group(
    toks: Sequence[str], kind: str, rules: RuleSet, every: bool = True
) -> tuple[PatternGroup | None, list[str]]:
    """The first vague-phrase group found in ``toks`` and the words its patterns cover (of
    every group with ``every``; else of the first pattern found, which is all the message
    needs)."""
    comp = _compile(rules)
    starts = _Starts(toks, rules.typo_min_len)
    covered: set[int] = set()
    first_group: PatternGroup | None = None
    for group, patterns in comp.groups:
        if group.kinds is not None and kind not in group.kinds:
            continue
        if group.clause:  # phrases matched word for word (app/form/clauses.py), and fast
            phrases = comp.meta.get(group.id)
            if phrases is None:
                phrases = comp.meta[group.id] = Phrases(patterns)
            if not phrases.found(toks):
                continue
            first_group = first_group or group
            if not every:
                return first_group, []
            continue
        for pat in patterns:
            hit = _find(toks, pat, rules.max_gap, rules.typo_min_len, starts)
            if hit:
                covered.update(hit)
                if first_group is None:
                    first_group = group
                if not every:
                    return first_group, [toks[i] for i in sorted(covered)]
    return first_group, [toks[i] for i in sorted(covered)]


_COVER_AT_MOST = 3
_SHAPE_AT_MOST = 3  # an answer weighing more names more than one bare thing or quality
# An answer weighing more says more than a description, a place or a complaint
# (app/form/described.py); the judge weighs at least this far.
_DESCRIBED_AT_MOST = 6
_DESCRIBED_WORDS = 16


def _without_covered(text: str, toks: Sequence[str], kind: str, rules: RuleSet, language: str,
                     judgement: Judgement) -> Judgement:
    """The judgement less the words that phrases of covering groups take ("no idea",
    "гадки не маю", "что-то про *")."""
    covered: set[str] = set()
    starts = _Starts(toks, rules.typo_min_len)
    for group, patterns in _compile(rules).groups:
        if not group.covers or (group.kinds is not None and kind not in group.kinds):
            continue
        for pat in patterns:
            covered.update(toks[i] for i in _find(toks, pat, rules.max_gap, rules.typo_min_len,
                                                  starts))
    if not covered:
        return judgement
    # Weighed whole (the first weighing may have stopped early), then the covered words out.
    full = judge(text, kind, lexicon_of(rules), weights_of(rules), language)
    kept = tuple(p for p in full.pieces if squeeze(fold(p.text).replace("'", "")) not in covered)
    return replace(full, score=sum(p.weight for p in kept), pieces=kept,
                   dropped=full.dropped + tuple(p.text for p in full.pieces if p not in kept))


def _without_meta(text: str, kind: str, rules: RuleSet, language: str,
                  judgement: Judgement, limit: float) -> Judgement:
    if sum(p.weight for p in judgement.pieces if p.what in ("code", "path", "quote")) > limit:
        return judgement  # what counts wherever it stands already says enough
    lex = lexicon_of(rules)
    compiled = _compile(rules)
    phrases = compiled.meta.get(kind)
    if phrases is None:
        phrases = compiled.meta[kind] = Phrases(
            pat for group, pats in compiled.groups
            if group.clause and (group.kinds is None or kind in group.kinds) for pat in pats)
    read = judgement.text or text
    stories = kind in STORY_KINDS and len(read.split()) <= STORY_AT_MOST
    if not stories and "?" not in read and not phrases.found(tokens(read)):
        return judgement  # no clause of it can be meta-talk (most answers end here)
    found = clauses(read, language, lex, lambda clause: phrases.found(tokens(clause)),
                    stories=stories)
    weights = weights_of(rules)
    return discount(judgement, found, kind, limit, lambda left: judge(
        left, kind, lex, weights, language, enough=limit + _COVER_AT_MOST))


def analyse_vague(
    text: str,
    kind: str = "long_text",
    rules: RuleSet | None = None,
    max_content: float | None = None,
    language: str = "en",
    explain: bool = False,
    content_wanted: int = CONTENT_ENOUGH,
) -> VagueAnalysis:
    """Judge whether ``text`` is too vague for an answer of ``kind``.

    The judge weighs what the text names (``content``); a text weighing at most the kind's
    limit (or ``max_content``) is vague. The vague phrases of rules.yaml choose the message
    (``group``, ``message_key``). ``content_wanted`` pieces of content are looked for (the
    quality meter counts them); with 0 the weighing stops as soon as the answer is clearly
    specific (the verdict is the same).
    """
    rules = rules or builtin_rules()
    text = unspoken(text, lexicon_of(rules))  # "comma", «запятая» dictated: the marks they name
    # The phrases are matched on these; a clearly specific answer needs none of them.
    toks: list[str] = []
    near_limit = explain
    limit = rules.vague_limit(kind) if max_content is None else max_content
    # A long answer is judged by its beginning: enough content for the quality meter (which
    # counts up to 10 pieces) and a weight above the limit end the weighing. Without pieces
    # wanted, a weight no covering phrase could bring back to the limit ends it.
    # A short answer is weighed far enough for the rules of app/form/described.py (a long one
    # says more than a description, and weighing it further would cost every keystroke).
    deep = _DESCRIBED_AT_MOST if text.count(" ") < _DESCRIBED_WORDS else _COVER_AT_MOST
    enough = limit if content_wanted else limit + max(_COVER_AT_MOST, deep)
    judgement = judge(text, kind, lexicon_of(rules), weights_of(rules), language,
                      enough=None if explain else enough, enough_pieces=content_wanted)
    vague = judgement.score <= limit
    # A covering phrase takes a few words; an answer that says much more needs no look.
    if vague or judgement.score <= limit + _COVER_AT_MOST:
        near_limit = True
    if near_limit:
        toks = tokens(text)
    if not vague and judgement.score <= limit + _COVER_AT_MOST:
        judgement = _without_covered(text, toks, kind, rules, language, judgement)
        vague = judgement.score <= limit
    # Meta-talk and the person's own story weigh nothing, whatever their words
    # (app/form/clauses.py).
    if not vague:
        judgement = _without_meta(text, kind, rules, language, judgement, limit)
        vague = judgement.score <= limit
    # What the answer's shape says (app/form/structure.py): a bare thing, or an error text
    # that only describes the error.
    shape = ""
    if not vague and judgement.score <= limit + _SHAPE_AT_MOST:
        if bare_thing(judgement, kind, language, lexicon_of(rules)):
            shape = "names one thing and nothing about it"
        elif lone_number(judgement, kind):
            shape = "a number with nothing it counts"
        elif describes_message(judgement, kind, language, lexicon_of(rules)):
            shape = "describes the error instead of giving its words"
        else:
            shape = names_nothing(judgement, kind, language, lexicon_of(rules))
        vague = bool(shape)
    if not vague and judgement.score <= limit + deep:
        shape = _described(judgement, kind, language, rules, limit)
        vague = bool(shape)
    # The phrases only choose the message, so a specific answer needs no look for them.
    group, matched = _phrase_group(toks, kind, rules, explain) if vague or explain \
        else (None, [])
    key = (group.message_by_kind.get(kind, group.message) if group else "vague") \
        if vague else None
    return VagueAnalysis(toks, group.id if group else None, key, matched,
                         judgement.content, vague, judgement, limit, shape)


def _described(judgement: Judgement, kind: str, language: str, rules: RuleSet,
               limit: float) -> str:
    """Why an answer describes instead of naming ("" when it names): app/form/described.py."""
    lex = lexicon_of(rules)
    if described_error(judgement, kind, language, lex):
        return "describes the message's look or the person's acts, not its words"
    if machine_only(judgement, kind, language, lex):
        return "the whole machine with only where, whose or how long"
    if look_program(judgement, kind, language, lex):
        return "points at a program by its look or place"
    if look_only(judgement, kind, language, lex):
        return "points at something by its look, names nothing that fails"
    left = complaint_weight(judgement, kind, language)
    if left is not None and left <= limit:
        return "a complaint, not an expectation or a task"
    return ""


# ---------------------------------------------------------------------------------------------
# Shouting

_CODE_WORD = re.compile(r"\S*[\d_]\S*")


def is_shouting(text: str, rules: RuleSet | None = None) -> bool:
    """Mostly capitals, judged on enough letters outside codes and acronyms.

    Codes (anything with a digit or ``_``) never count. Short all-caps words (VPN, SAP) are
    acronyms while they are a minority of the words; once most words are in capitals they
    count like any other word.
    """
    cfg = (rules or builtin_rules()).shouting
    # Capitals must outnumber the small letters counted half as much again (a ratio above
    # max_upper_ratio): a text with too few, counting every capital in it and leaving out
    # only the small letters of codes, is not shouting (most answers end here).
    lower_in_codes = sum(sum(map(str.islower, w)) for w in _CODE_WORD.findall(text))
    lower = sum(map(str.islower, text)) - lower_in_codes
    upper = sum(map(str.isupper, text))
    if upper <= cfg.max_upper_ratio * max(cfg.min_letters, upper + lower):
        return False
    words: list[str] = []
    for raw in text.split():
        stripped = raw.strip(".,;:!?()[]{}\"'«»“”-—")
        if any(c.isdigit() for c in stripped) or "_" in stripped:
            continue  # codes: 0x80070005, ERR_CONNECTION_RESET, KB5034441
        if any(c.isalpha() for c in stripped):
            words.append(stripped)
    caps = [w for w in words if w.isupper() and sum(c.isalpha() for c in w) >= 2]
    mostly_caps = len(words) >= 3 and len(caps) * 2 >= len(words) + 1
    letters = upper = 0
    for w in words:
        n = sum(c.isalpha() for c in w)
        if not mostly_caps and w.isupper() and n <= cfg.acronym_max_len:
            continue
        letters += n
        upper += sum(c.isupper() for c in w)
    return letters >= cfg.min_letters and upper / letters > cfg.max_upper_ratio


def has_exclamations(text: str, rules: RuleSet | None = None) -> bool:
    need = (rules or builtin_rules()).shouting.exclamations
    return re.search(r"(?:!\s*){" + str(max(1, need)) + ",}", text) is not None


# ---------------------------------------------------------------------------------------------
# Expected versus happened


def same_as_happened(expected: str, happened: str, rules: RuleSet | None = None) -> bool:
    """True if "what did you expect" only repeats "what happened"."""
    cfg = (rules or builtin_rules()).expected_vs_happened
    a, b = normalised(expected), normalised(happened)
    if not a or not b:
        return False
    if a == b:
        return True
    ta, tb = set(a.split()), set(b.split())
    if len(ta & grammar()["negations"]) != len(tb & grammar()["negations"]):
        return False  # "mail is sent" vs "mail is not sent" says what was expected
    return len(ta & tb) / len(ta | tb) >= cfg.max_overlap


def _load_yaml(text: str) -> Any:
    # libyaml when present: rules load on the way to opening the report window.
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
