"""The labelled answers of tests/data/form_answers/ and how the vague-answer judge does on them.

Used by tests/unit/test_form_judge.py (which fails below the goals) and bench/form.py (which
prints the figures). ``tuning.yaml`` may be used to tune rules and word lists; ``heldout.yaml``
never is: it measures the judge on answers it was not tuned on.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "form_answers"
HALVES = ("tuning", "heldout")
LANGUAGES = ("en", "ru", "uk")
KINDS = ("what_happened", "error_text", "expected", "subject", "trying_to_do", "function")

# Goals per language on the held-out half (issue 14).
GOAL_VAGUE_FLAGGED = 0.95
GOAL_SPECIFIC_FLAGGED = 0.03
GOAL_P99_MS = 5.0


@dataclass(frozen=True)
class Answer:
    lang: str
    kind: str
    label: str  # vague | specific
    text: str


def corpus_path(half_or_file: str | Path) -> Path:
    """A half's file (``tuning``, ``heldout``) or any labelled file of the same format."""
    if isinstance(half_or_file, str) and half_or_file in HALVES:
        return DATA / f"{half_or_file}.yaml"
    return Path(half_or_file)


def _flatten(data: dict[str, object]) -> list[dict[str, str]]:
    """The nested form split.py reads (``{lang: {kind: {vague: [...], specific: [...]}}}``), or
    a list kept under one key, as a list of items."""
    lists = [v for v in data.values() if isinstance(v, list)]
    if lists:
        return [i for lst in lists for i in lst]
    out = []
    for lang, kinds in data.items():
        for kind, labels in (kinds or {}).items() if isinstance(kinds, dict) else ():
            for label, texts in (labels or {}).items() if isinstance(labels, dict) else ():
                out.extend({"lang": lang, "kind": kind, "label": label, "text": t}
                           for t in texts or ())
    return out


def load(half_or_file: str | Path) -> list[Answer]:
    """The answers of a half or of any file in the same format: a YAML list of
    ``{lang, kind, label, text}`` (label ``vague`` or ``specific``), or the nested form
    ``{lang: {kind: {vague: [...], specific: [...]}}}``."""
    path = corpus_path(half_or_file)
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if isinstance(items, dict):
        items = _flatten(items)
    out = []
    for n, i in enumerate(items, 1):
        try:
            label = str(i["label"]).strip().lower()
            if label not in ("vague", "specific"):
                raise ValueError(f"label {label!r} is neither vague nor specific")
            out.append(Answer(str(i["lang"]).strip(), str(i["kind"]).strip(), label,
                              str(i["text"])))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}: item {n}: {exc} (each item needs lang, kind, label, "
                             "text)") from exc
    return out


@dataclass
class Cell:
    vague: int = 0
    vague_flagged: int = 0
    specific: int = 0
    specific_flagged: int = 0

    def add(self, answer: Answer, flagged: bool) -> None:
        if answer.label == "vague":
            self.vague += 1
            self.vague_flagged += flagged
        else:
            self.specific += 1
            self.specific_flagged += flagged

    @property
    def recall(self) -> float:
        return self.vague_flagged / self.vague if self.vague else 1.0

    @property
    def false_alarms(self) -> float:
        return self.specific_flagged / self.specific if self.specific else 0.0

    def row(self) -> str:
        return (f"vague flagged {self.vague_flagged:3}/{self.vague:<3} {self.recall:6.1%}   "
                f"specific flagged {self.specific_flagged:2}/{self.specific:<3} "
                f"{self.false_alarms:5.1%}")


@dataclass
class Result:
    half: str
    by_lang: dict[str, Cell] = field(default_factory=lambda: defaultdict(Cell))
    by_lang_kind: dict[tuple[str, str], Cell] = field(default_factory=lambda: defaultdict(Cell))
    misses: list[tuple[Answer, str]] = field(default_factory=list)
    times_ms: list[float] = field(default_factory=list)  # CPU time of each check
    wall_ms: list[float] = field(default_factory=list)

    def p99(self, wall: bool = False) -> float:
        return percentile(self.wall_ms if wall else self.times_ms, 0.99)

    def median(self, wall: bool = False) -> float:
        return percentile(self.wall_ms if wall else self.times_ms, 0.5)

    def report(self) -> str:
        n = sum(c.vague + c.specific for c in self.by_lang.values())
        lines = [f"== {self.half}: {n} answers; per check (CPU time) median "
                 f"{self.median():.2f} ms, p99 {self.p99():.2f} ms; wall clock median "
                 f"{self.median(True):.2f} ms, p99 {self.p99(True):.2f} ms"]
        langs = [*LANGUAGES, *sorted(set(self.by_lang) - set(LANGUAGES))]
        kinds = [*KINDS, *sorted({k for _, k in self.by_lang_kind} - set(KINDS))]
        for lang in langs:
            if lang not in self.by_lang:
                continue
            lines.append(f"{lang}  all           {self.by_lang[lang].row()}")
            for kind in kinds:
                cell = self.by_lang_kind.get((lang, kind))
                if cell is not None:
                    lines.append(f"    {kind:<13} {cell.row()}")
        if self.misses:
            lines.append("misses:")
            for a, why in self.misses:
                lines.append(f"  [{a.lang} {a.kind} {a.label}] {a.text!r}  -- {why}")
        return "\n".join(lines)


def percentile(values: list[float], q: float) -> float:
    t = sorted(values)
    return t[min(len(t) - 1, int(len(t) * q))] if t else 0.0


def evaluate(half: str | Path, repeat: int = 1) -> Result:
    """Check every answer of ``half`` (or of a labelled file) as the form does; time each
    check (warm)."""
    from app.form import check_text
    from app.form.check import prepare
    from app.form.rules import analyse_vague

    prepare()
    result = Result(str(half) if isinstance(half, str) and half in HALVES else
                    corpus_path(half).name)
    answers = load(half)
    for answer in answers:
        flagged = False
        for _ in range(repeat):
            t0, c0 = time.perf_counter(), time.thread_time()
            findings = check_text(answer.kind, answer.text, answer.lang)
            result.times_ms.append((time.thread_time() - c0) * 1000)
            result.wall_ms.append((time.perf_counter() - t0) * 1000)
            flagged = any(f.code == "vague" for f in findings)
        result.by_lang[answer.lang].add(answer, flagged)
        result.by_lang_kind[(answer.lang, answer.kind)].add(answer, flagged)
        if flagged != (answer.label == "vague"):
            a = analyse_vague(answer.text, answer.kind, language=answer.lang)
            j = a.judgement
            why = (f"weight {j.score:g} (limit {a.limit:g})" if j else "") + \
                (f", read as {j.read_as}" if j and j.read_as else "") + \
                f"; content {[p.text for p in j.pieces] if j else a.content}"
            result.misses.append((answer, why))
    return result
