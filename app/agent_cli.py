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
    return start_agent(ctx, until_empty=args.until_empty)


def start_agent(ctx: AppContext, *, until_empty: bool = False) -> int:
    """The agent with what it offers besides delivery: new application crashes (not while it
    only empties the queue a closing window handed over)."""
    from app.crash_offers import crash_offers_for
    from app.helpdesk.agent import run_agent

    return run_agent(ctx, until_empty=until_empty,
                     crashes=None if until_empty else crash_offers_for(ctx))
