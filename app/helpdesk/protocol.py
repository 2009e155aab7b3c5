"""The connector protocol: what every destination (helpdesk, mail, folder) offers.

A connector receives a :class:`~app.helpdesk.delivery_bundle.DeliveryBundle` (a report bundle opened
for streaming) and returns a :class:`TicketRef`. Reading back is optional per capability.
Failures raise :class:`~app.helpdesk.errors.DeliveryError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from app.helpdesk.tickets import TICKET_STATES as TICKET_STATES
from app.helpdesk.tickets import TicketRef as TicketRef
from app.helpdesk.tickets import TicketState as TicketState
from app.helpdesk.tickets import TicketStatus as TicketStatus

if TYPE_CHECKING:
    from app.helpdesk.delivery_bundle import DeliveryBundle

Capability = Literal["status", "open_tickets", "incidents", "add_to_ticket", "find_existing",
                     "comment", "link", "search", "replies"]


@dataclass(frozen=True)
class TicketSummary:
    ref: TicketRef
    title: str
    status: TicketStatus


@dataclass(frozen=True)
class Reply:
    """A public reply on a ticket (RT correspondence, a Redmine note), as the reporter sees it:
    internal comments and private notes never are."""

    author: str
    text: str
    at: datetime | None = None


@dataclass(frozen=True)
class Incident:
    id: str
    title: str
    url: str = ""
    started_at: datetime | None = None
    details: str = ""
    updated_at: datetime | None = None  # the latest update's time, where the source says
    # Which kind of source said so (a feed type: helpdesk, statuspage, rss, json): "I'm
    # affected too" comments on a helpdesk's incident ticket, and only links to a page.
    source: str = "helpdesk"
    resolved: bool = False  # the source marks it resolved (following it notifies once)
    feed: str = ""  # the URL or path of the source it came from (to follow it there)


@dataclass(frozen=True)
class SubmitNotes:
    """What the delivery changed visibly (downscaled or split files), shown to the user."""

    notes: list[str] = field(default_factory=list)


@runtime_checkable
class Connector(Protocol):
    """One destination. ``capabilities`` lists the optional operations it supports."""

    name: str
    capabilities: frozenset[str]

    def submit(self, bundle: DeliveryBundle) -> TicketRef:
        """File the report; must not create a second ticket when called again after
        :meth:`find_existing` returned None."""
        ...

    def find_existing(self, bundle: DeliveryBundle) -> TicketRef | None:
        """The ticket already filed for this report, if any (for safe retries)."""
        ...

    def status(self, ref: TicketRef) -> TicketStatus: ...

    def open_tickets(self, reporter_email: str) -> list[TicketSummary]: ...

    def incidents(self) -> list[Incident]: ...

    def add_to_ticket(self, ref: TicketRef, bundle: DeliveryBundle) -> TicketRef: ...


@runtime_checkable
class IncidentReplies(Protocol):
    """A connector that can answer on an incident ticket ("I'm affected too") and link a new
    ticket to it (the ``comment`` and ``link`` capabilities)."""

    def comment(self, ref: TicketRef, bundle: DeliveryBundle) -> TicketRef: ...

    def find_comment(self, ref: TicketRef, bundle: DeliveryBundle) -> bool: ...

    def link(self, ref: TicketRef, target: TicketRef) -> None: ...


@runtime_checkable
class ReadsReplies(Protocol):
    """A connector that reads a ticket's public replies (capability ``replies``). Apart from
    :class:`Connector`, so a destination without replies need not say it has none."""

    def replies(self, ref: TicketRef) -> list[Reply]: ...


@runtime_checkable
class SearchesTickets(Protocol):
    """A connector that finds recent tickets like a report (capability ``search``): the
    reporter's own and the site's, by words of the subject, since a time."""

    def search(self, reporter_email: str, words: str, since: datetime) -> list[TicketSummary]: ...


class Unsupported(Exception):
    """Raised by an optional operation the destination does not offer."""
