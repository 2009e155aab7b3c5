"""Imported before any other Qt module of Flare's: PySide6 without its per-import source scan.

PySide6 looks at every module imported after it, to learn whether that module might use
``from __feature__ import snake_case`` (``PySide6.support.feature``): it reads the module's
whole source with ``inspect.getsource``, and ``linecache`` keeps the text for good. For the
tray that is about a hundred modules (app, capture, Xlib, sqlite3...) read at start-up and
4 MB of its idle memory (issue 12: idle RSS <= 60 MB), which clearing the cache afterwards
does not give back. Flare never selects a PySide feature, so every module it imports is
marked as one that ignores features, which is what the scan concludes for any module without
the word "PySide6" in it; a module that selects a feature still gets it (the selection is
made by that import itself, not by the scan).
"""

from __future__ import annotations

import PySide6


def _skip_feature_scan() -> None:
    import importlib

    try:
        # Made by PySide6's signature loader at import; the type stubs do not list it.
        feature = importlib.import_module("PySide6.support.feature")
    except ImportError:  # a PySide6 without feature support: nothing is scanned
        return
    if callable(getattr(feature, "_mod_uses_pyside", None)):
        setattr(feature, "_mod_uses_pyside", _never)  # noqa: B010 (not in the stubs)


def _never(module: object) -> bool:
    return False


_skip_feature_scan()

__all__ = ["PySide6"]
