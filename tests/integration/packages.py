"""The packages .ci/package.sh builds into dist/, for the package tests.

CI builds them before pytest; on a developer's machine the first test that needs one builds
them (a PyInstaller build: about two minutes).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"


def unavailable(reason: str) -> None:
    """Skip on a developer's machine that lacks a tool; a failure under CI=true."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must run the package tests)")
    pytest.skip(reason)


def built(pattern: str) -> Path:
    """The newest dist/ file matching ``pattern``, building the packages when there is none."""
    if shutil.which("dpkg") is None:
        unavailable("dpkg is not available: the package tests need a Debian-based system")
    found = sorted(DIST.glob(pattern))
    if not found:
        result = subprocess.run(
            ["bash", str(ROOT / ".ci" / "package.sh")],
            capture_output=True,
            text=True,
            timeout=1200,
            check=False,
        )
        assert result.returncode == 0, f"package.sh failed:\n{result.stderr[-3000:]}"
        found = sorted(DIST.glob(pattern))
    assert found, f"package.sh built no {pattern} in {DIST}"
    return found[-1]
