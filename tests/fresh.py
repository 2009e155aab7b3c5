"""Python run in a fresh interpreter: what a command or a window loads can only be seen where
nothing of the test process is imported already."""

from __future__ import annotations

import os
import subprocess
import sys


def run_fresh(code: str, *, timeout_s: float = 120, qt_offscreen: bool = False) -> str:
    """The standard output of ``code`` run by this Python; fails the test, with the snippet's
    standard error, when it does not exit 0."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"} if qt_offscreen else None
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=timeout_s, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    return done.stdout
