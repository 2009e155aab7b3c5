"""report.html: what support opens. One file, readable without JavaScript.

Every piece of user text goes through :func:`escape` (HTML escaping, bidi controls
neutralised). Two shapes:

- **self-contained** (the bundle, the folder destination, the review pane): images inlined
  as data URLs, so the page carries no external assets and can be copied or mailed as it is;
- **referring to the attachments** (what a helpdesk receives, ``attached=``): each screenshot
  is named by the file attached beside it and loaded from there when the attachments are
  saved into one folder. The screenshots are already on the ticket as files: inlining them
  again sent every screenshot twice (the upload was 2.3-2.4x the screenshot bytes, base64
  adding a third), and a helpdesk shows attached images itself, while it never renders an
  attached HTML page's inline images in its ticket view anyway.
"""

from __future__ import annotations

import base64
import html as _html
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Protocol
from urllib.parse import quote

import resources
from app.bidi import neutralise_bidi
from app.i18n import Translator
from app.report import Answer, Diagnostics, DiagnosticSection, Report, Step


def escape(text: str, quote: bool = True) -> str:
    """HTML-escaped, with right-to-left overrides and other bidi controls neutralised: a
    report value must not reorder what support reads around it."""
    return _html.escape(neutralise_bidi(text), quote)


class RenderSource(Protocol):
    """What a page is rendered from: the report, its diagnostics and the evidence bytes.

    A protocol, not app.bundle.Bundle, so the renderer does not import the bundle module that
    imports it (the cycle the layers forbid)."""

    @property
    def report(self) -> Report: ...

    @property
    def diagnostics(self) -> Diagnostics: ...

    @property
    def files(self) -> Mapping[str, bytes]: ...

    def file_size(self, name: str) -> int:
        """The size of evidence file ``name`` without reading it (0 when it is not here)."""
        ...



def _labels(t: Translator) -> dict[str, str]:
    """Fixed words of the page, in the reporter's language (support reads the same words)."""
    return {
        "low": t.tr("Low priority"),
        "medium": t.tr("Medium priority"),
        "high": t.tr("High priority"),
        "critical": t.tr("Critical priority"),
        "me": t.tr("just me"),
        "team": t.tr("my team"),
        "many": t.tr("many people"),
        "can_work": t.tr("can work"),
        "slowed": t.tr("slowed down"),
        "blocked": t.tr("blocked"),
        "replay": t.tr("instant replay"),
        "step": t.tr("recorded step"),
        "screenshot": t.tr("screenshot"),
    }
_INLINE_IMAGE_TYPES = ("image/png", "image/webp", "image/jpeg", "image/gif")


def _css() -> str:
    return resources.file("html", "report.css").read_text("utf-8")


def _when(dt: datetime | None, t: Translator) -> str:
    if dt is None:
        return t.tr("not given")
    # Keep the reporter's own UTC offset: support compares it with the stamp in the images.
    return dt.strftime("%Y-%m-%d %H:%M:%S UTC%z").replace("UTC+0000", "UTC")


def _data_url(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def _human_size(n: int, t: Translator) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return t.size(f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}")
        size /= 1024
    return t.size(f"{n} bytes")


def _answer_cell(answer: Answer, t: Translator) -> str:
    if answer.dont_know:
        unknown = escape(t.tr("I don't know"))
        return f'<span class="unknown">{unknown}</span>'
    text = answer.display
    if not text:
        value = answer.value
        if isinstance(value, list):
            text = ", ".join(str(v) for v in value)
        elif isinstance(value, bool):
            text = t.tr("yes") if value else t.tr("no")
        elif value is None:
            text = ""
        else:
            text = str(value)
    if not text:
        return f'<span class="unknown">{escape(t.tr("no answer"))}</span>'
    return f'<span class="answer">{escape(text)}</span>'


def _header(report: Report, t: Translator) -> list[str]:
    p = report.priority
    words = _labels(t)
    title = report.title or t.tr("(no subject)")
    out = [f"<h1>{escape(title)}</h1>", '<p class="meta">']
    out.append(
        f'<span class="badge p-{escape(p.level)}">{escape(words.get(p.level, p.level))}</span> '
    )
    if report.test:
        out.append(
            f'<span class="badge test">{escape(t.tr("TEST REPORT — no action needed"))}</span> '
        )
    affects = t.tr(
        "affects {impact}, {urgency}",
        impact=words.get(p.impact, p.impact),
        urgency=words.get(p.urgency, p.urgency),
    )
    # A browser draws the badges as pills and hides this separator; the review page's Qt
    # preview (no pills) and a helpdesk that keeps only the text need it before the words.
    out.append(f'<span class="sep">· </span>{escape(affects)}</p>')
    r, m = report.reporter, report.machine
    who = " ".join(x for x in (r.name, f"<{r.email}>" if r.email else "") if x) or r.username
    rows = [
        (t.tr("Happened"), _when(report.happened_at, t)),
        (t.tr("Reported"), _when(report.created_at, t)),
        (t.tr("Reporter"), who or t.tr("unknown")),
        (t.tr("User name"), r.username),
        (
            t.tr("Machine"),
            ", ".join(
                x
                for x in (m.hostname, f"{m.os} {m.os_version}".strip(), m.architecture)
                if x
            ),
        ),
        (t.tr("Category"), report.category_label or report.category),
        (t.tr("Belongs to"), t.tr("the reporter's open ticket {ticket}",
                                  ticket=report.add_to_ticket) if report.add_to_ticket else ""),
        (t.tr("Known problem"), t.tr("affects the reporter too: {incidents}",
                                     incidents=", ".join(report.affected_incidents))
         if report.affected_incidents else ""),
        ("Flare", t.tr("{version} · report {id}", version=m.flare_version, id=report.id)),
    ]
    out.append('<table class="facts" id="facts">')
    for label, value in rows:
        if value:
            out.append(f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>")
    out.append("</table>")
    return out


def _affected(report: Report, t: Translator) -> list[str]:
    """The known incident the reporter joined, and how it reached support."""
    a = report.affected
    if a is None:
        return []
    how = {
        "comment": t.tr("Sent as a comment on the incident ticket {id}.", id=a.incident_id),
        "linked_ticket": t.tr("Sent as a short ticket linked to the incident ticket {id}.",
                              id=a.incident_id),
        "status_page": t.tr("No ticket: support already knows from the status page."),
        "note": t.tr("Described in full; this ticket names the incident."),
    }[a.delivery]
    out = [f'<h2 id="affected">{escape(t.tr("Affected by a known problem"))}</h2>',
           '<table class="facts">',
           f"<tr><th>{escape(t.tr('Known problem'))}</th><td>{escape(a.title or a.incident_id)}"
           "</td></tr>"]
    if a.url:
        # Text, not a link: report.html makes no requests and offers nothing to click.
        out.append(f"<tr><th>{escape(t.tr('Where to follow it'))}</th>"
                   f"<td>{escape(a.url)}</td></tr>")
    out.append(f"<tr><th>{escape(t.tr('How support hears of it'))}</th>"
               f"<td>{escape(how)}</td></tr>")
    if a.note:
        out.append(f"<tr><th>{escape(t.tr('Anything different for you?'))}</th>"
                   f"<td>{escape(a.note)}</td></tr>")
    out.append("</table>")
    return out


def _answers(report: Report, t: Translator) -> list[str]:
    if not report.answers:
        return []
    heading = escape(t.tr("What the reporter says"))
    out = [f'<h2 id="answers">{heading}</h2>', '<table class="facts">']
    for a in report.answers:
        out.append(f"<tr><th>{escape(a.question)}</th><td>{_answer_cell(a, t)}</td></tr>")
    out.append("</table>")
    return out


def _step(i: int, step: Step, files: Mapping[str, bytes], t: Translator,
          attached: Mapping[str, str] | None = None) -> list[str]:
    step_no = t.tr("Step {number}", number=i)
    when = _when(step.captured_at, t)
    # Separators in the text, not only CSS margins: Qt's review pane (and plain-text mail
    # clients) ignore margins, and "Step 12026-12-01 …" must not happen.
    head = [f'<span class="step-no">{escape(step_no)}</span>',
            f'<span class="step-time">{escape(when)}</span>',
            f'<span class="small">{escape(_labels(t)[step.source])}</span>']
    if step.window_title:
        window = t.tr("window: {title}", title=step.window_title)
        head.append(f'<span class="small">{escape(window)}</span>')
    out = [f'<li id="step-{i}">', '<div class="step-head">', " · ".join(head), "</div>"]
    if step.description:
        # What the step did, as Flare read it from the screen and the person confirmed.
        out.append(f'<div class="step-description">{escape(step.description)}</div>')
    if step.caption:
        out.append(f'<div class="step-caption">{escape(step.caption)}</div>')
    if step.note:
        out.append(f'<div class="step-note">{escape(step.note)}</div>')
    if attached is not None:
        out += _attached_image(step, step_no, when, attached.get(step.image), t)
        out.append("</li>")
        return out
    data = files.get(step.image)
    if data is not None:
        said = step.caption or step.description
        alt = f"{step_no}, {when}" + (f": {said}" if said else "")
        size = f' width="{step.width}" height="{step.height}"' if step.width and step.height else ""
        out.append(
            f'<figure><img alt="{escape(alt)}"{size} '
            f'src="{_data_url(step.media_type, data)}"></figure>'
        )
    out.append("</li>")
    return out


def _attached_image(step: Step, step_no: str, when: str, name: str | None,
                    t: Translator) -> list[str]:
    """A screenshot the ticket has as a file: named, and shown when the attachments are
    saved side by side (the relative address is only a file name, escaped)."""
    if name is None:
        return [f'<p class="small">{escape(t.tr("This screenshot was not sent."))}</p>']
    alt = f"{step_no}, {when}" + (f": {step.caption}" if step.caption else "")
    size = f' width="{step.width}" height="{step.height}"' if step.width and step.height else ""
    note = t.tr("Attached to the ticket as {name}", name=name)
    return [f'<figure><img alt="{escape(alt)}"{size} src="{escape(quote(name))}">'
            f'<figcaption class="small">{escape(note)}</figcaption></figure>']


def _timeline(report: Report, files: Mapping[str, bytes], t: Translator,
              attached: Mapping[str, str] | None = None) -> list[str]:
    if not report.steps:
        return [
            f'<h2 id="steps">{escape(t.tr("Screenshots"))}</h2>',
            f'<p class="small">{escape(t.tr("No screenshots."))}</p>',
        ]
    steps = sorted(report.steps, key=lambda s: s.captured_at)
    heading = t.tr("Screenshots ({count})", count=len(steps))
    out = [f'<h2 id="steps">{escape(heading)}</h2>', '<ol class="timeline">']
    for i, step in enumerate(steps, 1):
        out.extend(_step(i, step, files, t, attached))
    out.append("</ol>")
    return out


def _attachments(report: Report, bundle: RenderSource, t: Translator) -> list[str]:
    if not report.attachments:
        return []
    out = [f'<h2 id="attachments">{escape(t.tr("Attachments"))}</h2>', '<table class="facts">']
    for att in report.attachments:
        size = _human_size(bundle.file_size(att.file) or att.size, t)
        desc = f" — {escape(att.description)}" if att.description else ""
        out.append(
            f"<tr><th>{escape(att.name)}</th><td>{escape(att.media_type)}, {size}{desc}"
            f'<div class="small">{escape(t.tr("file in bundle: {name}", name=att.file))}</div>'
            "</td></tr>"
        )
    out.append("</table>")
    return out


def _status_word(status: str, t: Translator) -> str:
    """A collector's state as the reader says it (the ticket body uses the same words)."""
    return {"skipped": t.tr("skipped"), "error": t.tr("error"),
            "timeout": t.tr("timed out")}.get(status, status)


def _section(s: DiagnosticSection, t: Translator) -> list[str]:
    status = ("" if s.status == "ok" else
              f' <span class="st-{escape(s.status)}">[{escape(_status_word(s.status, t))}]</span>')
    took = f' <span class="small">{escape(t.tr("{n} ms", n=t.number(s.duration_ms, 0)))}</span>'
    out = [
        f'<details id="diag-{escape(s.name)}"><summary><b>{escape(s.title or s.name)}</b>'
        f"{status}{' — ' + escape(s.summary) if s.summary else ''}{took}</summary>"
    ]
    if s.error:
        out.append(f'<pre class="sev-error">{escape(s.error)}</pre>')
    if s.redactions:
        red = ", ".join(f"{n} {k}" for k, n in sorted(s.redactions.items()))
        note = escape(t.tr("Redacted before sending: {list}", list=red))
        out.append(f'<p class="small" style="padding:0 10px">{note}</p>')
    if s.data:
        out.append(f"<pre>{escape(json.dumps(s.data, indent=2, ensure_ascii=False))}</pre>")
    out.append("</details>")
    return out


def _diagnostics(bundle: RenderSource, t: Translator) -> list[str]:
    # The sections' own texts in support's language too, where they were written in it.
    sections = bundle.diagnostics.in_language(t.language).abnormal_first()
    heading = f'<h2 id="diagnostics">{escape(t.tr("Diagnostics"))}</h2>'
    if not sections:
        return [heading, f'<p class="small">{escape(t.tr("None collected."))}</p>']
    out = [heading]
    findings = [(s, f) for s in sections for f in s.findings]
    failures = [s for s in sections if s.status != "ok"]
    if findings or failures:
        out.append('<ul class="findings" id="findings">')
        for s, f in findings:
            out.append(
                f'<li class="sev-{escape(f.severity)}"><b>{escape(s.title or s.name)}:</b> '
                f"{escape(f.message)}</li>"
            )
        for s in failures:
            failed = t.tr(
                "could not be collected ({status}): {error}",
                status=_status_word(s.status, t),
                error=s.error or s.summary,
            )
            out.append(
                f'<li class="sev-info"><b>{escape(s.title or s.name)}</b> {escape(failed)}</li>'
            )
        out.append("</ul>")
    else:
        out.append(f'<p class="small">{escape(t.tr("Nothing abnormal found."))}</p>')
    for s in sections:
        out.extend(_section(s, t))
    return out


def render_html(bundle: RenderSource, attached: Mapping[str, str] | None = None) -> str:
    """The complete report.html for a bundle: self-contained, or with ``attached`` (each
    step's image -> the name of the file sent beside the page) referring to those files,
    whose bytes are then never read."""
    # support's language where policy names one (support.language), else the reporter's
    report = bundle.report.in_language(bundle.report.support_locale)
    language = report.support_locale or report.locale
    t = Translator(language)
    body: list[str] = []
    body += _header(report, t)
    body += _affected(report, t)
    body += _answers(report, t)
    body += _timeline(report, bundle.files, t, attached)
    body += _attachments(report, bundle, t)
    body += _diagnostics(bundle, t)
    footer = t.tr(
        "Flare report {id}, schema {version}. "
        "Everything on this page was reviewed by the reporter before sending.",
        id=report.id,
        # The version its bundle is written with, so the page reviewed before Send and the
        # one rendered from report.json for delivery are the same page.
        version=report.lowest_schema_version(),
    )
    body.append(f"<footer>{escape(footer)}</footer>")
    title = escape(report.title or t.tr("Flare report"))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(language or "en")}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # No external requests of any kind, even if someone slips markup through.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        f"img-src data:{' file:' if attached is not None else ''}; "
        "style-src 'unsafe-inline'\">"
        f"<title>{title}</title><style>{_css()}</style></head>"
        f"<body><main>{''.join(body)}</main></body></html>\n"
    )
