"""Send from the report window: write the reviewed bundle into the outbox, then try it at once.

Off the window's thread (the window runs the flow's send job in a worker).

Implements the flow's ``Submitter`` port (app/flow/ports.py) for every destination, the
folder too: each report goes through the outbox, so a report is never lost between the window
and the helpdesk.
"""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from app.helpdesk.outbox import Outbox, OutboxItem
from app.helpdesk.submission import Outcome

if TYPE_CHECKING:
    from app.bundle import Bundle
    from app.helpdesk.delivery import Deliverer


class OutboxSubmitter:
    """Writes the reviewed bundle, queues it durably, then tries to send it right away.

    With ``wait_s`` the send runs in a worker thread (with its own outbox connection: SQLite
    connections stay in their thread) and ``submit`` waits at most that long; a send still
    running then is reported as ``sending`` and its outcome is read later through
    ``Outcome.follow``. Without it the send runs in the caller's thread.
    """

    def __init__(self, outbox: Outbox, deliverer: Deliverer, destination: str, *,
                 wait_s: float | None = None) -> None:
        self.outbox = outbox
        self.deliverer = deliverer
        self.destination = destination
        self.wait_s = wait_s

    def submit(self, bundle: Bundle) -> Outcome:
        item = self._enqueue(bundle)
        if self.wait_s is None:
            return self._result(self.deliverer.send_now(item.id))
        return self._send_in_worker(item.id, self.wait_s)

    def _enqueue(self, bundle: Bundle) -> OutboxItem:
        # Written once, straight into the spool: no staging copy to write and delete. Page
        # 1's choices are in the report itself.
        return self.outbox.enqueue_bundle(bundle, self.destination, title=bundle.report.title)

    def _send_in_worker(self, item_id: int, wait_s: float) -> Outcome:
        from app.helpdesk.delivery import Deliverer

        done = threading.Event()
        box: list[Outcome] = []

        def work() -> None:
            try:
                with Outbox(self.outbox.dir.parent, self.outbox.clock) as own:
                    d = self.deliverer
                    mine = Deliverer(own, d.connector_for, policy=d.policy, rng=d.rng,
                                     owner=d.owner, in_flight_s=d.in_flight_s,
                                     check=d.check)
                    box.append(self._result(mine.send_now(item_id), own))
            except Exception as exc:  # the item stays queued; the tray sends it later
                box.append(Outcome(item_id, "queued", error=str(exc)))
            finally:
                done.set()

        threading.Thread(target=work, name=f"flare-send-{item_id}", daemon=True).start()
        if done.wait(wait_s):
            return box[0]

        def follow(timeout: float | None = 0.0) -> Outcome | None:
            return box[0] if done.wait(timeout) else None

        return Outcome(item_id, "sending", follow=follow)

    def _result(self, outcome: Outcome, box: Outbox | None = None) -> Outcome:
        """The delivery's outcome with what the window says about it: where the folder
        destination saved it, or why the outbox still holds it."""
        if outcome.state == "sent" and outcome.ticket is not None:
            if self.destination == "folder":
                return dataclasses.replace(outcome, state="saved",
                                           path=Path(outcome.ticket.id), ticket=None)
            return outcome
        item = (box or self.outbox).get(outcome.item_id)
        return dataclasses.replace(
            outcome, state="failed" if outcome.state == "failed" else "queued",
            error=outcome.error or item.last_error, error_kind=item.error_kind,
            helpdesk_message=item.helpdesk_message)
