"""``flare incidents``: what is known now from every incident source, and why a source failed."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import Any

from app.context import AppContext
from app.errors import EXIT_OK, EXIT_PROBLEMS
from app.helpdesk.incident_feeds import FeedResult
from app.i18n import current


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = current()
    p = sub.add_parser("incidents", help=t.tr("known incidents from every source IT configured"))
    p.add_argument("--json", action="store_true", help=t.tr("machine-readable output"))
    p.set_defaults(func=cmd_incidents)


def cmd_incidents(args: argparse.Namespace, ctx: AppContext) -> int:
    from app.helpdesk.configured import incident_source

    source = incident_source(ctx)
    results = source.results() if source is not None else []
    if args.json:
        print(json.dumps([_as_json(r) for r in results], indent=2, ensure_ascii=False))
    else:
        print(format_results(results), end="")
    return EXIT_PROBLEMS if any(r.error for r in results) else EXIT_OK


def _as_json(r: FeedResult) -> dict[str, Any]:
    return {
        "source": r.feed.label,
        "type": r.feed.type,
        "ok": not r.error,
        "error": r.error,
        "from_cache": r.from_cache,
        "fetched_at": r.fetched_at.isoformat() if r.fetched_at else None,
        "incidents": [
            {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in asdict(i).items()}
            for i in r.incidents
        ],
    }


def format_results(results: list[FeedResult]) -> str:
    t = current()
    if not results:
        return t.tr("No incident sources are configured (setting incidents.feeds).") + "\n"
    lines: list[str] = []
    for r in results:
        head = f"{r.feed.label} ({r.feed.type})"
        if r.error:
            lines.append(t.tr("{source}: FAILED: {error}", source=head, error=r.error))
            if r.from_cache and r.fetched_at:
                lines.append("  " + t.tr("last good answer, fetched {when}:",
                                         when=f"{r.fetched_at:%Y-%m-%d %H:%M %Z}".strip()))
        else:
            lines.append(t.ntr("{source}: {n} known incident", "{source}: {n} known incidents",
                               n=len(r.incidents), source=head)
                         if r.incidents else t.tr("{source}: no known incidents", source=head))
        for i in r.incidents:
            when = i.updated_at or i.started_at
            stamp = f" [{when:%Y-%m-%d %H:%M %Z}]" if when else ""
            lines.append(f"  - {i.title}{stamp}")
            if i.details:
                lines.append(f"    {i.details}")
            if i.url:
                lines.append(f"    {i.url}")
    return "\n".join(lines) + "\n"
