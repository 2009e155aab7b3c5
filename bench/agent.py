"""The headless agent (`flare agent`): its cost when idle, and draining a queue to the local RT.

1. Idle: the agent with an empty outbox, sampled for ``--idle-s`` seconds: resident memory
   (VmRSS) and CPU time, beside a bare Python interpreter that only sleeps (the floor).
   Goals: RSS <= 40 MB, no measurable CPU.
2. Drain: ``--reports`` reports queued while nobody delivers, then `flare agent --until-empty`
   sends them to the local Request Tracker: wall time, per report, and the agent's peak RSS
   (VmHWM); beside it, in the same run, the floor RT itself sets: a bare `requests` loop that
   creates the same tickets with the same files, one multipart POST each, as the built-in RT
   connector does (no outbox, no retry search, no status poll).

Needs the test helpdesks (`sudo .ci/helpdesks/install.sh`) for part 2; starts RT on a free
loopback port and stops it at the end. Run: python bench/agent.py [--idle-s 60] [--reports 50]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROOT = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _cpu_s(pid: int) -> float:
    parts = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / TICKS  # utime + stime


def _env(home: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_STATE_HOME": str(home / "state"), "XDG_DATA_HOME": str(home / "data"),
            "XDG_CACHE_HOME": str(home / "cache"), "PYTHONPATH": str(ROOT), **extra}


def _sample(proc: subprocess.Popen[bytes], seconds: float) -> tuple[float, float]:
    time.sleep(3)  # past start-up
    cpu0, t0 = _cpu_s(proc.pid), time.monotonic()
    time.sleep(seconds)
    cpu = _cpu_s(proc.pid) - cpu0
    rss = _status_kb(proc.pid, "VmRSS") / 1024
    return rss, 100.0 * cpu / (time.monotonic() - t0)


def idle(seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        agent = subprocess.Popen([sys.executable, "-m", "app.cli", "agent"], env=_env(home),
                                 cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        bare = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"],
                                stdout=subprocess.DEVNULL)
        try:
            time.sleep(0.5)
            a_rss, a_cpu = _sample(agent, seconds)
            b_rss = _status_kb(bare.pid, "VmRSS") / 1024
        finally:
            for p in (agent, bare):
                p.terminate()
                p.wait(10)
    print(f"idle over {seconds:g} s: agent RSS {a_rss:.1f} MB, CPU {a_cpu:.3f} %; "
          f"bare python RSS {b_rss:.1f} MB ({a_rss / b_rss:.1f}x); goal <= 40 MB, ~0 % CPU")


def drain(reports: int) -> int:
    from app.helpdesk.outbox import Outbox
    from tests.integration import helpdesk_servers as hs

    try:
        server = hs._rt()
    except BaseException as exc:  # pytest's skip/fail are BaseException
        print(f"drain: cannot start Request Tracker: {exc}")
        return 4
    try:
        env = server.extra
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp)
            (home / "config" / "Flare").mkdir(parents=True)
            email = f"bench-{os.getpid()}@example.org"
            (home / "config" / "Flare" / "settings.json").write_text(json.dumps({
                "destination.type": "rt", "destination.url": server.url,
                "destination.username": env["RT_ROOT_USER"],
                "destination.token": "env:FLARE_BENCH_RT", "destination.queue": "General",
                "reporter.email": email}), "utf-8")
            with Outbox(home / "state" / "Flare", lambda: datetime.now(UTC)) as box:
                for n in range(reports):
                    bundle = hs.make_bundle(home / "bundles" / str(n), email=email,
                                            title=f"bench report {n}")
                    box.enqueue(bundle, "rt", report_id=f"bench-{n}", title=f"bench {n}")
            started = time.monotonic()
            agent = subprocess.Popen(
                [sys.executable, "-m", "app.cli", "agent", "--until-empty"],
                env=_env(home, FLARE_BENCH_RT=env["RT_ROOT_PASSWORD"]), cwd=ROOT,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            peak = 0
            while agent.poll() is None:
                peak = max(peak, _status_kb(agent.pid, "VmHWM"))
                time.sleep(0.2)
            wall = time.monotonic() - started
            with Outbox(home / "state" / "Flare", lambda: datetime.now(UTC)) as box:
                sent = len(box.items(("sent",)))
            floor = _bare_creates(server.url, env["RT_ROOT_USER"], env["RT_ROOT_PASSWORD"],
                                  sorted((home / "bundles").iterdir()), email)
        print(f"drain: {sent}/{reports} reports sent to the local RT in {wall:.1f} s "
              f"({1000 * wall / max(1, reports):.0f} ms a report), agent peak RSS "
              f"{peak / 1024:.1f} MB; bare requests loop creating the same tickets "
              f"{floor:.1f} s ({wall / floor:.2f}x)")
        return 0 if sent == reports else 1
    finally:
        server.stop()


def _bare_creates(url: str, user: str, password: str, bundles: list[Path], email: str) -> float:
    """Seconds for one multipart ticket create per bundle, with every file of the bundle."""
    import requests

    started = time.monotonic()
    with requests.Session() as http:
        http.auth = (user, password)
        for n, bundle in enumerate(bundles):
            files: list[tuple[str, tuple[str | None, bytes, str]]] = [("JSON", (None, json.dumps({
                "Queue": "General", "Subject": f"bare bench {n}", "Requestor": email,
                "Content": "bare", "ContentType": "text/plain"}).encode(), "application/json"))]
            for path in sorted(bundle.rglob("*")):
                if path.is_file() and path.name != "report.json":
                    files.append(("Attachments", (path.name, path.read_bytes(),
                                                  "application/octet-stream")))
            answer = http.post(f"{url}/REST/2.0/ticket", files=files, timeout=60)
            answer.raise_for_status()
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--idle-s", type=float, default=60.0)
    parser.add_argument("--reports", type=int, default=50)
    args = parser.parse_args()
    idle(args.idle_s)
    return drain(args.reports) if args.reports else 0


if __name__ == "__main__":
    raise SystemExit(main())
