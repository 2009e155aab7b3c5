"""The plain function, :func:`check_text`: ``(question kind or id, text, language) →
findings``, with the message each finding gets; and :func:`prepare`, which loads the judge's
dictionaries ahead of the first check."""

from __future__ import annotations

import re
from collections.abc import Mapping

from app.form.lexicon import fold
from app.form.messages import Messages, builtin_messages, render
from app.form.rules import (
    CHECKS_BY_KIND,
    Finding,
    RuleSet,
    Severity,
    VagueAnalysis,
    analyse_vague,
    builtin_rules,
    has_exclamations,
    is_shouting,
)
from app.form.several import CategoryKeywords, several_problems

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
        morph = morphology()
        lang = language if language in morph.cyrillic else "ru"
        if lang not in morph.cyrillic:
            return word
        parse = morph.parse(lang, word)[0]
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
        # Only the verdict is wanted: the weighing stops once the answer is clearly specific.
        result = analyse_vague(text, kind, rules, max_content=0 if strict else None,
                               language=language, content_wanted=0)
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


def prepare(rules: RuleSet | None = None) -> None:
    """Load the dictionaries and build the word tables now rather than on the first check
    (the report window may call this in a worker thread as it opens)."""
    check_text("what_happened", "Outlook не отправляет письма, also Excel crashes", "en",
               rules=rules)
    # A vague answer too: the phrases of rules.yaml are compiled on the first one.
    check_text("what_happened", "ничего не работает", "ru", rules=rules)
