"""Benchmark: the local diagnostics run with 300+ processes, and network checks under budget.

    python bench/diagnostics.py [--runs 15] [--children 300]

Goals (issue 5): local collectors median <= 300 ms with 300+ running processes; with network
checks the total stays within the budget however many hosts are down.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil

from diagnostics import registry
from diagnostics.collector import CollectContext
from diagnostics.runner import collect_all
from tests.netutil import closed_port, silent_server


@contextlib.contextmanager
def idle_children(n: int) -> Iterator[None]:
    procs = [subprocess.Popen(["sleep", "600"], stdin=subprocess.DEVNULL) for _ in range(n)]
    try:
        yield
    finally:
        for p in procs:
            with contextlib.suppress(ProcessLookupError):
                os.kill(p.pid, signal.SIGTERM)
        for p in procs:
            p.wait()






def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--children", type=int, default=300)
    args = ap.parse_args()

    loaded = registry.load()
    ctx = CollectContext(budget_s=5.0)
    local = [c for c in registry.select(loaded.collectors, ctx.platform)
             if c.name not in ("connectivity", "custom")]
    with idle_children(args.children):
        nproc = len(psutil.pids())
        totals: list[float] = []
        per: dict[str, list[float]] = {}
        collect_all(local, ctx)  # warm-up: imports, caches
        for _ in range(args.runs):
            t = time.perf_counter()
            d = collect_all(local, ctx)
            totals.append((time.perf_counter() - t) * 1000)
            for s in d.sections:
                per.setdefault(s.name, []).append(s.duration_ms)
        print(f"local collectors ({len(local)}), {nproc} processes running, {args.runs} runs:")
        print(f"  total  median {statistics.median(totals):.0f} ms   p90 {pct(totals, 0.9):.0f} ms"
              f"   (goal: median <= 300 ms)")
        print("  slowest collectors (median ms):")
        ranked = sorted(per.items(), key=lambda kv: -statistics.median(kv[1]))
        for name, ms in ranked[:6]:
            print(f"    {name:<14} {statistics.median(ms):7.1f}")

    with silent_server() as quiet:
        checks = []
        for i in range(10):
            checks.append({"type": "tcp", "name": f"closed{i}", "host": "127.0.0.1",
                           "port": closed_port(), "timeout_s": 2})
            checks.append({"type": "http", "name": f"silent{i}",
                           "url": f"http://127.0.0.1:{quiet}/", "timeout_s": 30})
        for budget in (2.0, 5.0):
            nctx = CollectContext(budget_s=budget, checks=checks)
            coll = registry.select(loaded.collectors, nctx.platform)
            t = time.perf_counter()
            d = collect_all(coll, nctx)
            total = time.perf_counter() - t
            conn = next(s for s in d.sections if s.name == "connectivity")
            failed = sum(1 for c in conn.data.get("checks", []) if not c["ok"])
            print(f"with 20 failing checks (10 closed ports, 10 silent servers), budget "
                  f"{budget:g} s: total {total:.2f} s, connectivity {conn.status}, "
                  f"{failed}/20 reported failed — {'within' if total <= budget + 0.1 else 'OVER'}"
                  " budget")


if __name__ == "__main__":
    main()
