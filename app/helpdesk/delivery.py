"""Sending what the outbox holds: one item at a time, with backoff, exactly once.

Before any repeated attempt (a retry, or an item recovered after a crash) the connector is
asked whether the ticket already exists (``find_existing``: RT and Redmine search for the
report's marker in the subject). Multi-request submissions resume from their checkpoint.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass

from app.errors import FlareError
from app.helpdesk.delivery_bundle import DeliveryBundle, open_delivery_bundle
from app.helpdesk.errors import DeliveryError
from app.helpdesk.incident_affected import affected_delivery
from app.helpdesk.outbox import Outbox, OutboxItem, owner_id
from app.helpdesk.protocol import Connector, TicketRef
from app.helpdesk.spec.engine import Progress
from app.helpdesk.spec_connector import SpecConnector
from app.helpdesk.submission import Outcome, ReportOptions

log = logging.getLogger("flare.helpdesk")

# The default connect (10 s) plus read (60 s) timeouts of app.helpdesk.network.
DEFAULT_IN_FLIGHT_S = 70.0
# After refused credentials nothing is sent for this long (one sign-in attempt an hour at
# most), unless `flare outbox retry` ends the hold sooner.
DEFAULT_CREDENTIALS_HOLD_S = 3600.0


@dataclass(frozen=True)
class RetryPolicy:
    base_s: float = 30.0
    factor: float = 2.0
    max_s: float = 3600.0
    jitter: float = 0.25  # +-25 %: many clients after one outage do not return in lockstep
    max_retry_after_s: float = 6 * 3600.0

    def delay(self, attempts: int, retry_after_s: float | None,
              rng: Callable[[], float] = random.random) -> float:
        """Wait before attempt ``attempts + 1``; never less than the helpdesk's Retry-After."""
        raw = min(self.max_s, self.base_s * self.factor ** max(0, attempts))
        jittered = raw * (1 - self.jitter + 2 * self.jitter * rng())
        if retry_after_s is not None:
            # The helpdesk said when: wait exactly that (bounded), not our own guess.
            return min(max(retry_after_s, 0.0), self.max_retry_after_s)
        return jittered


class Deliverer:
    def __init__(
        self,
        outbox: Outbox,
        connector_for: Callable[[str], Connector],
        *,
        policy: RetryPolicy | None = None,
        rng: Callable[[], float] = random.random,
        owner: str | None = None,
        in_flight_s: float = DEFAULT_IN_FLIGHT_S,
        check: Callable[[DeliveryBundle], None] | None = None,
        credentials_hold_s: float = DEFAULT_CREDENTIALS_HOLD_S,
    ) -> None:
        """``in_flight_s``: how long a request can stay in flight (connect + read timeout);
        an interrupted send is not retried before that. ``check``: policy enforced at send
        time on every bundle, whoever built it; it raises FlareError to refuse one."""
        self.outbox = outbox
        self.connector_for = connector_for
        self.policy = policy or RetryPolicy()
        self.rng = rng
        self.owner = owner or owner_id()
        self.in_flight_s = in_flight_s
        self.check = check
        self.credentials_hold_s = credentials_hold_s

    def run_due(self, limit: int | None = None) -> list[Outcome]:
        """Recover crashed sends, then send every item that is due now.

        Refused credentials stop the round and hold all sending back (see
        :meth:`Outbox.credentials_hold`): no more sign-ins that are sure to fail."""
        self.outbox.recover(self.in_flight_s)
        outcomes: list[Outcome] = []
        if self._held() is not None:
            return outcomes
        while limit is None or len(outcomes) < limit:
            item = self.outbox.claim_due(self.owner)
            if item is None:
                break
            outcomes.append(self._deliver(item))
            if outcomes[-1].error_kind == "auth":
                break
        return outcomes

    def _held(self, item_id: int | None = None) -> OutboxItem | None:
        held = self.outbox.credentials_hold(self.credentials_hold_s)
        if held is None:
            return None
        until = held.updated_at + self.credentials_hold_s
        log.warning("outbox: not sending: the helpdesk refused Flare's credentials (item %s: "
                  "%s); fix them and run `flare outbox retry` (otherwise Flare tries once "
                  "more in %d min)", held.id, held.last_error,
                  max(1, round((until - self.outbox.clock().timestamp()) / 60)))
        note = ("waits: the helpdesk refused Flare's credentials for another report; "
                f"nothing is sent until they are fixed ({held.last_error})")
        targets = ([item_id] if item_id is not None
                   else [i.id for i in self.outbox.items(("queued",))])
        for target in targets:
            self.outbox.note_held(target, error=note, kind="auth", until=until)
        return held

    def send_now(self, item_id: int) -> Outcome:
        self.outbox.recover(self.in_flight_s)
        if self._held(item_id) is not None:
            current = self.outbox.get(item_id)
            return Outcome(item_id, current.state, current.ticket, current.last_error,
                           error_kind="auth")
        item = self.outbox.claim_due(self.owner, item_id=item_id)
        if item is None:
            current = self.outbox.get(item_id)
            return Outcome(item_id, current.state, current.ticket, current.last_error)
        return self._deliver(item)

    def _deliver(self, item: OutboxItem) -> Outcome:
        try:
            bundle = open_delivery_bundle(item.bundle_path)
            if self.check is not None:
                self.check(bundle)
            connector = self.connector_for(item.destination)
            repeated = item.attempts > 0 or item.uncertain
            how = affected_delivery(connector, bundle.report)
            if repeated:
                done = self._delivered_before(item, connector, bundle, how)
                if done is not None:
                    return done
            # The report says it; an item queued by an older Flare has it in its options column.
            options = ReportOptions.of(bundle.report) or ReportOptions.from_json(item.options)
            notes = options.notes()
            adding = bool(options.add_to_ticket)
            if adding and "add_to_ticket" not in connector.capabilities:
                adding = False
                notes.append(f"The reporter says this belongs to their open ticket "
                             f"{options.add_to_ticket}; this helpdesk connection cannot add "
                             "to a ticket, so this is a new ticket.")
            if notes:
                bundle = bundle.with_files(bundle.files, notes)
            if how == "comment":
                # "I'm affected too": a comment on the incident ticket, not a new ticket.
                incident = TicketRef(bundle.report.affected.incident_id)  # type: ignore[union-attr]
                ref = connector.comment(incident, bundle)  # type: ignore[attr-defined]
                self.outbox.mark_sent(item.id, ref)
                log.info("outbox %s: affected too, commented on incident %s", item.id, ref.id)
                return Outcome(item.id, "sent", ref, added_to_ticket=True)
            if how == "linked_ticket":
                incident = TicketRef(bundle.report.affected.incident_id)  # type: ignore[union-attr]
                ref = self._submit(item, connector, bundle)
                connector.link(ref, incident)  # type: ignore[attr-defined]
                self.outbox.mark_sent(item.id, ref)
                log.info("outbox %s: affected too, %s refers to incident %s", item.id, ref.id,
                         incident.id)
                return Outcome(item.id, "sent", ref)
            if options.reply and adding:
                bundle = bundle.with_files([], [])  # an answer is its words, no files
            if adding:
                ref = connector.add_to_ticket(TicketRef(options.add_to_ticket), bundle)
            else:
                ref = self._submit(item, connector, bundle)
        except DeliveryError as exc:
            return self._failed(item, exc)
        except FlareError as exc:
            self.outbox.mark_failed(item.id, error=exc.message, kind="config",
                                    helpdesk_message="")
            return Outcome(item.id, "failed", error=exc.message)
        except Exception as exc:  # a bug must not leave the item stuck in "sending"
            log.exception("outbox %s: unexpected error", item.id)
            message = (f"unexpected error while sending ({type(exc).__name__}: {exc}); the "
                       "report is kept - run `flare outbox retry` after updating Flare")
            self.outbox.mark_failed(item.id, error=message, kind="config", helpdesk_message="",
                                    uncertain=True)
            return Outcome(item.id, "failed", error=message)
        self.outbox.mark_sent(item.id, ref)
        log.info("outbox %s: sent as %s", item.id, ref.id)
        return Outcome(item.id, "sent", ref, added_to_ticket=adding,
                       new_instead_of_add=bool(options.add_to_ticket) and not adding)

    def _delivered_before(self, item: OutboxItem, connector: Connector,
                          bundle: DeliveryBundle, how: str) -> Outcome | None:
        """What an earlier attempt whose answer was lost already delivered, completed and
        marked sent; None when nothing reached the helpdesk. An "affected too" comment is
        looked for in the incident ticket's history (by the report's marker); a linked
        short ticket is found like any ticket and linked again (linking is idempotent),
        since the attempt may have stopped between creating it and linking it."""
        if how == "comment":
            incident = TicketRef(bundle.report.affected.incident_id)  # type: ignore[union-attr]
            if not connector.find_comment(incident, bundle):  # type: ignore[attr-defined]
                return None
            log.info("outbox %s: incident %s already has this comment; not posting again",
                     item.id, incident.id)
            self.outbox.mark_sent(item.id, incident)
            return Outcome(item.id, "sent", incident, reused_existing=True,
                           added_to_ticket=True)
        existing = connector.find_existing(bundle)
        if existing is None:
            return None
        if how == "linked_ticket":
            incident = TicketRef(bundle.report.affected.incident_id)  # type: ignore[union-attr]
            connector.link(existing, incident)  # type: ignore[attr-defined]
        log.info("outbox %s: ticket %s already exists; not sending again", item.id,
                 existing.id)
        self.outbox.mark_sent(item.id, existing)
        return Outcome(item.id, "sent", existing, reused_existing=True)

    def _submit(self, item: OutboxItem, connector: Connector,
                bundle: DeliveryBundle) -> TicketRef:
        if isinstance(connector, SpecConnector):
            progress = Progress.from_json(item.progress)

            def checkpoint(p: Progress) -> None:
                self.outbox.save_progress(item.id, self.owner, p.to_json())

            def heartbeat() -> None:
                self.outbox.heartbeat(item.id, self.owner)

            return connector.submit(bundle, progress=progress, on_progress=checkpoint,
                                    on_request=heartbeat)
        return connector.submit(bundle)

    def _failed(self, item: OutboxItem, exc: DeliveryError) -> Outcome:
        if exc.kind == "rate_limit" and item.error_kind == "auth":
            # Throttled on the first try after refused credentials: a locked account, not a
            # busy helpdesk (Roundup answers a lockout with 429).
            exc = DeliveryError(
                "the helpdesk is refusing sign-ins after failed attempts: the account may be "
                f"locked ({exc.message}); check destination.username and the secret "
                "destination.token refers to, and have the account unlocked",
                kind="auth", helpdesk_message=exc.helpdesk_message,
                http_status=exc.http_status)
        klass = exc.error_class
        if klass == "transient":
            log.warning("outbox %s: %s (%s)", item.id, exc.message, exc.helpdesk_message)
            delay = self.policy.delay(item.attempts, exc.retry_after_s, self.rng)
            self.outbox.mark_retry(item.id, error=exc.message, kind=exc.kind,
                                   helpdesk_message=exc.helpdesk_message, delay_s=delay,
                                   uncertain=exc.uncertain)
            return Outcome(item.id, "queued", error=exc.message, error_kind=exc.kind)
        if klass == "credentials":
            exc.message += ". Nothing more is sent to the helpdesk until this is fixed"
            log.error("outbox %s: the helpdesk refused Flare's credentials: %s (%s); nothing "
                      "more is sent until they are fixed (then `flare outbox retry`)",
                      item.id, exc.message, exc.helpdesk_message)
        else:
            # Refused as it is (file type, size, validation): sending the same again cannot
            # succeed, so the item stops with the helpdesk's reason until a person acts.
            log.warning("outbox %s: refused: %s (%s)", item.id, exc.message,
                        exc.helpdesk_message)
        self.outbox.mark_failed(item.id, error=exc.message, kind=exc.kind,
                                helpdesk_message=exc.helpdesk_message, uncertain=exc.uncertain)
        return Outcome(item.id, "failed", error=exc.message, error_kind=exc.kind)
