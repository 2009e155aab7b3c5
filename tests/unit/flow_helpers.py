"""Answers, images, steps and diagnostics that the flow tests build reports from.

Shared by several test modules (test modules never import each other)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image

from app.context import AppContext
from app.flow import ReportFlow
from app.flow.ports import FinishedRun
from app.report import Diagnostics, DiagnosticSection, Step
from app.wiring import flow_deps

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


GOOD_HAPPENED = (
    "After I enter my password in the VPN client it says 'Login failed: certificate "
    "expired' and disconnects; the VPN worked yesterday"
)


def png(colour: tuple[int, int, int] = (10, 120, 200)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buf, "PNG")
    return buf.getvalue()


def step(n: int) -> Step:
    return Step(image=f"shot-{n}.png", media_type="image/png", captured_at=NOW,
                width=40, height=30)


def diagnostics() -> Diagnostics:
    return Diagnostics(sections=[
        DiagnosticSection(name="os", title="Operating system", summary="Debian 12"),
        DiagnosticSection(name="network", title="Network", summary="eth0 up",
                          data={"interfaces": ["eth0"]}),
    ])


def answer_sign_in(flow: ReportFlow, happened: str) -> None:
    flow.set_category("cant_sign_in")
    flow.set_answer("sign_in_where", "VPN client (Cisco AnyConnect)")
    flow.set_answer("what_happened", happened)
    flow.set_answer("error_seen", False)
    flow.set_answer("password_changed", None, dont_know=True)
    q = {v.id: v for v in flow.questions()}
    for qid in ("other_device", "impact", "urgency"):
        flow.set_answer(qid, q[qid].options[0][0])
    flow.set_answer("when", "minutes_ago:10")


def make_flow(tmp_path: Path, **settings: object) -> ReportFlow:
    """A started flow on the real parts, without capture, diagnostics finished at once."""
    ctx = AppContext.for_tests(tmp_path, **settings)
    ctx.clock = lambda: NOW
    deps = flow_deps(ctx)
    deps.capturer = None
    deps.start_diagnostics = lambda: FinishedRun(diagnostics())
    flow = ReportFlow(ctx, deps, language="en")
    flow.start()
    return flow
