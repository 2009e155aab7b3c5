"""The report flow's known incidents and tickets: "I'm affected too" (the short path), the
person's open tickets and the similar tickets the helpdesk's search finds (a part of
:class:`app.flow.workflow.ReportFlow`)."""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING

from app.context import AppContext
from app.flow.deps import FlowDeps
from app.flow.ports import Incident, NoIncidents, Page, TicketSummary
from app.report import AffectedIncident

# How long Next on the questions page waits for the helpdesk's search for similar tickets.
SIMILAR_WAIT_S = 2.0


class AffectedPathMixin:
    """The incidents part of :class:`app.flow.workflow.ReportFlow`, which sets these fields."""

    ctx: AppContext
    deps: FlowDeps
    reviewed: bool
    _incidents: list[Incident]
    _tickets: list[TicketSummary]
    joined: set[str]
    affected_id: str
    affected_note: str
    full_report: bool
    add_to_ticket: str
    _similar: list[TicketSummary]
    _similar_asked: bool
    _incidents_pending: bool
    page: Page

    if TYPE_CHECKING:
        def pages(self) -> list[Page]: ...
        def subject(self) -> str: ...
        def _touch(self, what: str) -> None: ...
        def _changed(self, what: str) -> None: ...

    def step(self) -> tuple[int, int | None] | None:
        """Where the page is on the path, for the header's «Step 2 of 5»: ``(n, total)``, with
        no total while the path may still change (the first round said "Step 1 of 6", then
        "Step 2 of 3" after "I'm affected too"). Once shown, a total changes only when the
        person goes back and takes another path. ``None`` off the path (the sent page)."""
        pages = [p for p in self.pages() if p != "sent"]
        if self.page not in pages:
            return None
        n = pages.index(self.page) + 1
        open_path = (
            # where the person chooses between the short path and the whole form
            self.page in ("incidents", "affected")
            # known problems that arrive later put their page first
            or self._incidents_pending
            # the search for similar tickets, on leaving the questions, may add a page
            or (self.page in ("category", "questions") and not self._similar_asked
                and not isinstance(self.deps.incidents, NoIncidents)))
        return n, None if open_path else len(pages)

    def incidents(self) -> list[Incident]:
        return list(self._incidents)

    def open_tickets(self) -> list[TicketSummary]:
        return list(self._tickets)

    def affected_too(self, incident_id: str, affected: bool = True) -> None:
        if affected:
            self.joined.add(incident_id)
            self.affected_id = incident_id
        else:
            self.joined.discard(incident_id)
            if self.affected_id == incident_id:
                self.affected_id = next(iter(sorted(self.joined)), "")
        self.reviewed = False
        self._changed("incidents")

    def affected_incident(self) -> Incident | None:
        """The known incident the short path reports on (the one joined last)."""
        return next((i for i in self._incidents if i.id == self.affected_id), None)

    def short_path(self) -> bool:
        """The person joined a known incident and did not ask for the whole form (nor to add
        the report to an open ticket of theirs: that ticket is then where it goes)."""
        return (not self.full_report and not self.add_to_ticket
                and self.affected_incident() is not None)

    def set_full_report(self, full: bool) -> None:
        """Describe the problem in full after all (the ticket still names the incident)."""
        self.full_report = full
        self._changed("incidents")

    def set_affected_note(self, text: str) -> None:
        """The answer to the one optional question: "Anything different for you?"."""
        self.affected_note = text
        self._touch("affected")

    def affected_delivery(self) -> str:
        """How the short path reaches support: a comment on the incident ticket or a short
        linked ticket (policy ``incidents.affected_delivery``), or for an incident of a status
        page, feed or file nothing at all: support already knows, the page is where to
        follow it."""
        inc = self.affected_incident()
        if inc is None or inc.source != "helpdesk":
            return "status_page"
        setting = str(self.ctx.settings.get("incidents.affected_delivery") or "comment")
        return setting if setting in ("comment", "linked_ticket") else "comment"

    def _affected_record(self) -> AffectedIncident | None:
        inc = self.affected_incident()
        if inc is None:
            return None
        return AffectedIncident(
            incident_id=inc.id, title=inc.title, url=inc.url, source=inc.source,
            delivery=(self.affected_delivery() if self.short_path()
                      else "note"),
            note=self.affected_note.strip() if self.short_path() else "")

    def joined_incidents(self) -> set[str]:
        return set(self.joined)

    def similar_tickets(self) -> list[TicketSummary]:
        return list(self._similar)

    def _look_for_similar(self) -> None:
        """Once the subject is known: ask the helpdesk (briefly) for recent tickets like it.
        The person's open tickets already offered on the first page are not offered again."""
        if self._similar_asked or not self.subject():
            return
        ask = self.deps.incidents.similar_tickets
        self._similar_asked = True
        got: list[TicketSummary] = []
        subject = self.subject()

        def work() -> None:
            with contextlib.suppress(Exception):  # no search is never a reason not to report
                got.extend(ask(subject))

        worker = threading.Thread(target=work, name="flare-similar", daemon=True)
        worker.start()
        worker.join(SIMILAR_WAIT_S)
        offered = {t.ref.id for t in self._tickets}
        self._similar = [t for t in list(got)[:3] if t.ref.id not in offered]

    def choose_ticket(self, ticket_id: str) -> None:
        """Add this report to an open ticket ("" for a new ticket)."""
        self.add_to_ticket = ticket_id
        self._changed("incidents")

    def _adding_to_similar(self) -> bool:
        """The ticket chosen is one the search found (maybe a colleague's), not the
        person's own open ticket."""
        own = {t.ref.id for t in self._tickets}
        return bool(self.add_to_ticket) and self.add_to_ticket not in own and any(
            t.ref.id == self.add_to_ticket for t in self._similar)
