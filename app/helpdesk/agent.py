"""``flare agent``: the tray's delivery loop without a tray.

Where the desktop shows no tray icon (GNOME without the AppIndicator extension, a kiosk
session) or the tray app was closed, queued reports still go out: the agent sends what is due
(``Outbox.next_due``, with the outbox's backoff, which survives restarts), follows ticket states
(``destination.poll_minutes``), and tells the person through the desktop's notification service.
It steps aside while another Flare process drains the outbox (:mod:`app.helpdesk.drainer`) and
takes over when that one stops.

Idle, it loads neither requests nor any connector and wakes once a lease period to renew its
lease: no measurable CPU.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from app.context import AppContext
from app.helpdesk.drainer import DrainerLease
from app.helpdesk.outbox import Outbox
from app.i18n import Translator, current, resolve_language
from app.notify import Notify, desktop_notify

if TYPE_CHECKING:
    from app.helpdesk.courier import Courier, DeliveryRound
    from app.helpdesk.send_policy import PersonalDataFinder

log = logging.getLogger(__name__)

LEASE_S = 120.0
CRASH_LOOK_S = 60.0


def outbox_work(ctx: AppContext, *, follow: bool) -> bool:
    """Whether the outbox holds anything to send (or, with ``follow``, tickets to follow)."""
    from app.helpdesk.incident_follow import following

    states = ("queued", "sending", "sent") if follow else ("queued", "sending")
    with Outbox(ctx.dirs.state, ctx.clock) as box:
        if box.items(states):
            return True
    # Known incidents the person joined are followed too (their updates, their end).
    return follow and following(ctx.dirs.state)


def _offer_by_desktop(summary: str, body: str, on_click: Callable[[], None], label: str
                      ) -> bool:
    if sys.platform.startswith("linux"):
        from app.notify import freedesktop_offer

        return freedesktop_offer(summary, body, on_click, label=label)
    return False  # a toast has no click to wait for here: the plain notification says it


def open_crash_report() -> None:
    """The click on a crash offer: the report window, in its own process."""
    command = [*agent_command()[:-1], "report", "--crash-offer"]
    subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, close_fds=True,
                     start_new_session=os.name != "nt")


class CrashOffer(Protocol):
    def summary(self, t: Translator) -> str: ...
    def body(self, t: Translator) -> str: ...


class CrashLook(Protocol):
    """New application crashes to offer (app.crash_offers.CrashOffers, passed in by the
    command that starts the agent: delivery does not read system crash records itself)."""

    def poll(self) -> Sequence[Any]: ...
    def remember(self, offer: Any, t: Translator, now: datetime) -> None: ...


class Agent:
    def __init__(self, ctx: AppContext, *, finder: PersonalDataFinder,
                 notify: Notify = desktop_notify,
                 offer: Callable[[str, str, Callable[[], None], str], bool] = _offer_by_desktop,
                 lease: DrainerLease | None = None,
                 courier: Callable[[], Courier] | None = None,
                 until_empty: bool = False, crashes: CrashLook | None = None) -> None:
        self.ctx = ctx
        self.finder = finder
        self.notify = notify
        self.offer = offer
        self.lease = lease or DrainerLease(ctx.dirs.state, "agent", ttl_s=LEASE_S)
        self._courier_factory = courier
        self._courier: Courier | None = None
        self.until_empty = until_empty
        self.stop = threading.Event()
        self.t = Translator(resolve_language(ctx.settings.get("general.language")))
        self.poll_s = 60.0 * float(ctx.settings.get("destination.poll_minutes") or 0)
        self._told_failed: set[int] = set()
        self.rounds = 0
        self.crashes = crashes
        self._next_crash_look = 0.0

    def _now(self) -> float:
        return self.ctx.clock().timestamp()

    def courier(self) -> Courier:
        if self._courier is None:
            if self._courier_factory is not None:
                self._courier = self._courier_factory()
            else:
                from app.helpdesk.courier import Courier

                self._courier = Courier(self.ctx, finder=self.finder)
        return self._courier

    def run(self) -> int:
        next_poll = self._now()
        try:
            while not self.stop.is_set():
                now = self._now()
                wake = now + self.lease.ttl_s / 2
                if self.lease.acquire():
                    # Only the Flare that holds the lease offers crashes: never the tray and
                    # an agent both.
                    if not self.until_empty and now >= self._next_crash_look:
                        self._next_crash_look = now + CRASH_LOOK_S
                        self.offer_crashes()
                    poll = self.poll_s > 0 and now >= next_poll
                    if self._courier is not None or outbox_work(self.ctx, follow=poll):
                        result = self.courier().run(send=True, poll=poll)
                        self.rounds += 1
                        self._tell(result)
                        if result.next_due is not None:
                            wake = min(wake, max(result.next_due, now + 1.0))
                    elif self.until_empty:
                        return 0
                    if poll:
                        next_poll = now + self.poll_s
                    if self.poll_s > 0:
                        wake = min(wake, next_poll)
                    if self.until_empty and not outbox_work(self.ctx, follow=False):
                        return 0
                self.stop.wait(max(min(1.0, self.lease.ttl_s / 2), wake - self._now()))
        finally:
            self.lease.release()
        return 0

    def offer_crashes(self) -> None:
        """New application crashes, each program once, offered through a notification whose
        click opens the report window with the crash attached (``flare report
        --crash-offer``)."""
        if self.crashes is None:
            return
        found = self.crashes.poll()
        if not found:
            return
        offer: CrashOffer = found[-1]  # one notification at a time: the newest
        self.crashes.remember(offer, self.t, self.ctx.clock())
        summary, body = offer.summary(self.t), offer.body(self.t)
        if not self.offer(summary, body, open_crash_report, self.t.tr("Report it")):
            self.notify(summary, body)

    def _tell(self, result: DeliveryRound) -> None:
        from app.helpdesk.courier import round_messages
        from app.helpdesk.outbox_reports import why_text

        for summary, body in round_messages(self.t, result):
            self.notify(summary, body)
        for w in result.waiting:
            if w.state == "failed" and w.item_id not in self._told_failed:
                self._told_failed.add(w.item_id)
                title = w.title or self.t.tr("(no subject)")
                self.notify(self.t.tr("A report could not be sent"),
                            f"{title}: {why_text(self.t, w.state, w.attempts, 0, w.error)}")


def run_agent(ctx: AppContext, *, finder: PersonalDataFinder, until_empty: bool = False,
              crashes: CrashLook | None = None) -> int:
    agent = Agent(ctx, finder=finder, until_empty=until_empty, crashes=crashes)

    def stop(*_: object) -> None:
        agent.stop.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("flare agent: delivering in the background (pid %d)", os.getpid())
    return agent.run()


def agent_command() -> list[str]:
    """How to start ``flare agent`` from this process: the frozen executable, or this
    interpreter with Flare's CLI module."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "agent"]
    return [sys.executable, "-m", "app.cli", "agent"]


def hand_over_or_say(ctx: AppContext) -> None:
    """The window closed; reports it could not send yet go on in a background agent."""
    from app.errors import FlareError

    try:
        hand_over(ctx)
    except (OSError, FlareError) as exc:
        print(current().tr("flare: queued reports wait for the next start of Flare ({reason})",
                           reason=exc), file=sys.stderr)


def hand_over(ctx: AppContext, when: datetime | None = None) -> bool:
    """The report window closes with reports still queued and nobody to send them: start an
    agent that sends them and exits when the outbox is empty. True when one was started."""
    if DrainerLease(ctx.dirs.state, "window").current() is not None:
        return False  # a tray or an agent drains already
    if not outbox_work(ctx, follow=False):
        return False
    kwargs: dict[str, object] = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL,
                                 "stderr": subprocess.DEVNULL, "close_fds": True}
    if os.name == "nt":
        kwargs["creationflags"] = 0x00000008 | 0x00000200  # DETACHED_PROCESS | NEW_PROCESS_GROUP
    else:
        kwargs["start_new_session"] = True
    subprocess.Popen([*agent_command(), "--until-empty"], **kwargs)  # type: ignore[call-overload]
    return True
