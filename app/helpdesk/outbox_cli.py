"""``flare outbox …``: what waits for the helpdesk, and sending it.

Each command imports only what it needs: `flare outbox list` reads the outbox database and
nothing else, while sending loads the connectors, HTTP and the report model (about 0.3 s).
``flare connector …`` lives in :mod:`app.helpdesk.connector_cli`, so that listing the outbox
builds no parsers for it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.errors import EXIT_DELIVERY
from app.helpdesk.outbox import STATES, Outbox, OutboxItem
from app.i18n import N_, current

# Not typing.TYPE_CHECKING: see app.records.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from app.context import AppContext
    from app.helpdesk.submission import Outcome


# The states as the person reads them (--json keeps the English keys).
STATE_WORDS = {"queued": N_("queued"), "sending": N_("sending"), "sent": N_("sent"),
               "failed": N_("failed")}


def _state(state: str) -> str:
    return current().tr(STATE_WORDS[state]) if state in STATE_WORDS else state


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = current()
    outbox = sub.add_parser("outbox", help=t.tr("reports waiting for the helpdesk"))
    osub = outbox.add_subparsers(dest="outbox_command", required=True)
    p = osub.add_parser("list", help=t.tr("what is queued, sent or failed, and why"))
    p.add_argument("--state", choices=STATES, action="append",
                   help=t.tr("only reports in this state (may be given more than once)"))
    p.add_argument("--json", action="store_true", help=t.tr("machine-readable output"))
    p.set_defaults(func=cmd_outbox_list, writes_log=False)  # reads and prints only
    p = osub.add_parser("retry", help=t.tr("send failed or waiting reports now"))
    p.add_argument("ids", nargs="*", type=int, help=t.tr("item ids (default: all failed/waiting)"))
    p.set_defaults(func=cmd_outbox_retry)
    p = osub.add_parser("purge", help=t.tr("forget sent (or failed) reports"))
    p.add_argument("ids", nargs="*", type=int, help=t.tr("item ids (default: all sent)"))
    p.add_argument("--failed", action="store_true", help=t.tr("also forget failed reports"))
    p.add_argument("--older-than-days", type=float, default=0.0, metavar="DAYS",
                   help=t.tr("only reports older than this many days"))
    p.set_defaults(func=cmd_outbox_purge)
    p = osub.add_parser("send", help=t.tr("queue a bundle (if given) and send what is due"))
    p.add_argument("bundle", nargs="?", type=Path,
                   help=t.tr("a report bundle to queue first (folder or .zip)"))
    p.set_defaults(func=cmd_outbox_send)


# --------------------------------------------------------------------------- outbox


def _item_json(item: OutboxItem, now: float) -> dict[str, object]:
    return {
        "id": item.id, "report_id": item.report_id, "destination": item.destination,
        "title": item.title, "state": item.state, "attempts": item.attempts,
        "why": item.why(now), "helpdesk_message": item.helpdesk_message,
        "ticket": None if item.ticket is None else {
            "id": item.ticket.id, "number": item.ticket.number, "url": item.ticket.url},
        "status": item.status_state, "status_label": item.status_label,
    }


def cmd_outbox_list(args: argparse.Namespace, ctx: AppContext) -> int:
    now = ctx.clock().timestamp()
    # The outbox itself, not app.helpdesk.configured.open_outbox: that module brings every
    # connector along.
    with Outbox(ctx.dirs.state, ctx.clock) as box:
        items = box.items(tuple(args.state) if args.state else STATES)
    if args.json:
        import json

        print(json.dumps([_item_json(i, now) for i in items], indent=2, ensure_ascii=False))
        return 0
    if not items:
        print(current().tr("The outbox is empty."))
        return 0
    for i in items:
        print(f"{i.id:>4}  {_state(i.state):<9} {i.destination:<10} {i.title[:50]:<50}  "
              f"{i.why(now)}")
    return 0


def cmd_outbox_retry(args: argparse.Namespace, ctx: AppContext) -> int:
    from app.helpdesk.configured import deliverer, open_outbox

    with open_outbox(ctx) as box:
        count = box.retry(args.ids or None)
        outcomes = deliverer(ctx, box, finder=args.find_personal_data).run_due()
    print(current().ntr("{n} report queued for sending now.",
                        "{n} reports queued for sending now.", n=count))
    return _print_outcomes(outcomes)


def cmd_outbox_purge(args: argparse.Namespace, ctx: AppContext) -> int:
    states = ("sent", "failed") if args.failed else ("sent",)
    with Outbox(ctx.dirs.state, ctx.clock) as box:
        count = box.purge(states=states, older_than_s=args.older_than_days * 86400,
                          item_ids=args.ids or None)
    print(current().ntr("{n} report removed from the outbox.",
                        "{n} reports removed from the outbox.", n=count))
    return 0


def cmd_outbox_send(args: argparse.Namespace, ctx: AppContext) -> int:
    from app.helpdesk.configured import deliverer, open_outbox, queue_report

    with open_outbox(ctx) as box:
        if args.bundle is not None:
            item = queue_report(ctx, args.bundle, box)
            print(current().tr("Queued as outbox item {id}.", id=item.id))
        outcomes = deliverer(ctx, box, finder=args.find_personal_data).run_due()
    return _print_outcomes(outcomes)


def _print_outcomes(outcomes: list[Outcome]) -> int:
    t = current()
    code = 0
    for o in outcomes:
        if o.state == "sent" and o.ticket is not None:
            print(t.tr("Item {id}: sent as ticket {ticket} {url}", id=o.item_id,
                       ticket=o.ticket.display(), url=o.ticket.url).rstrip())
        else:
            print(t.tr("Item {id}: {state}: {error}", id=o.item_id, state=_state(o.state),
                       error=o.error))
            code = EXIT_DELIVERY
    return code
