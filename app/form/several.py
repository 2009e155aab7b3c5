"""Several problems in one answer: a list, parts joined by "also", or sentences in different
categories (the "several_problems" hint of :func:`app.form.check.check_text`)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.form.judge import Judgement, judge
from app.form.lexicon import Lexicon, fold
from app.form.normalize import tokens
from app.form.rules import (
    RuleSet,
    _pattern_tokens,
    builtin_rules,
    lexicon_of,
    weights_of,
)

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
            lang = language if language in morph.cyrillic else "ru"
            if any(r.tag.POS in ("VERB", "INFN", "PRTS", "GRND")
                   for r in morph.parse(lang, p.text)[:2]):
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
    lex = lexicon_of(rules)
    for clause in clauses:
        if not any(_may_be_name(n, lex) for n in _NAME.findall(clause)):
            continue  # names nothing (weighing it would find no name)
        j = _part(_QUOTED.sub(" ", clause), rules, language)
        names = {p.text for p in j.pieces if p.what == "name"}
        if names and j.score > rules.max_content_words and _acts(j, language):
            for other, other_names in found:
                if names.isdisjoint(other_names):
                    return _short(other), _short(clause)
            found.append((clause, names))
    return None


def _may_be_name(word: str, lex: Lexicon) -> bool:
    """A word in capitals the judge may read as a name: not one of the words without
    information that open a sentence ("The", "Since", "Please")."""
    return lex.classes_of_form("en", fold(word).replace("'", "")) is None


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
    # The categories first (a look-up per word); only sentences that could make a pair in
    # different categories are weighed.
    in_categories = [(part, cats) for part in parts
                     if (cats := _categories_in(tokens(part), comp_kw))]
    weighed: dict[str, bool] = {}

    def problem(part: str) -> bool:
        if part not in weighed:
            weighed[part] = _is_problem(part, rules, language)
        return weighed[part]

    for i, (part_a, a) in enumerate(in_categories):
        for part_b, b in in_categories[i + 1:]:
            if a.isdisjoint(b) and problem(part_a) and problem(part_b):
                return _short(part_a), _short(part_b)
    return None
