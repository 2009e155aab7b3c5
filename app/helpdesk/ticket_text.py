"""The ticket body: a plain-text rendering of a report that reads well in any helpdesk.

Order follows what support reads first: what, how bad, who, when, the answers, the steps
with their times, then only the abnormal diagnostics (the full set is in diagnostics.json).
"""

from __future__ import annotations

from datetime import datetime

from app.i18n import N_, Translator
from app.report import Diagnostics, Report

# The same words as report.html's (app/render/html.py), in support's terms: "just me" is the
# reporter, as the person chose it.
_IMPACT = {"me": N_("just me"), "team": N_("my team"), "many": N_("many people")}
_URGENCY = {"can_work": N_("can still work"), "slowed": N_("slowed down"),
            "blocked": N_("blocked")}
_LEVEL = {"low": N_("low"), "medium": N_("medium"), "high": N_("high"),
          "critical": N_("critical")}


def reader(report: Report) -> Translator:
    """The ticket speaks support's language where policy names one, else the reporter's."""
    return Translator(report.support_locale or report.locale)


def ticket_subject(report: Report) -> str:
    """Subject with the report's short id, which also lets a retry find an earlier ticket."""
    title = " ".join((report.title or reader(report).tr("Problem report")).split())
    prefix = "[TEST] " if report.test else ""
    return f"{prefix}{title} [Flare {report.short_id()}]"


def _when(dt: datetime | None, t: Translator) -> str:
    if dt is None:
        return t.tr("not given")
    return dt.strftime("%Y-%m-%d %H:%M:%S UTC%z").replace("UTC+0000", "UTC")


def ticket_text(report: Report, diagnostics: Diagnostics, notes: list[str] | None = None) -> str:
    t = reader(report)
    lines: list[str] = []
    if report.test:
        lines += [t.tr("*** TEST REPORT sent by 'flare connector test' - no action needed ***"),
                  ""]
    lines.append(report.title or t.tr("Problem report"))
    lines.append("")
    p = report.priority
    lines.append(t.tr("Priority: {level} (affects {impact}, {urgency})",
                      level=t.tr(_LEVEL[p.level]) if p.level in _LEVEL else p.level,
                      impact=t.tr(_IMPACT[p.impact]) if p.impact in _IMPACT else p.impact,
                      urgency=t.tr(_URGENCY[p.urgency]) if p.urgency in _URGENCY
                      else p.urgency))
    if report.category_label or report.category:
        lines.append(t.tr("Category: {category}",
                          category=report.category_label or report.category))
    r = report.reporter
    who = r.name or r.username or t.tr("unknown")
    if r.email:
        who += f" <{r.email}>"
    lines.append(t.tr("Reporter: {who}", who=who))
    if report.machine.hostname:
        m = report.machine
        lines.append(t.tr("Computer: {host} ({os})", host=m.hostname,
                          os=" ".join(x for x in (m.os, m.os_version) if x)))
    lines.append(t.tr("Happened: {when}", when=_when(report.happened_at, t)))
    lines.append(t.tr("Reported: {when}", when=_when(report.created_at, t)))
    if report.support_locale and report.support_locale != report.locale:
        lines.append(t.tr("The reporter wrote in {language}; the answers are as written.",
                          language=t.tr(LANGUAGE_NAMES_EN.get(report.locale, report.locale))))
    if report.answers:
        lines += ["", t.tr("Answers")]
        for a in report.answers:
            shown = t.tr("I don't know") if a.dont_know else (a.display or _plain(a.value, t))
            lines.append(f"- {a.question}")
            lines += [f"    {line}" for line in (shown or t.tr("(no answer)")).splitlines()]
    if report.steps:
        lines += ["", t.tr("Steps")]
        for i, s in enumerate(report.steps, 1):
            caption = f" - {s.caption}" if s.caption else ""
            lines.append(f"{i}. {s.captured_at:%H:%M:%S} {s.image}{caption}")
            if s.note:
                lines.append(f"    ({s.note})")
    if report.attachments:
        lines += ["", t.tr("Attached files")]
        lines += [f"- {a.name} (" + t.ntr("{n} byte", "{n} bytes", n=a.size) + ")"
                  for a in report.attachments]
    abnormal = [s for s in diagnostics.sections if s.findings or s.status != "ok"]
    if abnormal:
        lines += ["", t.tr("Diagnostics findings")]
        for sec in abnormal:
            title = sec.title or sec.name
            if sec.status != "ok":
                status = {"skipped": t.tr("skipped"), "error": t.tr("error"),
                          "timeout": t.tr("timed out")}.get(sec.status, sec.status)
                lines.append(f"- {title}: {status}{': ' + sec.error if sec.error else ''}")
            severity = {"info": t.tr("note"), "warning": t.tr("warning"), "error": t.tr("error")}
            lines += [f"- {title}: [{severity.get(f.severity, f.severity)}] {f.message}"
                      for f in sec.findings]
    if notes:
        lines += ["", t.tr("Delivery notes")]
        lines += [f"- {n}" for n in notes]
    lines += ["", t.tr("Full report: report.html; all diagnostics: diagnostics.json (attached)."),
              t.tr("Flare report id: {id}", id=report.id)]
    return "\n".join(lines) + "\n"


# TRANSLATORS: the language the reporter wrote in, named in the ticket for support
LANGUAGE_NAMES_EN = {"en": N_("English"), "ru": N_("Russian"), "uk": N_("Ukrainian")}


def _plain(value: object, t: Translator) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return t.tr("yes") if value else t.tr("no")
    return str(value)
