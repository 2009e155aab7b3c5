"""`flare bundle validate|render` and `flare open`: look at a report bundle."""

from __future__ import annotations

import argparse
import webbrowser
from pathlib import Path

from app.bundle import REPORT_HTML, read_bundle
from app.context import AppContext
from app.errors import EXIT_ENVIRONMENT, EXIT_OK, EXIT_PROBLEMS, BundleError, FlareError
from app.fsutil import atomic_write_bytes
from app.i18n import current


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = current()
    bundle = sub.add_parser("bundle", help=t.tr("validate or render a report bundle"))
    bsub = bundle.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)

    validate = bsub.add_parser("validate", help=t.tr("check a bundle folder or .zip strictly"))
    validate.add_argument("path", type=Path, help=t.tr("a report bundle: folder or .zip"))
    validate.set_defaults(func=cmd_validate)

    render = bsub.add_parser("render", help=t.tr("write report.html for a bundle"))
    render.add_argument("path", type=Path, help=t.tr("a report bundle: folder or .zip"))
    render.add_argument("--out", type=Path,
                        help=t.tr("where to write (default: into a folder bundle)"))
    render.add_argument("--open", action="store_true", help=t.tr("open it in the web browser"))
    render.set_defaults(func=cmd_render)

    open_ = sub.add_parser("open", help=t.tr("open a report bundle's report.html in the browser"))
    open_.add_argument("path", type=Path, help=t.tr("a report bundle: folder or .zip"))
    open_.set_defaults(func=cmd_open)


def cmd_validate(args: argparse.Namespace, ctx: AppContext) -> int:
    t = current()
    try:
        bundle = read_bundle(args.path)
    except BundleError as exc:
        print(t.tr("invalid: {reason}", reason=exc.message))
        return EXIT_PROBLEMS
    r = bundle.report
    print(t.tr(
        "valid: report {id}, schema {schema}, {screenshots}, {attachments}, {sections}: "
        "{title}", id=r.id, schema=r.schema_version,
        screenshots=t.ntr("{n} screenshot", "{n} screenshots", n=len(r.steps)),
        attachments=t.ntr("{n} attachment", "{n} attachments", n=len(r.attachments)),
        sections=t.ntr("{n} diagnostics section", "{n} diagnostics sections",
                       n=len(bundle.diagnostics.sections)),
        title=r.title or t.tr("(no subject)")))
    return EXIT_OK


def cmd_render(args: argparse.Namespace, ctx: AppContext) -> int:
    bundle = read_bundle(args.path)  # report.html rendered from report.json
    if args.out is not None:
        out: Path = args.out
    elif args.path.is_dir():
        out = args.path / REPORT_HTML
    else:
        out = args.path.with_suffix(".html")
    _write(out, bundle.html)
    print(out)
    if args.open:
        webbrowser.open(out.resolve().as_uri())
    return EXIT_OK


def cmd_open(args: argparse.Namespace, ctx: AppContext) -> int:
    # Never the stored report.html: whoever could edit the bundle could have put a script in
    # it. The page is rendered from report.json into the cache and opened from there.
    bundle = read_bundle(args.path)
    name = args.path.name.removesuffix(".zip") or "report"
    target = ctx.dirs.cache / f"{name}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    _write(target, bundle.html)
    webbrowser.open(target.resolve().as_uri())
    print(target)
    return EXIT_OK


def _write(target: Path, html: str) -> None:
    """Atomically: a failed write leaves the old file whole, never an empty one."""
    try:
        atomic_write_bytes(target, html.encode("utf-8"))
    except OSError as exc:
        raise FlareError(current().tr(
            "cannot write {path} ({reason}); choose another place with --out or free some "
            "disk space", path=target, reason=exc.strerror or exc), EXIT_ENVIRONMENT) from None
