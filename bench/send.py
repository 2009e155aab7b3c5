"""Send of a 10-step report, click to "queued": wall time and bytes written, before and after.

    python bench/send.py [--runs 7] [--before REF]

The report window's Send runs ``flow.begin_submit(reviewed)`` and then the job in a worker; this
times exactly that job, with the reviewed bundle built beforehand as the review page builds it.
Two destinations: the folder (the default; the report ends "saved" in the reports folder) and
a helpdesk that is down (a spec connector on a closed 127.0.0.1 port; the report ends "queued").

Bytes written are what the process handed to write() (``wchar`` of /proc/self/io) during the
job, SQLite included, and the sum of the screenshots' sizes for comparison: each image written
once means the first is not much above the second.

``--before REF`` (default ``main``) runs the same measurement on that commit's code too, from a
``git archive`` of it in a temporary folder, in the same run: the figures are comparable.
The machine is shared: run when quiet and compare figures from the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STEPS = 10


def _wchar() -> int:
    with open("/proc/self/io", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("wchar:"):
                return int(line.split()[1])
    return 0


def _screenshot(n: int) -> bytes:
    """A 1920x1080 lossless WebP with desktop-like content (flat areas, text-like noise)."""
    import io

    from PIL import Image, ImageDraw

    rng = random.Random(n)
    img = Image.new("RGB", (1920, 1080), (236, 236, 236))
    draw = ImageDraw.Draw(img)
    for _ in range(60):
        x, y = rng.randrange(1800), rng.randrange(1000)
        draw.rectangle((x, y, x + rng.randrange(40, 500), y + rng.randrange(20, 300)),
                       fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    for _ in range(3000):
        x, y = rng.randrange(1900), rng.randrange(1070)
        draw.text((x, y), "".join(rng.choice("abcdefghij ") for _ in range(8)), fill=(0, 0, 0))
    buf = io.BytesIO()
    img.save(buf, "WEBP", lossless=True, method=0, quality=80)
    return buf.getvalue()


CLOSED_SPEC = """\
flare_connector: 1
name: closed
title: Closed door helpdesk
params:
  url: {required: true, setting: destination.url}
http:
  base_url: "{{ params.url }}"
operations:
  submit:
    steps:
      - name: create
        method: POST
        url: /tickets
        expect: [201]
        body:
          json:
            subject: "{{ text.subject }}"
        extract:
          ticket_id: id
    result:
      id: "{{ vars.ticket_id }}"
"""


def _child(destination: str, runs: int) -> dict[str, Any]:
    """One tree's figures; runs in a process whose sys.path starts at that tree."""
    from datetime import UTC, datetime

    import app
    from app.context import AppContext
    from app.flow import ReportFlow

    here = Path(app.__file__).resolve().parents[1]
    assert here == Path.cwd().resolve(), f"measuring {here}, not the tree {Path.cwd()}"
    from app.report import Step
    from tests.netutil import closed_port
    from tests.unit.flow_helpers import GOOD_HAPPENED, answer_sign_in

    try:  # after issue 12: the composition root builds the real parts
        from app.wiring import flow_deps
    except ImportError:  # before
        from app.flow import FlowDeps

        flow_deps = FlowDeps.defaults  # type: ignore[attr-defined,assignment]

    images = [_screenshot(n) for n in range(1, STEPS + 1)]
    times: list[float] = []
    written: list[int] = []
    states: set[str] = set()
    for run in range(runs):
        root = Path(tempfile.mkdtemp(prefix="flare-bench-send-"))
        overrides: dict[str, Any] = {}
        if destination == "helpdesk_down":
            spec = root / "closed.yaml"
            spec.write_text(CLOSED_SPEC, "utf-8")
            overrides = {"destination__type": "spec", "destination__spec": spec,
                         "destination__url": f"http://127.0.0.1:{closed_port()}"}
        ctx = AppContext.for_tests(root, **overrides)
        deps = flow_deps(ctx)
        deps.capturer = None
        deps.start_diagnostics = None
        flow = ReportFlow(ctx, deps, language="en")
        flow.start()
        answer_sign_in(flow, GOOD_HAPPENED)
        for n, data in enumerate(images, 1):
            flow.add_evidence(Step(image=f"shot-{n}.webp", media_type="image/webp",
                                   captured_at=datetime.now(UTC), width=1920, height=1080,
                                   caption=f"step {n}"), data)
        flow.go("review")
        flow.set_reviewed(True)
        reviewed = flow.build_bundle()  # the review page's bundle, built before the click
        job = flow.begin_submit(reviewed)
        assert not isinstance(job, str), job
        before = _wchar()
        t0 = time.perf_counter()
        outcome = job()
        elapsed = time.perf_counter() - t0
        after = _wchar()
        assert not isinstance(outcome, str), outcome
        states.add(outcome.state)
        if run:  # the first run warms imports (connectors, the outbox): not a Send's cost
            times.append(elapsed)
            written.append(after - before)
    return {"destination": destination, "median_s": statistics.median(times),
            "median_bytes": int(statistics.median(written)), "states": sorted(states),
            "images_bytes": sum(len(i) for i in images)}


def _run_tree(tree: Path, destination: str, runs: int) -> dict[str, Any]:
    me = str(Path(__file__).resolve())
    code = (f"import sys; sys.path.insert(0, {str(tree)!r}); "
            f"sys.argv = ['send.py', '--child', {destination!r}, '--runs', '{runs}']; "
            f"exec(compile(open({me!r}).read(), {me!r}, 'exec'), "
            f"{{'__name__': '__main__', '__file__': {me!r}}})")
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", code], cwd=tree, env=env, check=False,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the bench failed on {tree}:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _archive(ref: str, into: Path) -> Path:
    tar = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True,
                         capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=tar, check=True)
    return into


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--before", default="main", help="the commit to compare with")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.runs + 1)))
        return 0
    with tempfile.TemporaryDirectory(prefix="flare-bench-before-") as tmp:
        old = _archive(args.before, Path(tmp))
        rows = []
        for dest in ("folder", "helpdesk_down"):
            before = _run_tree(old, dest, args.runs)
            after = _run_tree(ROOT, dest, args.runs)
            rows.append((dest, before, after))
    images = rows[0][1]["images_bytes"]
    print(f"{STEPS} screenshots, {images / 1e6:.1f} MB together; medians of {args.runs} runs")
    print(f"{'destination':<14} {'':>7} {'click→queued':>13} {'written':>10} {'× images':>9}"
          f"  state")
    for dest, before, after in rows:
        for label, r in (("before", before), ("after", after)):
            print(f"{dest:<14} {label:>7} {r['median_s'] * 1000:>10.0f} ms "
                  f"{r['median_bytes'] / 1e6:>7.1f} MB {r['median_bytes'] / images:>8.2f}×"
                  f"  {','.join(r['states'])}")
        print(f"{dest:<14} {'ratio':>7} {before['median_s'] / after['median_s']:>11.2f}× "
              f"faster, {before['median_bytes'] / max(1, after['median_bytes']):.2f}× fewer "
              "bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
