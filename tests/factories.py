"""Builders for realistic reports and bundles, shared by tests of every area."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from PIL import Image, ImageDraw

from app.bundle import write_bundle
from app.report import (
    AffectedIncident,
    Answer,
    Attachment,
    Diagnostics,
    DiagnosticSection,
    Finding,
    Machine,
    Priority,
    Report,
    Reporter,
    Step,
)

KYIV = timezone(timedelta(hours=2))


def png_bytes(width: int = 320, height: int = 200, color: str = "#3366cc", text: str = "") -> bytes:
    img = Image.new("RGB", (width, height), color)
    if text:
        ImageDraw.Draw(img).text((10, 10), text, fill="white")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def sample_report(
    *, steps: int = 2, title: str = "Outlook: sending fails with 0x800CCC0E"
) -> tuple[Report, dict[str, bytes], Diagnostics]:
    base = datetime(2026, 11, 25, 9, 30, 5, tzinfo=KYIV)
    files: dict[str, bytes] = {}
    step_list = []
    for i in range(steps):
        name = f"step-{i + 1:03d}.png"
        files[name] = png_bytes(text=f"step {i + 1}")
        step_list.append(
            Step(
                image=name,
                media_type="image/png",
                captured_at=base + timedelta(seconds=20 * i),
                caption=f"Clicked Send, attempt {i + 1}",
                source="step",
                width=320,
                height=200,
            )
        )
    files["attachments/outlook.log"] = b"09:30:01 SMTP connect failed 0x800CCC0E\n"
    report = Report(
        created_at=base + timedelta(minutes=3),
        happened_at=base,
        reporter=Reporter(name="Olena Kovalenko", email="olena@example.org", username="okovalenko"),
        machine=Machine(hostname="LT-0042", os="Linux", os_version="6.1", flare_version="0.1.0"),
        form_id="default",
        category="email",
        category_label="E-mail",
        answers=[
            Answer(question_id="what_happened", question="What happened?",
                   value="Outlook shows 0x800CCC0E when I press Send",
                   display="Outlook shows 0x800CCC0E when I press Send"),
            Answer(question_id="expected", question="What did you expect?",
                   value="The message leaves the Outbox", display="The message leaves the Outbox"),
            Answer(question_id="restart", question="Did you restart the computer?", dont_know=True),
        ],
        title=title,
        priority=Priority(impact="me", urgency="blocked", level="high"),
        steps=step_list,
        attachments=[
            Attachment(file="attachments/outlook.log", name="outlook.log", media_type="text/plain")
        ],
    )
    diagnostics = Diagnostics(
        started_at=base,
        duration_ms=120.0,
        sections=[
            DiagnosticSection(name="os", title="Operating system", summary="Debian 12",
                              data={"name": "Debian", "version": "12"}, duration_ms=3.0),
            DiagnosticSection(
                name="uptime", title="Uptime", summary="up 23 days",
                findings=[Finding(severity="warning", message="restart recommended: up 23 days")],
                data={"seconds": 23 * 86400}, duration_ms=1.0,
            ),
            DiagnosticSection(name="vpn", title="VPN", status="timeout", summary="",
                              error="timed out after 2.0 s", duration_ms=2000.0),
        ],
    )
    return report, files, diagnostics


def sample_bundle(dest: Path, *, as_zip: bool = False, **kwargs: object) -> Path:
    report, files, diagnostics = sample_report(**kwargs)  # type: ignore[arg-type]
    return write_bundle(report, files, dest, diagnostics=diagnostics, as_zip=as_zip)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def affected_bundle(tmp: Path, incident: str, delivery: str, email: str, note: str = "") -> Path:
    """An "I'm affected too" report on ``incident``, written as a bundle folder in ``tmp``."""
    report = Report(
        created_at=utc(2026, 12, 1, 9, 30), reporter=Reporter(name="Ann Example", email=email),
        machine=Machine(hostname="PC-B-0412", os="Debian", os_version="12"),
        title="Affected too: e-mail is down", locale="en",
        affected=AffectedIncident(incident_id=incident, title="E-mail is down",
                                  delivery=delivery, note=note),  # type: ignore[arg-type]
    )
    diagnostics = Diagnostics(sections=[
        DiagnosticSection(name="network", title="Network",
                          findings=[Finding(severity="error",
                                            message="mail.example.org:993 unreachable")]),
        DiagnosticSection(name="os", title="Operating system", summary="Debian 12")])
    return write_bundle(report, {}, tmp / f"{uuid.uuid4().hex[:8]}.flare",
                        diagnostics=diagnostics)
