"""A test that needs a tool this machine lacks: skip on a developer machine, fail in CI.

CI (CI=true) installs everything the suite needs, so there a missing tool is a broken CI
script, never a reason to pass quietly.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def missing(message: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI must install it: see .ci/run)")
    pytest.skip(message)
