"""The ticket body: a plain-text rendering of a report that reads well in any helpdesk.

Order follows what support reads first: what, how bad, who, when, the answers, the steps
with their times, then the diagnostics findings by severity (the full set is in
diagnostics.json), and what the reporter chose to leave out.
"""

from __future__ import annotations

from datetime import datetime

from app.helpdesk.reply import reply_text
from app.report import Diagnostics, Report

_IMPACT = {"me": "just me", "team": "my team", "many": "many people"}
_URGENCY = {"can_work": "can still work", "slowed": "slowed down", "blocked": "blocked"}


def ticket_subject(report: Report) -> str:
    """Subject with the report's short id, which also lets a retry find an earlier ticket."""
    title = " ".join((report.title or "Problem report").split())
    prefix = "[TEST] " if report.test else ""
    return f"{prefix}{title} [Flare {report.short_id()}]"


def _when(dt: datetime | None) -> str:
    if dt is None:
        return "not given"
    return dt.strftime("%Y-%m-%d %H:%M:%S UTC%z").replace("UTC+0000", "UTC")


def ticket_text(report: Report, diagnostics: Diagnostics, notes: list[str] | None = None) -> str:
    answer = reply_text(report)
    if answer is not None:
        # The reporter's answer from "My reports": support reads the words, nothing else.
        r = report.reporter
        who = r.name or r.username or "the reporter"
        return f"{answer.rstrip()}\n\n-- {who}{f' <{r.email}>' if r.email else ''}, " \
               "answered in Flare\n"
    lines: list[str] = []
    if report.test:
        lines += ["*** TEST REPORT sent by 'flare connector test' - no action needed ***", ""]
    lines.append(report.title or "Problem report")
    lines.append("")
    p = report.priority
    lines.append(
        f"Priority: {p.level} (affects {_IMPACT.get(p.impact, p.impact)}, "
        f"{_URGENCY.get(p.urgency, p.urgency)})"
    )
    if report.category_label or report.category:
        lines.append(f"Category: {report.category_label or report.category}")
    r = report.reporter
    who = r.name or r.username or "unknown"
    if r.email:
        who += f" <{r.email}>"
    lines.append(f"Reporter: {who}")
    if report.machine.hostname:
        m = report.machine
        lines.append(f"Computer: {m.hostname} ({' '.join(x for x in (m.os, m.os_version) if x)})")
    lines.append(f"Happened: {_when(report.happened_at)}")
    lines.append(f"Reported: {_when(report.created_at)}")
    if report.answers:
        lines += ["", "Answers"]
        for a in report.answers:
            shown = "I don't know" if a.dont_know else (a.display or _plain(a.value))
            lines.append(f"- {a.question}")
            lines += [f"    {line}" for line in (shown or "(no answer)").splitlines()]
    if report.steps:
        lines += ["", "Steps"]
        for i, s in enumerate(report.steps, 1):
            caption = f" - {s.caption}" if s.caption else ""
            lines.append(f"{i}. {s.captured_at:%H:%M:%S} {s.image}{caption}")
            if s.description:
                lines.append(f"    {s.description}")
            if s.note:
                lines.append(f"    ({s.note})")
    if report.attachments:
        lines += ["", "Attached files"]
        lines += [f"- {a.name} ({a.size} bytes)" for a in report.attachments]
    lines += _diagnostics(diagnostics)
    lines += _left_out(report)
    if notes:
        lines += ["", "Delivery notes"]
        lines += [f"- {n}" for n in notes]
    lines += ["", "Full report: report.html; all diagnostics: diagnostics.json (attached).",
              f"Flare report id: {report.id}"]
    return "\n".join(lines) + "\n"


_RANK = {"error": 0, "warning": 1, "info": 2}


def _diagnostics(diagnostics: Diagnostics) -> list[str]:
    """What support should look at first: findings by severity, then collectors that failed;
    collectors that were skipped (not applicable, turned off) are one line at the end, so
    they never crowd out a real finding."""
    findings = sorted(((f, sec.title or sec.name) for sec in diagnostics.sections
                       for f in sec.findings), key=lambda x: _RANK.get(x[0].severity, 3))
    failed = [s for s in diagnostics.sections if s.status in ("error", "timeout")]
    skipped = [s.title or s.name for s in diagnostics.sections if s.status == "skipped"]
    if not (findings or failed or skipped):
        return []
    lines = ["", "Diagnostics findings"]
    lines += [f"- {title}: [{f.severity}] {f.message}" for f, title in findings]
    lines += [f"- {s.title or s.name}: {s.status}{': ' + s.error if s.error else ''}"
              for s in failed]
    if not (findings or failed):
        lines.append("- nothing abnormal found")
    if skipped:
        lines.append(f"- not collected: {', '.join(skipped)}")
    return lines


def _left_out(report: Report) -> list[str]:
    """What the reporter unticked on the review page: support knows it is missing on purpose."""
    c = report.consent
    parts = []
    if c.excluded_steps:
        parts.append(f"{c.excluded_steps} screenshot(s)")
    if c.excluded_diagnostics:
        parts.append(f"diagnostics: {', '.join(c.excluded_diagnostics)}")
    return ["", f"Left out by the reporter: {'; '.join(parts)}"] if parts else []


def _plain(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
