"""What the reporting workflow needs from the other areas, as Protocols, and the types that
cross them: one type per concept.

The real implementations are built by the composition root (app/wiring.py); tests hand in
their own. The types of the Send path are the helpdesk layer's own (``Outcome``,
``ReportOptions``, ``Incident``, ``TicketSummary``), so nothing is converted on the way.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol

from app.helpdesk.protocol import Incident, TicketRef, TicketSummary
from app.helpdesk.submission import Outcome, ReportOptions
from app.report import Diagnostics, Priority, ReportTexts, Step

if TYPE_CHECKING:
    from app.bundle import Bundle

__all__ = [
    "ALL_PAGES",
    "Capturer",
    "DiagnosticsRun",
    "FlowView",
    "FormStateLike",
    "Incident",
    "IncidentSource",
    "IssueLike",
    "NoIncidents",
    "Outcome",
    "Page",
    "ReportOptions",
    "Submitter",
    "TicketRef",
    "TicketSummary",
]

Page = Literal[
    "incidents", "affected", "category", "questions", "similar", "screenshots", "diagnostics",
    "review", "sent"
]
ALL_PAGES: tuple[Page, ...] = (
    "incidents", "affected", "category", "questions", "similar", "screenshots", "diagnostics",
    "review", "sent"
)


class IssueLike(Protocol):
    """One problem the form engine found (``app.form.Issue``)."""

    @property
    def question_id(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def example(self) -> str: ...


class FormStateLike(Protocol):
    """What the flow uses of ``app.form.FormState``."""

    @property
    def form(self) -> Any: ...
    def set_category(self, category_id: str) -> None: ...
    def set_answer(self, question_id: str, value: Any, dont_know: bool = False) -> None: ...
    def visible_questions(self) -> Sequence[Any]: ...
    def asked_questions(self) -> Sequence[Any]: ...
    def validate(self) -> Sequence[IssueLike]: ...
    def quality(self) -> Any: ...
    def can_submit(self, min_quality: int) -> bool: ...
    def priority(self) -> Priority: ...
    def subject(self) -> str: ...
    def set_subject(self, text: str | None) -> None: ...
    def to_report_fields(self) -> dict[str, Any]: ...
    def report_texts(self, language: str) -> ReportTexts: ...


class DiagnosticsRun(Protocol):
    def done(self) -> bool: ...
    def result(self, timeout: float | None = None) -> Diagnostics: ...


class Submitter(Protocol):
    """Sends the reviewed bundle, page 1's choices in its report (``app.helpdesk.submitter``)."""

    def submit(self, bundle: Bundle) -> Outcome: ...


class IncidentSource(Protocol):
    """Known incidents, the reporter's open tickets and recent tickets like a subject
    (``app.helpdesk.incident_sources``); a source that cannot search returns no similar ones."""

    def incidents(self) -> list[Incident]: ...
    def open_tickets(self) -> list[TicketSummary]: ...
    def similar_tickets(self, subject: str) -> list[TicketSummary]: ...


class Capturer(Protocol):
    """Takes one screenshot, stamped and encoded, for step number ``number``."""

    def capture(self, number: int) -> tuple[Step, bytes]: ...


class FlowView(Protocol):
    """What the window implements; the flow calls it when something changed."""

    def flow_changed(self, what: str) -> None: ...


class NoIncidents:
    """The source where the destination has none (the folder) or the person turned it off."""

    def incidents(self) -> list[Incident]:
        return []

    def open_tickets(self) -> list[TicketSummary]:
        return []

    def similar_tickets(self, subject: str) -> list[TicketSummary]:
        return []


class FinishedRun:
    """A diagnostics run that is already over (a build without collectors, tests)."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        self._diagnostics = diagnostics

    def done(self) -> bool:
        return True

    def result(self, timeout: float | None = None) -> Diagnostics:
        return self._diagnostics


def fetch_incidents(
    source: IncidentSource, wait_s: float
) -> tuple[list[Incident], list[TicketSummary]]:
    """Incidents and open tickets, asked in a worker thread and given at most ``wait_s``: a
    slow or unreachable helpdesk must not hold up the window (what is late is left out)."""
    got: dict[str, Any] = {}

    def work() -> None:
        # The helpdesk being down must never stop a report: any failure means "none known".
        with contextlib.suppress(Exception):
            got["incidents"] = source.incidents()
        with contextlib.suppress(Exception):
            got["tickets"] = source.open_tickets()

    worker = threading.Thread(target=work, name="flare-incidents", daemon=True)
    worker.start()
    worker.join(wait_s)
    return list(got.get("incidents", [])), list(got.get("tickets", []))
