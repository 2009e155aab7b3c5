"""report.html: what support opens. One self-contained file, readable without JavaScript.

Every piece of user text goes through :func:`html.escape`; images are inlined as data URLs so
the page carries no external assets and can be attached or mailed as it is.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from html import escape
from importlib import resources
from typing import TYPE_CHECKING

from app.report import Answer, DiagnosticSection, Report, Step

if TYPE_CHECKING:
    from app.bundle import Bundle

_PRIORITY_LABEL = {"low": "Low", "medium": "Medium", "high": "High", "critical": "Critical"}
_IMPACT_LABEL = {"me": "just me", "team": "my team", "many": "many people"}
_URGENCY_LABEL = {"can_work": "can work", "slowed": "slowed down", "blocked": "blocked"}
_INLINE_IMAGE_TYPES = ("image/png", "image/webp", "image/jpeg", "image/gif")


def _css() -> str:
    return resources.files("resources").joinpath("html/report.css").read_text("utf-8")


def _when(dt: datetime | None) -> str:
    if dt is None:
        return "not given"
    # Keep the reporter's own UTC offset: support compares it with the stamp in the images.
    return dt.strftime("%Y-%m-%d %H:%M:%S UTC%z").replace("UTC+0000", "UTC")


def _data_url(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def _human_size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"


def _answer_cell(answer: Answer) -> str:
    if answer.dont_know:
        return '<span class="unknown">I don\'t know</span>'
    text = answer.display
    if not text:
        value = answer.value
        if isinstance(value, list):
            text = ", ".join(str(v) for v in value)
        elif isinstance(value, bool):
            text = "yes" if value else "no"
        elif value is None:
            text = ""
        else:
            text = str(value)
    if not text:
        return '<span class="unknown">no answer</span>'
    return f'<span class="answer">{escape(text)}</span>'


def _header(report: Report) -> list[str]:
    p = report.priority
    title = report.title or "(no subject)"
    out = [f"<h1>{escape(title)}</h1>", '<p class="meta">']
    out.append(
        f'<span class="badge p-{escape(p.level)}" title="impact × urgency">'
        f"{_PRIORITY_LABEL.get(p.level, escape(p.level))} priority</span>"
    )
    if report.test:
        out.append('<span class="badge test">TEST REPORT — no action needed</span>')
    out.append(
        f"affects {escape(_IMPACT_LABEL.get(p.impact, p.impact))}, "
        f"{escape(_URGENCY_LABEL.get(p.urgency, p.urgency))}</p>"
    )
    r, m = report.reporter, report.machine
    who = " ".join(x for x in (r.name, f"<{r.email}>" if r.email else "") if x) or r.username
    rows = [
        ("Happened", _when(report.happened_at)),
        ("Reported", _when(report.created_at)),
        ("Reporter", who or "unknown"),
        ("User name", r.username),
        (
            "Machine",
            ", ".join(
                x
                for x in (m.hostname, f"{m.os} {m.os_version}".strip(), m.architecture)
                if x
            ),
        ),
        ("Category", report.category_label or report.category),
        ("Flare", f"{m.flare_version} · report {report.id}"),
    ]
    out.append('<table class="facts" id="facts">')
    for label, value in rows:
        if value:
            out.append(f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>")
    out.append("</table>")
    return out


def _answers(report: Report) -> list[str]:
    if not report.answers:
        return []
    out = ['<h2 id="answers">What the reporter says</h2>', '<table class="facts">']
    for a in report.answers:
        out.append(f"<tr><th>{escape(a.question)}</th><td>{_answer_cell(a)}</td></tr>")
    out.append("</table>")
    return out


def _step(i: int, step: Step, files: dict[str, bytes]) -> list[str]:
    source = {"replay": "instant replay", "step": "recorded step", "screenshot": "screenshot"}
    out = [f'<li id="step-{i}">', '<div class="step-head">']
    out.append(f'<span class="step-no">Step {i}</span>')
    out.append(f'<span class="step-time">{escape(_when(step.captured_at))}</span>')
    out.append(f'<span class="small">{escape(source[step.source])}</span>')
    if step.window_title:
        out.append(f'<span class="small">window: {escape(step.window_title)}</span>')
    out.append("</div>")
    if step.caption:
        out.append(f'<div class="step-caption">{escape(step.caption)}</div>')
    if step.note:
        out.append(f'<div class="step-note">{escape(step.note)}</div>')
    data = files.get(step.image)
    if data is not None:
        alt = f"Step {i}, {_when(step.captured_at)}" + (f": {step.caption}" if step.caption else "")
        size = f' width="{step.width}" height="{step.height}"' if step.width and step.height else ""
        out.append(
            f'<figure><img alt="{escape(alt)}"{size} '
            f'src="{_data_url(step.media_type, data)}"></figure>'
        )
    out.append("</li>")
    return out


def _timeline(report: Report, files: dict[str, bytes]) -> list[str]:
    if not report.steps:
        return ['<h2 id="steps">Screenshots</h2>', '<p class="small">No screenshots.</p>']
    steps = sorted(report.steps, key=lambda s: s.captured_at)
    out = [f'<h2 id="steps">Screenshots ({len(steps)})</h2>', '<ol class="timeline">']
    for i, step in enumerate(steps, 1):
        out.extend(_step(i, step, files))
    out.append("</ol>")
    return out


def _attachments(report: Report, files: dict[str, bytes]) -> list[str]:
    if not report.attachments:
        return []
    out = ['<h2 id="attachments">Attachments</h2>', '<table class="facts">']
    for att in report.attachments:
        size = _human_size(len(files.get(att.file, b"")) or att.size)
        desc = f" — {escape(att.description)}" if att.description else ""
        out.append(
            f"<tr><th>{escape(att.name)}</th><td>{escape(att.media_type)}, {size}{desc}"
            f'<div class="small">file in bundle: {escape(att.file)}</div></td></tr>'
        )
    out.append("</table>")
    return out


def _section(s: DiagnosticSection) -> list[str]:
    status = "" if s.status == "ok" else f' <span class="st-{s.status}">[{s.status}]</span>'
    took = f' <span class="small">{s.duration_ms:.0f} ms</span>'
    out = [
        f'<details id="diag-{escape(s.name)}"><summary><b>{escape(s.title or s.name)}</b>'
        f"{status} — {escape(s.summary)}{took}</summary>"
    ]
    if s.error:
        out.append(f'<pre class="sev-error">{escape(s.error)}</pre>')
    if s.redactions:
        red = ", ".join(f"{n} {escape(k)}" for k, n in sorted(s.redactions.items()))
        out.append(f'<p class="small" style="padding:0 10px">Redacted before sending: {red}</p>')
    if s.data:
        out.append(f"<pre>{escape(json.dumps(s.data, indent=2, ensure_ascii=False))}</pre>")
    out.append("</details>")
    return out


def _diagnostics(bundle: Bundle) -> list[str]:
    sections = bundle.diagnostics.abnormal_first()
    if not sections:
        return ['<h2 id="diagnostics">Diagnostics</h2>', '<p class="small">None collected.</p>']
    out = ['<h2 id="diagnostics">Diagnostics</h2>']
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
            out.append(
                f'<li class="sev-info"><b>{escape(s.title or s.name)}</b> could not be collected '
                f"({escape(s.status)}): {escape(s.error or s.summary)}</li>"
            )
        out.append("</ul>")
    else:
        out.append('<p class="small">Nothing abnormal found.</p>')
    for s in sections:
        out.extend(_section(s))
    return out


def render_html(bundle: Bundle) -> str:
    """The complete report.html for a bundle."""
    report = bundle.report
    body: list[str] = []
    body += _header(report)
    body += _answers(report)
    body += _timeline(report, bundle.files)
    body += _attachments(report, bundle.files)
    body += _diagnostics(bundle)
    body.append(
        f"<footer>Flare report {escape(str(report.id))}, schema {report.schema_version}. "
        "Everything on this page was reviewed by the reporter before sending.</footer>"
    )
    title = escape(report.title or "Flare report")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(report.locale or "en")}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # No external requests of any kind, even if someone slips markup through.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "img-src data:; style-src 'unsafe-inline'\">"
        f"<title>{title}</title><style>{_css()}</style></head>"
        f"<body><main>{''.join(body)}</main></body></html>\n"
    )
