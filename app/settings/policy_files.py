"""Policy and user settings stored as JSON files (Linux policy folders, the user's file)."""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

from app.settings.decl_types import SettingDecl
from app.settings.model import Entry, Layer, PolicyProblem
from app.settings.values import PathPart

# Not typing.TYPE_CHECKING: see app.settings.decl_types.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.settings.jsonpos import ParsedJson


def read_json_settings(
    path: Path, layer: Layer, decls: Mapping[str, SettingDecl]
) -> tuple[list[Entry], list[PolicyProblem]]:
    """Checked entries of one JSON settings file; problems carry "file:line:col"."""
    # Imported here: most machines have no policy file and many users no settings file, and
    # a command that reads one setting (`flare outbox list`) then needs no JSON parser at all.
    import json

    from app.regular_file import NotRegularFile, read_regular_bytes
    from app.settings.entries import collect_entries
    from app.settings.jsonpos import parse

    try:
        # A FIFO or device is refused, not waited on; editors on Windows write a BOM.
        text = read_regular_bytes(path).decode("utf-8-sig")
    except NotRegularFile as exc:
        return [], [PolicyProblem(str(path), "", f"cannot read: {exc}", layer)]
    except UnicodeDecodeError as exc:
        return [], [
            PolicyProblem(
                str(path), "", f"not UTF-8 text (byte {exc.start}); save it as UTF-8", layer
            )
        ]
    except OSError as exc:
        return [], [PolicyProblem(str(path), "", f"cannot read: {exc.strerror}", layer)]
    try:
        parsed = parse(text)
    except json.JSONDecodeError as exc:
        return [], [
            PolicyProblem(
                f"{path}:{exc.lineno}:{exc.colno}",
                "",
                f"not valid JSON: {exc.msg}; the whole file is ignored until this is fixed",
                layer,
            )
        ]

    def locate(json_path: tuple[PathPart, ...]) -> str:
        pos = parsed.position(json_path)
        return f"{path}:{pos[0]}:{pos[1]}" if pos else f"{path}:1:1"

    entries, problems = collect_entries(parsed.value, layer=layer, locate=locate, decls=decls)
    return entries, _duplicates(parsed, path, layer) + problems


def _duplicates(parsed: ParsedJson, path: Path, layer: Layer) -> list[PolicyProblem]:
    problems = []
    for json_path, offset in parsed.duplicates:
        line, col = parsed.line_col(offset)
        key = ".".join(str(p) for p in json_path)
        problems.append(
            PolicyProblem(
                f"{path}:{line}:{col}",
                key,
                f'"{key}" appears more than once in this file; the last one is used, '
                "remove the others",
                layer,
            )
        )
    return problems


def policy_files(folder: Path) -> list[Path]:
    """The ``*.json`` files of a policy folder in the order they are merged (by file name)."""
    try:
        found = [p for p in folder.iterdir() if p.suffix == ".json" and not p.name.startswith(".")]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.name)


def untrusted_reason(path: Path, trusted_uids: frozenset[int]) -> str | None:
    """Why a policy file or folder may not be trusted, with the fix; None when it is fine.

    A policy that anyone but the administrator can write is no policy: the file must belong
    to root (or, for test folders, to the current user) and be writable by its owner only.
    """
    try:
        st = path.stat()
    except OSError as exc:
        return f"cannot check its owner: {exc.strerror}"
    is_dir = stat.S_ISDIR(st.st_mode)
    mode = "755" if is_dir else "644"
    if st.st_uid not in trusted_uids:
        owners = "root" if trusted_uids == frozenset({0}) else "root or you"
        return (
            f"it is owned by user id {st.st_uid}, not {owners}; "
            f"fix with: sudo chown root:root '{path}' && sudo chmod {mode} '{path}'"
        )
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return (
            f"it can be changed by other users (mode {stat.S_IMODE(st.st_mode):o}); "
            f"fix with: sudo chmod {mode} '{path}'"
        )
    return None


def read_policy_folder(
    folder: Path,
    layer: Layer,
    decls: Mapping[str, SettingDecl],
    *,
    trusted_uids: frozenset[int] | None,
) -> tuple[list[Entry], list[PolicyProblem]]:
    """Entries of every trusted ``*.json`` in ``folder``, later files winning over earlier.

    ``trusted_uids`` None skips the ownership check (platforms without POSIX owners).
    """
    if not folder.is_dir():
        return [], []
    if trusted_uids is not None:
        reason = untrusted_reason(folder, trusted_uids)
        if reason:
            return [], [
                PolicyProblem(str(folder), "", f"{layer} policy folder ignored: {reason}", layer)
            ]
    entries: list[Entry] = []
    problems: list[PolicyProblem] = []
    for path in policy_files(folder):
        if trusted_uids is not None:
            reason = untrusted_reason(path, trusted_uids)
            if reason:
                problems.append(
                    PolicyProblem(str(path), "", f"{layer} policy file ignored: {reason}", layer)
                )
                continue
        file_entries, file_problems = read_json_settings(path, layer, decls)
        entries += file_entries
        problems += file_problems
    return entries, problems


def trusted_owners(relaxed: bool) -> frozenset[int] | None:
    """Owners whose policy files are trusted here: root, plus the current user when relaxed."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return None
    return frozenset({0, getuid()}) if relaxed else frozenset({0})
