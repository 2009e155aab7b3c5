"""Delivery benchmark: a report with 10 1080p steps to the local Request Tracker.

Prints the median submit time and the peak Python memory during submit for two sizes of the
same report: typical screenshots (~0.1 MB each) and incompressible ones (~6 MB each, 60 MB
in all). Uploads stream from disk, so the peak must stay flat while the payload grows 50x.

"sent MB" is what RT receives (the files after the connector's preparation); "x shots" is
that over the screenshots' bytes, and "x inlined" what it was while report.html carried
every screenshot again as base64 (issue 15: each screenshot now reaches the helpdesk once).

Needs the test helpdesks (`sudo .ci/helpdesks/install.sh`); starts RT on a free loopback
port and stops it at the end. Run: python bench/delivery.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.helpdesk.delivery_bundle import open_delivery_bundle
from app.helpdesk.registry import DestinationConfig, builtin_spec, spec_connector
from app.helpdesk.secrets import SecretResolver


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    try:
        from tests.integration import helpdesk_servers as hs

        server = hs._rt()
    except BaseException as exc:  # pytest's skip/fail are BaseException
        print(f"cannot start Request Tracker: {exc}")
        return 4
    try:
        env = server.extra
        config = DestinationConfig(type="rt", url=server.url, username=env["RT_ROOT_USER"],
                                   token="env:PW", queue="General", max_attachment_mb=64)
        resolver = SecretResolver(environ={"PW": env["RT_ROOT_PASSWORD"]})
        print("10 steps of 1920x1080 PNG to Request Tracker 5 on 127.0.0.1 "
              f"(median of {args.runs} runs)")
        print(f"{'case':<28}{'shots MB':>9}{'sent MB':>9}{'x shots':>9}{'x inlined':>10}"
              f"{'submit s':>10}{'peak MB':>9}")
        for label, random_images in (("typical screenshots", False),
                                     ("incompressible images", True)):
            times, peaks, size, shots, inlined = [], [], 0, 0, 0
            for _ in range(args.runs):
                with tempfile.TemporaryDirectory() as tmp:
                    path = hs.make_bundle(Path(tmp), steps=10, step_size=(1920, 1080),
                                          random_images=random_images)
                    bundle = open_delivery_bundle(path)
                    conn = spec_connector(builtin_spec("rt"), config, resolver)
                    shots = sum(f.size for f in bundle.files if f.kind == "step")
                    inlined = sum(f.size for f in bundle.files)  # the self-contained page
                    size = sum(f.size for f in conn.prepare(bundle).files)
                    tracemalloc.start()
                    t0 = time.perf_counter()
                    conn.submit(bundle)
                    times.append(time.perf_counter() - t0)
                    peaks.append(tracemalloc.get_traced_memory()[1])
                    tracemalloc.stop()
            print(f"{label:<28}{shots / 2**20:>9.1f}{size / 2**20:>9.1f}"
                  f"{size / shots:>9.2f}{inlined / shots:>10.2f}"
                  f"{statistics.median(times):>10.2f}{statistics.median(peaks) / 2**20:>9.2f}")
    finally:
        hs._stop_all()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
