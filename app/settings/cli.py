"""`flare policy show|check|schema`: what is in effect, and whether policy files are right;
`flare autostart on|off`: whether Flare starts at login, where policy leaves it to the user."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from app.context import AppContext
from app.errors import EXIT_CONFIG, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, FlareError
from app.i18n import N_, current
from app.settings.declaration import declarations_by_key, suggest_key
from app.settings.layers import SettingItem
from app.settings.model import Layer, PolicyProblem
from app.settings.policy_files import policy_files, read_json_settings
from app.settings.schema import render_policy_schema
from app.settings.templates import add_templates_parser
from app.settings.values import to_json

LOCK_MARK = N_("[locked]")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = current()
    policy = sub.add_parser("policy", help=t.tr("show effective settings or check policy files"))
    psub = policy.add_subparsers(dest="policy_command", metavar="ACTION", required=True)

    show = psub.add_parser(
        "show",
        help=t.tr("every effective setting with its value, source and lock"),
        description=t.tr("Every effective setting; {mark} marks values fixed by managed "
                         "policy.", mark=t.tr(LOCK_MARK)),
    )
    show.add_argument("keys", nargs="*", metavar="KEY", help=t.tr("only these keys or sections"))
    show.add_argument("--json", action="store_true", help=t.tr("machine-readable output"))
    show.set_defaults(func=cmd_show)

    check = psub.add_parser(
        "check",
        help=t.tr("validate policy JSON files (exit 1 when there are problems)"),
        description=t.tr("Validate a policy file, or the *.json files of a folder (and of its "
        "managed/ and recommended/ subfolders), with file:line:column for each problem."),
    )
    check.add_argument("path", type=Path, metavar="FILE|DIR",
                       help=t.tr("a policy .json file, or a folder of them"))
    check.set_defaults(func=cmd_check)

    schema = psub.add_parser("schema", help=t.tr("print the JSON Schema of policy files"))
    schema.set_defaults(func=cmd_schema)
    add_templates_parser(psub)

    autostart = sub.add_parser(
        "autostart",
        help=t.tr("whether Flare starts at login (general.autostart)"),
        description=t.tr("Turn Flare's start at login on or off for you, or show whether it is on. "
        "Where your organisation's policy sets it, it cannot be changed here."),
    )
    autostart.add_argument("state", nargs="?", choices=("on", "off"), help=t.tr("omit to show it"))
    autostart.set_defaults(func=cmd_autostart)


def cmd_show(args: argparse.Namespace, ctx: AppContext) -> int:
    items = _selected(list(ctx.settings.items()), args.keys)
    problems = ctx.settings.problems
    if args.json:
        print(json.dumps(_as_json(items, problems), indent=2, ensure_ascii=False))
        return EXIT_OK
    rows = [(i.key, _value_text(i), _source_text(i)) for i in items]
    key_w = max((len(r[0]) for r in rows), default=0)
    value_w = min(max((len(r[1]) for r in rows), default=0), 40)
    for key, value, source in rows:
        print(f"{key:<{key_w}}  {value:<{value_w}}  {source}".rstrip())
    if problems:
        print("\n" + current().ntr(
            "{n} problem in settings sources (those values are ignored):",
            "{n} problems in settings sources (those values are ignored):", n=len(problems)))
        for problem in problems:
            print(f"  {problem}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace, ctx: AppContext) -> int:
    targets = _check_targets(args.path)
    decls = declarations_by_key()
    problems: list[PolicyProblem] = []
    count = 0
    for path, layer in targets:
        entries, found = read_json_settings(path, layer, decls)
        count += len(entries)
        problems += found
    for problem in problems:
        print(problem)
    t = current()
    files = t.ntr("{n} file", "{n} files", n=len(targets))
    if problems:
        print(t.ntr("{n} problem in {files}; the settings named above are ignored",
                    "{n} problems in {files}; the settings named above are ignored",
                    n=len(problems), files=files))
        return EXIT_PROBLEMS
    print(t.tr("OK: {files}, {settings}", files=files,
               settings=t.ntr("{n} setting", "{n} settings", n=count)))
    return EXIT_OK


def cmd_autostart(args: argparse.Namespace, ctx: AppContext) -> int:
    key = "general.autostart"
    settings = ctx.settings
    if args.state is not None:
        # LockedSettingError (policy sets it) is a one-line FlareError naming the policy.
        settings = settings.set_user(key, args.state == "on", ctx.dirs.user_settings_file)
    on = bool(settings.get(key))
    where = settings.source(key)
    t = current()
    managed = t.tr(" (set by policy: {where})", where=where.location) if settings.is_locked(
        key) else ""
    print((t.tr("Flare starts at login") if on else t.tr("Flare does not start at login"))
          + managed)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace, ctx: AppContext) -> int:
    print(render_policy_schema(), end="")
    return EXIT_OK


def _check_targets(path: Path) -> list[tuple[Path, Layer]]:
    if path.is_file():
        return [(path, "managed")]
    if not path.is_dir():
        raise FlareError(current().tr("{path} does not exist; give a policy .json file or a "
                                      "folder", path=path), EXIT_USAGE)
    targets: list[tuple[Path, Layer]] = [(p, "managed") for p in policy_files(path)]
    for layer in ("managed", "recommended"):
        targets += [(p, layer) for p in policy_files(path / layer)]
    if not targets:
        raise FlareError(
            current().tr("no policy files (*.json) in {path} or its managed/ and recommended/ "
                         "folders", path=path),
            EXIT_CONFIG,
        )
    return targets


def _selected(items: list[SettingItem], wanted: list[str]) -> list[SettingItem]:
    if not wanted:
        return items
    keys = {i.key for i in items}
    sections = {k.split(".", 1)[0] for k in keys}
    for w in wanted:
        if w not in keys and w not in sections:
            raise FlareError(current().tr('unknown setting "{key}"', key=w) + suggest_key(w),
                             EXIT_USAGE)
    return [i for i in items if i.key in wanted or i.key.split(".", 1)[0] in wanted]


def _value_text(item: SettingItem) -> str:
    decl = declarations_by_key()[item.key]
    return json.dumps(to_json(decl, item.value), ensure_ascii=False)


def _source_text(item: SettingItem) -> str:
    t = current()
    if item.source.layer == "default":
        return t.tr("default")
    text = f"{item.source.layer}: {item.source.location}"
    return f"{t.tr(LOCK_MARK)} {text}" if item.locked else text


def _as_json(items: list[SettingItem], problems: list[PolicyProblem]) -> dict[str, Any]:
    decls = declarations_by_key()
    return {
        "settings": [
            {
                "key": i.key,
                "value": to_json(decls[i.key], i.value),
                "layer": i.source.layer,
                "location": i.source.location,
                "locked": i.locked,
                "user_changeable": decls[i.key].user_changeable and not i.locked,
            }
            for i in items
        ],
        "problems": [
            {"location": p.location, "key": p.key, "message": p.message, "layer": p.layer}
            for p in problems
        ],
    }
