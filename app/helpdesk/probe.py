"""The clearly marked test report that ``flare connector test`` sends and reads back."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from app.bundle import write_bundle
from app.report import Answer, Diagnostics, Priority, Report, Reporter, Step


def _test_image(stamp: str) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (640, 200), "#fff3e0")
    draw = ImageDraw.Draw(img)
    draw.text((20, 40), "Flare connector test - no action needed", fill="#bf360c")
    draw.text((20, 100), stamp, fill="#000000")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def write_test_bundle(dest: Path, now: datetime, reporter: Reporter) -> Path:
    stamp = now.strftime("%Y-%m-%d %H:%M:%S UTC")
    report = Report(
        created_at=now, happened_at=now, reporter=reporter, category="test",
        category_label="Test", title="Flare connector test - please close",
        answers=[Answer(question_id="purpose", question="Why was this sent?",
                        display="IT checked that Flare can file tickets here. No action needed.")],
        priority=Priority(impact="me", urgency="can_work", level="low"),
        steps=[Step(image="step-001.png", media_type="image/png", captured_at=now,
                    caption="Test image")],
        test=True,
    )
    return write_bundle(report, {"step-001.png": _test_image(stamp)}, dest,
                        diagnostics=Diagnostics())
