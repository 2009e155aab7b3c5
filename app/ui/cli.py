"""``flare report``: open the report window (the README's first command)."""

from __future__ import annotations

import argparse

from app.context import AppContext
from app.i18n import current


def cmd_report(args: argparse.Namespace, ctx: AppContext) -> int:
    from app.ui.app import run_report_app

    return run_report_app(ctx)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = current()
    p = sub.add_parser(
        "report",
        help=t.tr("open the report window; exits when it closes"),
        description=t.tr("Open the report window and exit when it closes. A draft in progress "
        "is resumed; if Flare is already running, its window is shown instead."),
    )
    p.set_defaults(func=cmd_report)
