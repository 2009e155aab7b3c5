"""The form definition: categories and their questions, as loaded from YAML.

A form is data (resources/forms/default.yaml). Questions shared by several categories are
defined once under ``questions:`` and referenced by id from each category; a category may also
define a question of its own inline. After loading (app/form/loader.py) every category lists
question ids only, and :meth:`Form.question` finds the definition.
"""

from __future__ import annotations

from typing import Annotated, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from app.form.messages import Message
from app.form.texts import LangCode, LocalText

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]

QuestionType = Literal[
    "short_text",
    "long_text",
    "choice",
    "multi_choice",
    "yes_no",
    "datetime",
    "number",
    "error_text",
    "screenshot",
]
TEXT_TYPES: frozenset[str] = frozenset({"short_text", "long_text", "error_text"})
CHOICE_TYPES: frozenset[str] = frozenset({"choice", "multi_choice"})

# What a question means to the engine, whatever its id: the rules, the subject line and the
# priority look questions up by role, so a custom form can name its questions freely.
Role = Literal[
    "when",
    "impact",
    "urgency",
    "trying_to_do",
    "function",
    "what_happened",
    "expected",
    "error_seen",
    "error_text",
    "error_screenshot",
]
ROLE_TYPES: dict[str, frozenset[str]] = {
    "when": frozenset({"datetime"}),
    "impact": frozenset({"choice"}),
    "urgency": frozenset({"choice"}),
    "trying_to_do": TEXT_TYPES,
    "function": TEXT_TYPES | CHOICE_TYPES,
    "what_happened": TEXT_TYPES,
    "expected": TEXT_TYPES,
    "error_seen": frozenset({"yes_no"}),
    "error_text": frozenset({"error_text", "long_text", "short_text"}),
    "error_screenshot": frozenset({"screenshot"}),
}
ROLE_OPTIONS: dict[str, tuple[str, ...]] = {
    "impact": ("me", "team", "many"),
    "urgency": ("can_work", "slowed", "blocked"),
}

Scalar = str | bool | int | float
PriorityLevel = Literal["low", "medium", "high", "critical"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Option(_Model):
    id: Id
    label: LocalText
    help: LocalText | None = None


class Condition(_Model):
    """Show a question only if another one has a given answer.

    Exactly one of ``equals``, ``in`` or ``answered`` is set. For a multi-choice question,
    ``equals`` means "this option is ticked" and ``in`` "any of these is ticked".
    """

    question: Id
    equals: Scalar | None = None
    in_: list[Scalar] | None = Field(None, alias="in")
    answered: bool | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        given = [n for n, v in (("equals", self.equals), ("in", self.in_),
                                ("answered", self.answered)) if v is not None]
        if len(given) != 1:
            raise ValueError(
                "show_if needs exactly one of 'equals', 'in' or 'answered'"
                + (f" (found {', '.join(given)})" if given else "")
            )
        return self


class Question(_Model):
    id: Id
    type: QuestionType
    text: LocalText
    help: LocalText | None = None
    example: LocalText | None = Field(None, description="A sample answer shown as placeholder.")
    required: bool = True
    allow_dont_know: bool = False
    role: Role | None = None
    options: list[Option] = Field(default_factory=list)
    show_if: Condition | None = None
    min: float | None = None
    max: float | None = None
    unit: LocalText | None = None
    checks: list[Literal["vague", "vague_strict", "shouting", "several_problems"]] | None = None

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


class Category(_Model):
    id: Id
    label: LocalText
    description: LocalText | None = None
    icon: str | None = None
    keywords: dict[LangCode, list[str]] = Field(
        default_factory=dict,
        description="Words that point at this category; used to notice several problems.",
    )
    questions: list[Id | Question] = Field(min_length=1)
    answers: dict[Id, Scalar] = Field(
        default_factory=dict,
        description="Answers that choosing this category already gives (question id -> "
                    "value): such a question is not asked, and the report carries its answer.",
    )

    def question_ids(self) -> list[str]:
        return [q if isinstance(q, str) else q.id for q in self.questions]


UrgencyKey = Literal["can_work", "slowed", "blocked"]
MatrixRow = dict[UrgencyKey, PriorityLevel]
DEFAULT_PRIORITY_MATRIX: dict[str, MatrixRow] = {
    "me": {"can_work": "low", "slowed": "low", "blocked": "medium"},
    "team": {"can_work": "low", "slowed": "medium", "blocked": "high"},
    "many": {"can_work": "medium", "slowed": "high", "blocked": "critical"},
}


class PriorityMatrix(_Model):
    """Priority level by impact (rows) and urgency (columns); policy may change any cell."""

    me: MatrixRow = Field(default_factory=lambda: dict(DEFAULT_PRIORITY_MATRIX["me"]))
    team: MatrixRow = Field(default_factory=lambda: dict(DEFAULT_PRIORITY_MATRIX["team"]))
    many: MatrixRow = Field(default_factory=lambda: dict(DEFAULT_PRIORITY_MATRIX["many"]))

    def level(self, impact: str, urgency: str) -> PriorityLevel:
        row: dict[str, PriorityLevel] = dict(getattr(self, impact))
        default = cast(dict[str, PriorityLevel], DEFAULT_PRIORITY_MATRIX[impact])
        return row.get(urgency) or default[urgency]


class Form(_Model):
    id: Id
    version: int = 1
    title: LocalText | None = None
    languages: list[LangCode] = Field(default_factory=lambda: ["en"])
    extends: str | None = Field(
        None, description="'default' (the built-in form) or a path relative to this file."
    )
    remove_categories: list[Id] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    categories: list[Category] = Field(default_factory=list)
    messages: dict[str, Message] = Field(default_factory=dict)
    priority_matrix: PriorityMatrix = Field(default_factory=PriorityMatrix)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def category(self, category_id: str) -> Category:
        for c in self.categories:
            if c.id == category_id:
                return c
        raise KeyError(category_id)

    def kinds_by_id(self) -> dict[str, str]:
        """Question id → the kind the text rules use (its role, else its type)."""
        return {q.id: (q.role or q.type) for q in self.questions}

    def category_keywords(self) -> dict[str, list[str]]:
        """Category id → its keywords in all languages together."""
        return {
            c.id: [w for words in c.keywords.values() for w in words]
            for c in self.categories
            if c.keywords
        }
