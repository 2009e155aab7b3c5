"""What "I'm affected too" puts on the incident ticket: a few lines support can count and
act on (who, which machine, when, one line of diagnostics, the person's own words), not a
whole report. The full report (report.html, diagnostics.json) goes with it as attachments
where the helpdesk takes files on a comment."""

from __future__ import annotations

from app.helpdesk.protocol import Connector, IncidentReplies
from app.helpdesk.ticket_text import ticket_text
from app.report import Diagnostics, Report

_RANK = {"error": 0, "warning": 1, "info": 2}


def diagnostics_line(diagnostics: Diagnostics, limit: int = 200) -> str:
    """The one most telling diagnostics line: the worst finding, else the sections' status."""
    findings = sorted(
        ((f.severity, s.title or s.name, f.message) for s in diagnostics.sections
         for f in s.findings),
        key=lambda x: _RANK.get(x[0], 3))
    if findings:
        _, where, message = findings[0]
        more = len(findings) - 1
        line = f"{where}: {message}" + (f" (+{more} more)" if more else "")
    elif diagnostics.sections:
        bad = [s.title or s.name for s in diagnostics.sections if s.status != "ok"]
        line = (f"{len(diagnostics.sections)} checks, not ok: {', '.join(bad)}" if bad
                else f"{len(diagnostics.sections)} checks, all ok")
    else:
        line = "no diagnostics collected"
    line = " ".join(line.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def affected_comment(report: Report, diagnostics: Diagnostics) -> str:
    """The comment for the incident ticket (plain text, English: support's language)."""
    a = report.affected
    r = report.reporter
    who = r.name or r.username or "unknown"
    if r.email:
        who += f" <{r.email}>"
    m = report.machine
    machine = m.hostname or "unknown"
    system = " ".join(x for x in (m.os, m.os_version) if x)
    if system:
        machine += f" ({system})"
    lines = [
        "Affected too (reported with Flare)",
        f"Who: {who}",
        f"Machine: {machine}",
        f"When: {report.created_at:%Y-%m-%d %H:%M:%S %Z}".rstrip(),
        f"Diagnostics: {diagnostics_line(diagnostics)}",
    ]
    if a is not None and a.note.strip():
        lines.append("Anything different: " + " ".join(a.note.split()))
    # The marker a retry looks for in the incident ticket's history before posting again.
    lines.append(comment_marker(report))
    return "\n".join(lines) + "\n"


def comment_marker(report: Report) -> str:
    """The line that makes an "affected too" comment findable: the report's whole id, which
    no other report shares (the short id of a subject marker could collide over thousands
    of comments on one incident)."""
    return f"Flare report {report.id}"


def affected_text(report: Report, diagnostics: Diagnostics,
                  notes: list[str] | None = None) -> str:
    """The body for a ticket of an affected report: the comment's lines for a short linked
    ticket, the whole report for the rest."""
    a = report.affected
    if a is None or a.delivery not in ("comment", "linked_ticket"):
        return ticket_text(report, diagnostics, notes)
    # A helpdesk that cannot comment or link gets this as a ticket of its own: it names the
    # incident so support can merge it.
    return f"Known incident: {a.incident_id} {a.title}\n" + affected_comment(report, diagnostics)


def affected_delivery(connector: Connector, report: Report) -> str:
    """How an affected report goes out through ``connector``: "comment" (on the incident
    ticket), "linked_ticket" (a short ticket that refers to it), or "" (an ordinary ticket; the
    report's text names the incident). A helpdesk without the operation falls back: no
    comment (or no way to find one again) -> a linked ticket -> an ordinary one."""
    a = report.affected
    if a is None or a.source != "helpdesk" or not a.incident_id:
        return ""
    caps = connector.capabilities
    if not isinstance(connector, IncidentReplies):
        return ""
    # A comment only where the spec can also find it again: a retry after a lost answer
    # must not post it twice (a linked ticket is found by its subject marker instead).
    if a.delivery == "comment" and {"comment", "find_comment"} <= caps:
        return "comment"
    if a.delivery in ("comment", "linked_ticket") and "link" in caps:
        return "linked_ticket"
    return ""
