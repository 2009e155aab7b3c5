"""The "when did it happen" answer: just now, N minutes ago, earlier today at HH:MM, or a pick.

The answer is kept as the user gave it (so the UI can show it back) and resolved to an aware
datetime against an injected clock and time zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Literal

WhenKind = Literal["now", "minutes_ago", "earlier_today", "pick"]
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class When:
    """One "when" answer. ``minutes`` for ``minutes_ago``, ``time`` ("HH:MM") for
    ``earlier_today``, ``at`` for ``pick`` (naive values are read in the user's time zone)."""

    kind: WhenKind
    minutes: int | None = None
    time: str | None = None
    at: datetime | None = None

    def __post_init__(self) -> None:
        if self.kind == "minutes_ago" and (self.minutes is None or self.minutes < 0):
            raise ValueError("'minutes ago' needs a number of minutes, 0 or more")
        if self.kind == "earlier_today" and (self.time is None or not _HHMM.match(self.time)):
            raise ValueError("'earlier today' needs a time as HH:MM, e.g. 09:40")
        if self.kind == "pick" and self.at is None:
            raise ValueError("'pick' needs a date and time")

    @classmethod
    def parse(cls, value: object) -> When:
        """Accept a :class:`When`, a ``datetime`` (a pick), or a string:
        ``now``, ``minutes_ago:15``, ``earlier_today:09:40``, ``pick:2026-11-25T09:40``."""
        if isinstance(value, When):
            return value
        if isinstance(value, datetime):
            return cls("pick", at=value)
        if not isinstance(value, str):
            raise ValueError(f"not a time answer: {value!r}")
        kind, _, rest = value.strip().partition(":")
        if kind == "now" and not rest:
            return cls("now")
        if kind == "minutes_ago":
            try:
                return cls("minutes_ago", minutes=int(rest))
            except ValueError:
                raise ValueError(f"'minutes ago' needs a whole number, not {rest!r}") from None
        if kind == "earlier_today":
            return cls("earlier_today", time=rest)
        if kind == "pick":
            try:
                return cls("pick", at=datetime.fromisoformat(rest))
            except ValueError:
                raise ValueError(f"not a date and time: {rest!r}") from None
        raise ValueError(f"not a time answer: {value!r}")

    def encode(self) -> str:
        """The string form :meth:`parse` reads back."""
        if self.kind == "minutes_ago":
            return f"minutes_ago:{self.minutes}"
        if self.kind == "earlier_today":
            return f"earlier_today:{self.time}"
        if self.kind == "pick" and self.at is not None:
            return f"pick:{self.at.isoformat()}"
        return "now"

    def resolve(self, now: datetime, tz: tzinfo | None = None) -> datetime:
        """The moment meant, as an aware datetime in ``tz`` (``now``'s zone, else UTC)."""
        if now.tzinfo is None:
            raise ValueError("the clock must return an aware datetime")
        zone = tz or now.tzinfo or UTC
        local_now = now.astimezone(zone)
        if self.kind == "now":
            return local_now
        if self.kind == "minutes_ago":
            return local_now - timedelta(minutes=self.minutes or 0)
        if self.kind == "earlier_today":
            assert self.time is not None
            hh, mm = (int(p) for p in self.time.split(":"))
            return local_now.replace(hour=hh, minute=mm, second=0, microsecond=0)
        assert self.at is not None
        return self.at.replace(tzinfo=zone) if self.at.tzinfo is None else self.at.astimezone(zone)
