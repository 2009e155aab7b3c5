"""The report flow through the real outbox and deliverer to a fake helpdesk connector: down
(queued, with the reason), up (sent, ticket number), "add to my open ticket" with and without
support, a slow first send, page 1 time-boxed, and the outbox's schema migration."""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.context import AppContext
from app.flow import ReportFlow
from app.flow.ports import FinishedRun
from app.flow.workflow import fetch_incidents
from app.helpdesk.courier import Courier
from app.helpdesk.delivery import Deliverer
from app.helpdesk.delivery_bundle import DeliveryBundle
from app.helpdesk.errors import DeliveryError
from app.helpdesk.incidents import HelpdeskIncidents
from app.helpdesk.outbox import Outbox
from app.helpdesk.protocol import Incident, TicketRef, TicketStatus, TicketSummary, Unsupported
from app.helpdesk.submitter import OutboxSubmitter
from app.wiring import find_personal_data, flow_deps
from tests.clocks import Clock
from tests.unit.flow_helpers import GOOD_HAPPENED, answer_sign_in, diagnostics, png, step

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)




class FakeHelpdesk:
    """A connector whose helpdesk can be down, slow, and with or without add-to-ticket."""

    name = "fake"

    def __init__(self, *, add_to_ticket: bool = True) -> None:
        self.capabilities = frozenset({"status", "open_tickets", "incidents"}
                                      | ({"add_to_ticket"} if add_to_ticket else set()))
        self.down = False
        self.gate: threading.Event | None = None  # set: a slow helpdesk waits for it
        self.submitted: list[DeliveryBundle] = []
        self.added: list[tuple[TicketRef, DeliveryBundle]] = []

    def _answer(self) -> None:
        if self.gate is not None:
            assert self.gate.wait(10), "the test never released the slow helpdesk"
        if self.down:
            raise DeliveryError("could not connect to the helpdesk: connection refused",
                                kind="network")

    def submit(self, bundle: DeliveryBundle) -> TicketRef:
        self._answer()
        self.submitted.append(bundle)
        number = str(100 + len(self.submitted))
        return TicketRef(number, number, f"https://helpdesk.invalid/t/{number}")

    def find_existing(self, bundle: DeliveryBundle) -> TicketRef | None:
        return None

    def status(self, ref: TicketRef) -> TicketStatus:
        return TicketStatus("open", "new")

    def open_tickets(self, reporter_email: str) -> list[TicketSummary]:
        self._answer()
        return [TicketSummary(TicketRef("7", "7"), "Printer jams", TicketStatus("open", "open"))]

    def incidents(self) -> list[Incident]:
        self._answer()
        return [Incident("INC-1", "Mail is slow in Building B")]

    def add_to_ticket(self, ref: TicketRef, bundle: DeliveryBundle) -> TicketRef:
        if "add_to_ticket" not in self.capabilities:
            raise Unsupported("no")
        self._answer()
        self.added.append((ref, bundle))
        return ref


@pytest.fixture()
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture()
def ctx(tmp_path: Path, clock: Clock) -> AppContext:
    c = AppContext.for_tests(tmp_path)
    c.clock = clock
    return c


@pytest.fixture()
def box(ctx: AppContext) -> Iterator[Outbox]:
    b = Outbox(ctx.dirs.state, ctx.clock)
    yield b
    b.close()


def make_flow(ctx: AppContext, box: Outbox, helpdesk: FakeHelpdesk,
              wait_s: float | None = None) -> ReportFlow:
    deps = flow_deps(ctx)
    deps.capturer = None
    deps.start_diagnostics = lambda: FinishedRun(diagnostics())
    deps.submitter = OutboxSubmitter(box, Deliverer(box, lambda _d: helpdesk, rng=lambda: 0.5),
                                     "fake", wait_s=wait_s)
    deps.incidents = HelpdeskIncidents(helpdesk, "reporter@example.test")
    flow = ReportFlow(ctx, deps, language="en")
    flow.start()
    return flow


def send(flow: ReportFlow) -> None:
    answer_sign_in(flow, GOOD_HAPPENED)
    flow.add_evidence(step(1), png())
    flow.go("review")
    flow.set_reviewed(True)
    assert flow.next() == ""
    assert flow.page == "sent"


def test_helpdesk_down_queues_with_the_reason_then_the_outbox_sends_it(
        ctx: AppContext, box: Outbox, clock: Clock) -> None:
    helpdesk = FakeHelpdesk()
    helpdesk.down = True
    flow = make_flow(ctx, box, helpdesk)
    send(flow)
    assert flow.result is not None and flow.result.state == "queued"
    assert flow.sent_message().startswith("Your report is queued and will be sent when")
    details = flow.sent_details()
    assert details[0].startswith("Why: the helpdesk cannot be reached right now")
    assert "connection refused" in details[1]
    [item] = box.items()
    assert (item.state, item.attempts, item.error_kind) == ("queued", 1, "network")
    assert not flow.draft.exists(), "the outbox holds the report now, not the draft"

    helpdesk.down = False
    assert Deliverer(box, lambda _d: helpdesk).run_due() == [], "not due before the backoff"
    clock.now += timedelta(hours=1)
    [outcome] = Deliverer(box, lambda _d: helpdesk).run_due()
    assert outcome.state == "sent" and box.get(item.id).ticket == outcome.ticket
    assert [s.name for s in helpdesk.submitted[0].files if s.kind == "step"] == ["step-001.png"]


def test_helpdesk_up_sends_at_once_with_the_ticket_number(ctx: AppContext, box: Outbox) -> None:
    helpdesk = FakeHelpdesk()
    flow = make_flow(ctx, box, helpdesk)
    assert flow.pages()[0] == "incidents", "the helpdesk offers incidents and open tickets"
    send(flow)
    assert flow.result is not None and flow.result.state == "sent"
    assert flow.sent_message() == "Your report was sent. Ticket number: 101"
    assert flow.result.ticket_url.endswith("/t/101")
    assert flow.sent_details() == []
    assert [i.state for i in box.items()] == ["sent"]
    assert helpdesk.submitted[0].notes == [], "nothing was chosen on page 1"


def test_add_to_open_ticket_and_affected_incident_reach_the_helpdesk(
        ctx: AppContext, box: Outbox) -> None:
    helpdesk = FakeHelpdesk()
    flow = make_flow(ctx, box, helpdesk)
    assert [t.ref.id for t in flow.open_tickets()] == ["7"]
    flow.choose_ticket("7")
    flow.affected_too("INC-1")
    send(flow)
    assert helpdesk.submitted == [], "added to the open ticket, not a new one"
    [(ref, bundle)] = helpdesk.added
    assert ref.id == "7"
    assert any("INC-1" in n for n in bundle.notes)
    assert flow.result is not None and flow.result.added_to_ticket
    assert flow.sent_message() == "Your report was added to your open ticket 7."


def test_without_add_to_ticket_a_new_ticket_names_the_open_one(
        ctx: AppContext, box: Outbox) -> None:
    helpdesk = FakeHelpdesk(add_to_ticket=False)
    flow = make_flow(ctx, box, helpdesk)
    flow.choose_ticket("7")
    flow.affected_too("INC-1")
    flow.affected_too("INC-1", affected=False)  # changed their mind
    send(flow)
    [bundle] = helpdesk.submitted
    assert any("open ticket 7" in n for n in bundle.notes)
    assert not any("INC-1" in n for n in bundle.notes)
    assert flow.result is not None and flow.result.new_instead_of_add
    assert flow.sent_message() == "Your report was sent. Ticket number: 101"
    assert flow.sent_details()[0].startswith("This helpdesk cannot add to an existing ticket")


def test_a_slow_first_send_goes_on_in_the_background(ctx: AppContext, box: Outbox) -> None:
    helpdesk = FakeHelpdesk()
    flow = make_flow(ctx, box, helpdesk, wait_s=0.05)
    helpdesk.gate = threading.Event()
    posted: queue.Queue[Callable[[], None]] = queue.Queue()
    flow.post = posted.put  # the window's thread: here, this test's
    ended: list[str] = []
    flow.when_sent(lambda: ended.append(flow.sent_message()))
    send(flow)
    assert flow.result is not None and flow.result.state == "sending"
    assert flow.sent_message() == "Sending your report…"
    assert flow.check_result() is False
    assert posted.empty(), "nothing is handed to the window before the send ends"
    helpdesk.gate.set()
    posted.get(timeout=10)()  # what the worker posted, run on "the window's thread"
    assert flow.result.state == "sent" and flow.result.ticket_number == "101"
    assert ended == ["Your report was sent. Ticket number: 101"]
    assert [i.state for i in box.items()] == ["sent"]


def test_page_one_does_not_wait_for_a_slow_helpdesk(ctx: AppContext, box: Outbox) -> None:
    helpdesk = FakeHelpdesk()
    helpdesk.gate = threading.Event()
    deps = flow_deps(ctx)
    deps.capturer = None
    deps.start_diagnostics = None
    deps.incidents = HelpdeskIncidents(helpdesk, "reporter@example.test")
    deps.incidents_wait_s = 0.05
    flow = ReportFlow(ctx, deps, language="en")
    try:
        flow.start()
        assert flow.pages()[0] == "category", "nothing came in time: page 1 is left out"
    finally:
        helpdesk.gate.set()


def test_page_one_respects_tray_show_incidents(tmp_path: Path) -> None:
    asked: list[str] = []

    class Source:
        def incidents(self) -> list[Incident]:
            asked.append("incidents")
            return [Incident("INC-1", "Mail is slow")]

        def open_tickets(self) -> list[TicketSummary]:
            asked.append("tickets")
            return []

        def similar_tickets(self, subject: str) -> list[TicketSummary]:
            asked.append("similar")
            return []

    ctx = AppContext.for_tests(tmp_path, tray__show_incidents=False)
    deps = flow_deps(ctx)
    deps.incidents = Source()
    deps.start_diagnostics = None
    ReportFlow(ctx, deps, language="en").start()
    assert asked == []
    assert fetch_incidents(Source(), 5.0) == ([Incident("INC-1", "Mail is slow")], [])


def test_a_failing_source_means_nothing_known(tmp_path: Path) -> None:
    class Broken:
        def incidents(self) -> list[Incident]:
            raise RuntimeError("the helpdesk library broke")

        def open_tickets(self) -> list[TicketSummary]:
            return [TicketSummary(TicketRef("7", "#7"), "Printer jams", TicketStatus("open"))]

    incidents, tickets = fetch_incidents(Broken(), 5.0)
    assert incidents == [] and [t.ref.id for t in tickets] == ["7"]


def test_defaults_queue_for_the_folder_destination_through_the_outbox(
        ctx: AppContext) -> None:
    deps = flow_deps(ctx)
    deps.capturer = None
    deps.start_diagnostics = None
    flow = ReportFlow(ctx, deps, language="en")
    flow.start()
    send(flow)
    assert flow.result is not None and flow.result.state == "saved"
    assert flow.result.path is not None and flow.result.path.parent == ctx.reports_dir()
    assert flow.result.path.name.startswith("flare-"), "named by time, as the folder sorts"
    assert (flow.result.path / "report.json").is_file()
    with Outbox(ctx.dirs.state, ctx.clock) as b:
        [item] = b.items()
    assert (item.destination, item.state) == ("folder", "sent")


def test_courier_sends_what_is_due_and_says_what_waits(
        ctx: AppContext, box: Outbox, clock: Clock) -> None:
    helpdesk = FakeHelpdesk()
    helpdesk.down = True
    send(make_flow(ctx, box, helpdesk))
    courier = Courier(ctx, lambda _d: helpdesk, finder=find_personal_data)
    waiting = courier.run()
    assert waiting.sent == [] and [w.state for w in waiting.waiting] == ["queued"]
    assert waiting.waiting[0].attempts == 1 and "connection refused" in waiting.waiting[0].error
    assert waiting.next_due is not None and waiting.next_due > clock().timestamp()
    helpdesk.down = False
    clock.now = datetime.fromtimestamp(waiting.next_due, UTC)
    done = courier.run()
    assert [(s.ticket, s.added_to_ticket) for s in done.sent] == [("101", False)]
    assert done.sent[0].title and done.waiting == [] and done.next_due is None


def test_an_old_outbox_gains_the_options_column(tmp_path: Path, clock: Clock) -> None:
    folder = tmp_path / "state" / "outbox"
    folder.mkdir(parents=True)
    db = sqlite3.connect(folder / "outbox.sqlite3")
    db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, report_id TEXT NOT NULL, "
               "destination TEXT NOT NULL, title TEXT NOT NULL DEFAULT '', bundle_path TEXT "
               "NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, uncertain "
               "INTEGER NOT NULL DEFAULT 0, next_attempt_at REAL NOT NULL DEFAULT 0, "
               "last_error TEXT NOT NULL DEFAULT '', error_kind TEXT NOT NULL DEFAULT '', "
               "helpdesk_message TEXT NOT NULL DEFAULT '', progress TEXT NOT NULL DEFAULT '', "
               "lease_owner TEXT NOT NULL DEFAULT '', lease_until REAL NOT NULL DEFAULT 0, "
               "created_at REAL NOT NULL, updated_at REAL NOT NULL, sent_at REAL, ticket_id "
               "TEXT NOT NULL DEFAULT '', ticket_number TEXT NOT NULL DEFAULT '', ticket_url "
               "TEXT NOT NULL DEFAULT '', status_state TEXT NOT NULL DEFAULT '', status_label "
               "TEXT NOT NULL DEFAULT '', status_updated TEXT NOT NULL DEFAULT '', "
               "status_checked_at REAL NOT NULL DEFAULT 0, UNIQUE (report_id, destination))")
    db.execute("INSERT INTO items (report_id, destination, bundle_path, state, created_at, "
               "updated_at) VALUES ('r1', 'rt', '/nowhere', 'queued', 1, 1)")
    db.commit()
    db.close()
    with Outbox(tmp_path / "state", clock) as b:
        [old] = b.items()
        assert (old.report_id, old.options) == ("r1", "")
        b.set_replies(old.id, "[]")  # the other column the first release did not have
    db = sqlite3.connect(folder / "outbox.sqlite3")
    # Brought up to date once: the schema version then says so, and opening is one read.
    assert db.execute("PRAGMA user_version").fetchone()[0] >= 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    with Outbox(tmp_path / "state", clock) as b:  # opening it again changes nothing
        assert [i.report_id for i in b.items()] == ["r1"]


def test_one_report_for_two_destinations_keeps_two_copies(
        box: Outbox, ctx: AppContext, tmp_path: Path) -> None:
    from tests.integration.helpdesk_servers import make_bundle

    path = make_bundle(tmp_path / "drafts", steps=1)
    first = box.enqueue(path, "folder", report_id="r1")
    second = box.enqueue(path, "rt", report_id="r1")
    assert first.bundle_path.name == path.name
    assert second.bundle_path != first.bundle_path
    assert (first.bundle_path / "report.json").is_file()
    assert (second.bundle_path / "report.json").is_file()
