"""The built-in collectors on this machine, checked against independent sources."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from diagnostics import registry
from diagnostics.collector import CollectContext
from diagnostics.collectors.policy import CustomCollector
from diagnostics.collectors.resources import DisksCollector, ProcessesCollector
from diagnostics.collectors.system import UptimeCollector
from diagnostics.runner import collect_all

pytestmark = pytest.mark.skipif(not Path("/proc/uptime").exists(), reason="needs Linux /proc")


def test_uptime_agrees_with_proc_uptime() -> None:
    out = UptimeCollector().collect(CollectContext())
    proc = float(Path("/proc/uptime").read_text().split()[0])
    assert abs(out.data["uptime_s"] - proc) < 5
    overdue = UptimeCollector().collect(CollectContext(restart_after_days=proc / 86400 / 2))
    assert overdue.findings and "restart recommended" in overdue.findings[0].message
    assert not UptimeCollector().collect(CollectContext(restart_after_days=0)).findings


def test_disk_totals_agree_with_statvfs() -> None:
    out = DisksCollector().collect(CollectContext())
    root = next(d for d in out.data["disks"] if d["mount"] == "/")
    st = os.statvfs("/")
    assert root["total_bytes"] == st.f_blocks * st.f_frsize
    assert abs(root["free_bytes"] - st.f_bavail * st.f_frsize) < 256 * 1024**2
    # a threshold above the real free share must raise the alarm
    flagged = DisksCollector().collect(CollectContext(low_disk_percent=root["free_percent"] + 1))
    assert any("disk / almost full" in f.message for f in flagged.findings)


def test_this_process_appears_in_the_process_list() -> None:
    stop = threading.Event()

    def burn() -> None:  # make this test process the busiest one for the sample
        while not stop.is_set():
            sum(range(1000))

    t = threading.Thread(target=burn, daemon=True)
    t.start()
    try:
        time.sleep(0.05)
        out = ProcessesCollector().collect(CollectContext())
    finally:
        stop.set()
        t.join()
    pids = [p["pid"] for p in out.data["top_cpu"]]
    assert os.getpid() in pids
    me = next(p for p in out.data["top_cpu"] if p["pid"] == os.getpid())
    assert me["cpu_percent"] > 20 and me["rss_mb"] > 1
    assert out.data["count"] == pytest.approx(len([p for p in os.listdir("/proc")
                                                   if p.isdigit()]), abs=20)


def test_full_local_run_is_fast_and_complete() -> None:
    loaded = registry.load()
    ctx = CollectContext(budget_s=5, applications=["bash"])
    t = time.monotonic()
    d = collect_all(registry.select(loaded.collectors, ctx.platform), ctx)
    assert time.monotonic() - t < 3  # a generous ceiling for a shared CI machine
    status = {s.name: s.status for s in d.sections}
    for name in ("os", "identity", "uptime", "resources", "disks", "network", "processes",
                 "locale", "flare", "applications"):
        assert status[name] == "ok", (name, d.model_dump_json())
    apps = next(s for s in d.sections if s.name == "applications")
    assert apps.data["applications"]["bash"]


def test_custom_file_tail_and_command(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text("".join(f"line {i} password=hunter{i}x\n" for i in range(100)))
    ctx = CollectContext(custom=[
        {"type": "file_tail", "name": "app log", "path": str(log), "lines": 3},
        {"type": "command", "name": "uname", "argv": ["uname", "-s"], "timeout_s": 2},
        {"type": "command", "name": "slow", "argv": ["sleep", "5"], "timeout_s": 0.3},
        {"type": "command", "name": "nope", "argv": ["no-such-program-xyz"]},
    ], budget_s=3)
    d = collect_all([CustomCollector()], ctx)
    items = {i["name"]: i for i in d.sections[0].data["items"]}
    assert items["app log"]["output"].splitlines() == [
        "line 97 password=[REDACTED:secret_value]", "line 98 password=[REDACTED:secret_value]",
        "line 99 password=[REDACTED:secret_value]"]
    assert d.sections[0].redactions == {"secret_value": 3}
    assert items["uname"]["output"].strip() == os.uname().sysname
    assert not items["slow"]["ok"] and "0.3 s" in items["slow"]["error"]
    assert not items["nope"]["ok"] and "not installed" in items["nope"]["error"]
