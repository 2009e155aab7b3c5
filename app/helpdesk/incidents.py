"""Known incidents and the reporter's open tickets, as the report window's first page asks
for them (the flow's ``IncidentSource`` port)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from app.errors import FlareError
from app.helpdesk.errors import DeliveryError
from app.helpdesk.protocol import (
    Connector,
    Incident,
    SearchesTickets,
    TicketSummary,
    Unsupported,
)

# Tickets filed this long ago or less count as "the same outage".
SIMILAR_HOURS = 4


class HelpdeskIncidents:
    """Known incidents and the reporter's open tickets, where the helpdesk offers them.

    The connector is made on first use (in the flow's worker thread), so a misconfigured or
    slow destination never delays the report window; any failure reads as "nothing known".
    """

    def __init__(self, connector: Connector | Callable[[], Connector],
                 reporter_email: str,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._connector = connector
        self.reporter_email = reporter_email
        self._clock = clock

    def _get(self) -> Connector | None:
        if isinstance(self._connector, Connector):
            return self._connector
        try:
            self._connector = self._connector()
        except FlareError:  # a destination that is not set up: nothing to show
            return None
        return self._connector

    def incidents(self) -> list[Incident]:
        try:
            return self.known_incidents()
        except (FlareError, Unsupported):
            return []

    def known_incidents(self) -> list[Incident]:
        """The helpdesk's incident records; raises what went wrong (``flare incidents`` says
        it), where :meth:`incidents` reads a failure as "nothing known"."""
        if isinstance(self._connector, Connector):
            conn = self._connector
        else:
            conn = self._connector = self._connector()
        if "incidents" not in conn.capabilities:
            raise Unsupported("this destination keeps no incident records (set "
                              "destination.incidents_queue, or a spec with an incidents step)")
        return list(conn.incidents())

    def similar_tickets(self, subject: str) -> list[TicketSummary]:
        """The site's and the reporter's tickets of the last hours like this subject."""
        since = self._clock().astimezone(UTC) - timedelta(hours=SIMILAR_HOURS)
        return self.similar(search_words(subject), since)

    def similar(self, words: str, since: datetime) -> list[TicketSummary]:
        """Recent tickets like this report, where the helpdesk can search (else none)."""
        conn = self._get()
        if (conn is None or "search" not in conn.capabilities
                or not isinstance(conn, SearchesTickets) or not (words or self.reporter_email)):
            return []
        try:
            return list(conn.search(self.reporter_email, words, since))
        except (DeliveryError, Unsupported):
            return []

    def open_tickets(self) -> list[TicketSummary]:
        conn = self._get()
        if conn is None or "open_tickets" not in conn.capabilities or not self.reporter_email:
            return []
        try:
            return list(conn.open_tickets(self.reporter_email))
        except (DeliveryError, Unsupported):
            return []


# Words that say nothing about which problem it is (the form's category labels among them:
# every subject of a category starts with its label).
_COMMON_WORDS = frozenset((
    "program", "shows", "website", "computer", "device", "hardware", "request", "access",
    "else", "sign",
    "after", "again", "cannot", "does", "doesn", "error", "every", "from", "have", "just",
    "know", "nothing", "problem", "says", "since", "something", "still", "that", "their",
    "there", "this", "when", "where", "which", "with", "without", "work", "works", "working",
))


def search_words(subject: str) -> str:
    """The most telling word of a subject (the longest that is not a common one): what a
    helpdesk search for tickets like this one looks for."""
    words = [w for w in re.findall(r"[^\W\d_]{4,}", subject.casefold())
             if w not in _COMMON_WORDS]
    return max(words, key=len, default="")
