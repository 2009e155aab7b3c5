"""One user filling in the form: the chosen category, the answers, and what is still missing.

:class:`FormState` is what the report window drives: it applies the conditions, runs the
rules, scores the report, derives the priority and the subject line, and hands the answers to
the report builder as :class:`app.report.Answer` objects.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Literal

from app.form.messages import Messages, builtin_messages, render
from app.form.model import TEXT_TYPES, Category, Form, Question, Scalar
from app.form.texts import pick
from app.form.when import When
from app.report import Answer, AnswerTexts, Priority, ReportTexts, now_utc

# The answer rules (app.form.rules, app.form.check: the judge, its parsers, the rule set) load
# at the first check of an answer, not when the window opens: its first page shows only the
# categories, and their import took a third of the time to that page.
if TYPE_CHECKING:
    from app.form.rules import RuleSet

IssueSeverity = Literal["block", "hint"]
AnswerValue = str | list[str] | bool | int | float | When | datetime | None

SUBJECT_ID = "subject"
CATEGORY_ID = "category"
# A "when" answer this far in the future is a mistake, not clock skew.
_FUTURE_SLACK = timedelta(minutes=5)
_SUBJECT_MAX = 120


@dataclass(frozen=True)
class Issue:
    """Something to fix (``block``) or consider (``hint``) in the answer to one question.

    ``question_id`` is a question id, ``"subject"`` or ``"category"``.
    """

    question_id: str
    severity: IssueSeverity
    code: str
    message: str
    example: str = ""


@dataclass(frozen=True)
class Quality:
    """The report-quality meter: ``score`` 0..100 and the points of each part."""

    score: int
    breakdown: dict[str, int] = field(default_factory=dict)
    maximum: dict[str, int] = field(default_factory=dict)

    def __int__(self) -> int:
        return self.score


QUALITY_PARTS = {"answered": 35, "no_blocking_issues": 25, "detail": 20, "evidence": 10,
                 "polish": 10}


@dataclass
class _Given:
    value: AnswerValue
    dont_know: bool = False


def _is_blank(value: AnswerValue) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return not [v for v in value if str(v).strip()]
    return False


def _first_line(text: str, limit: int) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    for end in (". ", "! ", "? "):
        if end in line[:limit]:
            line = line.split(end, 1)[0]
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


class FormState:
    """The form as one user fills it in, in one language.

    ``clock`` returns an aware "now" (UTC); ``tz`` is the user's time zone for "earlier today
    at 09:40" (the clock's zone when not given).
    """

    def __init__(
        self,
        form: Form,
        language: str = "en",
        *,
        clock: Callable[[], datetime] = now_utc,
        tz: tzinfo | None = None,
        rules: RuleSet | None = None,
        messages: Messages | None = None,
    ) -> None:
        self.form = form
        self.language = language
        self._clock = clock
        self._tz = tz
        self._rule_set = rules
        self._given_messages = messages
        self._all_messages: Messages | None = None
        self._category: Category | None = None
        self._answers: dict[str, _Given] = {}
        self._subject: str | None = None
        # Answers the chosen category gives (see Category.answers): not the person's own.
        self._given_by_category: set[str] = set()
        self._kinds = form.kinds_by_id()
        self._keywords = form.category_keywords()

    @property
    def _rules(self) -> RuleSet:
        if self._rule_set is None:
            from app.form.rules import builtin_rules

            self._rule_set = builtin_rules()
        return self._rule_set

    @property
    def _messages(self) -> Messages:
        # Read at the first message shown (a label or an issue), not when the window opens.
        if self._all_messages is None:
            self._all_messages = {**(self._given_messages or builtin_messages()),
                                  **self.form.messages}
        return self._all_messages

    # --- input ---------------------------------------------------------------------------

    @property
    def category(self) -> Category | None:
        return self._category

    def set_category(self, category_id: str) -> None:
        try:
            self._category = self.form.category(category_id)
        except KeyError:
            known = ", ".join(c.id for c in self.form.categories)
            raise ValueError(f"unknown category {category_id!r} (known: {known})") from None
        for qid in self._given_by_category:
            self._answers.pop(qid, None)
        self._given_by_category = set(self._category.answers)
        for qid, value in self._category.answers.items():
            self._answers[qid] = _Given(value)

    def set_answer(self, question_id: str, value: AnswerValue, dont_know: bool = False) -> None:
        """Record an answer; ``None`` (or blank) with ``dont_know=False`` clears it."""
        try:
            self.form.question(question_id)
        except KeyError:
            raise ValueError(f"unknown question {question_id!r}") from None
        if question_id in self._given_by_category:
            return  # the category already says it, and the question is not asked
        if dont_know:
            self._answers[question_id] = _Given(None, True)
        elif _is_blank(value):
            self._answers.pop(question_id, None)
        else:
            self._answers[question_id] = _Given(value)

    def answer(self, question_id: str) -> AnswerValue:
        given = self._answers.get(question_id)
        return None if given is None else given.value

    def is_dont_know(self, question_id: str) -> bool:
        given = self._answers.get(question_id)
        return given is not None and given.dont_know

    def set_subject(self, text: str | None) -> None:
        """Use ``text`` as the subject (checked by the same rules); ``None`` goes back to the
        generated one."""
        self._subject = text.strip() if text and text.strip() else None

    # --- texts for the UI -----------------------------------------------------------------

    def text(self, value: Any) -> str:
        """A form text (plain or translated) in this state's language."""
        return pick(value, self.language)

    def label(self, key: str, **values: Any) -> str:
        """A message or UI label from messages.yaml in this state's language."""
        return render(self._messages, key, self.language, **values)[0]

    # --- conditions -----------------------------------------------------------------------

    def _condition_met(self, q: Question, shown: set[str]) -> bool:
        cond = q.show_if
        if cond is None:
            return True
        if cond.question not in shown:
            return False
        given = self._answers.get(cond.question)
        if given is None or given.dont_know:
            return False if cond.answered is None else cond.answered is False
        if cond.answered is not None:
            return cond.answered
        wanted: list[Scalar] = [cond.equals] if cond.equals is not None else list(cond.in_ or [])
        have = given.value if isinstance(given.value, list) else [given.value]
        return any(self._same(h, w) for h in have for w in wanted)

    @staticmethod
    def _same(have: Any, want: Scalar) -> bool:
        if isinstance(want, bool) or isinstance(have, bool):
            return isinstance(have, bool) and isinstance(want, bool) and have is want
        return str(have) == str(want)

    def visible_questions(self) -> list[Question]:
        """The questions of the chosen category that apply, in order (conditions applied)."""
        if self._category is None:
            return []
        shown: set[str] = set()
        out: list[Question] = []
        for qid in self._category.question_ids():
            q = self.form.question(qid)
            if self._condition_met(q, shown):
                shown.add(qid)
                out.append(q)
        return out

    def asked_questions(self) -> list[Question]:
        """The visible questions the person answers: those the category answers are left out
        (their answers still go into the report, and conditions still see them)."""
        return [q for q in self.visible_questions() if q.id not in self._given_by_category]

    def given_by_category(self) -> dict[str, AnswerValue]:
        """Question id -> the answer the chosen category gives."""
        return {qid: self._answers[qid].value for qid in self._given_by_category
                if qid in self._answers}

    def _by_role(self, role: str) -> Question | None:
        return next((q for q in self.visible_questions() if q.role == role), None)

    def _answered(self, q: Question | None) -> bool:
        return q is not None and q.id in self._answers and not self._answers[q.id].dont_know

    # --- rules ----------------------------------------------------------------------------

    def _issue(self, qid: str, severity: IssueSeverity, code: str, key: str,
               q: Question | None = None, **values: Any) -> Issue:
        if q is not None:
            values.setdefault("question", self.text(q.text).rstrip("?:. "))
        message, example = render(self._messages, key, self.language, **values)
        if not example and q is not None and q.example is not None and code == "required":
            example = self.text(q.example)
        return Issue(qid, severity, code, message, example)

    def _check_value(self, q: Question, value: AnswerValue) -> list[Issue]:
        """Type checks, then the text rules for free-text answers."""
        from app.form.check import check_text
        from app.form.rules import CHECKS_BY_KIND

        t = q.type
        if t in TEXT_TYPES:
            if not isinstance(value, str):
                return [self._issue(q.id, "block", "invalid", "fallback", q)]
            kind = q.role if q.role in CHECKS_BY_KIND else t
            checks = frozenset(q.checks) if q.checks is not None else None
            return [
                Issue(q.id, f.severity, f.code, f.message, f.example)
                for f in check_text(kind, value, self.language, rules=self._rules,
                                    messages=self._messages, kinds_by_id=self._kinds,
                                    keywords=self._keywords, checks=checks)
            ]
        if t == "choice":
            if not isinstance(value, str) or q.option(value) is None:
                return [self._issue(q.id, "block", "invalid", "invalid_choice", q)]
        elif t == "multi_choice":
            if not isinstance(value, list) or not all(
                isinstance(v, str) and q.option(v) is not None for v in value
            ):
                return [self._issue(q.id, "block", "invalid", "invalid_multi_choice", q)]
        elif t == "yes_no":
            if not isinstance(value, bool):
                return [self._issue(q.id, "block", "invalid", "invalid_yes_no", q)]
        elif t == "number":
            number = self._number(value)
            if number is None:
                return [self._issue(q.id, "block", "invalid", "invalid_number", q)]
            if (q.min is not None and number < q.min) or (q.max is not None and number > q.max):
                return [self._issue(q.id, "block", "out_of_range", "number_range", q,
                                    min=f"{q.min:g}" if q.min is not None else "…",
                                    max=f"{q.max:g}" if q.max is not None else "…")]
        elif t == "datetime":
            try:
                moment = self._resolve_when(value)
            except ValueError:
                return [self._issue(q.id, "block", "invalid", "invalid_datetime", q)]
            if moment > self._clock() + _FUTURE_SLACK:
                return [self._issue(q.id, "block", "future", "datetime_future", q)]
        elif t == "screenshot" and not isinstance(value, str | list):
            return [self._issue(q.id, "block", "invalid", "screenshot_required", q)]
        return []

    @staticmethod
    def _number(value: AnswerValue) -> float | None:
        if isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value.strip().replace(",", ".").replace(" ", ""))
            except ValueError:
                return None
        return None

    def _resolve_when(self, value: AnswerValue) -> datetime:
        return When.parse(value).resolve(self._clock(), self._tz)

    def validate(self) -> list[Issue]:
        """Every block and hint, in question order; the subject's come last."""
        if self._category is None:
            return [self._issue(CATEGORY_ID, "block", "required", "choose_category")]
        from app.form.check import check_text

        issues: list[Issue] = []
        for q in self.visible_questions():
            given = self._answers.get(q.id)
            if given is not None and given.dont_know:
                if not q.allow_dont_know:
                    issues.append(self._issue(q.id, "block", "dont_know_not_allowed",
                                              "dont_know_not_allowed", q))
                continue
            if given is None:
                if q.required:
                    key = ("screenshot_required" if q.type == "screenshot" else
                           "required_or_dont_know" if q.allow_dont_know else "required")
                    issues.append(self._issue(q.id, "block", "required", key, q))
                continue
            issues.extend(self._check_value(q, given.value))
        issues.extend(self._cross_issues())
        if self._subject is not None:
            issues.extend(
                Issue(SUBJECT_ID, f.severity, f.code, f.message, f.example)
                for f in check_text("subject", self._subject, self.language, rules=self._rules,
                                    messages=self._messages, kinds_by_id=self._kinds,
                                    keywords=self._keywords)
            )
        return issues

    def _cross_issues(self) -> list[Issue]:
        from app.form.rules import same_as_happened

        out: list[Issue] = []
        expected, happened = self._by_role("expected"), self._by_role("what_happened")
        if expected and happened and self._answered(expected) and self._answered(happened):
            exp, hap = self.answer(expected.id), self.answer(happened.id)
            if isinstance(exp, str) and isinstance(hap, str) and same_as_happened(
                exp, hap, self._rules
            ):
                out.append(self._issue(expected.id, "block", "same_as_happened",
                                       "same_as_happened", expected))
        seen = self._by_role("error_seen")
        text_q, shot_q = self._by_role("error_text"), self._by_role("error_screenshot")
        if (seen and self.answer(seen.id) is True and (text_q or shot_q)
                and not self._answered(text_q) and not self._answered(shot_q)):
            target = text_q or shot_q
            assert target is not None
            out.append(self._issue(target.id, "block", "error_evidence", "error_evidence",
                                   target))
        return out

    # --- quality, priority, subject ---------------------------------------------------------

    def quality(self, issues: list[Issue] | None = None) -> Quality:
        """The report-quality meter (0..100) with the points of each part."""
        from app.form.rules import analyse_vague

        issues = self.validate() if issues is None else issues
        visible = self.visible_questions()
        counted = [q for q in visible if q.required or q.id in self._answers]
        got = sum(0.5 if self._answers[q.id].dont_know else 1.0
                  for q in counted if q.id in self._answers)
        answered = QUALITY_PARTS["answered"] * (got / len(counted) if counted else 0.0)
        blocks = sum(1 for i in issues if i.severity == "block")
        hints = sum(1 for i in issues if i.severity == "hint")
        no_blocks = max(0, QUALITY_PARTS["no_blocking_issues"] - 10 * blocks)
        content = 0
        for role in ("trying_to_do", "what_happened", "expected"):
            q = self._by_role(role)
            value = self.answer(q.id) if q is not None else None
            if isinstance(value, str):
                content += len(analyse_vague(value, role, self._rules).content)
        detail = QUALITY_PARTS["detail"] * min(1.0, content / 10)
        seen = self._by_role("error_seen")
        if seen is None or self.answer(seen.id) is False:
            evidence = 1.0
        elif self.answer(seen.id) is True:
            has = self._answered(self._by_role("error_text")) or self._answered(
                self._by_role("error_screenshot"))
            evidence = 1.0 if has else 0.0
        else:
            evidence = 0.5
        parts = {
            "answered": round(answered),
            "no_blocking_issues": no_blocks,
            "detail": round(detail),
            "evidence": round(QUALITY_PARTS["evidence"] * evidence),
            "polish": max(0, QUALITY_PARTS["polish"] - 4 * hints),
        }
        if self._category is None:
            parts = dict.fromkeys(parts, 0)
        return Quality(min(100, sum(parts.values())), parts, dict(QUALITY_PARTS))

    def can_submit(self, min_quality: int) -> bool:
        """No blocking issue and a quality of at least ``min_quality`` (policy form.min_quality)."""
        issues = self.validate()
        if any(i.severity == "block" for i in issues):
            return False
        return self.quality(issues).score >= min_quality

    def priority(self) -> Priority:
        """Impact × urgency through the form's matrix; unanswered counts as the lowest."""
        impact_q, urgency_q = self._by_role("impact"), self._by_role("urgency")
        impact = self.answer(impact_q.id) if impact_q else None
        urgency = self.answer(urgency_q.id) if urgency_q else None
        impact_s = impact if impact in ("me", "team", "many") else "me"
        urgency_s = urgency if urgency in ("can_work", "slowed", "blocked") else "can_work"
        level = self.form.priority_matrix.level(str(impact_s), str(urgency_s))
        return Priority.model_validate(
            {"impact": impact_s, "urgency": urgency_s, "level": level})

    def priority_text(self) -> str:
        """The priority as the user sees it, e.g. "Priority: high (affects my team; …)"."""
        p = self.priority()
        return self.label("label_priority", level=self.label(f"priority_{p.level}"),
                          impact=self.label(f"impact_{p.impact}"),
                          urgency=self.label(f"urgency_{p.urgency}"))

    def generated_subject(self) -> str:
        """Category, the function that fails, and the error (or what happened)."""
        from app.form.rules import analyse_vague, is_shouting

        if self._category is None:
            return ""
        parts = [self.text(self._category.label)]
        func_q = self._by_role("function")
        if func_q is not None and self._answered(func_q):
            func = self._display(func_q, self._answers[func_q.id].value)
            parts[0] += f": {_first_line(func, 40)}"
        detail = ""
        for role in ("error_text", "what_happened"):
            q = self._by_role(role)
            value = self.answer(q.id) if q is not None else None
            # A vague answer ("it doesn't work", "HELP!!") names nothing: support reads the
            # subject first, so it never ends in one.
            if (isinstance(value, str) and value.strip() and not is_shouting(value, self._rules)
                    and not analyse_vague(value, role, self._rules,
                                          language=self.language).vague):
                detail = _first_line(value, 70)
                break
        subject = parts[0] + (f" — {detail}" if detail else "")
        return subject if len(subject) <= _SUBJECT_MAX else subject[: _SUBJECT_MAX - 1] + "…"

    def subject(self) -> str:
        """The subject line: the user's edit if any, else the generated one."""
        return self._subject if self._subject is not None else self.generated_subject()

    # --- output ---------------------------------------------------------------------------

    def _display(self, q: Question, value: AnswerValue) -> str:
        if isinstance(value, str) and q.type in TEXT_TYPES:
            return value.strip()
        if q.type == "choice" and isinstance(value, str):
            opt = q.option(value)
            return self.text(opt.label) if opt else value
        if q.type == "multi_choice" and isinstance(value, list):
            return ", ".join(
                self.text(o.label) if (o := q.option(str(v))) else str(v) for v in value)
        if q.type == "yes_no" and isinstance(value, bool):
            return self.label("label_yes" if value else "label_no")
        if q.type == "number":
            number = self._number(value)
            unit = self.text(q.unit) if q.unit is not None else ""
            return f"{number:g} {unit}".strip() if number is not None else str(value)
        if q.type == "datetime":
            when = When.parse(value)
            moment = when.resolve(self._clock(), self._tz)
            if when.kind == "now":
                return self.label("label_when_now")
            if when.kind == "minutes_ago":
                return self.label("label_when_minutes_ago", minutes=when.minutes)
            if when.kind == "earlier_today":
                return self.label("label_when_earlier_today", time=when.time)
            return self.label("label_when_pick", date=moment.strftime("%Y-%m-%d"),
                              time=moment.strftime("%H:%M"))
        if q.type == "screenshot":
            count = len(value) if isinstance(value, list) else 1
            return self.label("label_screenshot_attached", count=count)
        return str(value)

    def _stored(self, q: Question, value: AnswerValue) -> str | list[str] | bool | float | int:
        if q.type == "datetime":
            return self._resolve_when(value).isoformat()
        if q.type == "number":
            number = self._number(value)
            if number is not None:
                return int(number) if number.is_integer() else number
        if q.type == "screenshot" and isinstance(value, str):
            return [value]
        if isinstance(value, list):
            return [str(v) for v in value]
        if isinstance(value, str | bool | int | float):
            return value.strip() if isinstance(value, str) else value
        return str(value)

    def happened_at(self) -> datetime | None:
        q = self._by_role("when")
        if q is None or not self._answered(q):
            return None
        try:
            return self._resolve_when(self.answer(q.id))
        except ValueError:
            return None

    def report_texts(self, language: str) -> ReportTexts:
        """The form's texts of :meth:`to_report_fields` in ``language`` (support's, which may
        differ from the person's): the category, a generated title, each question and chosen
        option. What the person typed, a subject they wrote among it, stays theirs."""
        other = copy.copy(self)
        other.language = language
        mine, theirs = self.to_report_fields(), other.to_report_fields()
        answers = {}
        for a, b in zip(mine["answers"], theirs["answers"], strict=True):
            answers[a.question_id] = AnswerTexts(
                question=b.question, display="" if b.display == a.display else b.display)
        return ReportTexts(title=theirs["title"] if self._subject is None else "",
                           category_label=theirs["category_label"], answers=answers)

    def to_report_fields(self) -> dict[str, Any]:
        """The form's part of :class:`app.report.Report`: ``Report(**fields, ...)``.

        Only visible questions are reported, with the question text the user saw.
        """
        answers: list[Answer] = []
        for q in self.visible_questions():
            given = self._answers.get(q.id)
            text = self.text(q.text)
            if given is None:
                continue
            if given.dont_know:
                answers.append(Answer(question_id=q.id, question=text, value=None,
                                      display=self.label("label_dont_know"), dont_know=True))
                continue
            try:
                answers.append(Answer(question_id=q.id, question=text,
                                      value=self._stored(q, given.value),
                                      display=self._display(q, given.value)))
            except ValueError:
                answers.append(Answer(question_id=q.id, question=text, value=str(given.value),
                                      display=str(given.value)))
        return {
            "form_id": self.form.id,
            "category": self._category.id if self._category else "",
            "category_label": self.text(self._category.label) if self._category else "",
            "answers": answers,
            "title": self.subject(),
            "priority": self.priority(),
            "happened_at": self.happened_at(),
        }
