"""``flare agent``: deliver queued reports and follow tickets without a tray."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from app.context import AppContext
from app.errors import EXIT_OK
from app.i18n import current

# Not typing.TYPE_CHECKING: see app.records.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.helpdesk.send_policy import PersonalDataFinder


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = current()
    p = sub.add_parser("agent", help=t.tr("send queued reports and follow tickets in the "
                                          "background (for desktops without a tray)"))
    p.add_argument("--until-empty", action="store_true",
                   help=t.tr("stop when nothing is left to send (used when a window hands over)"))
    p.add_argument("--status", action="store_true",
                   help=t.tr("say which Flare process delivers now, and exit"))
    p.set_defaults(func=cmd_agent)


def cmd_agent(args: argparse.Namespace, ctx: AppContext) -> int:
    from app.helpdesk.drainer import DrainerLease

    t = current()
    if args.status:
        holder = DrainerLease(ctx.dirs.state, "agent").current()
        if holder is None:
            print(t.tr("No Flare process delivers reports now (start `flare` or "
                       "`flare agent`)."))
        else:
            until = datetime.fromtimestamp(holder.until, UTC).astimezone()
            print(t.tr("The {role} (process {pid}) delivers reports; its lease runs until "
                       "{until}.", role=holder.role, pid=holder.pid, until=f"{until:%H:%M:%S}"))
        return EXIT_OK
    # The personal-data finder comes from the composition root (see app.cli).
    return start_agent(ctx, finder=args.find_personal_data, until_empty=args.until_empty)


def start_agent(ctx: AppContext, *, finder: PersonalDataFinder,
                until_empty: bool = False) -> int:
    """The agent with what it offers besides delivery: new application crashes (not while it
    only empties the queue a closing window handed over)."""
    from app.crash_offers import crash_offers_for
    from app.helpdesk.agent import run_agent

    return run_agent(ctx, finder=finder, until_empty=until_empty,
                     crashes=None if until_empty else crash_offers_for(ctx))
