"""Prints the redaction figures for the note: per split and category, and the speed.

    python -m tests.security.redaction_figures

Survival is the share of secrets (or personal data, with every policy kind on) still present
after redaction; false positives the share of innocent strings changed at all. Speed is for
a 10 MB log of ordinary lines with corpus items mixed in, with the default policy (no personal
data kinds) and with every kind on.
"""

from __future__ import annotations

import random
import time

from diagnostics.redact import PII_KINDS, Redactor
from tests.security.redaction_eval import KNOWN_HOSTS, evaluate, load, rate


def log_of(size: int, seed: int = 1) -> str:
    items = load()
    rng = random.Random(seed)
    innocent = [str(i["text"]) for i in items if i["kind"] == "innocent"]
    planted = [str(i["text"]) for i in items if i["kind"] != "innocent"]
    ordinary = [
        f"May 01 10:00:{n % 60:02d} ws042 systemd[1]: Started Session {n} of User bob."
        for n in range(50)
    ] + [
        "May 01 10:00:01 ws042 kernel: [ 12.3456] usb 1-1: new high-speed USB device number 2",
        "May 01 10:00:02 ws042 NetworkManager[812]: <info>  [1714550402.1234] device (wlp2s0): "
        "state change: ip-config -> ip-check (reason 'none', sys-iface-state: 'managed')",
        "2024-05-01 10:00:03,123 INFO  [main] org.example.App - request "
        "3f2a0c1e-8b7d-4c1a-9e2f-1a2b3c4d5e6f took 123 ms",
    ]
    out: list[str] = []
    n = 0
    while n < size:
        r = rng.random()
        line = rng.choice(planted if r < 0.01 else innocent if r < 0.2 else ordinary)
        out.append(line)
        n += len(line) + 1
    return "\n".join(out)


def main() -> None:
    tallies = evaluate(load())
    for split in ("tune", "holdout"):
        print(f"{split}: secrets surviving {rate(tallies, 'secret', split):.1%}, personal data "
              f"surviving {rate(tallies, 'pii', split):.1%}, false positives "
              f"{rate(tallies, 'innocent', split):.1%}")
        for (s, kind, category), t in sorted(tallies.items()):
            if s == split:
                print(f"  {kind:9} {category:16} {t.bad:3}/{t.total:<3}")
    text = log_of(10 * 1024 * 1024)
    mb = len(text.encode()) / 1e6
    for label, kinds in (("default policy", ()), ("all personal-data kinds", PII_KINDS)):
        t = time.perf_counter()
        Redactor(kinds, known_hosts=KNOWN_HOSTS).text(text)
        dt = time.perf_counter() - t
        print(f"speed, {label}: {mb:.1f} MB in {dt:.1f} s = {mb / dt:.1f} MB/s")


if __name__ == "__main__":
    main()
