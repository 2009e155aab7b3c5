"""Turning one source's raw mapping (flat dotted keys or nested sections) into checked entries."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from app.i18n import current
from app.settings.decl_types import SettingDecl
from app.settings.declaration import suggest_key
from app.settings.model import Entry, Layer, PolicyProblem
from app.settings.values import InvalidValue, PathPart, show, validate

# Not typing.TYPE_CHECKING: see app.settings.decl_types.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

Locate = Callable[[tuple[PathPart, ...]], str]


def collect_entries(
    data: Mapping[str, Any],
    *,
    layer: Layer,
    locate: Locate,
    decls: Mapping[str, SettingDecl],
) -> tuple[list[Entry], list[PolicyProblem]]:
    """Checked entries of one source; anything wrong becomes a problem and is skipped.

    Keys may be dotted (``"capture.step_limit"``) or nested (``{"capture": {"step_limit": …}}``);
    keys starting with "$" (``$schema``) are ignored.
    """
    entries: list[Entry] = []
    problems: list[PolicyProblem] = []
    sections = {d.section for d in decls.values()}

    def problem(path: tuple[PathPart, ...], key: str, message: str) -> None:
        problems.append(PolicyProblem(locate(path), key, message, layer))

    def walk(mapping: Mapping[str, Any], prefix: str, path: tuple[PathPart, ...]) -> None:
        for name, raw in mapping.items():
            key = f"{prefix}{name}"
            kpath = (*path, name)
            if not prefix and name.startswith("$"):
                continue
            decl = decls.get(key)
            if decl is None:
                if not prefix and key in sections and isinstance(raw, Mapping):
                    walk(raw, f"{key}.", kpath)
                    continue
                problem(
                    kpath,
                    key,
                    current().tr('unknown setting "{key}"{suggestion}; it is ignored', key=key,
                                 suggestion=suggest_key(key, decls)),
                )
                continue
            if layer == "user" and not decl.user_changeable:
                problem(
                    kpath,
                    key,
                    current().tr("{key} can only be set by the administrator's policy; "
                                 "remove it from this file", key=key),
                )
                continue
            try:
                value, item_problems = validate(decl, raw)
            except InvalidValue as exc:
                problem((*kpath, *exc.path), key, current().tr(
                    "{key}: {problem}; the setting is ignored", key=key, problem=exc.message))
                continue
            for item in item_problems:
                problem((*kpath, *item.path), key, f"{key}: {item.message}")
            entries.append(Entry(key, value, locate(kpath)))

    if not isinstance(data, Mapping):
        problems.append(
            PolicyProblem(
                locate(()),
                "",
                f'expected an object of settings ({{"section.key": value}}), got {show(data)}; '
                "the file is ignored",
                layer,
            )
        )
        return [], problems
    walk(data, "", ())
    return entries, problems
