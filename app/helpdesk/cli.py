"""``flare outbox …`` and ``flare connector …``.

Each command imports only what it needs: `flare outbox list` reads the outbox database and
nothing else, while sending loads the connectors, HTTP and the report model (about 0.3 s).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from app.errors import EXIT_DELIVERY, EXIT_PROBLEMS, EXIT_USAGE, FlareError
from app.helpdesk.outbox import STATES, Outbox, OutboxItem

# Not typing.TYPE_CHECKING: see app.records.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from app.context import AppContext
    from app.helpdesk.spec.model import Spec
    from app.helpdesk.submission import Outcome


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    outbox = sub.add_parser("outbox", help="reports waiting for the helpdesk")
    osub = outbox.add_subparsers(dest="outbox_command", required=True)
    p = osub.add_parser("list", help="what is queued, sent or failed, and why")
    p.add_argument("--state", choices=STATES, action="append")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_outbox_list, writes_log=False)  # reads and prints only
    p = osub.add_parser("retry", help="send failed or waiting reports now")
    p.add_argument("ids", nargs="*", type=int, help="item ids (default: all failed/waiting)")
    p.set_defaults(func=cmd_outbox_retry)
    p = osub.add_parser("purge", help="forget sent (or failed) reports")
    p.add_argument("ids", nargs="*", type=int)
    p.add_argument("--failed", action="store_true", help="also forget failed reports")
    p.add_argument("--older-than-days", type=float, default=0.0)
    p.set_defaults(func=cmd_outbox_purge)
    p = osub.add_parser("send", help="queue a bundle (if given) and send what is due")
    p.add_argument("bundle", nargs="?", type=Path)
    p.set_defaults(func=cmd_outbox_send)

    conn = sub.add_parser("connector", help="check and test helpdesk connectors")
    csub = conn.add_subparsers(dest="connector_command", required=True)
    p = csub.add_parser("check", help="validate a connector spec (YAML)")
    p.add_argument("spec", type=Path)
    p.add_argument("--dry-run", type=Path, metavar="BUNDLE",
                   help="also print every request the spec would send for this report "
                        "bundle (nothing is sent; credentials masked)")
    p.set_defaults(func=cmd_connector_check)
    p = csub.add_parser("test", help="send a clearly marked test report and read it back")
    p.add_argument("--spec", type=Path, help="use this spec instead of destination.spec")
    p.set_defaults(func=cmd_connector_test)
    p = csub.add_parser("list", help="built-in connectors")
    p.set_defaults(func=cmd_connector_list)


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
        print("The outbox is empty.")
        return 0
    for i in items:
        print(f"{i.id:>4}  {i.state:<8} {i.destination:<10} {i.title[:50]:<50}  {i.why(now)}")
    return 0


def cmd_outbox_retry(args: argparse.Namespace, ctx: AppContext) -> int:
    from app.helpdesk.configured import deliverer, open_outbox

    with open_outbox(ctx) as box:
        count = box.retry(args.ids or None)
        outcomes = deliverer(ctx, box, finder=args.find_personal_data).run_due()
    print(f"{count} report(s) queued for sending now.")
    return _print_outcomes(outcomes)


def cmd_outbox_purge(args: argparse.Namespace, ctx: AppContext) -> int:
    states = ("sent", "failed") if args.failed else ("sent",)
    with Outbox(ctx.dirs.state, ctx.clock) as box:
        count = box.purge(states=states, older_than_s=args.older_than_days * 86400,
                          item_ids=args.ids or None)
    print(f"{count} report(s) removed from the outbox.")
    return 0


def cmd_outbox_send(args: argparse.Namespace, ctx: AppContext) -> int:
    from app.helpdesk.configured import deliverer, open_outbox, queue_report

    with open_outbox(ctx) as box:
        if args.bundle is not None:
            item = queue_report(ctx, args.bundle, box)
            print(f"Queued as outbox item {item.id}.")
        outcomes = deliverer(ctx, box, finder=args.find_personal_data).run_due()
    return _print_outcomes(outcomes)


def _print_outcomes(outcomes: list[Outcome]) -> int:
    code = 0
    for o in outcomes:
        if o.state == "sent" and o.ticket is not None:
            print(f"Item {o.item_id}: sent as ticket {o.ticket.display()} {o.ticket.url}".rstrip())
        else:
            print(f"Item {o.item_id}: {o.state}: {o.error}")
            code = EXIT_DELIVERY
    return code


# --------------------------------------------------------------------------- connector


def cmd_connector_check(args: argparse.Namespace, ctx: AppContext) -> int:
    from app.helpdesk.errors import SpecError
    from app.helpdesk.spec.model import check_spec, read_spec_yaml
    from app.regular_file import read_regular_text

    path: Path = args.spec
    try:
        text = read_regular_text(path)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise FlareError(f"{path}: cannot read the spec: "
                         f"{getattr(exc, 'strerror', None) or exc}", EXIT_USAGE) from None
    try:
        raw = read_spec_yaml(text, str(path))
    except SpecError as exc:
        print(exc.message)
        return EXIT_PROBLEMS
    problems, spec = check_spec(raw, str(path))
    for p in problems:
        print(p)
    if spec is None:
        print(f"{len(problems)} problem(s) found.")
        return EXIT_PROBLEMS
    ops = ", ".join(spec.operations)
    print(f"{path}: OK - {spec.title} (spec language {spec.version}); operations: {ops}")
    if args.dry_run is not None:
        return _dry_run(spec, args.dry_run, ctx)
    return 0


def _dry_run(spec: Spec, bundle_path: Path, ctx: AppContext) -> int:
    from app.helpdesk.configured import destination_config
    from app.helpdesk.delivery_bundle import open_delivery_bundle
    from app.helpdesk.errors import DeliveryError, SpecError
    from app.helpdesk.spec.dryrun import dry_run

    config = destination_config(ctx)
    params = {p.name: config.setting(p.setting) for p in spec.params.values()
              if p.setting and p.setting != "destination.token"}
    bundle = open_delivery_bundle(bundle_path)
    print(f"Requests for {bundle_path} (nothing is sent; credentials are shown as ***):")
    try:
        lines = dry_run(spec, params, bundle, ("submit", "find_existing"))
    except (DeliveryError, SpecError) as exc:
        print(f"The spec cannot build its requests: {exc.message}")
        return EXIT_PROBLEMS
    print("\n".join(lines))
    return 0


def cmd_connector_list(args: argparse.Namespace, ctx: AppContext) -> int:
    from app.helpdesk.registry import builtin_spec_names

    print("folder (built in, Python)")
    for name in builtin_spec_names():
        print(f"{name} (built-in spec)")
    return 0


# A spec decides where requests go and which settings (token, user) they carry.
_OUTBOX_SENTENCE = re.compile(r"[.;]?\s*(the report (is kept|waits) in the outbox|Flare "
                              r"tries again later)\.?", re.I)

_LOCKED_BY_SPEC = ("destination.type", "destination.spec", "destination.url",
                   "destination.token", "destination.username", "destination.ca_bundle")


def cmd_connector_test(args: argparse.Namespace, ctx: AppContext) -> int:
    import getpass
    import tempfile

    from app.helpdesk.configured import destination_config, secret_resolver
    from app.helpdesk.delivery_bundle import open_delivery_bundle
    from app.helpdesk.errors import DeliveryError
    from app.helpdesk.probe import write_test_bundle
    from app.helpdesk.registry import make_connector
    from app.report import Reporter

    config = destination_config(ctx)
    locked = [k for k in _LOCKED_BY_SPEC if ctx.settings.is_locked(k)]
    if args.spec is not None and locked:
        raise FlareError(f"--spec cannot be used here: your administrator set "
                         f"{', '.join(locked)} (managed policy), and a spec of your choosing "
                         "could send those credentials elsewhere. Run it without --spec",
                         EXIT_USAGE)
    if args.spec is not None:
        config = config.__class__(**{**config.__dict__, "type": "spec", "spec": args.spec})
    connector = make_connector(config, secret_resolver(ctx))
    reporter = Reporter(name="Flare connector test", username=getpass.getuser())
    with tempfile.TemporaryDirectory(prefix="flare-connector-test-") as tmp:
        path = write_test_bundle(Path(tmp), ctx.clock(), reporter)
        bundle = open_delivery_bundle(path)
        try:
            ref = connector.submit(bundle)
            print(f"Test report filed as {ref.display()} {ref.url}".rstrip())
            if "status" in connector.capabilities:
                status = connector.status(ref)
                print(f"Read back: status {status.label or status.state} ({status.state})")
            if "find_existing" in connector.capabilities:
                found = connector.find_existing(bundle)
                if found is None or found.id != ref.id:
                    print("Problem: the ticket cannot be found by its report marker, so a "
                          "retry after a network failure could file it twice")
                    return EXIT_PROBLEMS
                print("Read back: the ticket is found by its report marker (safe retries)")
        except DeliveryError as exc:
            detail = f" [helpdesk said: {exc.helpdesk_message}]" if exc.helpdesk_message else ""
            # A test report is never queued: what a message says about the outbox is not so.
            message = _OUTBOX_SENTENCE.sub("", exc.message)
            raise FlareError(f"the test report was not filed: {message}{detail}",
                             exc.exit_code) from None
    print("The connector works. Close the test ticket in the helpdesk.")
    return 0

