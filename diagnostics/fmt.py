"""Short human formats for summaries: sizes, durations."""

from __future__ import annotations


def size(n: float) -> str:
    """Bytes as '1.5 GB' / '512 MB' (powers of 1024, as the OS shows them)."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(n) < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit in ("B", "KB") or n >= 100 else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


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
