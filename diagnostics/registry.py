"""Find collectors: built-ins and third-party ones, all through the ``flare.collectors`` group.

A plugin that fails to import or is malformed does not hide the others: it becomes a collector
that reports its loading error, so support sees it in the report like any failed collector.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from diagnostics.collector import ALL_PLATFORMS, CollectContext, Collector, CollectorOutput

GROUP = "flare.collectors"
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
# Shown first, in this order: what support reads first. Others follow by name.
PREFERRED_ORDER = (
    "os", "identity", "uptime", "resources", "disks", "network", "proxy", "connectivity",
    "locale", "power", "displays", "processes", "system_log", "applications", "custom", "flare",
)


def problems(cls: Any) -> list[str]:
    """What is wrong with a collector class, in words; empty when it conforms."""
    out: list[str] = []
    if not (isinstance(cls, type) and issubclass(cls, Collector)):
        return [f"{cls!r} is not a diagnostics.collector.Collector subclass"]
    if not NAME_RE.match(cls.name or ""):
        out.append(f"name {cls.name!r} must be lower-case letters, digits or '_' (2-40)")
    if not cls.title.strip():
        out.append("title is empty")
    if not cls.description.strip():
        out.append("description is empty")
    if not cls.platforms or not set(cls.platforms) <= ALL_PLATFORMS:
        out.append(f"platforms {sorted(cls.platforms)} must be a non-empty subset of "
                   f"{sorted(ALL_PLATFORMS)}")
    if not (0 < cls.timeout_s <= 30):
        out.append(f"timeout_s {cls.timeout_s} must be in (0, 30]")
    if cls.privacy not in ("public", "internal", "personal"):
        out.append(f"privacy {cls.privacy!r} must be public, internal or personal")
    if cls.collect is Collector.collect:
        out.append("collect() is not implemented")
    return out


def _broken(name: str, message: str) -> Collector:
    """A stand-in that reports why the real collector could not be loaded."""

    class Broken(Collector):
        title = f"{name} (failed to load)"
        description = "A collector plugin that could not be loaded."

        def collect(self, ctx: CollectContext) -> CollectorOutput:
            raise RuntimeError(message)

    Broken.name = name
    return Broken()


@dataclass
class Loaded:
    collectors: list[Collector]
    errors: dict[str, str]


def load(eps: Iterable[EntryPoint] | None = None) -> Loaded:
    """Instantiate every registered collector; broken ones become error reporters."""
    found = list(eps) if eps is not None else list(entry_points(group=GROUP))
    by_name: dict[str, Collector] = {}
    errors: dict[str, str] = {}
    for ep in found:
        try:
            cls = ep.load()
            wrong = problems(cls)
            if not wrong and cls.name != ep.name:
                wrong = [f"entry point {ep.name!r} names collector {cls.name!r}"]
            if wrong:
                raise ValueError("; ".join(wrong))
            if ep.name in by_name:
                raise ValueError(f"a collector named {ep.name!r} is already registered")
            by_name[ep.name] = cls()
        except Exception as e:
            msg = f"plugin {ep.value} could not be loaded: {type(e).__name__}: {e}"
            errors[ep.name] = msg
            by_name.setdefault(ep.name if NAME_RE.match(ep.name) else "plugin_error",
                               _broken(ep.name, msg))
    return Loaded(sort(by_name.values()), errors)


def sort(collectors: Iterable[Collector]) -> list[Collector]:
    rank = {n: i for i, n in enumerate(PREFERRED_ORDER)}
    return sorted(collectors, key=lambda c: (rank.get(c.name, len(rank)), c.name))


def select(
    collectors: Iterable[Collector], platform: str, only: Iterable[str] | None = None
) -> list[Collector]:
    """The collectors that run on ``platform``, restricted to ``only`` names if given."""
    wanted = set(only) if only is not None else None
    return [
        c for c in collectors
        if c.runs_on(platform) and (wanted is None or c.name in wanted)
    ]
