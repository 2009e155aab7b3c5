"""Work on daemon threads that we wait for only so long: the one way Flare bounds a wait.

A daemon thread that overruns is abandoned, not joined, so a hung X server, DNS lookup or
helpdesk can delay its caller by at most the limit, and never keeps Flare from exiting.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")

# One thread at a time loads the report models and the delivery layer: pydantic's modules
# import each other, and two threads importing them at once (the window on the GUI thread,
# the first delivery round on its worker) can meet one half-initialised, which failed the
# window with "cannot import name … from partially initialized module".
HEAVY_IMPORTS = threading.RLock()


class Pending(Generic[T]):
    """A task running on its own daemon thread; :meth:`result` waits for it, but not forever."""

    def __init__(self, task: Callable[[], T], *, name: str) -> None:
        self._task = task
        self._value: T | None = None
        self._done = threading.Event()
        threading.Thread(target=self._run, name=name, daemon=True).start()

    def _run(self) -> None:
        try:
            with contextlib.suppress(Exception):  # documented: a failed task reads as None
                self._value = self._task()
        finally:
            self._done.set()

    def result(self, timeout_s: float) -> T | None:
        """The task's value; None if it failed or is not done within ``timeout_s``."""
        return self._value if self._done.wait(max(0.0, timeout_s)) else None


def start_daemon(task: Callable[[], T], *, name: str = "flare-bounded") -> Pending[T]:
    """Start ``task`` now and collect it later, e.g. while other work goes on."""
    return Pending(task, name=name)


def run_bounded(
    tasks: Sequence[Callable[[], T]], limits_s: Sequence[float], *, name: str = "flare-bounded"
) -> list[T | None]:
    """Start every task at once; a task not done within its limit (counted from the start)
    gives None and is abandoned. An exception gives None too, so tasks should catch their own
    errors when the caller needs to tell "failed" from "late"."""
    t0 = time.monotonic()
    pending = [start_daemon(task, name=f"{name}-{i}") for i, task in enumerate(tasks)]
    pairs = zip(pending, limits_s, strict=True)
    return [p.result(t0 + limit - time.monotonic()) for p, limit in pairs]


def call_bounded(task: Callable[[], T], limit_s: float, *, name: str = "flare-bounded") -> T | None:
    """``task()`` on a daemon thread; None if it fails or is not done within ``limit_s``."""
    return start_daemon(task, name=name).result(limit_s)
