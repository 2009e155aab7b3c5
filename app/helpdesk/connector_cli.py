"""``flare connector …``: check a connector spec, send a test report, list the built-in ones."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from app.errors import EXIT_PROBLEMS, EXIT_USAGE, FlareError
from app.i18n import current

# Not typing.TYPE_CHECKING: see app.records.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from app.context import AppContext
    from app.helpdesk.spec.model import Spec


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = current()
    conn = sub.add_parser("connector", help=t.tr("check and test helpdesk connectors"))
    csub = conn.add_subparsers(dest="connector_command", required=True)
    p = csub.add_parser("check", help=t.tr("validate a connector spec (YAML)"))
    p.add_argument("spec", type=Path, help=t.tr("the connector spec (YAML file)"))
    p.add_argument("--dry-run", type=Path, metavar="BUNDLE",
                   help=t.tr("also print every request the spec would send for this report "
                        "bundle (nothing is sent; credentials masked)"))
    p.set_defaults(func=cmd_connector_check)
    p = csub.add_parser("test", help=t.tr("send a clearly marked test report and read it back"))
    p.add_argument("--spec", type=Path, help=t.tr("use this spec instead of destination.spec"))
    p.set_defaults(func=cmd_connector_test)
    p = csub.add_parser("list", help=t.tr("built-in connectors"))
    p.set_defaults(func=cmd_connector_list)


def cmd_connector_check(args: argparse.Namespace, ctx: AppContext) -> int:
    from app.helpdesk.errors import SpecError
    from app.helpdesk.spec.model import check_spec, read_spec_yaml
    from app.regular_file import read_regular_text

    path: Path = args.spec
    try:
        text = read_regular_text(path)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise FlareError(current().tr("{path}: cannot read the spec: {reason}", path=path,
                                      reason=getattr(exc, "strerror", None) or exc),
                         EXIT_USAGE) from None
    try:
        raw = read_spec_yaml(text, str(path))
    except SpecError as exc:
        print(exc.message)
        return EXIT_PROBLEMS
    problems, spec = check_spec(raw, str(path))
    for p in problems:
        print(p)
    t = current()
    if spec is None:
        print(t.ntr("{n} problem found.", "{n} problems found.", n=len(problems)))
        return EXIT_PROBLEMS
    ops = ", ".join(spec.operations)
    print(t.tr("{path}: OK - {title} (spec language {version}); operations: {operations}",
               path=path, title=spec.title, version=spec.version, operations=ops))
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
    t = current()
    print(t.tr("Requests for {bundle} (nothing is sent; credentials are shown as ***):",
               bundle=bundle_path))
    try:
        lines = dry_run(spec, params, bundle, ("submit", "find_existing"))
    except (DeliveryError, SpecError) as exc:
        print(t.tr("The spec cannot build its requests: {error}", error=exc.message))
        return EXIT_PROBLEMS
    print("\n".join(lines))
    return 0


def cmd_connector_list(args: argparse.Namespace, ctx: AppContext) -> int:
    from app.helpdesk.registry import builtin_spec_names

    t = current()
    print("folder " + t.tr("(built in, Python)"))
    for name in builtin_spec_names():
        print(f"{name} " + t.tr("(built-in spec)"))
    return 0


# A spec decides where requests go and which settings (token, user) they carry.
# Compiled by re when a connector test fails, not for every `flare outbox` command.
_OUTBOX_SENTENCE = (r"[.;]?\s*(the report (is kept|waits) in the outbox|Flare "
                    r"tries again later)\.?")

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
        raise FlareError(current().tr(
            "--spec cannot be used here: your administrator set {settings} (managed policy), "
            "and a spec of your choosing could send those credentials elsewhere. Run it "
            "without --spec", settings=", ".join(locked)), EXIT_USAGE)
    if args.spec is not None:
        config = config.__class__(**{**config.__dict__, "type": "spec", "spec": args.spec})
    connector = make_connector(config, secret_resolver(ctx))
    t = current()
    reporter = Reporter(name="Flare connector test", username=getpass.getuser())
    with tempfile.TemporaryDirectory(prefix="flare-connector-test-") as tmp:
        path = write_test_bundle(Path(tmp), ctx.clock(), reporter)
        bundle = open_delivery_bundle(path)
        try:
            ref = connector.submit(bundle)
            print(t.tr("Test report filed as {ticket} {url}", ticket=ref.display(),
                       url=ref.url).rstrip())
            if "status" in connector.capabilities:
                status = connector.status(ref)
                print(t.tr("Read back: status {label} ({state})",
                           label=status.label or status.state, state=status.state))
            if "find_existing" in connector.capabilities:
                found = connector.find_existing(bundle)
                if found is None or found.id != ref.id:
                    print(t.tr("Problem: the ticket cannot be found by its report marker, so a "
                               "retry after a network failure could file it twice"))
                    return EXIT_PROBLEMS
                print(t.tr("Read back: the ticket is found by its report marker (safe "
                           "retries)"))
        except DeliveryError as exc:
            detail = t.tr(" [helpdesk said: {message}]", message=exc.helpdesk_message) if (
                exc.helpdesk_message) else ""
            # A test report is never queued: what a message says about the outbox is not so.
            message = re.sub(_OUTBOX_SENTENCE, "", exc.message, flags=re.I)
            raise FlareError(t.tr("the test report was not filed: {reason}",
                                  reason=message) + detail, exc.exit_code) from None
    print(t.tr("The connector works. Close the test ticket in the helpdesk."))
    return 0

