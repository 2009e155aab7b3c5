"""The tray's delivery work: send what is due, read ticket states, say what still waits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.context import AppContext
from app.helpdesk.configured import connector_factory, deliverer, open_outbox
from app.helpdesk.incident_follow import IncidentEvent, following
from app.helpdesk.incident_sources import incident_follower
from app.helpdesk.outbox_reports import Waiting, is_reply_item, waiting
from app.helpdesk.protocol import Connector
from app.helpdesk.send_policy import PersonalDataFinder
from app.helpdesk.status import StatusChange, poll_statuses
from app.helpdesk.submission import Outcome
from app.i18n import Translator


def poll_every_s(ctx: AppContext) -> float:
    """destination.poll_minutes in seconds; 0 = never."""
    return 60.0 * float(ctx.settings.get("destination.poll_minutes") or 0)


@dataclass(frozen=True)
class SentReport:
    title: str
    ticket: str
    added_to_ticket: bool
    answer: bool = False  # the reporter's answer from "My reports", not a report


@dataclass
class DeliveryRound:
    """What one scheduled run found and did, handed from the worker thread to the tray."""

    sent: list[SentReport] = field(default_factory=list)
    changes: list[StatusChange] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)
    next_due: float | None = None  # timestamp of the next queued attempt
    incident_events: list[IncidentEvent] = field(default_factory=list)


class Courier:
    """The tray's delivery work: send what is due, read ticket states, say what waits.

    Meant for one worker thread at a time: every call opens and closes its own outbox (SQLite
    connections stay in their thread); connectors are kept between calls.
    """

    def __init__(self, ctx: AppContext,
                 connector_for: Callable[[str], Connector] | None = None, *,
                 finder: PersonalDataFinder) -> None:
        self.ctx = ctx
        self._connector_for = connector_for
        self._finder = finder

    def connector_for(self, destination: str) -> Connector:
        if self._connector_for is None:
            self._connector_for = connector_factory(self.ctx)
        return self._connector_for(destination)

    def run(self, *, send: bool = True, poll: bool = False) -> DeliveryRound:
        out = DeliveryRound()
        with open_outbox(self.ctx) as box:
            if send:
                due = box.items(("queued", "sending"))
                titles = {i.id: i.title for i in due}
                answers = {i.id for i in due if is_reply_item(i)}
                for o in deliverer(self.ctx, box, self.connector_for,
                                     finder=self._finder).run_due():
                    out.sent += _sent(o, titles, answers)
            if poll:
                out.changes = poll_statuses(box, self.connector_for,
                                            every_s=poll_every_s(self.ctx))
            out.waiting = waiting(box)
            out.next_due = box.next_due()
        if poll and following(self.ctx.dirs.state):
            out.incident_events = incident_follower(self.ctx, self.connector_for).poll()
        return out


def _sent(o: Outcome, titles: dict[int, str], answers: set[int]) -> list[SentReport]:
    if o.state != "sent" or o.ticket is None:
        return []
    return [SentReport(titles.get(o.item_id, ""), o.ticket.display(), o.added_to_ticket,
                       answer=o.item_id in answers)]


def round_messages(t: Translator, result: DeliveryRound) -> list[tuple[str, str]]:
    """What the person is told after a round (the tray's balloon, the agent's notification)."""
    out: list[tuple[str, str]] = []
    for sent in result.sent:
        if sent.answer:
            out.append((t.tr("Answer sent"),
                        t.tr("Your answer was added to ticket {ticket}.", ticket=sent.ticket)))
            continue
        text = (t.tr("\"{title}\" was added to ticket {ticket}.", title=sent.title,
                     ticket=sent.ticket) if sent.added_to_ticket
                else t.tr("\"{title}\" was sent as ticket {ticket}.", title=sent.title,
                          ticket=sent.ticket))
        out.append((t.tr("Report sent"), text))
    for ev in result.incident_events:
        if ev.kind == "resolved":
            out.append((t.tr("A known problem is resolved"),
                        t.tr("{title}: support says it is fixed.", title=ev.incident.title)))
        else:
            out.append((t.tr("Update on a known problem"),
                        f"{ev.incident.title}: {ev.text}" if ev.text else ev.incident.title))
    for change in result.changes:
        if change.waits_for_reporter:
            # Said once: a change is reported when the state changes, not at every poll.
            out.append((t.tr("Support is waiting for your answer"),
                        t.tr("{title} (ticket {ticket}): open My reports to read the reply "
                             "and answer.", title=change.title,
                             ticket=change.ticket.display())))
            continue
        out.append((t.tr("Your report changed"),
                    t.tr("{title} (ticket {ticket}): {status}", title=change.title,
                         ticket=change.ticket.display(), status=change.label)))
    return out
