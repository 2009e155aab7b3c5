"""Conformance of every collector registered in the ``flare.collectors`` entry-point group."""

from __future__ import annotations

import json
from importlib.metadata import EntryPoint, entry_points

import pytest

from app.report import Finding
from diagnostics import registry
from diagnostics.collector import CollectContext, CollectorOutput, SkipCollector
from diagnostics.runner import collect_all

EPS = sorted(entry_points(group=registry.GROUP), key=lambda e: e.name)
BUILT_IN = {
    "os",
    "identity",
    "locale",
    "uptime",
    "resources",
    "disks",
    "processes",
    "displays",
    "power",
    "network",
    "proxy",
    "system_log",
    "applications",
    "flare",
    "connectivity",
    "custom",
}


def test_built_ins_are_registered() -> None:
    assert {e.name for e in EPS} >= BUILT_IN


@pytest.mark.parametrize("ep", EPS, ids=lambda e: e.name)
def test_registered_collector_conforms(ep: EntryPoint) -> None:
    cls = ep.load()
    assert registry.problems(cls) == []
    assert cls.name == ep.name
    collector = cls()
    ctx = CollectContext(budget_s=5)
    if not collector.runs_on(ctx.platform):
        return
    try:
        out = collector.collect(ctx)
    except SkipCollector as e:
        assert str(e).strip()
        return
    assert isinstance(out, CollectorOutput)
    json.dumps(out.data, allow_nan=False)
    assert out.summary.strip() and "\n" not in out.summary
    assert all(isinstance(f, Finding) for f in out.findings)


def test_broken_plugins_become_error_sections() -> None:
    eps = [
        EntryPoint("uptime", "diagnostics.collectors.system:UptimeCollector", registry.GROUP),
        EntryPoint("ghost", "no_such_module.anywhere:Thing", registry.GROUP),
        EntryPoint("liar", "diagnostics.collectors.system:OsCollector", registry.GROUP),
    ]
    loaded = registry.load(eps)
    assert set(loaded.errors) == {"ghost", "liar"}
    assert "names collector 'os'" in loaded.errors["liar"]
    d = collect_all(loaded.collectors, CollectContext())
    status = {s.name: s.status for s in d.sections}
    assert status == {"uptime": "ok", "ghost": "error", "liar": "error"}
    ghost = next(s for s in d.sections if s.name == "ghost")
    assert "no_such_module" in ghost.error


def test_problems_name_what_is_wrong() -> None:
    from diagnostics.collector import Collector

    class Bad(Collector):
        name = "Bad Name"
        platforms = frozenset({"beos"})
        timeout_s = 0

    found = " ".join(registry.problems(Bad))
    for word in ("name", "title", "description", "platforms", "timeout_s", "collect()"):
        assert word in found


def test_select_by_platform_and_only() -> None:
    loaded = registry.load()
    names = [c.name for c in registry.select(loaded.collectors, "linux", ["disks", "os"])]
    assert names == ["os", "disks"]  # preferred order, not the order asked
