"""What an answer says beside the problem: clauses that name nothing of it (issue 14, round 5).

The judge (app/form/judge.py) weighs the words an answer names. Some answers name things and
still say nothing of what fails, because of *what the clause they stand in does*, whatever its
words:

* **meta-talk**: a clause that points elsewhere ("as discussed", "see my previous email",
  «как я говорила по телефону», «подробности в переписке с Андреем») or asks back ("which one
  do you mean?", «а что вам нужно знать?»). Its words weigh nothing; a code, a number, a path
  or a quoted message in it still counts ("as discussed: Teams crashes with 0xc0000005"
  keeps everything after the colon, and the code wherever it stands). The phrases that mark a
  clause are the groups of rules.yaml with ``clause: true``; a question back is told by its
  "?" and by whom it speaks to (you, вы, ви) or how it starts (what, which, какой, який).
* **the person's own story**: clauses whose subject is the person ("пришла, разделась,
  включила чайник", "made coffee, sat down, logged in") tell what the person did, not what a
  thing does. Told by grammar: a Russian or Ukrainian verb in the first person, or in the past
  with no noun before it that agrees with it (the person left out); an English clause that
  opens with "I"/"we" and a verb, or with a verb after such a clause. Verbs of what the person
  saw or got ("I get", «вижу»: the words list ``perceive``) and negated verbs ("I can't log
  in", «не могу войти») say what fails, so they are no story. A story weighs nothing only when
  nothing outside it is named (two clauses of it or more, in a description): "Пришла утром,
  включила компьютер, а 1С пишет, что база заблокирована" names what fails after the story.
* **dictated punctuation**: "comma", «запятая», «кома» spoken into voice input are read as the
  marks they name before anything is weighed (:func:`unspoken`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from app.form.figures import phone_number, place_number, story_time
from app.form.judge import Judgement, is_cyrillic, read_words
from app.form.lexicon import EN_ADV, EN_NOUN, EN_VERB, NOINFO, Lexicon, fold, grammar, morphology

# Where one clause ends: a comma, colon or semicolon before a space, a sentence's end, a dash
# between spaces, brackets (not the dot of "3.5", "M.E.Doc" or the comma of "1,5").
_BREAK = re.compile(r"[,;:](?=\s|$)|[.!?…]+(?=\s|$)|[()\[\]\n]|\s[-–—]+\s|[«»“”\"]")
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n")


@dataclass(frozen=True)
class Clause:
    words: tuple[str, ...]  # as the judge reads them (app/form/judge.py)
    meta: bool  # points elsewhere or asks back
    story: bool  # the person's own acts
    phones: frozenset[int] = frozenset()  # where its phone numbers stand ("ext 4471")


class Phrases:
    """Phrases that mark a clause as meta-talk, matched word for word (a phrase spans no other
    words: "same as" is not "the same mails as"); a word ending in "*" is a stem, "*" any word."""

    def __init__(self, patterns: Iterable[tuple[str, ...]]) -> None:
        self._exact: dict[str, list[tuple[str, ...]]] = {}
        self._stems: list[tuple[str, tuple[str, ...]]] = []
        for pat in patterns:
            if not pat:
                continue
            if pat[0].endswith("*"):
                self._stems.append((pat[0][:-1], pat))
            else:
                self._exact.setdefault(pat[0], []).append(pat)

    def found(self, toks: Sequence[str]) -> bool:
        for at, tok in enumerate(toks):
            for pat in self._exact.get(tok, ()):
                if _phrase_at(toks, at, pat):
                    return True
            for stem, pat in self._stems:
                if tok.startswith(stem) and _phrase_at(toks, at, pat):
                    return True
        return False


def _phrase_at(toks: Sequence[str], at: int, pat: tuple[str, ...]) -> bool:
    if at + len(pat) > len(toks):
        return False
    for tok, p in zip(toks[at:at + len(pat)], pat, strict=True):
        if p != "*" and tok != p and not (p.endswith("*") and tok.startswith(p[:-1])):
            return False
    return True


def unspoken(text: str, lex: Lexicon) -> str:
    """``text`` with punctuation spoken into voice input written as the mark ("," for each:
    it ends a clause either way)."""
    if lex.spoken is None or lex.spoken.search(text) is None:
        return text
    return lex.spoken.sub(",", text)


# Words of an answer whose story is looked for: a longer one that names nothing is rare, and
# the grammar of every word of it would cost more than the whole check.
STORY_AT_MOST = 45


def clauses(text: str, language: str, lex: Lexicon, is_meta: Callable[[str], bool],
            stories: bool = True) -> list[Clause]:
    """The clauses of ``text``, each marked as meta-talk or (with ``stories``) the person's
    story. ``is_meta`` tells whether a clause's text holds a phrase that points elsewhere."""
    g = grammar()
    out: list[Clause] = []
    previous_story = False
    signed = False  # after "Kind regards", «С уважением» comes the signature
    for sentence in _SENTENCE.split(text):
        words = read_words(sentence)
        if not words:
            continue
        # A question to the helper about the answer ("do you need the serial number?"), not
        # one about what fails ("can you tell me why Excel crashes?", "can you help, Outlook
        # won't sync?"): those ask why, or say what does not happen.
        # The question starts where it speaks to "you" or asks "which" ("Outlook asks for my
        # password every 5 minutes, can you reset it?": only the last clause asks back).
        question = sentence.rstrip().endswith("?") and \
            g["why"].isdisjoint(words) and g["clause_negations"].isdisjoint(words)
        asks_back = False
        for part in _BREAK.split(sentence):
            for chunk in _split_joins(read_words(part)):
                if not chunk:
                    continue
                asks_back = asks_back or (question and (
                    not g["you"].isdisjoint(chunk) or chunk[0] in g["asking"] or
                    (chunk[0] in g["leading"] and len(chunk) > 1 and chunk[1] in g["asking"])))
                signed = signed or not grammar()["sign_off"].isdisjoint(chunk)
                # "Hi team", «Добрый день, коллеги»: a greeting of a few words names nothing
                greeting = len(chunk) <= _GREETING_AT_MOST and chunk[0] in grammar()["greeting"]
                meta = asks_back or signed or greeting or is_meta(" ".join(chunk))
                person, story = (False, False) if meta or not stories else \
                    _story(chunk, language, lex, previous_story)
                previous_story = person
                phones = frozenset(n for n in range(len(chunk))
                                   if meta and (phone_number(chunk, n, lex) >= 0 or
                                                place_number(chunk, n, lex)))
                out.append(Clause(tuple(chunk), meta, story, phones))
    return out


# A letter's frame: a greeting of a few words, and a sign-off with everything after it (the
# name, the department).
_GREETING_AT_MOST = 3


def _split_joins(words: Sequence[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for w in words:
        if w in grammar()["joins"] and out[-1]:
            out.append([])
        else:
            out[-1].append(w)
    return out


def _story(words: Sequence[str], language: str, lex: Lexicon,
           after_person: bool) -> tuple[bool, bool]:
    """Whether the person is the clause's subject, and whether it tells the person's own act
    (not what they saw or got, not what failed)."""
    g = grammar()
    if not g["clause_negations"].isdisjoint(words) or not g["third_person"].isdisjoint(words):
        return False, False
    if any(is_cyrillic(w) for w in words):
        story = _cyrillic_story(words, language, lex)
        return story, story
    return _english_story(words, lex, after_person)


def _english_story(words: Sequence[str], lex: Lexicon, after_person: bool) -> tuple[bool, bool]:
    morph, g = morphology(), grammar()
    at = 0
    # "so", "then", "honestly": what opens the clause before its subject
    while at < len(words) and (words[at] in g["leading"] or morph.english_pos(words[at]) == EN_ADV):
        at += 1
    if at >= len(words):
        return False, False
    subject = words[at] in grammar()["we"]
    if subject:
        at += 1
        while at < len(words) and words[at] in grammar()["clause_aux"]:
            at += 1
    elif not after_person:
        return False, False
    if at >= len(words):
        return False, False
    verb = words[at]
    bits = morph.english_pos(verb)
    if not bits & EN_VERB or (not subject and bits & EN_NOUN):
        return False, False  # "the screen", "logs": not a verb the person is the subject of
    perceive = lex.perceive.get("en", frozenset())
    own = morph.stem(morph.english_lemmas.get(verb, verb)) not in perceive and \
        morph.stem(verb) not in perceive
    return True, own


def _cyrillic_story(words: Sequence[str], language: str, lex: Lexicon) -> bool:
    morph = morphology()
    langs = [lang for lang in (language, "uk" if language == "ru" else "ru")
             if lang in morph.cyrillic]
    if not langs:
        return False
    person = False
    for at, word in enumerate(words):
        if not is_cyrillic(word):
            return False  # a name written in Latin letters: most likely what acts ("Outlook")
        lang = next((code for code in langs if morph.is_known(code, word)), None)
        if lang is None:
            if any(NOINFO in (lex.classes_of_form(code, word) or ()) for code in langs):
                continue  # a small word the dictionary lacks («ще»)
            return False  # a word no dictionary knows: a name, perhaps the subject («аутлук»)
        parses = morph.parse(lang, word)
        top = parses[0].score
        likely = [p for p in parses if p.score >= top * 0.5]
        verbs = [p for p in likely if p.tag.POS == "VERB"]
        if not verbs:
            continue  # «стол», «утром», «чайник» («села» may be «село» too: a verb still)
        tag = verbs[0].tag
        lemma = fold(verbs[0].normal_form)
        if lemma in lex.perceive.get(lang, frozenset()):
            return False
        if "impr" in tag.grammemes:
            continue  # addressed to the helper («помогите»): a request, weighed as nothing
        if "1per" in tag.grammemes:
            person = True
        elif "past" in tag.grammemes and tag.number in ("sing", None) and \
                tag.gender in ("masc", "femn"):
            if _subject(words, at, tag, langs[0]):
                return False
            person = True
        elif "past" in tag.grammemes and tag.number == "plur" and \
                not grammar()["we"].isdisjoint(words):
            person = True
        else:
            return False  # a thing acts: "пишет", «началось», «вони»
    return person


def _subject(words: Sequence[str], at: int, verb: Any, lang: str) -> bool:
    """A noun that agrees with the verb at ``at`` as its subject: before it ("компьютер
    завис", «вона закрила»), or after it when it cannot be the object («распечаталась только
    первая страница»: «страница» is no accusative, and «-ся» takes none)."""
    morph = morphology()
    for n, word in enumerate(words):
        if n == at or word in ("я", "мы", "ми"):
            continue
        parses = morph.parse(lang, word)[:3]
        for p in parses:
            if p.tag.POS in ("NOUN", "NPRO") and p.tag.case == "nomn" and \
                    p.tag.gender in (verb.gender, None) and (
                        n < at or "Refl" in verb.grammemes or
                        not any(q.tag.case == "accs" for q in parses)):
                return True
    return False


STORY_KINDS = frozenset({"what_happened", "long_text", "subject"})
_STORY_AT_LEAST = 2  # clauses: one "I lost my bookmarks in Chrome" is what fails, not a story
_KEPT = frozenset({"code", "path", "quote", "number"})  # count wherever they stand


def discount(j: Judgement, found: Sequence[Clause], kind: str, limit: float,
             weigh: Callable[[str], Judgement]) -> Judgement:
    """The judgement of what is left without meta-talk, and without the person's story when
    nothing outside it is named. ``weigh`` judges a text (what is left is weighed anew: the
    words of one clause weigh the same wherever they stand, and what a code or a number says
    does not depend on the clause around it, so those of the clauses left out are kept)."""
    telling = kind in STORY_KINDS and sum(c.story for c in found) >= _STORY_AT_LEAST
    if not telling and not any(c.meta for c in found):
        return j
    if any(c.meta for c in found):
        j = weigh(_left(found, lambda c: c.meta))
    if telling:
        # A product named in the person's story ("I upgraded to Windows 11") is a particular
        # thing still; people named in meta-talk ("as I told Mike") are not.
        names = {p.text for p in j.pieces if p.what == "name"}
        told = weigh(_left(found, lambda c: c.meta or c.story, names))
        if sum(p.weight for p in told.pieces if p.what not in _KEPT) <= limit / 2:
            j = told
    return j


def _left(found: Sequence[Clause], out: Callable[[Clause], bool],
          names: frozenset[str] | set[str] = frozenset()) -> str:
    kept = [" ".join(c.words) for c in found if not out(c)]
    # (not when it happened: "came in at 8", "sat there for 20 min", «в 9 пришла»)
    codes = [w for c in found if out(c) for n, w in enumerate(c.words)
             if (any(ch.isdigit() for ch in w) or "_" in w or (w in names and not c.meta))
             and not story_time(c.words, n) and n not in c.phones]
    return ", ".join(kept + codes)

