"""Send writes the reviewed bundle once: straight into the outbox spool (private, complete),
report.html as the review page rendered it, and the folder destination links that copy."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import app.bundle
from app.bundle import Bundle
from app.flow import ReportFlow
from app.helpdesk.delivery_bundle import open_delivery_bundle
from app.helpdesk.outbox import Outbox
from tests.unit.flow_helpers import GOOD_HAPPENED, answer_sign_in, make_flow, png, step


def _reviewed(tmp_path: Path, steps: int = 3) -> tuple[ReportFlow, Bundle]:
    flow = make_flow(tmp_path)
    answer_sign_in(flow, GOOD_HAPPENED)
    for n in range(1, steps + 1):
        flow.add_evidence(step(n), png((n * 40, 90, 200)))
    flow.go("review")
    flow.set_reviewed(True)
    return flow, flow.build_bundle()


def test_send_writes_the_spool_copy_once_and_links_it_into_the_reports_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    flow, reviewed = _reviewed(tmp_path)
    renders: list[object] = []
    real = app.bundle.render_html
    monkeypatch.setattr(app.bundle, "render_html",
                        lambda b: renders.append(b) or real(b))
    job = flow.begin_submit(reviewed)
    assert not isinstance(job, str), job
    outcome = job()
    assert not isinstance(outcome, str) and outcome.state == "saved", outcome
    # Delivery renders report.html once from report.json (it never trusts the stored page);
    # nothing else on the way renders it again.
    assert len(renders) == 1
    with Outbox(flow.ctx.dirs.state, flow.ctx.clock) as box:
        [item] = box.items()
    spool = item.bundle_path
    assert stat.S_IMODE(spool.stat().st_mode) == 0o700
    for f in spool.rglob("*"):
        if f.is_file():
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    assert (spool / "report.html").read_text("utf-8") == reviewed.html
    copy = outcome.path
    assert copy is not None and copy.parent == flow.ctx.reports_dir()
    for name in ["report.json", "report.html", "diagnostics.json",
                 *[s.image for s in reviewed.report.steps]]:
        assert os.path.samefile(copy / name, spool / name), name
    assert not (flow.ctx.dirs.state / "staging").exists()
    # What is left in the spool is only the queued copy: no partial or staging leftovers.
    assert [p.name for p in spool.parent.iterdir()] == [spool.name]


def test_a_stored_page_that_is_not_flares_is_never_linked(tmp_path: Path) -> None:
    """The spool copy's report.html edited after queuing: the folder gets the page rendered
    from report.json, the rest is still linked."""
    flow, reviewed = _reviewed(tmp_path, steps=1)
    submitter = flow.deps.submitter
    with Outbox(flow.ctx.dirs.state, flow.ctx.clock) as box:
        item = box.enqueue_bundle(reviewed, "folder")
        page = item.bundle_path / "report.html"
        page.write_text(page.read_text("utf-8").replace("</main>", "<script>x()</script></main>"),
                        "utf-8")
    outcome = submitter.submit(reviewed)
    assert outcome.state == "saved" and outcome.path is not None
    copy = outcome.path
    assert "<script>" not in (copy / "report.html").read_text("utf-8")
    assert not os.path.samefile(copy / "report.html", item.bundle_path / "report.html")
    assert os.path.samefile(copy / "report.json", item.bundle_path / "report.json")


def test_for_a_helpdesk_the_spool_holds_each_screenshot_once(tmp_path: Path) -> None:
    """A helpdesk gets the page naming the screenshots beside it: the spool keeps that page,
    not the self-contained one that would hold every screenshot a second time (base64)."""
    flow, reviewed = _reviewed(tmp_path, steps=3)
    assert reviewed.html.count("data:image/") == 3  # the review page shows them inline
    with Outbox(flow.ctx.dirs.state, flow.ctx.clock) as box:
        item = box.enqueue_bundle(reviewed, "rt")
    spool = item.bundle_path
    page = (spool / "report.html").read_bytes()
    assert b"data:image" not in page
    images = 0
    for s in reviewed.report.steps:
        assert (spool / s.image).read_bytes() == reviewed.files[s.image]
        assert f'src="{s.image}"'.encode() in page
        images += len(reviewed.files[s.image])
    others = sum(f.stat().st_size for f in spool.rglob("*") if f.is_file()) - images
    assert others < 64 * 1024 + images // 20, (others, images)
    # It is the very page delivery sends (rendered again there from report.json).
    sent = next(f for f in open_delivery_bundle(spool).files if f.kind == "report_html")
    assert sent.read_bytes() == page
