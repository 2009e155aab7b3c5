"""Work on daemon threads that we wait for only so long: the one way Flare bounds a wait.

A daemon thread that overruns is abandoned, not joined, so a hung X server, DNS lookup or
helpdesk can delay its caller by at most the limit, and never keeps Flare from exiting.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def run_bounded(
    tasks: Sequence[Callable[[], T]], limits_s: Sequence[float], *, name: str = "flare-bounded"
) -> list[T | None]:
    """Start every task at once; a task not done within its limit (counted from the start)
    gives None and is abandoned. An exception gives None too, so tasks should catch their own
    errors when the caller needs to tell "failed" from "late"."""
    results: list[T | None] = [None] * len(tasks)
    done = [threading.Event() for _ in tasks]

    def work(i: int) -> None:
        try:
            with contextlib.suppress(Exception):  # documented: a failed task reads as None
                results[i] = tasks[i]()
        finally:
            done[i].set()

    t0 = time.monotonic()
    for i in range(len(tasks)):
        threading.Thread(target=work, args=(i,), name=f"{name}-{i}", daemon=True).start()
    for i, limit in enumerate(limits_s):
        done[i].wait(max(0.0, t0 + limit - time.monotonic()))
    return [results[i] if done[i].is_set() else None for i in range(len(tasks))]


def call_bounded(task: Callable[[], T], limit_s: float, *, name: str = "flare-bounded") -> T | None:
    """``task()`` on a daemon thread; None if it fails or is not done within ``limit_s``."""
    return run_bounded([task], [limit_s], name=name)[0]
