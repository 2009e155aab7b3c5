"""Load a form from YAML, with precise messages (file:line:col) for the people who write forms.

:func:`check_form` returns every problem found (errors and warnings); :func:`load_form` returns
the form or raises :class:`FormError` listing the errors. A form may start from another with
``extends: default`` (the built-in form) or ``extends: other.yaml`` (relative to the file):
its questions and categories replace those with the same id, new ones are added, and
``remove_categories`` drops categories it does not want.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

import resources
from app.form.messages import Message, builtin_messages
from app.form.model import (
    CHOICE_TYPES,
    ROLE_OPTIONS,
    ROLE_TYPES,
    Category,
    Condition,
    Form,
    Option,
    PriorityMatrix,
    Question,
)
from app.form.texts import LocalText, missing_languages
from app.i18n import N_, current
from app.regular_file import NotRegularFile, read_regular_bytes

BUILTIN_NAME = "default"
# How the built-in form is named in messages, and how the loader knows to read its copy.
BUILTIN_DISPLAY = "<built-in default form>"
ProblemSeverity = Literal["error", "warning"]
Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a form file, where it is, and (in the message) what to do."""

    file: str
    line: int
    column: int
    severity: ProblemSeverity
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        t = current()
        severity = (t.ptr("form problem", "error") if self.severity == "error"
                    else t.ptr("form problem", "warning"))
        return f"{where}: {severity}: {self.message}"


class FormError(ValueError):
    """The form file cannot be used; ``problems`` lists every error found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        t = current()
        first = str(problems[0]) if problems else t.tr("invalid form")
        more = (" " + t.ntr("(and {n} more problem)", "(and {n} more problems)",
                            n=len(problems) - 1) if len(problems) > 1 else "")
        super().__init__(first + more)


@dataclass
class _Source:
    """One parsed file: its data and where every value (and key) starts in it."""

    file: str
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def at(self, path: Path_, key: bool = False) -> tuple[int, int]:
        table = self.key_marks if key else self.marks
        for n in range(len(path), -1, -1):
            if path[:n] in table:
                return table[path[:n]]
            if path[:n] in self.marks:
                return self.marks[path[:n]]
        return (1, 1)


def _closest(word: str, words: list[str]) -> list[str]:
    """The known word closest to a mistyped one (at most one), for a "did you mean"."""
    import difflib  # only when there is a mistake to suggest a fix for

    return difflib.get_close_matches(word, words, n=1)


# --- pydantic errors → readable messages ------------------------------------------------------

_ALL_KEYS = sorted(
    {name for model in (Form, Category, Question, Option, Condition, PriorityMatrix, Message)
     for name, f in model.model_fields.items() for name in (f.alias or name, name)}
)


def _data_path(data: Any, loc: tuple[int | str, ...]) -> Path_:
    """Drop the union-branch tags pydantic puts in ``loc`` ('str', 'Question'…)."""
    out: list[str | int] = []
    cur = data
    for part in loc:
        in_dict = isinstance(cur, dict) and part in cur
        in_list = isinstance(cur, list) and isinstance(part, int) and part < len(cur)
        if in_dict or in_list:
            out.append(part)
            cur = cur[part]
        elif isinstance(cur, dict) and isinstance(part, str) and part not in _ALL_KEYS:
            continue  # a union tag
        elif isinstance(cur, dict):
            out.append(part)  # a missing or unknown key
            break
    return tuple(out)


def _value_at(data: Any, path: Path_) -> Any:
    cur = data
    for part in path:
        try:
            cur = cur[part]
        except (KeyError, IndexError, TypeError):
            return None
    return cur


def _describe(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the form"


def _validation_problems(src: _Source, exc: ValidationError) -> list[Problem]:
    found: dict[tuple[Path_, str], tuple[str, bool]] = {}
    t = current()  # the admin who checks the form reads the problems in their language
    for err in exc.errors():
        path = _data_path(src.data, tuple(err["loc"]))
        kind = err["type"]
        value = _value_at(src.data, path)
        if kind == "string_type" and isinstance(value, dict):
            continue  # the other branch of a union (text or mapping, id or question) applies
        if kind in ("dict_type", "model_type", "model_attributes_type") and isinstance(value, str):
            continue
        key_error = False
        if kind == "extra_forbidden":
            name = str(path[-1]) if path else "?"
            close = _closest(name, _ALL_KEYS)
            msg = (t.tr("unknown key '{key}'; did you mean '{close}'?", key=name, close=close[0])
                   if close else
                   t.tr("unknown key '{key}'; remove it or check the spelling", key=name))
            key_error = True
        elif kind == "missing":
            msg = (t.tr("'{key}' is required here", key=path[-1]) if path
                   else t.tr("a required key is missing"))
            path = path[:-1]
        elif kind == "string_pattern_mismatch":
            msg = t.tr("{where}: '{value}' is not a valid id or code; ids use lower-case "
                       "letters, digits and '_', and start with a letter (e.g. 'cant_sign_in')",
                       where=_describe(path), value=value)
        elif kind == "literal_error":
            allowed = [a.strip(" '") for a in
                       str(err.get("ctx", {}).get("expected", "")).replace(" or ", ", ").split(",")]
            close = _closest(str(value), allowed)
            msg = (t.tr("{where}: '{value}' is not allowed; did you mean '{close}'? (allowed: "
                        "{allowed})", where=_describe(path), value=value, close=close[0],
                        allowed=", ".join(allowed)) if close else
                   t.tr("{where}: '{value}' is not allowed (allowed: {allowed})",
                        where=_describe(path), value=value, allowed=", ".join(allowed)))
        else:
            msg = f"{_describe(path)}: {err['msg']}"
        prev = found.get((path, "type"))
        if kind in ("string_type", "dict_type") and prev is not None:
            msg = t.tr("{where}: expected text, or translations like {example}",
                       where=_describe(path), example="{en: '...', ru: '...', uk: '...'}")
        found[(path, "type" if kind in ("string_type", "dict_type") else msg)] = (msg, key_error)
    problems = []
    for (path, _), (msg, key_error) in found.items():
        line, col = src.at(path, key=key_error)
        problems.append(Problem(src.file, line, col, "error", msg))
    return sorted(problems, key=lambda p: (p.line, p.column))


# --- loading, extending, resolving -----------------------------------------------------------


@dataclass
class _Where:
    """Where each question and category of a (merged) form was defined."""

    places: dict[str, tuple[_Source, Path_]] = field(default_factory=dict)

    def problem(self, key: str, sub: Path_, severity: ProblemSeverity, msg: str, /,
                **fields: object) -> Problem:
        """``msg`` is an N_() text, said in the language of the admin who checks the form."""
        src, path = self.places[key]
        line, col = src.at((*path, *sub))
        return Problem(src.file, line, col, severity, current().tr(msg, **fields))


def _builtin_path() -> Path:
    return resources.file("forms", "default.yaml")


def _read(path: Path, display: str) -> _Source:
    if display == BUILTIN_DISPLAY:
        # Its generated copy, checked against the YAML by a unit test: no YAML parser (and
        # no places: the built-in form has no problems to place, the tests see to that).
        # Not for the YAML's path given as a file (`flare form check` after an edit).
        from resources.forms.default_form import FORM

        return _Source(display, FORM)
    try:
        text = read_regular_bytes(path).decode("utf-8")  # a FIFO is refused, not waited on
    except FileNotFoundError:
        raise FormError([Problem(display, 0, 0, "error",
                                 current().tr("file not found; check the path"))]) from None
    except (OSError, UnicodeDecodeError, NotRegularFile) as exc:
        raise FormError([Problem(display, 0, 0, "error",
                                 current().tr("cannot read the file ({error}); it must be "
                                              "UTF-8 text", error=exc))]) from None
    from app.form.form_yaml import YamlProblem, parse  # a form file: only now a YAML parser

    try:
        data, marks, key_marks = parse(text)
    except YamlProblem as exc:
        raise FormError([Problem(display, exc.line, exc.column, "error", exc.message)]) from None
    return _Source(display, data, marks, key_marks)


def _load_raw(path: Path, display: str, chain: tuple[Path, ...]) -> tuple[Form, _Where]:
    src = _read(path, display)
    try:
        raw = Form.model_validate(src.data)
    except ValidationError as exc:
        raise FormError(_validation_problems(src, exc)) from None
    where = _Where()
    problems: list[Problem] = []
    questions: list[Question] = []
    for i, q in enumerate(raw.questions):
        if f"q:{q.id}" in where.places:
            line, col = src.at(("questions", i, "id"))
            problems.append(Problem(src.file, line, col, "error",
                                    current().tr("question id '{id}' is defined twice; ids "
                                                 "must be unique", id=q.id)))
        where.places[f"q:{q.id}"] = (src, ("questions", i))
        questions.append(q)
    categories: list[Category] = []
    for ci, cat in enumerate(raw.categories):
        if f"c:{cat.id}" in where.places:
            line, col = src.at(("categories", ci, "id"))
            problems.append(Problem(src.file, line, col, "error",
                                    current().tr("category id '{id}' is defined twice; ids "
                                                 "must be unique", id=cat.id)))
        where.places[f"c:{cat.id}"] = (src, ("categories", ci))
        ids: list[str] = []
        for qi, item in enumerate(cat.questions):
            if isinstance(item, Question):
                if f"q:{item.id}" in where.places:
                    line, col = src.at(("categories", ci, "questions", qi, "id"))
                    problems.append(Problem(
                        src.file, line, col, "error",
                        current().tr("question id '{id}' is already defined; give this one "
                                     "another id or refer to the existing one by its id",
                                     id=item.id)))
                where.places[f"q:{item.id}"] = (src, ("categories", ci, "questions", qi))
                questions.append(item)
                ids.append(item.id)
            else:
                ids.append(item)
        categories.append(cat.model_copy(update={"questions": ids}))
    if problems:
        raise FormError(problems)
    form = raw.model_copy(update={"questions": questions, "categories": categories})
    where.places["form"] = (src, ())
    if raw.extends is None:
        return form, where
    if raw.extends == BUILTIN_NAME:
        base_path, base_display = _builtin_path(), BUILTIN_DISPLAY
    else:
        base_path = (path.parent / raw.extends).resolve()
        base_display = str(Path(display).parent / raw.extends)
    if base_path in chain or base_path == path.resolve():
        line, col = src.at(("extends",))
        raise FormError([Problem(src.file, line, col, "error",
                                 current().tr("'extends: {base}' leads back to this file; a "
                                              "form cannot extend itself", base=raw.extends))])
    try:
        base, base_where = _load_raw(base_path, base_display, (*chain, path.resolve()))
    except FormError as exc:
        line, col = src.at(("extends",))
        raise FormError([Problem(src.file, line, col, "error",
                                 current().tr("the form named in 'extends' cannot be used: "
                                              "{error}", error=exc))]) from None
    return _merge(base, base_where, form, where)


def _merge(base: Form, base_where: _Where, child: Form, where: _Where) -> tuple[Form, _Where]:
    merged_where = _Where({**base_where.places, **where.places})
    questions = {q.id: q for q in base.questions}
    questions.update({q.id: q for q in child.questions})
    categories = {c.id: c for c in base.categories if c.id not in child.remove_categories}
    categories.update({c.id: c for c in child.categories})
    fields_set = child.model_fields_set
    merged = Form(
        id=child.id,
        version=child.version,
        title=child.title if "title" in fields_set else base.title,
        languages=child.languages if "languages" in fields_set else base.languages,
        remove_categories=child.remove_categories,
        questions=list(questions.values()),
        categories=list(categories.values()),
        messages={**base.messages, **child.messages},
        priority_matrix=(child.priority_matrix if "priority_matrix" in fields_set
                         else base.priority_matrix),
    )
    return merged, merged_where


# --- checks on the whole form ---------------------------------------------------------------


def _texts(form: Form) -> Iterator[tuple[str, Path_, LocalText | None]]:
    """Every user-facing text with the place it was defined (key, sub-path)."""
    yield "form", ("title",), form.title
    for q in form.questions:
        key = f"q:{q.id}"
        yield key, ("text",), q.text
        yield key, ("help",), q.help
        yield key, ("example",), q.example
        yield key, ("unit",), q.unit
        for i, o in enumerate(q.options):
            yield key, ("options", i, "label"), o.label
            yield key, ("options", i, "help"), o.help
    for c in form.categories:
        key = f"c:{c.id}"
        yield key, ("label",), c.label
        yield key, ("description",), c.description
    for name, msg in form.messages.items():
        yield "form", ("messages", name, "message"), msg.message
        yield "form", ("messages", name, "example"), msg.example


def _semantic_problems(form: Form, where: _Where, *, translations: bool = True) -> list[Problem]:
    out: list[Problem] = []
    err: ProblemSeverity = "error"
    warn: ProblemSeverity = "warning"
    qids = [q.id for q in form.questions]
    if not form.categories:
        out.append(where.problem("form", (), err, N_("the form has no categories; add at least "
                                                     "one under 'categories:'")))
    for q in form.questions:
        key = f"q:{q.id}"
        if q.type in CHOICE_TYPES and len(q.options) < 2:
            out.append(where.problem(key, ("type",), err,
                                     N_("question '{question}' is a {type} and needs at least "
                                        "two options under 'options:'"), question=q.id,
                                     type=q.type))
        if q.type not in CHOICE_TYPES and q.options:
            out.append(where.problem(key, ("options",), warn,
                                     N_("question '{question}' is {type}: its options are "
                                        "ignored"), question=q.id, type=q.type))
        seen: set[str] = set()
        for i, o in enumerate(q.options):
            if o.id in seen:
                out.append(where.problem(key, ("options", i, "id"), err,
                                         N_("option '{option}' appears twice in '{question}'"),
                                         option=o.id, question=q.id))
            seen.add(o.id)
        if q.type != "number" and (q.min is not None or q.max is not None):
            out.append(where.problem(key, ("min",), warn,
                                     N_("'min'/'max' apply to number questions only; "
                                        "'{question}' is {type}"), question=q.id, type=q.type))
        if q.min is not None and q.max is not None and q.min > q.max:
            out.append(where.problem(key, ("min",), err,
                                     N_("'min' ({min}) is greater than 'max' ({max})"),
                                     min=q.min, max=q.max))
        if q.role is not None:
            if q.type not in ROLE_TYPES[q.role]:
                allowed = ", ".join(sorted(ROLE_TYPES[q.role]))
                out.append(where.problem(key, ("role",), err,
                                         N_("role '{role}' needs a question of type "
                                            "{allowed}, not {type}"), role=q.role,
                                         allowed=allowed, type=q.type))
            if q.role in ROLE_OPTIONS:
                want = ROLE_OPTIONS[q.role]
                have = tuple(o.id for o in q.options)
                if sorted(have) != sorted(want):
                    found = ", ".join(have) or current().tr("none")
                    out.append(where.problem(key, ("options",), err,
                                             N_("role '{role}' needs exactly the options "
                                                "{wanted} (found: {found})"), role=q.role,
                                             wanted=", ".join(want), found=found))
        if q.show_if is not None:
            out.extend(_condition_problems(form, q, where))
    for c in form.categories:
        key = f"c:{c.id}"
        seen_q: set[str] = set()
        for i, qid in enumerate(c.question_ids()):
            if qid not in qids:
                close = _closest(qid, qids)
                out.append(where.problem(
                    key, ("questions", i), err,
                    N_("category '{category}' asks question '{question}', which is not "
                       "defined; did you mean '{close}'?") if close else
                    N_("category '{category}' asks question '{question}', which is not "
                       "defined; define it under 'questions:' or inline here"),
                    category=c.id, question=qid, close=close[0] if close else ""))
            if qid in seen_q:
                out.append(where.problem(key, ("questions", i), err,
                                         N_("category '{category}' asks '{question}' twice"),
                                         category=c.id, question=qid))
            seen_q.add(qid)
        out.extend(_given_problems(form, c, where))
        roles = [form.question(qid).role for qid in c.question_ids() if qid in qids]
        for role in {r for r in roles if r is not None and roles.count(r) > 1}:
            out.append(where.problem(key, ("questions",), warn,
                                     N_("category '{category}' has several questions with "
                                        "role '{role}'; only the first is used"),
                                     category=c.id, role=role))
    top = where.places["form"][0]
    for key, sub in _unused_ids(form):
        if where.places[key][0] is top:  # a base form's spare questions are not this file's
            out.append(where.problem(key, sub, warn, N_("question '{question}' is not asked by "
                                                        "any category; add it to one or remove "
                                                        "it"), question=key[2:]))
    known = set(builtin_messages()) if form.messages else set()
    for name in form.messages:
        if name not in known:
            close = _closest(name, sorted(known))
            out.append(where.problem(
                "form", ("messages", name), warn,
                N_("message '{name}' is not used by Flare; did you mean '{close}'?") if close
                else N_("message '{name}' is not used by Flare"),
                name=name, close=close[0] if close else ""))
    if not translations:
        return out
    languages = form.languages
    if "languages" not in form.model_fields_set:
        # undeclared: every language some text is translated into is expected everywhere
        languages = sorted({lang for _, _, t in _texts(form) if isinstance(t, dict) for lang in t})
    for key, sub, text in _texts(form):
        gaps = missing_languages(text, languages)
        if gaps:
            out.append(where.problem(key, sub, warn,
                                     N_("no translation for {languages}; users with that "
                                        "language will see English or the first text given"),
                                     languages=", ".join(gaps)))
    return out


def _unused_ids(form: Form) -> Iterator[tuple[str, Path_]]:
    asked = {qid for c in form.categories for qid in c.question_ids()}
    for q in form.questions:
        if q.id not in asked:
            yield f"q:{q.id}", ("id",)


def _given_problems(form: Form, c: Category, where: _Where) -> list[Problem]:
    """A category's own answers: to questions it asks, in the values those questions take."""
    out: list[Problem] = []
    key = f"c:{c.id}"
    for qid, value in c.answers.items():
        sub: Path_ = ("answers", qid)
        if qid not in c.question_ids():
            out.append(where.problem(key, sub, "error",
                                     N_("category '{category}' answers '{question}', which it "
                                        "does not ask; add it to its questions or remove the "
                                        "answer"), category=c.id, question=qid))
            continue
        try:
            q = form.question(qid)
        except KeyError:
            continue  # said above: the category asks a question that is not defined
        if q.type == "yes_no" and not isinstance(value, bool):
            out.append(where.problem(key, sub, "error",
                                     N_("'{question}' is a yes/no question: answer it with "
                                        "true or false, not {value}"), question=qid,
                                     value=repr(value)))
        elif q.type == "choice" and q.option(str(value)) is None:
            opts = ", ".join(o.id for o in q.options)
            out.append(where.problem(key, sub, "error",
                                     N_("'{question}' has no option '{value}' (options: "
                                        "{options})"), question=qid, value=value, options=opts))
        elif q.type not in ("yes_no", "choice"):
            out.append(where.problem(key, sub, "error",
                                     N_("a category can answer yes/no and choice questions "
                                        "only; '{question}' is {type}"), question=qid,
                                     type=q.type))
    return out


def _condition_problems(form: Form, q: Question, where: _Where) -> list[Problem]:
    cond = q.show_if
    assert cond is not None
    key = f"q:{q.id}"
    sub: Path_ = ("show_if", "question")
    try:
        target = form.question(cond.question)
    except KeyError:
        return [where.problem(key, sub, "error",
                              N_("'{question}' is shown only if '{condition}' is answered, but "
                                 "no question has that id"), question=q.id,
                              condition=cond.question)]
    out: list[Problem] = []
    values = [cond.equals] if cond.equals is not None else list(cond.in_ or [])
    for v in values:
        if target.type == "yes_no" and not isinstance(v, bool):
            out.append(where.problem(key, ("show_if",), "error",
                                     N_("'{question}' is a yes/no question: compare it with "
                                        "true or false, not {value}"), question=cond.question,
                                     value=repr(v)))
        elif target.type in CHOICE_TYPES and target.option(str(v)) is None:
            opts = ", ".join(o.id for o in target.options)
            out.append(where.problem(key, ("show_if",), "error",
                                     N_("'{question}' has no option '{value}' (options: "
                                        "{options})"), question=cond.question, value=v,
                                     options=opts))
    for c in form.categories:
        ids = c.question_ids()
        if q.id not in ids:
            continue
        if cond.question not in ids or ids.index(cond.question) > ids.index(q.id):
            out.append(where.problem(f"c:{c.id}", ("questions", ids.index(q.id)), "error",
                                     N_("in category '{category}', '{question}' depends on "
                                        "'{condition}', which must be asked before it"),
                                     category=c.id, question=q.id, condition=cond.question))
    return out


# --- public API ------------------------------------------------------------------------------


def check_form(path: Path | str, *, translations: bool = True,
               display: str | None = None) -> tuple[Form | None, list[Problem]]:
    """Every problem with the form at ``path``; the form too if it has no errors.

    ``translations=False`` leaves out the texts that lack a translation (warnings only; the
    check reads every language's catalog). ``display`` names the file in messages."""
    path = Path(path)
    display = display or str(path)
    try:
        form, where = _load_raw(path, display, ())
    except FormError as exc:
        return None, exc.problems
    problems = sorted(_semantic_problems(form, where, translations=translations),
                      key=lambda p: (p.file != display, p.file, p.line, p.column))
    if any(p.severity == "error" for p in problems):
        return None, problems
    return form, problems


def load_form(path: Path | str, *, display: str | None = None) -> Form:
    """The form at ``path``; raises :class:`FormError` (with every error) if it is not usable."""
    # Its warnings are not kept: the missing translations (a warning, and the check that
    # reads every language's catalog, 5-10 ms of opening the window) are left to
    # check_form, i.e. `flare form check`.
    form, problems = check_form(path, translations=False, display=display)
    if form is None:
        raise FormError([p for p in problems if p.severity == "error"])
    return form


@lru_cache(maxsize=1)
def builtin_form() -> Form:
    """The built-in form, loaded once and shared: read it, never modify it."""
    return load_form(_builtin_path(), display=BUILTIN_DISPLAY)


def default_form() -> Form:
    """The built-in form (resources/forms/default.yaml), a fresh copy each time."""
    return builtin_form().model_copy(deep=True)
