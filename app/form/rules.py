"""The rules that keep free-text answers useful, as plain functions support can call and tune.

:func:`check_text` is the entry point: ``(question kind or id, text, language) → findings``.
Whether an answer is vague is decided by the judge (app/form/judge.py), which weighs what the
answer names, with the word data in resources/forms/words/*.yaml; the vague phrases, thresholds
and the other rules live in resources/forms/rules.yaml; the messages in
resources/forms/messages.yaml.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from app.form.judge import Judgement, Weights, judge
from app.form.lexicon import LANGUAGES, Lexicon, build_lexicon, fold, read_word_file
from app.form.messages import Messages, builtin_messages, render
from app.form.normalize import normalised, squeeze, tokens, word_matches

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
    kinds: list[str] | None = None
    patterns: dict[str, list[str]]
    # The words a pattern of this group covers carry no information whatever they are
    # ("понятия не имею", "something about *"): the second signal beside the judge.
    covers: bool = False


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


class JudgeRules(_Strict):
    """How the judge weighs what an answer names (see app/form/judge.py)."""

    # Kinds other than descriptions (what_happened, long_text, subject), which use
    # ``max_content_words``: an answer weighing at most this much is vague.
    max_content_by_kind: dict[str, float] = Field(default_factory=dict)
    device_weight: dict[str, float] = Field(default_factory=dict)
    device_weight_default: float = 0.5
    weak_weight: float = 0.5
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
        data = {**data, "words": {lang: read_word_file(lang) for lang in LANGUAGES}}
    return data


def load_rules(path: Path) -> RuleSet:
    """A rule set from a file; without ``words:`` it uses the built-in word lists."""
    data = _load_yaml(path.read_text(encoding="utf-8")) or {}
    return RuleSet.model_validate(_with_builtin_words(data))


@lru_cache(maxsize=1)
def builtin_rules() -> RuleSet:
    """The rules shipped in resources/forms/rules.yaml and words/ (read once; frozen)."""
    path = resources.files("resources").joinpath("forms", "rules.yaml")
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
    return cached[1]


def weights_of(rules: RuleSet) -> Weights:
    j = rules.judge
    return Weights(device=j.device_weight, device_default=j.device_weight_default,
                   weak=j.weak_weight, code=j.code_weight, quote=j.quote_weight,
                   name=j.name_weight)


def release() -> None:
    """Forget the dictionaries and word tables (about 35 of their 60 MB come back), e.g. when
    the report window closes and the tray goes back to idle; the next check loads them again."""
    from app.form import lexicon
    from app.form.normalize import word_matches

    builtin_rules()._lexicon = None
    lexicon.release()
    word_matches.cache_clear()


def prepare(rules: RuleSet | None = None) -> None:
    """Load the dictionaries and build the word tables now rather than on the first check
    (the report window may call this in a worker thread as it opens)."""
    check_text("what_happened", "Outlook не отправляет письма, also Excel crashes", "en",
               rules=rules)


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

# The message a vague answer of a kind gets (each names what to add for that question).
_MESSAGE_BY_KIND = {
    "subject": "vague_subject",
    "trying_to_do": "vague_trying_to_do",
    "function": "vague_function",
    "short_text": "vague_function",
    "expected": "vague_expected",
}

# Descriptions whose vague message names what the answer already says.
_NAMING_KINDS = frozenset({"what_happened", "long_text"})


def _named_thing(result: VagueAnalysis, language: str) -> str | None:
    """The thing a vague description names, if it names one and only one: as written, or in
    Russian and Ukrainian in its dictionary form ("с почтой" names «почта»)."""
    from app.form.lexicon import morphology

    j = result.judgement
    if j is None:
        return None
    named = [p for p in j.pieces if p.weight >= 1 and p.what in ("name", "word", "code")]
    if len(named) != 1:
        return None
    word = named[0].text
    if re.search("[\u0400-\u04ff]", word):
        analyzers = morphology().cyrillic
        analyzer = analyzers.get(language) or analyzers.get("ru")
        if analyzer is None:
            return word
        parse = analyzer.parse(word)[0]
        return str(parse.normal_form) if parse.tag.POS == "NOUN" else None
    if named[0].what == "word":
        from app.form.lexicon import EN_NOUN

        pos = morphology().english_pos(word)
        if pos and pos != EN_NOUN:  # "it doesn't open": a verb, not a thing
            return None
    text = j.text if not j.read_as else ""
    for m in re.finditer(r"[^\W_]+(?:[-'’ʼ.][^\W_]+)*", text):
        if fold(m.group(0)).replace("'", "") == named[0].text.replace("'", "") or \
                fold(m.group(0)) == named[0].text:
            return m.group(0)
    return None


_NEGATIONS = frozenset(
    {"not", "no", "dont", "doesnt", "cant", "cannot", "wont", "didnt", "isnt", "never",
     "не", "нет", "ни", "ні", "немає", "нема"}
)


# ---------------------------------------------------------------------------------------------
# Vague answers


@dataclass(frozen=True)
class _Compiled:
    """A rule set turned into token lists, ready for matching."""

    groups: tuple[tuple[PatternGroup, tuple[tuple[str, ...], ...]], ...]
    connectors: tuple[tuple[str, ...], ...]


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


def _find(
    toks: Sequence[str], pattern: tuple[str, ...], max_gap: int, typo_min_len: int
) -> list[int]:
    """Indices of ``toks`` covered by every occurrence of ``pattern`` (words in order, up to
    ``max_gap`` other words between two of them)."""
    covered: list[int] = []
    if not pattern:
        return covered
    for start, tok in enumerate(toks):
        if not word_matches(tok, pattern[0], typo_min_len):
            continue
        hit = [start]
        pos = start
        for pat in pattern[1:]:
            # the words already matched make a typo in a shorter word ("doesnt wrok") safe
            nxt = next(
                (
                    j
                    for j in range(pos + 1, min(len(toks), pos + 2 + max_gap))
                    if word_matches(toks[j], pat, typo_min_len - 1)
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

    tokens: list[str]
    group: str | None
    message_key: str | None
    matched: list[str] = field(default_factory=list)
    content: list[str] = field(default_factory=list)
    vague: bool = False
    judgement: Judgement | None = None
    limit: float = 0


def _phrase_group(
    toks: Sequence[str], kind: str, rules: RuleSet
) -> tuple[PatternGroup | None, list[str]]:
    """The first vague-phrase group found in ``toks`` and the words its patterns cover."""
    comp = _compile(rules)
    covered: set[int] = set()
    first_group: PatternGroup | None = None
    for group, patterns in comp.groups:
        if group.kinds is not None and kind not in group.kinds:
            continue
        for pat in patterns:
            hit = _find(toks, pat, rules.max_gap, rules.typo_min_len)
            if hit:
                covered.update(hit)
                if first_group is None:
                    first_group = group
    return first_group, [toks[i] for i in sorted(covered)]


_COVER_AT_MOST = 3


def _without_covered(text: str, toks: Sequence[str], kind: str, rules: RuleSet, language: str,
                     judgement: Judgement) -> Judgement:
    """The judgement less the words that phrases of covering groups take ("no idea",
    "гадки не маю", "что-то про *")."""
    covered: set[str] = set()
    for group, patterns in _compile(rules).groups:
        if not group.covers or (group.kinds is not None and kind not in group.kinds):
            continue
        for pat in patterns:
            covered.update(toks[i] for i in _find(toks, pat, rules.max_gap, rules.typo_min_len))
    if not covered:
        return judgement
    # Weighed whole (the first weighing may have stopped early), then the covered words out.
    full = judge(text, kind, lexicon_of(rules), weights_of(rules), language)
    kept = tuple(p for p in full.pieces if squeeze(fold(p.text).replace("'", "")) not in covered)
    return replace(full, score=sum(p.weight for p in kept), pieces=kept,
                   dropped=full.dropped + tuple(p.text for p in full.pieces if p not in kept))


def analyse_vague(
    text: str,
    kind: str = "long_text",
    rules: RuleSet | None = None,
    max_content: float | None = None,
    language: str = "en",
    explain: bool = False,
) -> VagueAnalysis:
    """Judge whether ``text`` is too vague for an answer of ``kind``.

    The judge weighs what the text names (``content``); a text weighing at most the kind's
    limit (or ``max_content``) is vague. The vague phrases of rules.yaml choose the message
    (``group``, ``message_key``).
    """
    rules = rules or builtin_rules()
    toks = tokens(text)
    limit = rules.vague_limit(kind) if max_content is None else max_content
    # A long answer is judged by its beginning: enough content for the quality meter (which
    # counts up to 10 pieces) and a weight above the limit end the weighing.
    judgement = judge(text, kind, lexicon_of(rules), weights_of(rules), language,
                      enough=None if explain else limit, enough_pieces=CONTENT_ENOUGH)
    vague = judgement.score <= limit
    # A covering phrase takes a few words; an answer that says much more needs no look.
    if not vague and judgement.score <= limit + _COVER_AT_MOST:
        judgement = _without_covered(text, toks, kind, rules, language, judgement)
        vague = judgement.score <= limit
    # The phrases only choose the message, so a specific answer needs no look for them.
    group, matched = _phrase_group(toks, kind, rules) if vague or explain else (None, [])
    key = (group.message if group else "vague") if vague else None
    return VagueAnalysis(toks, group.id if group else None, key, matched,
                         judgement.content, vague, judgement, limit)


# ---------------------------------------------------------------------------------------------
# Shouting

def is_shouting(text: str, rules: RuleSet | None = None) -> bool:
    """Mostly capitals, judged on enough letters outside codes and acronyms.

    Codes (anything with a digit or ``_``) never count. Short all-caps words (VPN, SAP) are
    acronyms while they are a minority of the words; once most words are in capitals they
    count like any other word.
    """
    cfg = (rules or builtin_rules()).shouting
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
# Several problems in one answer

_NUMBERED = re.compile(r"(?:^|(?<=\s))(\d{1,2})\s*[.)](?=\s)", re.MULTILINE)
_BULLET = re.compile(r"^\s*[-*•–—]\s+\S", re.MULTILINE)
_SENTENCE_END = re.compile(r"[.!?;]+(?=\s|$)|\n+")

CategoryKeywords = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class _Keywords:
    """Category keywords compiled for a quick look-up (no typo tolerance: a hint only)."""

    words: dict[str, frozenset[str]]  # token -> categories
    prefixes: dict[str, tuple[tuple[str, str], ...]]  # first 2 letters -> (stem, category)
    phrases: tuple[tuple[str, str], ...]  # " a b " -> category


def _categories_in(toks: Sequence[str], keywords: _Keywords) -> set[str]:
    found: set[str] = set()
    for tok in toks:
        found |= keywords.words.get(tok, frozenset())
        for stem, cat in keywords.prefixes.get(tok[:2], ()):
            if tok.startswith(stem):
                found.add(cat)
    if keywords.phrases:
        joined = " " + " ".join(toks) + " "
        found |= {cat for phrase, cat in keywords.phrases if phrase in joined}
    return found


@lru_cache(maxsize=8)
def _compile_keywords_cached(keywords: tuple[tuple[str, tuple[str, ...]], ...]) -> _Keywords:
    words: dict[str, set[str]] = {}
    prefixes: dict[str, list[tuple[str, str]]] = {}
    phrases: list[tuple[str, str]] = []
    for cat, patterns in keywords:
        for pattern in patterns:
            toks = _pattern_tokens(pattern)
            if len(toks) > 1:
                phrases.append((" " + " ".join(t.rstrip("*") for t in toks) + " ", cat))
            elif toks and toks[0].endswith("*"):
                stem = toks[0][:-1]
                prefixes.setdefault(stem[:2], []).append((stem, cat))
            elif toks:
                words.setdefault(toks[0], set()).add(cat)
    return _Keywords({w: frozenset(c) for w, c in words.items()},
                     {k: tuple(v) for k, v in prefixes.items()}, tuple(phrases))


def _compile_keywords(keywords: CategoryKeywords) -> _Keywords:
    return _compile_keywords_cached(tuple((c, tuple(w)) for c, w in keywords.items()))


@lru_cache(maxsize=8)
def _connector_regex(connectors: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = []
    for c in sorted(connectors, key=len, reverse=True):
        words = [re.escape(w.rstrip("*")) + (r"\w*" if w.endswith("*") else "")
                 for w in fold(c).split()]
        alternatives.append(r"[\s,]+".join(words))
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|„[^“”]*[“”]|\"[^\"]*\"")


def _part(part: str, rules: RuleSet, language: str) -> Judgement:
    # Weighing stops once the part says enough, and typos are not looked up (each costs more
    # than the rest of the check, and a hint does not need them): the window checks at every
    # keystroke.
    return judge(part, "what_happened", lexicon_of(rules), weights_of(rules), language,
                 enough=rules.max_content_words + 1, enough_pieces=3, predicate=True,
                 typos=False)


def _things(j: Judgement, language: str) -> set[str]:
    """The things a part names: names ("Excel") and nouns ("принтер", "monitor")."""
    from app.form.judge import _is_thing

    lex = lexicon_of(builtin_rules())
    primary = "uk" if language == "uk" else "ru"
    return {p.text for p in j.pieces
            if p.what == "name" or (p.what == "word" and _is_thing(p.text, primary, lex))}


def _acts(j: Judgement, language: str) -> bool:
    """Whether a part says what something does with a verb that counts ("crashes", "зависает",
    not "shows" or "пишет")."""
    from app.form.lexicon import EN_NOUN, EN_VERB, morphology

    morph = morphology()
    for p in j.pieces:
        if p.what != "word":
            continue
        if re.search("[\u0400-\u04ff]", p.text):
            analyzers = morph.cyrillic
            analyzer = analyzers.get(language) or analyzers.get("ru")
            if analyzer is not None and any(
                    r.tag.POS in ("VERB", "INFN", "PRTS", "GRND")
                    for r in analyzer.parse(p.text)[:2]):
                return True
        else:
            pos = morph.english_pos(p.text)
            # "cable" may be a verb, "crashes", "jams", "froze" are read as one
            if pos & EN_VERB and (not pos & EN_NOUN or p.text.endswith(("s", "ed", "ing"))):
                return True
    return False


_NAME = re.compile(r"(?<![\w.])[A-Z][\w.-]*[A-Za-z0-9]")
# Where one clause ends and another may begin: "Outlook crashes on start and Excel freezes".
_CLAUSE_END = re.compile(
    r"[.!?;,\n]+|\s(?:and|but|while|и|а|но|зато|і|й|та|але|проте)\s", re.IGNORECASE)


def _two_programs(text: str, rules: RuleSet, language: str) -> tuple[str, str] | None:
    """Two clauses that each name a program or device of their own and say what it does:
    "Outlook crashes on start and Excel freezes when saving"."""
    if len(set(_NAME.findall(text))) < 2:  # two programs need two names
        return None
    clauses = [c for c in _CLAUSE_END.split(text) if c.strip()]
    if len(clauses) < 2:
        return None
    found: list[tuple[str, set[str]]] = []
    for clause in clauses:
        j = _part(_QUOTED.sub(" ", clause), rules, language)
        names = {p.text for p in j.pieces if p.what == "name"}
        if names and j.score > rules.max_content_words and _acts(j, language):
            for other, other_names in found:
                if names.isdisjoint(other_names):
                    return _short(other), _short(clause)
            found.append((clause, names))
    return None


def _is_problem(part: str, rules: RuleSet, language: str, need_predicate: bool = False) -> bool:
    """A part of a text that on its own would pass as a description of a problem (with
    ``need_predicate``: one that says what something does, "у коллеги тоже" says nothing);
    typos are not looked up, as in :func:`_part`."""
    limit = rules.max_content_words
    j = judge(part, "what_happened", lexicon_of(rules), weights_of(rules), language,
              enough=limit, predicate=need_predicate, typos=False)
    return j.score > limit and (j.predicate or not need_predicate)


def looks_like_several_problems(
    text: str, keywords: CategoryKeywords, rules: RuleSet | None = None, language: str = "en"
) -> bool:
    """Several problems in one answer, told by the content (see :func:`several_problems`)."""
    return several_problems(text, keywords, rules, language) is not None


_SHORT_PART = 48  # characters of a part quoted in the hint


def _short(part: str) -> str:
    part = " ".join(part.strip(" \t\n,;:-—–.").split())
    if len(part) <= _SHORT_PART:
        return part
    cut = part[:_SHORT_PART].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-—–") + "…"


def _list_items(text: str, rules: RuleSet) -> list[str]:
    """The items of a numbered ("1. … 2. …") or bulleted list, if the text is one."""
    numbered = list(_NUMBERED.finditer(text))
    if {1, 2} <= {int(m.group(1)) for m in numbered}:
        bounds = [*(m.end() for m in numbered), len(text)]
        starts = [*(m.start() for m in numbered[1:]), len(text)]
        return [text[a:b] for a, b in zip(bounds, starts, strict=False) if text[a:b].strip()]
    bullets = [m.start() for m in _BULLET.finditer(text)]
    if len(bullets) >= rules.several_problems.min_items:
        ends = [*bullets[1:], len(text)]
        return [text[a:b].strip().lstrip("-*•–—").strip() for a, b in zip(bullets, ends,
                                                                             strict=True)]
    return []


def several_problems(
    text: str, keywords: CategoryKeywords, rules: RuleSet | None = None, language: str = "en"
) -> tuple[str, str] | None:
    """The first two of several problems in one answer, told by the content, shortened for
    the hint that names them; None for one problem.

    A numbered or bulleted list; or two parts joined by "also", "и ещё", "і ще" (the
    connectors of rules.yaml) that each describe a problem of their own ("Outlook doesn't
    send mail, and also Excel crashes on start"); or sentences that each describe a problem,
    in different categories (``keywords`` maps a category id to its keywords, all languages
    together). "Outlook also shows error 0x800CCC0E" is one problem: the part before "also"
    names nothing that fails.
    """
    rules = rules or builtin_rules()
    items = _list_items(text, rules)
    if len(items) >= 2:
        return _short(items[0]), _short(items[1])
    connectors = tuple(c for lst in rules.several_problems.connectors.values() for c in lst)
    folded = fold(text)
    shown = text
    if len(folded) != len(text):  # offsets of the folded text would not fit the original
        text = shown = folded
    for m in _connector_regex(connectors).finditer(folded):
        before, after = text[: m.start()], text[m.end():]
        # What follows must be a problem of its own, not the message of the first one
        # ("..., и ещё пишет «нет сети»").
        first_j = _part(before, rules, language)
        second_j = _part(_QUOTED.sub(" ", after), rules, language)
        limit = rules.max_content_words
        first_things = _things(first_j, language)
        # Each part names a thing (a program, a device) and says something of it; the second
        # names a thing of its own ("…, also it shows error 0x800CCC0E" is the first one's).
        # A first part that is vague on its own still counts when it says something of its
        # thing ("Не працює VPN, і ще …"); a name alone ("Outlook ещё не …") does not.
        says = first_j.predicate and len(tokens(before)) >= 2
        # The second must say what its thing does: in Russian and Ukrainian any verb, in
        # English one that counts ("also with another cable" says nothing of its own).
        second_acts = second_j.predicate and (
            bool(re.search("[\u0400-\u04ff]", after)) or _acts(second_j, language)
            or any(p.what in ("number", "code") for p in second_j.pieces))
        if (first_j.score > limit or (first_j.score >= 1 and first_things and says)) and \
                second_acts and second_j.score >= 1 and \
                _things(second_j, language) - first_things:
            first = _SENTENCE_END.split(shown[: m.start()])
            return _short(first[-1] if first[-1].strip() else before), \
                _short(_SENTENCE_END.split(shown[m.end():])[0])
    two = _two_programs(shown, rules, language)
    if two is not None:
        return two
    parts = [p for p in _SENTENCE_END.split(text) if p.strip()]
    if len(parts) < 2:
        return None
    comp_kw = _compile_keywords(keywords)
    problems = [
        (part, cats) for part in parts
        if _is_problem(part, rules, language)
        and (cats := _categories_in(tokens(part), comp_kw))
    ]
    for i, (part_a, a) in enumerate(problems):
        for part_b, b in problems[i + 1:]:
            if a.isdisjoint(b):
                return _short(part_a), _short(part_b)
    return None


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
    if len(ta & _NEGATIONS) != len(tb & _NEGATIONS):
        return False  # "mail is sent" vs "mail is not sent" says what was expected
    return len(ta & tb) / len(ta | tb) >= cfg.max_overlap


# ---------------------------------------------------------------------------------------------
# The plain function


def check_text(
    question_kind_or_id: str,
    text: str,
    language: str,
    *,
    rules: RuleSet | None = None,
    messages: Messages | None = None,
    kinds_by_id: Mapping[str, str] | None = None,
    keywords: CategoryKeywords | None = None,
    checks: frozenset[str] | None = None,
) -> list[Finding]:
    """Check one free-text answer; the messages come back in ``language``.

    ``question_kind_or_id`` is a kind (``short_text``, ``long_text``, ``error_text``,
    ``subject``, or a role such as ``what_happened`` or ``expected``) or a question id, resolved
    through ``kinds_by_id`` (the default form's questions when not given). Blank text yields no
    findings: an unanswered question is the form's business, not the text rules'.
    """
    if not text.strip():
        return []
    rules = rules or builtin_rules()
    messages = messages if messages is not None else builtin_messages()
    if kinds_by_id is None or keywords is None:
        from app.form.loader import builtin_form  # the default form is only needed here

        form = builtin_form()
        kinds_by_id = form.kinds_by_id() if kinds_by_id is None else kinds_by_id
        keywords = form.category_keywords() if keywords is None else keywords
    kind = question_kind_or_id
    if kind not in CHECKS_BY_KIND:
        kind = kinds_by_id.get(kind, "long_text")
    active = checks if checks is not None else CHECKS_BY_KIND.get(kind, frozenset())

    def finding(code: str, severity: Severity, key: str, **values: str) -> Finding:
        message, example = render(messages, key, language, **values)
        return Finding(code, severity, message, example)

    found: list[Finding] = []
    if "vague" in active or "vague_strict" in active:
        strict = "vague_strict" in active
        result = analyse_vague(text, kind, rules, max_content=0 if strict else None,
                               language=language)
        if result.vague:
            key = result.message_key or "vague"
            values: dict[str, str] = {}
            thing = _named_thing(result, language) if kind in _NAMING_KINDS else None
            if key == "vague" and thing:
                # Say what is already there and what to add: "“Outlook” is a good start…"
                key, values = "vague_named", {"thing": thing}
            elif key == "vague":
                key = ("vague_error_text" if strict else
                       _MESSAGE_BY_KIND.get(kind, "vague"))
            found.append(finding("vague", "block", key, **values))
    if "shouting" in active:
        if is_shouting(text, rules):
            found.append(finding("shouting", "hint", "shouting"))
        elif has_exclamations(text, rules):
            found.append(finding("exclamations", "hint", "exclamations"))
    if "several_problems" in active:
        parts = several_problems(text, keywords, rules, language)
        if parts is not None:
            found.append(finding("several_problems", "hint", "several_problems",
                                 first=parts[0], second=parts[1]))
    return found


def _load_yaml(text: str) -> Any:
    # libyaml when present: rules load on the way to opening the report window.
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
