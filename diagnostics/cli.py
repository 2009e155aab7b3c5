"""``flare diagnostics [--json] [--only NAME,...] [--list]``: run the collectors and print."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from app.i18n import N_, current
from app.report import Diagnostics, DiagnosticSection
from app.version import flare_version
from diagnostics import registry
from diagnostics.collector import CollectContext, Collector
from diagnostics.runner import collect_all

if TYPE_CHECKING:
    from app.context import AppContext

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = current()
    p = sub.add_parser(
        "diagnostics",
        help=t.tr("collect system diagnostics and print a summary"),
        description=(t.tr("Run the diagnostics collectors in parallel (within the policy's time "
                     "budget) and print one line per collector, problems first. Exit code 1 "
                     "when something abnormal was found.")),
    )
    p.add_argument("--json", action="store_true", help=t.tr("print the full diagnostics as JSON"))
    p.add_argument("--only", metavar="NAME,...", help=t.tr("run only these collectors"))
    p.add_argument("--list", action="store_true", help=t.tr("list the collectors and exit"))
    p.set_defaults(func=run_diagnostics)


def choose(available: list[Collector], only: str | None) -> list[Collector]:
    """The collectors ``--only`` names; unknown names are a usage error naming the valid ones."""
    if not only:
        return available
    wanted = [n.strip() for n in only.split(",") if n.strip()]
    known = {c.name for c in available}
    unknown = [n for n in wanted if n not in known]
    if unknown or not wanted:
        from app.errors import FlareError

        raise FlareError(
            current().tr("unknown collector {names}; choose from: {known} (see 'flare "
                         "diagnostics --list')",
                         names=", ".join(unknown) or current().tr("(none given)"),
                         known=", ".join(sorted(known))),
            exit_code=EXIT_USAGE,
        )
    return [c for c in available if c.name in wanted]


def abnormal(s: DiagnosticSection) -> bool:
    return s.status in ("error", "timeout") or any(
        f.severity in ("warning", "error") for f in s.findings
    )


def render_text(diag: Diagnostics) -> str:
    t = current()
    statuses = {"skipped": t.tr("skipped"), "error": t.tr("error"),
                "timeout": t.tr("timed out")}
    width = max((len(s.title or s.name) for s in diag.sections), default=8)
    lines = [t.ntr("Diagnostics: {n} collector in {ms} ms",
                   "Diagnostics: {n} collectors in {ms} ms",
                   n=len(diag.sections), ms=current().number(diag.duration_ms, 0))]
    for s in sorted(diag.sections, key=lambda s: (not abnormal(s), s.status == "skipped")):
        mark = "!" if abnormal(s) else "-" if s.status == "skipped" else " "
        status = "" if s.status == "ok" else f"[{statuses.get(s.status, s.status)}] "
        lines.append(f"{mark} {s.title or s.name:<{width}}  {status}{s.summary}")
        for f in s.findings:
            lines.append(f"  {'':<{width}}    {'!' if f.severity != 'info' else '·'} {f.message}")
        if s.redactions:
            n = sum(s.redactions.values())
            lines.append(f"  {'':<{width}}    " + t.ntr("({n} value redacted)",
                                                       "({n} values redacted)", n=n))
    return "\n".join(lines)


# Who may read a section (report.py's privacy levels), as `--list` says it.
PRIVACY_WORDS = {"public": N_("public"), "internal": N_("internal"), "personal": N_("personal")}


def render_list(collectors: list[Collector], platform: str) -> str:
    width = max((len(c.name) for c in collectors), default=8)
    out = []
    for c in collectors:
        t = current()
        here = "" if c.runs_on(platform) else t.tr("  (not on {platform})", platform=platform)
        privacy = t.tr(PRIVACY_WORDS[c.privacy]) if c.privacy in PRIVACY_WORDS else c.privacy
        out.append(f"{c.name:<{width}}  {t.tr(c.title)} [{privacy}, "
                   f"{t.unit(c.timeout_s, 's')}]{here}\n"
                   f"{'':<{width}}  {t.tr(c.description)}")
    return "\n".join(out)


def run_diagnostics(args: argparse.Namespace, ctx: AppContext) -> int:
    loaded = registry.load()
    cctx = CollectContext.from_settings(ctx.settings, flare_version=flare_version())
    if args.list:
        print(render_list(loaded.collectors, cctx.platform))
        return EXIT_OK
    selected = choose(registry.select(loaded.collectors, cctx.platform), args.only)
    diag = collect_all(selected, cctx, clock=ctx.clock)
    if args.json:
        print(json.dumps(diag.as_written().model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        print(render_text(diag))
    return EXIT_PROBLEMS if any(abnormal(s) for s in diag.sections) else EXIT_OK
