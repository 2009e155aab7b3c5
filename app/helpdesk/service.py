"""Glue between the application context (settings, folders, clock) and the helpdesk layer.

Library modules take explicit parameters; this is the one place that reads ``destination.*``.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.bundle import open_bundle
from app.context import AppContext
from app.helpdesk.adapters import HelpdeskIncidents, OutboxSubmitter, Waiting, waiting
from app.helpdesk.delivery import Deliverer, Outcome
from app.helpdesk.outbox import Outbox, OutboxItem
from app.helpdesk.protocol import Connector
from app.helpdesk.registry import DestinationConfig, make_connector
from app.helpdesk.secrets import SecretResolver
from app.helpdesk.send_policy import SendPolicy
from app.helpdesk.status import StatusChange, poll_statuses

log = logging.getLogger("flare.helpdesk")


def destination_config(ctx: AppContext) -> DestinationConfig:
    return DestinationConfig.from_settings(ctx.settings.get, ctx.reports_dir(),
                                           ctx.settings.is_locked)


def secret_resolver(ctx: AppContext) -> SecretResolver:
    return SecretResolver()


def open_outbox(ctx: AppContext) -> Outbox:
    return Outbox(ctx.dirs.state, ctx.clock)


def connector_factory(ctx: AppContext) -> Callable[[str], Connector]:
    config = destination_config(ctx)
    resolver = secret_resolver(ctx)
    cache: dict[str, Connector] = {}

    def connector_for(destination: str) -> Connector:
        # The destination comes from the settings (policy) now, never from the outbox row:
        # whoever can edit the database must not be able to send a report elsewhere.
        if destination != config.type:
            log.warning("an outbox item names destination %r; sending it to the configured "
                        "%r", destination, config.type)
        if config.type not in cache:
            cache[config.type] = make_connector(config, resolver)
        return cache[config.type]

    return connector_for


def queue_report(ctx: AppContext, bundle_path: Path, outbox: Outbox) -> OutboxItem:
    """Queue a reviewed bundle for the configured destination."""
    report = open_bundle(bundle_path).report
    return outbox.enqueue(bundle_path, destination_config(ctx).type, report_id=str(report.id),
                          title=report.title)


def send_policy(ctx: AppContext) -> SendPolicy:
    from diagnostics.redact import Redactor

    kinds = ctx.settings.get("diagnostics.redact") or ()

    def find(data: Any) -> Counter[str]:
        return Redactor(kinds).data(data)[1]

    return SendPolicy.from_settings(ctx.settings.get, find)


def deliverer(ctx: AppContext, outbox: Outbox,
              connector_for: Callable[[str], Connector] | None = None) -> Deliverer:
    net = destination_config(ctx).network
    return Deliverer(outbox, connector_for or connector_factory(ctx),
                     in_flight_s=net.connect_timeout_s + net.read_timeout_s,
                     check=send_policy(ctx))


# --------------------------------------------------------------------------- report window


def outbox_submitter(ctx: AppContext, wait_s: float | None) -> OutboxSubmitter:
    """Every report goes through the outbox, for every destination (the folder too)."""
    box = open_outbox(ctx)
    return OutboxSubmitter(box, deliverer(ctx, box), destination_config(ctx).type,
                           ctx.dirs.state / "staging", wait_s=wait_s)


def incident_source(ctx: AppContext) -> HelpdeskIncidents | None:
    """Incidents and open tickets from the destination; None where it can have none."""
    from app.flow import reporter_email

    config = destination_config(ctx)
    if config.type == "folder":
        return None
    resolver = secret_resolver(ctx)
    return HelpdeskIncidents(lambda: make_connector(config, resolver), reporter_email(ctx))


# --------------------------------------------------------------------------- tray


def poll_every_s(ctx: AppContext) -> float:
    """destination.poll_minutes in seconds; 0 = never."""
    return 60.0 * float(ctx.settings.get("destination.poll_minutes") or 0)


@dataclass(frozen=True)
class SentReport:
    title: str
    ticket: str
    added_to_ticket: bool


@dataclass
class DeliveryRound:
    """What one scheduled run found and did, handed from the worker thread to the tray."""

    sent: list[SentReport] = field(default_factory=list)
    changes: list[StatusChange] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)
    next_due: float | None = None  # timestamp of the next queued attempt


class Courier:
    """The tray's delivery work: send what is due, read ticket states, say what waits.

    Meant for one worker thread at a time: every call opens and closes its own outbox (SQLite
    connections stay in their thread); connectors are kept between calls.
    """

    def __init__(self, ctx: AppContext,
                 connector_for: Callable[[str], Connector] | None = None) -> None:
        self.ctx = ctx
        self._connector_for = connector_for

    def connector_for(self, destination: str) -> Connector:
        if self._connector_for is None:
            self._connector_for = connector_factory(self.ctx)
        return self._connector_for(destination)

    def run(self, *, send: bool = True, poll: bool = False) -> DeliveryRound:
        out = DeliveryRound()
        with open_outbox(self.ctx) as box:
            if send:
                titles = {i.id: i.title for i in box.items(("queued", "sending"))}
                for o in Deliverer(box, self.connector_for).run_due():
                    out.sent += _sent(o, titles)
            if poll:
                out.changes = poll_statuses(box, self.connector_for,
                                            every_s=poll_every_s(self.ctx))
            out.waiting = waiting(box)
            out.next_due = box.next_due()
        return out


def _sent(o: Outcome, titles: dict[int, str]) -> list[SentReport]:
    if o.state != "sent" or o.ticket is None:
        return []
    return [SentReport(titles.get(o.item_id, ""), o.ticket.display(), o.added_to_ticket)]
