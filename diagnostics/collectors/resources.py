"""Pressure on the machine: CPU, memory and swap, disks, and the processes using them."""

from __future__ import annotations

import os
import time
from typing import Any

import psutil

from app.i18n import N_, current
from app.sizes import human_size
from diagnostics.collector import CollectContext, Collector, CollectorOutput, error, info, warn
from diagnostics.fmt import gb

SAMPLE_S = 0.15  # CPU percentages need two samples; short enough to stay in the budget
SKIP_FSTYPES = frozenset({
    "squashfs", "iso9660", "udf", "devtmpfs", "tmpfs", "devfs", "autofs", "proc", "sysfs",
    "cgroup", "cgroup2", "overlayfs_lower", "ramfs", "nullfs", "fuse.portal", "fuse.gvfsd-fuse",
})


def _psi(kind: str) -> float | None:
    """Linux pressure-stall 'some avg10' (% of time tasks waited), None when unavailable."""
    try:
        with open(f"/proc/pressure/{kind}", encoding="ascii") as f:
            first = f.readline().split()
    except OSError:
        return None
    for part in first:
        if part.startswith("avg10="):
            return float(part[6:])
    return None


class ResourcesCollector(Collector):
    name = "resources"
    title = N_("CPU, memory and swap")
    description = N_(
        "Processor load and memory/swap use, with pressure where the OS reports it.")
    timeout_s = 2.0
    privacy = "public"

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        cpu = psutil.cpu_percent(interval=SAMPLE_S)
        mem = psutil.virtual_memory()
        swap = psutil.swap_memory()
        cores = psutil.cpu_count() or 1
        data: dict[str, Any] = {
            "cpu_count": cores,
            "cpu_percent": cpu,
            "memory_total_gb": gb(mem.total),
            "memory_available_gb": gb(mem.available),
            "memory_percent": mem.percent,
            "swap_total_gb": gb(swap.total),
            "swap_percent": swap.percent,
        }
        if hasattr(os, "getloadavg"):
            data["load_avg"] = [round(x, 2) for x in os.getloadavg()]
        for kind in ("cpu", "memory", "io"):
            p = _psi(kind)
            if p is not None:
                data[f"pressure_{kind}_avg10"] = p
        return CollectorOutput(data, resources_summary(data), resources_findings(data))


def resources_summary(d: dict[str, Any]) -> str:
    t = current()
    s = t.ntr("CPU {cpu}% of {n} core, memory {memory}% used ({free} of {total} GB free)",
              "CPU {cpu}% of {n} cores, memory {memory}% used ({free} of {total} GB free)",
              n=d["cpu_count"], cpu=t.number(d["cpu_percent"], 0),
              memory=t.number(d["memory_percent"], 0), free=t.number(d["memory_available_gb"], 1),
              total=t.number(d["memory_total_gb"], 1))
    if d["swap_total_gb"]:
        s += t.tr(", swap {swap}%", swap=current().number(d['swap_percent'], 0))
    return s


def resources_findings(d: dict[str, Any]) -> list[Any]:
    out = []
    t = current()
    free_pct = 100 - d["memory_percent"]
    free = current().number(d['memory_available_gb'], 1)
    if free_pct < 5:
        out.append(error(t.tr("memory nearly exhausted: {free} GB free", free=free)))
    elif free_pct < 10:
        out.append(warn(t.tr("memory low: {free} GB free", free=free)))
    if d["swap_total_gb"] and d["swap_percent"] >= 80:
        out.append(warn(t.tr("swap {swap}% used: the computer is likely slow",
                             swap=current().number(d['swap_percent'], 0))))
    if d["cpu_percent"] >= 90:
        out.append(warn(t.tr("CPU busy: {cpu}%", cpu=current().number(d['cpu_percent'], 0))))
    load = d.get("load_avg")
    if load and load[0] / d["cpu_count"] >= 2:
        out.append(warn(t.ntr("system overloaded: load {load} on {n} core",
                              "system overloaded: load {load} on {n} cores",
                              n=d["cpu_count"], load=current().number(load[0], 1))))
    if (d.get("pressure_memory_avg10") or 0) >= 20:
        out.append(warn(t.tr("memory pressure: tasks stalled {share}% of the last 10 s",
                             share=current().number(d['pressure_memory_avg10'], 0))))
    return out


def disk_entries(parts: list[Any], usage: Any) -> list[dict[str, Any]]:
    """One entry per real disk (bind mounts and pseudo file systems left out)."""
    seen: dict[str, dict[str, Any]] = {}
    for p in parts:
        if p.fstype in SKIP_FSTYPES and p.mountpoint != "/":
            continue
        if p.device.startswith("/dev/loop"):
            continue
        try:
            u = usage(p.mountpoint)
        except OSError:
            continue
        if not u.total:
            continue
        entry = {
            "mount": p.mountpoint,
            "device": p.device,
            "fstype": p.fstype,
            "total_bytes": u.total,
            "free_bytes": u.free,
            "free_percent": round(100 * u.free / u.total, 1),
        }
        key = p.device or p.mountpoint
        if key not in seen or len(p.mountpoint) < len(seen[key]["mount"]):
            seen[key] = entry
    return sorted(seen.values(), key=lambda e: str(e["mount"]))


def disk_findings(disks: list[dict[str, Any]], low_percent: float) -> list[Any]:
    out = []
    for d in disks:
        pct = d["free_percent"]
        t = current()
        what = t.tr("disk {mount} almost full: {free} free ({share}%)", mount=d["mount"],
                    free=t.size(human_size(d["free_bytes"])), share=current().number(pct, 0))
        if pct < low_percent / 4 or d["free_bytes"] < 512 * 1024**2:
            out.append(error(what))
        elif pct < low_percent:
            out.append(warn(what))
    return out


class DisksCollector(Collector):
    name = "disks"
    title = N_("Disks")
    description = N_(
        "Free space of every mounted disk; flags disks below the policy's free share.")
    timeout_s = 2.0
    privacy = "internal"

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        disks = disk_entries(list(psutil.disk_partitions(all=False)), psutil.disk_usage)
        t = current()
        summary = ", ".join(
            t.tr("{mount} {free} free of {total}", mount=d["mount"],
                 free=t.size(human_size(d["free_bytes"])),
                 total=t.size(human_size(d["total_bytes"])))
            for d in disks[:4]
        ) or t.tr("no disks found")
        if len(disks) > 4:
            summary += t.tr(" (+{more} more)", more=len(disks) - 4)
        return CollectorOutput({"disks": disks}, summary,
                               disk_findings(disks, ctx.low_disk_percent))


TOP_N = 10


class ProcessesCollector(Collector):
    name = "processes"
    title = N_("Top processes")
    description = N_("The processes using the most CPU and memory right now.")
    timeout_s = 2.5
    privacy = "internal"

    def collect(self, ctx: CollectContext) -> CollectorOutput:
        first: dict[int, tuple[psutil.Process, float]] = {}
        info_by_pid: dict[int, dict[str, Any]] = {}
        for p in psutil.process_iter(["name", "username", "memory_info", "cpu_times"]):
            ct = p.info.get("cpu_times")
            mi = p.info.get("memory_info")
            first[p.pid] = (p, (ct.user + ct.system) if ct else 0.0)
            info_by_pid[p.pid] = {
                "pid": p.pid,
                "name": p.info.get("name") or "?",
                "user": p.info.get("username") or "",
                "rss_mb": round(mi.rss / 1024**2, 1) if mi else 0.0,
            }
        t0 = time.monotonic()
        time.sleep(SAMPLE_S)
        for pid, (proc, before) in first.items():
            try:
                ct = proc.cpu_times()
                cpu = 100 * ((ct.user + ct.system) - before) / max(time.monotonic() - t0, 1e-3)
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                cpu = 0.0
            info_by_pid[pid]["cpu_percent"] = round(max(0.0, cpu), 1)
        procs = list(info_by_pid.values())
        total_mem = psutil.virtual_memory().total
        by_cpu = sorted(procs, key=lambda p: -p["cpu_percent"])[:TOP_N]
        by_mem = sorted(procs, key=lambda p: -p["rss_mb"])[:TOP_N]
        data = {"count": len(procs), "top_cpu": by_cpu, "top_memory": by_mem}
        findings = []
        t = current()
        for e in by_cpu:
            if e["cpu_percent"] >= 80:
                findings.append(info(t.tr("{name} (pid {pid}) uses {cpu}% CPU", name=e["name"],
                                          pid=e["pid"], cpu=current().number(e['cpu_percent'], 0))))
        for e in by_mem:
            if e["rss_mb"] * 1024**2 >= total_mem * 0.25:
                findings.append(warn(t.tr("{name} (pid {pid}) uses {size} of memory",
                                          name=e["name"], pid=e["pid"],
                                          size=t.size(human_size(e["rss_mb"] * 1024**2)))))
        top = by_cpu[0] if by_cpu else None
        summary = t.ntr("{n} process", "{n} processes", n=len(procs))
        if top and top["cpu_percent"] >= 1:
            summary += t.tr("; busiest: {name}, {cpu}% CPU", name=top["name"],
                            cpu=current().number(top['cpu_percent'], 0))
        if by_mem:
            summary += t.tr("; largest: {name}, {size}", name=by_mem[0]["name"],
                            size=t.size(human_size(by_mem[0]["rss_mb"] * 1024**2)))
        return CollectorOutput(data, summary, findings)
