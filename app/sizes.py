"""Sizes for people: the one way Flare writes a byte count in a message or on a page."""

from __future__ import annotations

_UNITS = ("KB", "MB", "GB", "TB")


def human_size(n: float) -> str:
    """'512 B', '1.5 KB', '12.3 MB', '120 MB', '2.0 TB': powers of 1024, as file managers and
    the OS show them; one decimal below 100 so small differences stay visible."""
    if abs(n) < 1024:
        return f"{n:.0f} B"
    value = float(n)
    unit = "B"
    for unit in _UNITS:
        value /= 1024
        if abs(value) < 1024 or unit == _UNITS[-1]:
            break
    # Rounding may reach the next unit ("1024 KB"): show "1.0 MB" instead.
    if abs(round(value, 1)) >= 1024 and unit != _UNITS[-1]:
        value /= 1024
        unit = _UNITS[_UNITS.index(unit) + 1]
    return f"{value:.1f} {unit}" if abs(value) < 100 else f"{value:.0f} {unit}"
