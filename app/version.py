"""Flare's version: the one place it is written.

pyproject.toml reads it from here (``[tool.setuptools.dynamic]``), so the installed metadata
and this constant cannot disagree; reading a constant costs nothing, whereas asking
``importlib.metadata`` scans the installed distributions (about 20 ms on every start).
"""

from __future__ import annotations

__version__ = "0.1.0"


def flare_version() -> str:
    return __version__
