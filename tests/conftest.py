"""Fixtures every test folder shares. Helpers that are not fixtures live in helper modules
(tests/factories.py, tests/clocks.py, tests/netutil.py, …): test modules never import each
other."""

from __future__ import annotations

import pytest

from tests.clocks import Clock


@pytest.fixture()
def clock() -> Clock:
    """Now is 2026-11-25 10:00 UTC until the test moves it (``clock.advance(seconds)``)."""
    return Clock()
