"""`flare doctor`: is this machine ready to report problems? Each failure comes with a fix.

Areas add their own checks through a module with ``checks(ctx) -> list[CheckResult]``
(capture.doctor, app.helpdesk.doctor, app.ui.doctor); a missing module is simply not asked.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import tempfile
from dataclasses import asdict, dataclass
from typing import Literal

from app.context import AppContext
from app.errors import EXIT_OK, EXIT_PROBLEMS
from app.i18n import N_, current
from app.sizes import human_size

Status = Literal["ok", "warning", "fail"]

_AREA_CHECKS = ("capture.doctor", "app.ui.doctor", "app.helpdesk.doctor")


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: Status
    detail: str
    fix: str = ""


def check_display() -> CheckResult:
    t = current()
    if sys.platform != "linux":
        return CheckResult("display", "ok", t.tr("{system} desktop session",
                                                 system=platform.system()))
    wayland, x11 = os.environ.get("WAYLAND_DISPLAY"), os.environ.get("DISPLAY")
    if wayland:
        also = f", X11 {x11}" if x11 else ""
        return CheckResult("display", "ok", f"Wayland ({wayland}){also}")
    if x11:
        return CheckResult("display", "ok", t.tr("X11 display {display}", display=x11))
    return CheckResult(
        "display",
        "fail",
        t.tr("no graphical session (neither DISPLAY nor WAYLAND_DISPLAY is set)"),
        t.tr("run Flare from a desktop session; for a test machine start Xvfb and set DISPLAY"),
    )


def check_reports_folder(ctx: AppContext) -> CheckResult:
    t = current()
    folder = ctx.reports_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".flare-doctor-") as fh:
            fh.write(b"ok")
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        return CheckResult(
            "reports folder",
            "fail",
            t.tr("cannot write to {folder}: {reason}", folder=folder, reason=exc.strerror or exc),
            t.tr("free disk space, fix the folder's permissions, or set reports.folder in "
                 "policy"),
        )
    free = _free_bytes(folder)
    if free is not None and free < 200 * 1024**2:
        return CheckResult(
            "reports folder",
            "warning",
            t.tr("{folder}: only {size} free", folder=folder, size=t.size(human_size(free))),
            t.tr("free some disk space"),
        )
    return CheckResult("reports folder", "ok", t.tr("{folder} is writable", folder=folder))


def _free_bytes(path: os.PathLike[str]) -> int | None:
    try:
        import shutil

        return shutil.disk_usage(path).free
    except OSError:
        return None


def check_settings(ctx: AppContext) -> CheckResult:
    t = current()
    problems = list(getattr(ctx.settings, "problems", []))
    if problems:
        first = problems[0]
        return CheckResult(
            "policy",
            "warning",
            t.ntr("{n} problem in policy files; first: {first}",
                  "{n} problems in policy files; first: {first}", n=len(problems), first=first),
            t.tr("run `flare policy check` on the policy folder and fix the named lines"),
        )
    return CheckResult("policy", "ok", t.tr("settings and policy files are valid"))


def run_checks(ctx: AppContext) -> list[CheckResult]:
    results = [check_display(), check_reports_folder(ctx), check_settings(ctx)]
    for module_name in _AREA_CHECKS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        try:
            results.extend(module.checks(ctx))
        except Exception as exc:  # a broken check must not hide the others
            results.append(
                CheckResult(module_name, "fail", current().tr(
                    "the check itself failed: {error}", error=exc), current().tr("report a bug"))
            )
    return results


_MARK = {"ok": N_("[ ok ]"), "warning": N_("[warn]"), "fail": N_("[FAIL]")}
# The checks' names: English in --json (scripts match them), the person's language on screen.
CHECK_NAMES = {
    "display": N_("display"), "reports folder": N_("reports folder"), "policy": N_("policy"),
    "screen capture": N_("screen capture"), "capture on click": N_("capture on click"),
    "qt": N_("qt"), "qt translations": N_("qt translations"), "tray": N_("tray"),
    "helpdesk": N_("helpdesk"), "helpdesk sign-in": N_("helpdesk sign-in"),
    "outbox": N_("outbox"),
}


def cmd_doctor(args: argparse.Namespace, ctx: AppContext) -> int:
    t = current()
    results = run_checks(ctx)
    if args.json:
        print(json.dumps([asdict(r) for r in results], indent=2, ensure_ascii=False))
    else:
        for r in results:
            name = t.tr(CHECK_NAMES[r.name]) if r.name in CHECK_NAMES else r.name
            print(f"{t.tr(_MARK[r.status])} {name}: {r.detail}")
            if r.fix and r.status != "ok":
                print("       " + t.tr("fix: {fix}", fix=r.fix))
    return EXIT_PROBLEMS if any(r.status == "fail" for r in results) else EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = current()
    p = sub.add_parser("doctor", help=t.tr("check that this machine can capture and send reports"))
    p.add_argument("--json", action="store_true", help=t.tr("machine-readable output"))
    p.set_defaults(func=cmd_doctor)
