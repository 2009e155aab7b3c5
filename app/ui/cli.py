"""``flare report``: open the report window (the README's first command)."""

from __future__ import annotations

import argparse

from app.context import AppContext
from app.i18n import current


def cmd_report(args: argparse.Namespace, ctx: AppContext) -> int:
    # app.ui.qt_first before Qt: PySide6 would keep the source of every later module (4 MB).
    from app.ui import qt_first  # noqa: F401
    from app.ui.app import run_report_app

    return run_report_app(ctx, crash_offer=bool(getattr(args, "crash_offer", False)))


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = current()
    p = sub.add_parser(
        "report",
        help=t.tr("open the report window; exits when it closes"),
        description=t.tr("Open the report window and exit when it closes. A draft in progress "
        "is resumed; if Flare is already running, its window is shown instead."),
    )
    p.add_argument("--crash-offer", action="store_true",
                   help="attach the application crash the last notification offered to report")
    p.set_defaults(func=cmd_report)
