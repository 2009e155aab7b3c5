"""The ticket body: a plain-text rendering of a report that reads well in any helpdesk.

Order follows what support reads first: what, how bad, who, when, the answers, the steps
with their times, then the diagnostics findings by severity (the full set is in
diagnostics.json), and what the reporter chose to leave out.
"""

from __future__ import annotations

from datetime import datetime

from app.helpdesk.reply import reply_text
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
    report = report.in_language(report.support_locale)
    title = " ".join((report.title or reader(report).tr("Problem report")).split())
    prefix = "[TEST] " if report.test else ""
    return f"{prefix}{title} [Flare {report.short_id()}]"


def _when(dt: datetime | None, t: Translator) -> str:
    if dt is None:
        return t.tr("not given")
    return dt.strftime("%Y-%m-%d %H:%M:%S UTC%z").replace("UTC+0000", "UTC")


def ticket_text(report: Report, diagnostics: Diagnostics, notes: list[str] | None = None) -> str:
    report = report.in_language(report.support_locale)  # the form's texts as support reads
    t = reader(report)
    answer = reply_text(report)
    if answer is not None:
        # The reporter's answer from "My reports": support reads the words, nothing else.
        r = report.reporter
        who = r.name or r.username or t.tr("the reporter")
        return f"{answer.rstrip()}\n\n-- {who}{f' <{r.email}>' if r.email else ''}, " + \
            t.tr("answered in Flare") + "\n"
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
            if s.description:
                lines.append(f"    {s.description}")
            if s.note:
                lines.append(f"    ({s.note})")
    if report.attachments:
        lines += ["", t.tr("Attached files")]
        lines += [f"- {a.name} (" + t.ntr("{n} byte", "{n} bytes", n=a.size) + ")"
                  for a in report.attachments]
    lines += _diagnostics(diagnostics.in_language(t.language), t)
    lines += _left_out(report, t)
    if notes:
        lines += ["", t.tr("Delivery notes")]
        lines += [f"- {n}" for n in notes]
    lines += ["", t.tr("Full report: report.html; all diagnostics: diagnostics.json (attached)."),
              t.tr("Flare report id: {id}", id=report.id)]
    return "\n".join(lines) + "\n"


_RANK = {"error": 0, "warning": 1, "info": 2}


def _diagnostics(diagnostics: Diagnostics, t: Translator) -> list[str]:
    """What support should look at first: findings by severity, then collectors that failed;
    collectors that were skipped (not applicable, turned off) are one line at the end, so
    they never crowd out a real finding."""
    findings = sorted(((f, sec.title or sec.name) for sec in diagnostics.sections
                       for f in sec.findings), key=lambda x: _RANK.get(x[0].severity, 3))
    failed = [s for s in diagnostics.sections if s.status in ("error", "timeout")]
    skipped = [s.title or s.name for s in diagnostics.sections if s.status == "skipped"]
    if not (findings or failed or skipped):
        return []
    severity = {"info": t.tr("note"), "warning": t.tr("warning"), "error": t.tr("error")}
    status = {"error": t.tr("error"), "timeout": t.tr("timed out")}
    lines = ["", t.tr("Diagnostics findings")]
    lines += [f"- {title}: [{severity.get(f.severity, f.severity)}] {f.message}"
              for f, title in findings]
    # The state in brackets like a finding's severity: «VPN: [время вышло] нет ответа за 2,0 с»
    # reads as one line, not as two colons in a row.
    lines += [f"- {s.title or s.name}: [{status.get(s.status, s.status)}]"
              f"{' ' + s.error if s.error else ''}" for s in failed]
    if not (findings or failed):
        lines.append("- " + t.tr("nothing abnormal found"))
    if skipped:
        lines.append("- " + t.tr("not collected: {names}", names=", ".join(skipped)))
    return lines


def _left_out(report: Report, t: Translator) -> list[str]:
    """What the reporter unticked on the review page: support knows it is missing on purpose."""
    c = report.consent
    parts = []
    if c.excluded_steps:
        parts.append(t.ntr("{n} screenshot", "{n} screenshots", n=c.excluded_steps))
    if c.excluded_diagnostics:
        parts.append(t.tr("diagnostics: {names}", names=", ".join(c.excluded_diagnostics)))
    return ["", t.tr("Left out by the reporter: {parts}", parts="; ".join(parts))] if parts else []


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
