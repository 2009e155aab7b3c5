"""Which new application crashes to offer a report for, and what the offer says.

The tray and the agent call :meth:`CrashOffers.poll` now and then; it reads the crashes the
system recorded since the last look (:mod:`diagnostics.crashes`) and returns at most one
:class:`CrashOffer` per program. The offer is a notification; clicking it opens the report
window with the crash attached as a diagnostics section (so the person sees it on the review
page and can leave it out, like any other collected fact) and "What happened?" prefilled.

Rules, kept in ``crashes.json`` in the state folder:

* Nothing older than the last look, and nothing before the first look (Flare's first run on
  this account, recorded then), is ever offered: installing Flare does not dig up old crashes.
* A program is offered once per :data:`QUIET_S`: a crash storm (the same program five times)
  or Flare crashing again on start gives one offer, which counts the crashes.
* ``crashes.offer`` (policy) turns it all off.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.fsutil import atomic_write_bytes
from app.i18n import Translator

log = logging.getLogger(__name__)

STATE_FILE = "crashes.json"
PENDING_FILE = "crash-offer.json"
"""The agent's last offer, for `flare report --crash-offer` (its notification's click)."""
PENDING_S = 24 * 3600.0
QUIET_S = 6 * 3600.0
"""After an offer for a program, its further crashes within this time are counted, not
offered again."""
POLL_S = 60.0
LATE_S = 300.0
"""systemd-coredump, WER and ReportCrash write their record a little after the crash, with
the crash's own time: each look reads this far back again, skipping the crashes it saw."""
OWN_NAMES = frozenset({"flare", "flare.exe"})
SECTION_NAME = "crash"


@dataclass(frozen=True)
class CrashOffer:
    crash: Any  # diagnostics.crashes.Crash (diagnostics/ is imported lazily)
    count: int
    own: bool
    redact: tuple[str, ...] = ()
    """The personal data kinds policy redacts from diagnostics (diagnostics.redact)."""

    def summary(self, t: Translator) -> str:
        return t.tr("{program} closed unexpectedly", program=self.crash.program)

    def what_happened(self, t: Translator) -> str:
        """The sentence "What happened?" starts with, e.g. "Thunderbird 115.3 closed
        unexpectedly (SIGSEGV) at 10:42"."""
        c = self.crash
        name = f"{c.program} {c.version}".strip()
        at = c.time.astimezone().strftime("%H:%M")
        if c.signal:
            return t.tr("{program} closed unexpectedly ({signal}) at {time}", program=name,
                        signal=c.signal, time=at)
        return t.tr("{program} closed unexpectedly at {time}", program=name, time=at)

    def body(self, t: Translator) -> str:
        parts = [self.what_happened(t) + "."]
        if self.count > 1:
            parts.append(t.ntr("It happened {n} time recently.",
                               "It happened {n} times recently.", n=self.count))
        parts.append(t.tr("Click to report it to your helpdesk."))
        return " ".join(parts)

    def section(self, t: Translator) -> Any:
        """The crash facts as the report's diagnostics section."""
        from app.report import DiagnosticSection, Finding

        data, redactions = self.crash.facts(self.redact)
        data["crashes_recently"] = self.count
        return DiagnosticSection(
            name=SECTION_NAME, title=t.tr("Application crash"), status="ok",
            summary=self.what_happened(t),
            findings=[Finding(severity="warning", message=self.what_happened(t))],
            data=data, redactions=redactions, privacy="internal")


Reader = Callable[[datetime], list[Any]]


def _default_reader(since: datetime) -> list[Any]:
    try:
        from diagnostics.crashes import recent_crashes
    except ImportError:  # a build without diagnostics/
        return []
    return recent_crashes(since)


class CrashOffers:
    """New crashes since the last look, one offer per program. Not thread-safe: one poller."""

    def __init__(self, state_dir: Path, *, clock: Callable[[], datetime],
                 read: Reader = _default_reader, enabled: bool | Callable[[], bool] = True,
                 redact: tuple[str, ...] = ()) -> None:
        self.path = state_dir / STATE_FILE
        self.redact = redact
        self.clock = clock
        self.read = read
        self._enabled = enabled

    def remember(self, offer: CrashOffer, t: Translator, now: datetime) -> None:
        remember_offer(self.path.parent, offer, t, now)

    @property
    def enabled(self) -> bool:
        """Asked at every look: turned off in the settings, it stops without a restart."""
        return bool(self._enabled() if callable(self._enabled) else self._enabled)

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self, state: dict[str, Any]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.path, json.dumps(state, indent=1).encode())
        except OSError as exc:
            log.warning("could not remember the last look at crashes: %s", exc)

    def poll(self) -> list[CrashOffer]:
        now = self.clock()
        state = self._load()
        if not self.enabled:
            # Turned off: what crashes meanwhile is not offered when it is turned on again.
            if state.get("first_look"):
                self._save({**state, "last_look": now.isoformat()})
            return []
        first = _parse(state.get("first_look"))
        last = _parse(state.get("last_look"))
        if first is None:
            # The first look: what crashed before Flare was here is not Flare's to offer.
            self._save({"first_look": now.isoformat(), "last_look": now.isoformat(),
                        "offered": {}})
            return []
        since = max(first, last or first)
        seen = set(state.get("seen") or [])
        try:
            crashes = [c for c in self.read(since) if c.time > since and c.key not in seen]
        except Exception as exc:  # a reader must never stop the tray or the agent
            log.warning("reading recorded crashes failed: %s", exc)
            crashes = []
        offered: dict[str, str] = dict(state.get("offered") or {})
        counts: dict[str, int] = dict(state.get("counts") or {})
        by_program: dict[str, list[Any]] = {}
        for c in crashes:
            by_program.setdefault(_program_key(c), []).append(c)
        offers = []
        for key, group in by_program.items():
            latest = max(group, key=lambda c: c.time)
            when = _parse(offered.get(key))
            if when is not None and (latest.time - when).total_seconds() < QUIET_S:
                counts[key] = counts.get(key, 1) + len(group)
                continue
            offered[key] = latest.time.isoformat()
            counts[key] = len(group)
            offers.append(CrashOffer(latest, len(group), own=_is_own(latest),
                                     redact=self.redact))
        look = max(since, now - timedelta(seconds=LATE_S))
        horizon = now - timedelta(seconds=QUIET_S * 4)
        self._save({
            "first_look": first.isoformat(),
            "last_look": look.isoformat(),
            "seen": sorted(k for k in {*seen, *(c.key for c in crashes)}
                           if _key_time(k) > look.timestamp()),
            "offered": {k: v for k, v in offered.items()
                        if (_parse(v) or now) > horizon},
            "counts": {k: v for k, v in counts.items() if k in offered},
        })
        return sorted(offers, key=lambda o: o.crash.time)


def remember_offer(state_dir: Path, offer: CrashOffer, t: Translator,
                   now: datetime) -> None:
    """Keep the offer the agent's notification made, for the report window its click opens
    in another process."""
    data = {"at": now.isoformat(), "section": offer.section(t).model_dump(mode="json"),
            "what_happened": offer.what_happened(t)}
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(state_dir / PENDING_FILE, json.dumps(data).encode())
    except OSError as exc:
        log.warning("could not keep the crash offer: %s", exc)


def take_offer(state_dir: Path, now: datetime) -> tuple[Any, str] | None:
    """The remembered offer (section, "What happened?" text), once; None when there is none
    or it is older than a day."""
    from app.report import DiagnosticSection

    path = state_dir / PENDING_FILE
    try:
        data = json.loads(path.read_text("utf-8"))
        path.unlink()
    except (OSError, ValueError):
        return None
    at = _parse(data.get("at")) if isinstance(data, dict) else None
    if at is None or (now - at).total_seconds() > PENDING_S:
        return None
    try:
        return DiagnosticSection.model_validate(data["section"]), str(data["what_happened"])
    except (KeyError, ValueError):
        return None


def _key_time(key: str) -> float:
    try:
        return float(key.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return 0.0


def _program_key(crash: Any) -> str:
    return str(crash.executable or crash.program).lower()


def _is_own(crash: Any) -> bool:
    names = {crash.program.lower(), Path(crash.executable or "").name.lower()}
    return bool(names & OWN_NAMES)


def _parse(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def crash_offers_for(ctx: Any) -> CrashOffers:
    """The offers as this user's settings configure them."""
    return CrashOffers(ctx.dirs.state, clock=ctx.clock,
                       enabled=lambda: bool(ctx.settings.get("crashes.offer")),
                       redact=tuple(ctx.settings.get("diagnostics.redact") or ()))
