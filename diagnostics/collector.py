"""The collector protocol: what a collector declares, what it gets, what it returns.

Collectors are classes with metadata as class attributes (like sos plugins) and one method,
:meth:`Collector.collect`. They receive a :class:`CollectContext` holding the plain settings
values they need and return a :class:`CollectorOutput`. They never touch global state, so
the runner can run them all at once in threads.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from app.i18n import current, support_language
from app.report import Finding

Platform = Literal["linux", "windows", "darwin"]
Privacy = Literal["public", "internal", "personal"]
ALL_PLATFORMS: frozenset[str] = frozenset({"linux", "windows", "darwin"})


def current_platform(sys_platform: str = sys.platform) -> str:
    """Map ``sys.platform`` to the names collectors declare."""
    if sys_platform.startswith("win"):
        return "windows"
    if sys_platform == "darwin":
        return "darwin"
    return "linux"


@dataclass
class CollectorOutput:
    """What a collector found: compact JSON-safe data, one summary line, abnormal findings."""

    data: dict[str, Any]
    summary: str
    findings: list[Finding] = field(default_factory=list)


class SkipCollector(Exception):
    """Raised by a collector that has nothing to do here (e.g. no checks configured)."""


@dataclass
class CollectContext:
    """The settings values collectors use, as plain fields (built once per report)."""

    budget_s: float = 5.0
    disabled_collectors: list[str] = field(default_factory=list)
    restart_after_days: float = 7.0
    low_disk_percent: float = 10.0
    checks: list[dict[str, Any]] = field(default_factory=list)
    custom: list[dict[str, Any]] = field(default_factory=list)
    applications: list[str] = field(default_factory=list)
    redact: list[str] = field(default_factory=list)
    time_source: str = ""
    log_minutes: int = 30
    flare_version: str = ""
    settings_sources: dict[str, str] = field(default_factory=dict)
    platform: str = field(default_factory=current_platform)
    # The language support reads when it is not the reporter's (policy support.language):
    # each section's texts are then written in it too.
    support_language: str = ""

    @classmethod
    def from_settings(cls, settings: Any, *, flare_version: str = "") -> CollectContext:
        """Build from ``app.settings.Settings`` (anything with ``get(key)``).

        Unknown keys fall back to the defaults above so diagnostics keep working while the
        settings declaration evolves.
        """
        getter: Callable[[str], Any] = getattr(settings, "get", lambda key: None)
        base = cls()

        def value(key: str, default: Any) -> Any:
            try:
                got = getter(key)
            except Exception:  # an undeclared key must not stop diagnostics
                return default
            return default if got is None else got

        return cls(
            budget_s=float(value("diagnostics.budget_s", base.budget_s)),
            disabled_collectors=[str(x) for x in value("diagnostics.disabled_collectors", [])],
            restart_after_days=float(
                value("diagnostics.restart_after_days", base.restart_after_days)
            ),
            low_disk_percent=float(value("diagnostics.low_disk_percent", base.low_disk_percent)),
            checks=[dict(c) for c in value("diagnostics.checks", []) if isinstance(c, Mapping)],
            custom=[dict(c) for c in value("diagnostics.custom", []) if isinstance(c, Mapping)],
            applications=[str(x) for x in value("diagnostics.applications", [])],
            redact=[str(x) for x in value("diagnostics.redact", [])],
            time_source=str(value("diagnostics.time_source", "")),
            log_minutes=int(value("diagnostics.log_minutes", base.log_minutes)),
            flare_version=flare_version,
            settings_sources=_settings_sources(settings),
            # The reporter's language is the one collectors speak, current()'s.
            support_language=support_language(value("support.language", ""),
                                              current().language),
        )


def _settings_sources(settings: Any) -> dict[str, str]:
    """Where each non-default setting comes from, as {key: 'managed (/path:3:5)'}."""
    items = getattr(settings, "items", None)
    if not callable(items):
        return {}
    out: dict[str, str] = {}
    try:
        for item in items():
            source = getattr(item, "source", None)
            if source is not None and getattr(source, "layer", "default") != "default":
                out[str(item.key)] = str(source)
    except Exception:  # provenance is a nicety; never let it stop diagnostics
        return {}
    return out


class Collector:
    """Base class of every collector. Subclasses set the class attributes and ``collect``."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    description: ClassVar[str] = ""
    platforms: ClassVar[frozenset[str]] = ALL_PLATFORMS
    timeout_s: ClassVar[float] = 2.0
    privacy: ClassVar[Privacy] = "internal"

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        raise NotImplementedError

    def runs_on(self, platform: str) -> bool:
        return platform in self.platforms


def warn(message: str) -> Finding:
    return Finding(severity="warning", message=message)


def error(message: str) -> Finding:
    return Finding(severity="error", message=message)


def info(message: str) -> Finding:
    return Finding(severity="info", message=message)
