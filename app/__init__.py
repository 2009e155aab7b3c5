"""Flare's application: everything above capture/ and diagnostics/.

Pydantic plugins are off in every Flare process. A plugin is any installed package that names
itself in the ``pydantic`` entry-point group, and pydantic hands it every value a model
validates: Flare's models hold what people report, which must reach no one they have not seen.
Pydantic's own switch (``PYDANTIC_DISABLE_PLUGINS``) is set, and its plugin loader is replaced
by one that loads nothing, as pydantic's own does when the switch is set: the real loader
imports importlib.metadata (with email, socket, calendar and zipfile) to look, about 20 ms of
the report window's first opening. tests/unit/test_no_pydantic_plugins.py checks both.
"""

import os as _os
import sys as _sys
from types import ModuleType as _ModuleType

_os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
if "pydantic.plugin._loader" not in _sys.modules:
    _no_plugins = _ModuleType("pydantic.plugin._loader", "No pydantic plugins in Flare: see app.")
    _no_plugins.get_plugins = tuple  # type: ignore[attr-defined]  # get_plugins() -> ()
    _sys.modules["pydantic.plugin._loader"] = _no_plugins
