"""Short human formats for summaries: durations (sizes: :mod:`app.sizes`)."""

from __future__ import annotations


def duration(seconds: float) -> str:
    """'23 days 4 h', '3 h 12 min', '5 min', '40 s'."""
    s = int(seconds)
    days, rest = divmod(s, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} day{'s' if days != 1 else ''} {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min"
    return f"{s} s"


def gb(n: float) -> float:
    return round(n / 1024**3, 2)
