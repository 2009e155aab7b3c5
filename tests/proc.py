"""Ending the processes a test or benchmark started: by PID, politely first."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess


def stop_process(proc: subprocess.Popen[bytes], timeout_s: float = 10.0) -> None:
    """SIGTERM, then SIGKILL after ``timeout_s``. A process started with
    ``start_new_session=True`` leads its own group, which is ours to end with it."""
    if proc.poll() is not None:
        return
    own_group = os.getpgid(proc.pid) == proc.pid if hasattr(os, "getpgid") else False
    kill = os.killpg if own_group else os.kill
    with contextlib.suppress(ProcessLookupError):
        kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout_s)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout_s)
