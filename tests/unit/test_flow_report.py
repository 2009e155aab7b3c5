"""ReportFlow without Qt: the real form engine, the folder destination, drafts on disk."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path

import pytest
from PIL import Image

from app.bundle import Bundle, list_bundles, read_bundle, write_bundle
from app.context import AppContext
from app.flow import ReportFlow
from app.flow.draft import DRAFT_VERSION, DraftStore
from app.flow.ports import Outcome, ReportOptions
from app.helpdesk.protocol import Incident, TicketRef, TicketStatus, TicketSummary
from app.report import Annotation, Report
from app.wiring import flow_deps
from tests.unit.flow_helpers import (
    GOOD_HAPPENED,
    NOW,
    answer_sign_in,
    make_flow,
    png,
    step,
)


def test_pages_skip_what_is_empty(tmp_path: Path) -> None:
    flow = make_flow(tmp_path)
    assert flow.pages() == ["category", "questions", "diagnostics", "review", "sent"]
    flow.add_evidence(step(1), png())
    assert "screenshots" in flow.pages()


def test_category_is_required_then_vague_answer_blocks(tmp_path: Path) -> None:
    flow = make_flow(tmp_path)
    assert flow.next() == "Choose what the problem is about."
    answer_sign_in(flow, "it doesn't work")
    assert flow.next() == ""
    assert flow.page == "questions"
    reason = flow.next()
    assert reason and flow.page == "questions"
    blocks = [m for s, m, _ in flow.issues()["what_happened"] if s == "block"]
    assert blocks, "a vague 'what happened' gets a message next to it"
    flow.set_answer("what_happened", GOOD_HAPPENED)
    assert flow.next() == ""
    assert flow.page == "diagnostics"


def test_submit_writes_what_was_reviewed_to_the_folder(tmp_path: Path) -> None:
    flow = make_flow(tmp_path)
    answer_sign_in(flow, GOOD_HAPPENED)
    first = flow.add_evidence(step(1), png((200, 0, 0)))
    second = flow.add_evidence(step(2), png((0, 200, 0)))
    flow.set_caption(second.key, "the error dialog")
    flow.move_evidence(second.key, -1)
    flow.set_included(first.key, False)
    flow.set_section_included("network", False)
    flow.go("review")
    assert flow.next() == "Check the report above, then press Send."
    flow.set_reviewed(True)
    assert flow.next() == ""
    assert flow.page == "sent"
    [path] = list(list_bundles(flow.ctx.reports_dir()))
    bundle = read_bundle(path)
    assert [s.caption for s in bundle.report.steps] == ["the error dialog"]
    assert bundle.files[bundle.report.steps[0].image] == second.image
    assert bundle.report.consent.excluded_steps == 1
    assert bundle.report.consent.excluded_diagnostics == ["network"]
    assert bundle.report.consent.included_diagnostics == ["os"]
    assert [s.name for s in bundle.diagnostics.sections] == ["os"]
    assert bundle.report.category == "cant_sign_in"
    assert "certificate expired" in bundle.html
    assert str(path) in flow.sent_message()
    assert not flow.draft.exists()


def test_review_lists_every_file_with_its_size(tmp_path: Path) -> None:
    flow = make_flow(tmp_path)
    answer_sign_in(flow, GOOD_HAPPENED)
    blob = png()
    flow.add_evidence(step(1), blob)
    bundle = flow.build_bundle()
    files = {f.name: f.size for f in flow.review_files(bundle)}
    assert files["step-001.png"] == len(blob)
    assert files["report.html"] == len(bundle.html.encode())
    assert set(files) == {"report.html", "report.json", "diagnostics.json", "step-001.png"}


def test_redaction_is_burnt_into_what_is_sent(tmp_path: Path) -> None:
    flow = make_flow(tmp_path)
    answer_sign_in(flow, GOOD_HAPPENED)
    original = png((250, 250, 250))
    ev = flow.add_evidence(step(1), original)
    flow.set_annotations(ev.key, [Annotation(kind="redact", x=5, y=5, w=10, h=10)])
    with Image.open(io.BytesIO(ev.image)) as sent:
        assert sent.convert("RGB").getpixel((10, 10)) != (250, 250, 250)
        assert sent.convert("RGB").getpixel((30, 25)) == (250, 250, 250)
    assert ev.original == original, "the original stays here for later edits"
    bundle = flow.build_bundle()
    assert bundle.files["step-001.png"] == ev.image
    assert bundle.report.steps[0].annotations[0].kind == "redact"


def test_changing_anything_needs_a_new_review(tmp_path: Path) -> None:
    flow = make_flow(tmp_path)
    answer_sign_in(flow, GOOD_HAPPENED)
    flow.set_reviewed(True)
    flow.set_answer("sign_in_where", "Outlook on the web")
    assert not flow.reviewed


def test_min_quality_from_policy_blocks_thin_reports(tmp_path: Path) -> None:
    flow = make_flow(tmp_path, form__min_quality=100)
    answer_sign_in(flow, GOOD_HAPPENED)
    flow.go("questions")
    reason = flow.next()
    assert "quality" in reason and flow.page == "questions"


def test_draft_survives_and_resumes(tmp_path: Path) -> None:
    flow = make_flow(tmp_path)
    answer_sign_in(flow, "VPN says certificate expired")
    ev = flow.add_evidence(step(1), png())
    flow.set_caption(ev.key, "first")
    flow.set_section_included("network", False)
    flow.go("questions")
    assert flow.autosave()
    assert not flow.autosave(), "nothing changed since"

    again = make_flow(tmp_path)
    assert again.report_id == flow.report_id
    assert again.category == "cant_sign_in"
    assert again.answers["what_happened"] == ("VPN says certificate expired", False)
    assert again.answers["password_changed"] == (None, True)
    assert [e.step.caption for e in again.evidence] == ["first"]
    assert again.evidence[0].image == ev.image
    assert again.excluded_sections == {"network"}
    assert again.page == "questions"


def test_damaged_draft_starts_anew(tmp_path: Path) -> None:
    flow = make_flow(tmp_path)
    flow.draft.folder.mkdir(parents=True)
    flow.draft.json_path.write_text("{not json", "utf-8")
    again = make_flow(tmp_path)
    assert again.category == "" and again.page == "category"


def test_draft_store_replaces_images_and_drops_old_ones(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "draft")
    store.save({"version": DRAFT_VERSION, "image_files": ["a.bin"]}, {"a.bin": b"one"})
    store.save({"version": DRAFT_VERSION, "image_files": ["b.bin"]}, {"b.bin": b"two"})
    loaded = store.load()
    assert loaded is not None
    assert loaded[1] == {"b.bin": b"two"}
    assert sorted(p.name for p in (tmp_path / "draft" / "images").iterdir()) == ["b.bin"]
    assert not [p for p in (tmp_path / "draft").rglob(".*")], "no temp files left"


@pytest.mark.parametrize("language", ["ru", "uk"])
def test_flow_messages_are_translated(tmp_path: Path, language: str) -> None:
    ctx = AppContext.for_tests(tmp_path)
    deps = flow_deps(ctx)
    deps.start_diagnostics = None
    flow = ReportFlow(ctx, deps, language=language)
    flow.start()
    reason = flow.next()
    assert reason and reason != "Choose what the problem is about."
    assert all(not c.label.isascii() for c in flow.categories())


def test_a_broken_form_from_policy_is_one_clear_error(tmp_path: Path) -> None:
    from app.errors import FlareError

    bad = tmp_path / "form.yaml"
    bad.write_text("id: broken\ncategories: [\n", "utf-8")
    ctx = AppContext.for_tests(tmp_path, form__file=str(bad))
    with pytest.raises(FlareError) as caught:
        ReportFlow(ctx, flow_deps(ctx), language="uk")
    assert str(bad) in caught.value.message
    assert "ІТ-відділ" in caught.value.message


class _Helpdesk:
    """Incidents and open tickets as the delivery layer will hand them over."""

    def incidents(self) -> list[Incident]:
        return [Incident("INC-1", "Mail is slow in Building B")]

    def open_tickets(self) -> list[TicketSummary]:
        return [TicketSummary(TicketRef("t-42", "#42"), "Printer jams",
                              TicketStatus("open", "open"))]

    def similar_tickets(self, subject: str) -> list[TicketSummary]:
        return []  # this helpdesk cannot search


class _RecordingFolder:
    """Writes the bundle straight into a folder and remembers the page-1 choices."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.options: list[ReportOptions] = []

    def submit(self, bundle: Bundle) -> Outcome:
        self.options.append(ReportOptions.of(bundle.report))
        path = write_bundle(
            bundle.report, bundle.files, self.folder, diagnostics=bundle.diagnostics
        )
        return Outcome(0, "saved", path=path)


@pytest.mark.parametrize("shown", [True, False])
def test_incidents_page_and_choices_reach_delivery(tmp_path: Path, shown: bool) -> None:
    ctx = AppContext.for_tests(tmp_path, tray__show_incidents=shown)
    deps = flow_deps(ctx)
    deps.incidents = _Helpdesk()
    deps.start_diagnostics = None
    submitter = _RecordingFolder(ctx.reports_dir())
    deps.submitter = submitter
    flow = ReportFlow(ctx, deps, language="en")
    flow.start()
    assert (flow.pages()[0] == "incidents") is shown
    if not shown:
        return
    flow.affected_too("INC-1")
    flow.set_full_report(True)  # the whole form after all: the ticket names the incident
    flow.choose_ticket("t-42")
    answer_sign_in(flow, GOOD_HAPPENED)
    flow.go("review")
    flow.set_reviewed(True)
    assert flow.next() == ""
    assert submitter.options == [ReportOptions("t-42", ("INC-1",))]
    # The choices are the report's own: report.json and report.html of the folder bundle say
    # them, whichever destination reads it.
    [path] = list_bundles(ctx.reports_dir())
    sent = read_bundle(path)
    assert (sent.report.add_to_ticket, sent.report.affected_incidents) == ("t-42", ["INC-1"])
    assert "open ticket t-42" in sent.html and "INC-1" in sent.html


def test_the_draft_is_a_partial_report_and_an_old_draft_is_dropped_with_one_line(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    ctx = AppContext.for_tests(tmp_path, tray__show_incidents=True)
    deps = flow_deps(ctx)
    deps.incidents = _Helpdesk()
    deps.start_diagnostics = None
    flow = ReportFlow(ctx, deps, language="en")
    flow.start()
    flow.choose_ticket("t-42")
    flow.affected_too("INC-1")
    answer_sign_in(flow, GOOD_HAPPENED)
    flow.add_evidence(step(1), png())
    flow.add_evidence(step(2), png())  # the same picture twice is still two steps
    flow.save_draft()
    data = json.loads(flow.draft.json_path.read_text("utf-8"))
    partial = Report.model_validate(data["report"])  # the model's own validation
    assert partial.id == flow.report_id and partial.category == "cant_sign_in"
    assert (partial.add_to_ticket, partial.affected_incidents) == ("t-42", ["INC-1"])
    assert [s.image for s in partial.steps] == ["step-001.png", "step-002.png"]
    again = ReportFlow(ctx, deps, language="en")
    assert again.start() is True
    assert (again.add_to_ticket, again.joined_incidents()) == ("t-42", {"INC-1"})
    assert len(again.evidence) == 2 and again.category == "cant_sign_in"
    # A draft written by the Flare before (version 1) is set aside with one line, never a crash.
    flow.draft.json_path.write_text(json.dumps({"version": 1, "report_id": str(uuid.uuid4()),
                                                "created_at": NOW.isoformat()}), "utf-8")
    caplog.clear()
    with caplog.at_level("WARNING"):
        fresh = ReportFlow(ctx, deps, language="en")
        assert fresh.start() is False and fresh.category == ""
    [line] = [r.getMessage() for r in caplog.records]
    assert "older Flare" in line and "\n" not in line


def test_next_passes_the_screenshots_page_by_once_the_report_holds_one(tmp_path: Path) -> None:
    flow = make_flow(tmp_path)
    flow.deps.capturer = object()  # type: ignore[assignment]  # never called: no capture here
    answer_sign_in(flow, GOOD_HAPPENED)
    assert flow.next() == "" and flow.page == "questions"
    assert flow.next() == "" and flow.page == "screenshots", "nothing taken yet: offered"
    flow.back()
    flow.add_evidence(step(1), png())
    assert flow.next() == ""
    assert flow.page == "diagnostics", "the screenshot is in the report: nothing to ask there"
    flow.back()
    assert flow.page == "screenshots", "Back still leads to it"
