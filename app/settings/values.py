"""Checking raw values (from JSON, plists, the registry, the user) against their declaration."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from app.i18n import current
from app.records import Record
from app.settings.decl_types import (
    SECRET_SCHEMES,
    FieldDecl,
    ObjectSchema,
    SettingDecl,
)

# Not typing.TYPE_CHECKING: see app.settings.decl_types.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Compiled by re at the first secret checked, not when the settings load.
_SECRET_RE = rf"^({'|'.join(SECRET_SCHEMES)}):\S.*$"

PathPart = str | int


def close_match(word: str, candidates: Sequence[str], cutoff: float = 0.6) -> str | None:
    """The candidate ``word`` was most likely meant to be, if any (for "did you mean")."""
    # difflib is imported only when a value is wrong: it costs ~10 ms of every start.
    import difflib

    close = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
    return close[0] if close else None


class InvalidValue(Exception):
    """A value that cannot be used; ``path`` points inside it (list index, field name)."""

    def __init__(self, message: str, path: tuple[PathPart, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


class ItemProblem(Record):
    """One list item that was dropped while the rest of the list is kept."""

    path: tuple[PathPart, ...]
    message: str


def validate(decl: SettingDecl, raw: Any) -> tuple[Any, list[ItemProblem]]:
    """The typed value for ``raw``; bad list items are dropped and returned as problems.

    Raises InvalidValue when the value as a whole cannot be used.
    """
    match decl.type:
        case "bool" | "int" | "float" | "str" | "enum":
            return _scalar(decl.type, raw, decl.values, decl.minimum, decl.maximum), []
        case "path":
            if isinstance(raw, Path):
                raw = str(raw)
            text = _scalar("str", raw, None, None, None)
            if "\0" in text:
                raise InvalidValue(current().tr("a path cannot contain a NUL character"))
            return (Path(text) if text else None), []
        case "secret":
            # Messages never repeat the value: it may be the secret pasted by mistake.
            if not isinstance(raw, str) or (raw and not re.match(_SECRET_RE, raw)):
                raise InvalidValue(current().tr(
                    "expected a reference to a secret such as keyring:NAME, env:NAME or "
                    "file:PATH, never the secret itself"))
            return raw, []
        case "str_list":
            return _str_list(raw, decl.values)
        case "object_list":
            assert decl.items is not None  # guaranteed by the declaration loader
            return _object_list(raw, decl.items)
    raise AssertionError(decl.type)  # pragma: no cover - exhaustive match


def to_json(decl: SettingDecl, value: Any) -> Any:
    """The JSON form of a typed value (paths as text, "" for an unset path)."""
    if decl.type == "path":
        return "" if value is None else str(value)
    return value


def show(raw: Any, limit: int = 60) -> str:
    """A short rendering of a bad value for a message."""
    import json  # here: only a bad value needs it, and reading one setting should not

    try:
        text = json.dumps(raw, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(raw)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _expected(
    type_: str, values: tuple[str, ...] | None, lo: float | None, hi: float | None
) -> str:
    t = current()
    if values:
        return t.tr("one of {values}", values=", ".join(values))
    what = {
        "bool": t.tr("true or false"),
        "int": t.tr("a whole number"),
        "float": t.tr("a number"),
        "str": t.tr("text"),
    }[type_]
    if lo is not None and hi is not None:
        return t.tr("{what} from {low} to {high}", what=what, low=_num(lo), high=_num(hi))
    if lo is not None:
        return t.tr("{what} of at least {low}", what=what, low=_num(lo))
    if hi is not None:
        return t.tr("{what} of at most {high}", what=what, high=_num(hi))
    return what


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _scalar(
    type_: str,
    raw: Any,
    values: tuple[str, ...] | None,
    lo: float | None,
    hi: float | None,
) -> Any:
    expected = _expected(type_, values, lo, hi)
    ok: bool
    if type_ == "bool":
        ok = isinstance(raw, bool)
    elif type_ == "int":
        ok = isinstance(raw, int) and not isinstance(raw, bool)
    elif type_ == "float":
        ok = isinstance(raw, int | float) and not isinstance(raw, bool) and math.isfinite(raw)
        if ok:
            raw = float(raw)
    else:  # str, enum
        ok = isinstance(raw, str)
    t = current()
    if not ok:
        raise InvalidValue(t.tr("expected {expected}, got {value}", expected=expected,
                                value=show(raw)))
    if values is not None and raw not in values:
        close = close_match(raw, values, cutoff=0.7)
        hint = t.tr(' (did you mean "{key}"?)', key=close) if close else ""
        raise InvalidValue(t.tr("expected {expected}, got {value}", expected=expected,
                                value=show(raw)) + hint)
    if (lo is not None and raw < lo) or (hi is not None and raw > hi):
        raise InvalidValue(t.tr("expected {expected}, got {value}", expected=expected,
                                value=show(raw)))
    return raw


def _str_list(raw: Any, values: tuple[str, ...] | None) -> tuple[list[str], list[ItemProblem]]:
    if not isinstance(raw, list | tuple):
        raise InvalidValue(current().tr("expected a list of text values, got {value}",
                                        value=show(raw)))
    kept: list[str] = []
    problems: list[ItemProblem] = []
    for index, item in enumerate(raw):
        try:
            kept.append(_scalar("str", item, values, None, None))
        except InvalidValue as exc:
            problems.append(ItemProblem((index,), current().tr(
                "item {n}: {problem}", n=index + 1, problem=exc.message)))
    return kept, problems


def _object_list(raw: Any, schema: ObjectSchema) -> tuple[list[dict[str, Any]], list[ItemProblem]]:
    if not isinstance(raw, list | tuple):
        raise InvalidValue(current().tr("expected a list of objects ({name} items), got {value}",
                                        name=schema.name, value=show(raw)))
    kept: list[dict[str, Any]] = []
    problems: list[ItemProblem] = []
    names: set[str] = set()
    for index, item in enumerate(raw):
        try:
            obj = _object(item, schema)
            if obj["name"] in names:
                raise InvalidValue(current().tr(
                    'another item is already named "{name}"; give each a unique name',
                    name=obj["name"]), ("name",))
            names.add(obj["name"])
            kept.append(obj)
        except InvalidValue as exc:
            problems.append(
                ItemProblem((index, *exc.path), current().tr(
                    "item {n}: {problem}; item ignored", n=index + 1, problem=exc.message))
            )
    return kept, problems


def _object(raw: Any, schema: ObjectSchema) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise InvalidValue(current().tr("expected an object, got {value}", value=show(raw)))
    result: dict[str, Any] = {}
    for name, value in raw.items():
        fdecl = schema.fields.get(name)
        if fdecl is None:
            close = close_match(str(name), list(schema.fields))
            hint = current().tr(' (did you mean "{key}"?)', key=close) if close else ""
            raise InvalidValue(current().tr(
                'unknown field "{name}"{hint}; fields are: {fields}', name=name, hint=hint,
                fields=", ".join(schema.fields)), (str(name),))
        try:
            result[name] = _field(fdecl, value)
        except InvalidValue as exc:
            raise InvalidValue(f"{name}: {exc.message}", (name,)) from None
    for fdecl in schema.fields.values():
        if fdecl.required and fdecl.name not in result:
            raise InvalidValue(current().tr('the field "{name}" is required', name=fdecl.name))
    kind = result[schema.discriminator]
    missing = [n for n in schema.requires.get(kind, ()) if n not in result]
    if missing:
        raise InvalidValue(current().tr('a "{kind}" item needs {fields}', kind=kind,
                                        fields=", ".join(f'"{m}"' for m in missing)))
    return result


def _field(fdecl: FieldDecl, raw: Any) -> Any:
    if fdecl.type == "str_list":
        items, problems = _str_list(raw, fdecl.values)
        if problems:
            raise InvalidValue(problems[0].message)
        return items
    return _scalar(fdecl.type, raw, fdecl.values, fdecl.minimum, fdecl.maximum)
