"""Draft recovery: start a report, kill the process hard, start again: the draft is back."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _child(mode: str, root: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.draft_child", mode, str(root)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_draft_survives_sigkill(tmp_path: Path) -> None:
    first = _child("type", tmp_path)
    try:
        assert first.stdout is not None
        line = first.stdout.readline().strip()
        assert line == "typed", first.stderr.read() if first.stderr else ""
    finally:
        if first.poll() is None:
            os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
        for stream in (first.stdout, first.stderr):
            if stream is not None:
                stream.close()
    assert first.returncode == -signal.SIGKILL

    second = _child("show", tmp_path)
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    state = json.loads(out.strip().splitlines()[-1])
    assert state == {
        "resumed": True,
        "page": "questions",
        "category": "cant_sign_in",
        "what_happened": "VPN says certificate expired",
    }
