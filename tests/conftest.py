"""Fixtures every test folder shares. Helpers that are not fixtures live in helper modules
(tests/factories.py, tests/clocks.py, tests/netutil.py, …): test modules never import each
other."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.clocks import Clock

if TYPE_CHECKING:
    from tests.integration.helpdesk_servers import Server


@pytest.fixture()
def clock() -> Clock:
    """Now is 2026-11-25 10:00 UTC until the test moves it (``clock.advance(seconds)``)."""
    return Clock()


@pytest.fixture(scope="session")
def rt_server() -> Iterator[Server]:
    """Request Tracker 5 on 127.0.0.1, once for the whole run (a test without it skips or,
    under CI, fails with what is missing)."""
    from tests.integration.helpdesk_servers import running

    with running("rt") as server:
        yield server


@pytest.fixture(scope="session")
def redmine_server() -> Iterator[Server]:
    """Redmine on 127.0.0.1, once for the whole run."""
    from tests.integration.helpdesk_servers import running

    with running("redmine") as server:
        yield server
