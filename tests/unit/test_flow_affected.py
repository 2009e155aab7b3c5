"""The short path of "I'm affected too": one optional question, the review, Send; the choice
is in the report (report.json and report.html), and a status-page incident sends nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.bundle import Bundle
from app.context import AppContext
from app.flow import ReportFlow
from app.flow.ports import FinishedRun, Outcome, ReportOptions
from app.helpdesk.protocol import Incident, TicketRef, TicketSummary
from app.report import Diagnostics, DiagnosticSection, Finding
from app.wiring import flow_deps

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
followed: list[Incident] = []


class _Incidents:
    def __init__(self, *incidents: Incident) -> None:
        self._incidents = list(incidents)

    def incidents(self) -> list[Incident]:
        return self._incidents

    def open_tickets(self) -> list[TicketSummary]:
        return []

    def similar_tickets(self, subject: str) -> list[TicketSummary]:
        return []  # no search: nothing similar is offered


class _Submitter:
    def __init__(self) -> None:
        self.sent: list[tuple[Bundle, ReportOptions | None]] = []

    def submit(self, bundle: Bundle, options: ReportOptions | None = None) -> Outcome:
        self.sent.append((bundle, options))
        return Outcome(1, "sent", TicketRef("77", "77"), added_to_ticket=True)


def _flow(tmp_path: Path, incident: Incident, **settings: object) -> tuple[ReportFlow,
                                                                          _Submitter]:
    ctx = AppContext.for_tests(tmp_path, **settings)
    ctx.clock = lambda: NOW
    deps = flow_deps(ctx)
    deps.capturer = None
    deps.incidents = _Incidents(incident)
    deps.start_diagnostics = lambda: FinishedRun(Diagnostics(sections=[DiagnosticSection(
        name="network", title="Network",
        findings=[Finding(severity="error", message="mail server unreachable")])]))
    sub = _Submitter()
    deps.submitter = sub
    followed.clear()
    deps.follow_incident = followed.append
    flow = ReportFlow(ctx, deps, language="en")
    flow.start()
    return flow, sub


RT_INCIDENT = Incident("77", "E-mail is down in Building B", url="http://rt/77",
                       source="helpdesk")
PAGE_INCIDENT = Incident("p1", "Video calls fail", url="https://status.example.org/p1",
                         source="statuspage")


@pytest.mark.parametrize("policy", ["comment", "linked_ticket"])
def test_affected_skips_the_form_and_the_report_says_so(tmp_path: Path, policy: str) -> None:
    flow, sub = _flow(tmp_path, RT_INCIDENT, incidents__affected_delivery=policy)
    assert flow.pages()[:2] == ["incidents", "category"]
    flow.affected_too("77")
    assert flow.pages() == ["incidents", "affected", "review", "sent"]
    assert flow.next() == ""
    assert flow.page == "affected"
    flow.set_affected_note("  Also the calendar is empty ")
    assert flow.next() == ""
    assert flow.page == "review"
    bundle = flow.build_bundle()
    a = bundle.report.affected
    assert a is not None and (a.incident_id, a.delivery, a.source) == ("77", policy, "helpdesk")
    assert a.note == "Also the calendar is empty"
    assert bundle.report.title == "Affected too: E-mail is down in Building B"
    assert bundle.report.answers == []
    assert "Also the calendar is empty" in bundle.html
    assert "Sent as a comment" in bundle.html if policy == "comment" else "linked" in bundle.html
    text = flow.destination_text()
    assert ("comment" in text) if policy == "comment" else ("linked" in text)
    assert flow.next() != ""  # not reviewed yet
    flow.set_reviewed(True)
    assert flow.next() == ""
    sent, options = sub.sent[0]
    assert sent.report.affected == a
    # The short path is not a full ticket with a note: the report names no incident to add
    # a note about, only the comment it is.
    assert options is None
    assert (sent.report.add_to_ticket, sent.report.affected_incidents) == ("", [])
    assert flow.page == "sent"
    assert followed == [RT_INCIDENT], "the tray follows the incident from now on"


def test_full_form_after_all_names_the_incident(tmp_path: Path) -> None:
    flow, _ = _flow(tmp_path, RT_INCIDENT)
    flow.affected_too("77")
    flow.set_full_report(True)
    assert "category" in flow.pages()
    assert flow.build_bundle().report.affected.delivery == "note"  # type: ignore[union-attr]


def test_status_page_incident_sends_nothing_and_links_the_page(tmp_path: Path) -> None:
    flow, sub = _flow(tmp_path, PAGE_INCIDENT)
    flow.affected_too("p1")
    flow.go("review")
    assert "Nothing is sent" in flow.destination_text()
    assert flow.sends_nothing()
    flow.reporter_email = ""
    assert not flow.needs_email(), "nothing is sent: no address needed"
    assert flow.build_bundle().report.affected.delivery == "status_page"  # type: ignore[union-attr]
    flow.set_reviewed(True)
    assert flow.next() == ""
    assert sub.sent == []
    assert flow.page == "sent"
    assert "https://status.example.org/p1" in flow.sent_message()
    assert "no ticket" in flow.sent_message()
    assert followed == [PAGE_INCIDENT]


def test_leaving_the_incident_returns_to_the_form(tmp_path: Path) -> None:
    flow, _ = _flow(tmp_path, RT_INCIDENT)
    flow.affected_too("77")
    flow.affected_too("77", False)
    assert not flow.short_path()
    assert "questions" in flow.pages()


class _Searching(_Incidents):
    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def similar_tickets(self, subject: str) -> list[TicketSummary]:
        from app.helpdesk.protocol import TicketStatus

        self.asked.append(subject)
        return [TicketSummary(TicketRef("1002", "1002"), "Outlook cannot connect",
                              TicketStatus("open", "new", NOW - timedelta(minutes=10)))]


def test_similar_ticket_is_offered_after_the_questions(tmp_path: Path) -> None:
    from tests.unit.flow_helpers import GOOD_HAPPENED, answer_sign_in

    ctx = AppContext.for_tests(tmp_path)
    ctx.clock = lambda: NOW
    deps = flow_deps(ctx)
    deps.capturer = None
    deps.start_diagnostics = None
    source = _Searching()
    deps.incidents = source
    flow = ReportFlow(ctx, deps, language="en")
    flow.start()
    answer_sign_in(flow, GOOD_HAPPENED)
    flow.go("questions")
    assert "similar" not in flow.pages()
    assert flow.next() == ""
    assert source.asked == [flow.subject()]
    assert flow.page == "similar"
    assert [t.ref.id for t in flow.similar_tickets()] == ["1002"]
    flow.choose_ticket("1002")
    assert flow.add_to_ticket == "1002", "Send adds the report to that ticket"
    flow.back()
    assert flow.next() == ""  # asked once per report
    assert len(source.asked) == 1


def test_a_comment_needs_a_way_to_find_it_again(tmp_path: Path) -> None:
    """Exactly once: a spec that can comment but cannot look for its comment after a lost
    answer gets a linked ticket (found again by its subject marker), not a comment."""
    from app.helpdesk.incident_affected import affected_delivery
    from app.report import AffectedIncident, Report

    report = Report(title="Mail", created_at=datetime(2026, 12, 1, tzinfo=UTC),
                    affected=AffectedIncident(incident_id="7", title="Mail down",
                                              delivery="comment"))

    class Desk:
        def __init__(self, caps: set[str]) -> None:
            self.capabilities = frozenset(caps)

        def comment(self, *a: object) -> None: ...
        def find_comment(self, *a: object) -> bool: return False
        def link(self, *a: object) -> None: ...

    assert affected_delivery(Desk({"comment", "find_comment", "link"}), report) == "comment"
    assert affected_delivery(Desk({"comment", "link"}), report) == "linked_ticket"
    assert affected_delivery(Desk({"comment"}), report) == ""


def _walk(flow: ReportFlow) -> list[tuple[int, int | None] | None]:
    """The header's step count on each page from here to the review."""
    seen = [flow.step()]
    while flow.page != "review":
        assert flow.next() == "", flow.page
        seen.append(flow.step())
    return seen


def test_the_step_total_is_shown_only_once_the_path_is_known(tmp_path: Path) -> None:
    # The first round said "Step 1 of 6" on the known problems, then "Step 2 of 3" once the
    # person said "I'm affected too": a total must never shrink under the person.
    flow, _ = _flow(tmp_path, RT_INCIDENT)
    assert flow.page == "incidents"
    assert flow.step() == (1, None), "the path is chosen on this page"
    flow.affected_too("77")
    assert _walk(flow) == [(1, None), (2, None), (3, 3)]


def test_the_whole_form_after_the_known_problems_counts_its_own_pages(tmp_path: Path) -> None:
    flow, _ = _flow(tmp_path, RT_INCIDENT)
    seen = _walk_long(flow)
    assert seen[0] == (1, None)
    assert [s[0] for s in seen if s] == list(range(1, len(seen) + 1)), "no step skipped"
    totals = [s[1] for s in seen if s and s[1] is not None]
    assert totals and len(set(totals)) == 1, f"one total once shown: {seen}"
    assert totals[0] == len(seen)


def _walk_long(flow: ReportFlow) -> list[tuple[int, int | None] | None]:
    from tests.unit.flow_helpers import answer_sign_in

    seen = [flow.step()]
    assert flow.next() == ""
    seen.append(flow.step())
    flow.set_category("cant_sign_in")
    assert flow.next() == ""
    answer_sign_in(flow, "The password is rejected every morning after the update")
    seen.append(flow.step())
    while flow.page != "review":
        assert flow.next() == "", flow.page
        seen.append(flow.step())
    return seen


def test_the_short_paths_title_reaches_support_in_its_language(tmp_path: Path) -> None:
    """Flare's words around the incident's title are support's; report.json keeps the ones the
    person saw, and the incident's title stays as the helpdesk wrote it."""
    flow, _ = _flow(tmp_path, RT_INCIDENT, **{"support.language": "uk"})
    flow.affected_too("77")
    assert flow.next() == ""
    bundle = flow.build_bundle()
    assert bundle.report.title == "Affected too: E-mail is down in Building B"
    assert bundle.report.in_language("uk").title == \
        "Мене це теж зачепило: E-mail is down in Building B"
    assert "Мене це теж зачепило: E-mail is down in Building B" in bundle.html
    assert "Affected too:" not in bundle.html
