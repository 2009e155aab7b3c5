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
    if sys.platform != "linux":
        return CheckResult("display", "ok", f"{platform.system()} desktop session")
    wayland, x11 = os.environ.get("WAYLAND_DISPLAY"), os.environ.get("DISPLAY")
    if wayland:
        also = f", X11 {x11}" if x11 else ""
        return CheckResult("display", "ok", f"Wayland ({wayland}){also}")
    if x11:
        return CheckResult("display", "ok", f"X11 display {x11}")
    return CheckResult(
        "display",
        "fail",
        "no graphical session (neither DISPLAY nor WAYLAND_DISPLAY is set)",
        "run Flare from a desktop session; for a test machine start Xvfb and set DISPLAY",
    )


def check_reports_folder(ctx: AppContext) -> CheckResult:
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
            f"cannot write to {folder}: {exc.strerror or exc}",
            "free disk space, fix the folder's permissions, or set reports.folder in policy",
        )
    free = _free_bytes(folder)
    if free is not None and free < 200 * 1024**2:
        return CheckResult(
            "reports folder",
            "warning",
            f"{folder}: only {human_size(free)} free",
            "free some disk space",
        )
    return CheckResult("reports folder", "ok", f"{folder} is writable")


def _free_bytes(path: os.PathLike[str]) -> int | None:
    try:
        import shutil

        return shutil.disk_usage(path).free
    except OSError:
        return None


def check_settings(ctx: AppContext) -> CheckResult:
    problems = list(getattr(ctx.settings, "problems", []))
    if problems:
        first = problems[0]
        return CheckResult(
            "policy",
            "warning",
            f"{len(problems)} problem(s) in policy files; first: {first}",
            "run `flare policy check` on the policy folder and fix the named lines",
        )
    return CheckResult("policy", "ok", "settings and policy files are valid")


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
                CheckResult(module_name, "fail", f"the check itself failed: {exc}", "report a bug")
            )
    return results


_MARK = {"ok": "[ ok ]", "warning": "[warn]", "fail": "[FAIL]"}


def cmd_doctor(args: argparse.Namespace, ctx: AppContext) -> int:
    results = run_checks(ctx)
    if args.json:
        print(json.dumps([asdict(r) for r in results], indent=2, ensure_ascii=False))
    else:
        for r in results:
            print(f"{_MARK[r.status]} {r.name}: {r.detail}")
            if r.fix and r.status != "ok":
                print(f"       fix: {r.fix}")
    return EXIT_PROBLEMS if any(r.status == "fail" for r in results) else EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("doctor", help="check that this machine can capture and send reports")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_doctor)
