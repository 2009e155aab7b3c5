"""The desktop the start-up benches run Flare in: a private Xvfb and a fresh home.

Shared by bench/startup.py (the CLI against bare scripts) and bench/tray.py (the tray against
a bare PySide6 tray), so both measure Flare the same way: an empty home with its own XDG
folders, the source tree first on the path, the X11 platform plugin, and bytecode compiled
once into a cache outside the source tree, as an installed Flare runs.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from tests.integration.xserver import XServer, start_xvfb

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def bench_desktop(screens: Sequence[tuple[int, int]]) -> Iterator[tuple[XServer, Path,
                                                                         dict[str, str]]]:
    """(the X server, a temporary folder, the environment to run Flare and its peer in)."""
    with tempfile.TemporaryDirectory() as tmp_name, start_xvfb(list(screens)) as xs:
        tmp = Path(tmp_name)
        home = tmp / "home"
        env = xs.env(
            HOME=str(home),
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_DATA_HOME=str(home / ".local/share"),
            XDG_STATE_HOME=str(home / ".local/state"),
            XDG_CACHE_HOME=str(home / ".cache"),
            XDG_DOCUMENTS_DIR=str(home / "Documents"),
            PYTHONPATH=str(ROOT),
            QT_QPA_PLATFORM="xcb",
            # Installed Flare runs from compiled bytecode; keep it out of the source tree.
            PYTHONPYCACHEPREFIX=str(tmp / "pycache"),
        )
        for name in ("PYTHONDONTWRITEBYTECODE", "WAYLAND_DISPLAY"):
            env.pop(name, None)
        yield xs, tmp, env
