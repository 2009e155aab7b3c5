"""Run small tasks in daemon threads and stop waiting for each at its own deadline."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def run_bounded(tasks: Sequence[Callable[[], T]], limits_s: Sequence[float]) -> list[T | None]:
    """Start every task at once; a task not done within its limit gives None (and is
    abandoned). Exceptions propagate as None too, so tasks should catch their own errors."""
    results: list[T | None] = [None] * len(tasks)
    done = [threading.Event() for _ in tasks]

    def work(i: int) -> None:
        try:
            results[i] = tasks[i]()
        finally:
            done[i].set()

    t0 = time.monotonic()
    for i in range(len(tasks)):
        threading.Thread(target=work, args=(i,), daemon=True).start()
    for i, limit in enumerate(limits_s):
        done[i].wait(max(0.0, t0 + limit - time.monotonic()))
    return [results[i] if done[i].is_set() else None for i in range(len(tasks))]
