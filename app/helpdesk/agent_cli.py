"""``flare agent``: deliver queued reports and follow tickets without a tray."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from app.context import AppContext
from app.errors import EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("agent", help="send queued reports and follow tickets in the background "
                                     "(for desktops without a tray)")
    p.add_argument("--until-empty", action="store_true",
                   help="stop when nothing is left to send (used when a window hands over)")
    p.add_argument("--status", action="store_true",
                   help="say which Flare process delivers now, and exit")
    p.set_defaults(func=cmd_agent)


def cmd_agent(args: argparse.Namespace, ctx: AppContext) -> int:
    from app.helpdesk.drainer import DrainerLease

    if args.status:
        holder = DrainerLease(ctx.dirs.state, "agent").current()
        if holder is None:
            print("No Flare process delivers reports now (start `flare` or `flare agent`).")
        else:
            until = datetime.fromtimestamp(holder.until, UTC).astimezone()
            print(f"The {holder.role} (process {holder.pid}) delivers reports; its lease runs "
                  f"until {until:%H:%M:%S}.")
        return EXIT_OK
    from app.helpdesk.agent import run_agent

    # The personal-data finder comes from the composition root (see app.cli).
    return run_agent(ctx, finder=args.find_personal_data, until_empty=args.until_empty)
