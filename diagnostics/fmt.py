"""Short human formats for summaries: durations (sizes: :mod:`app.sizes`)."""

from __future__ import annotations

from app.i18n import current


def duration(seconds: float) -> str:
    """'23 days 4 h', '3 h 12 min', '5 min', '40 s'."""
    s = int(seconds)
    days, rest = divmod(s, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    t = current()
    if days:
        return t.ntr("{n} day {hours} h", "{n} days {hours} h", n=days, hours=hours)
    if hours:
        return t.tr("{hours} h {minutes} min", hours=hours, minutes=minutes)
    if minutes:
        return t.tr("{minutes} min", minutes=minutes)
    return t.tr("{seconds} s", seconds=s)


def gb(n: float) -> float:
    return round(n / 1024**3, 2)
