"""Stands in for pyinstaller-hooks-contrib's hook of the same name.

That hook runs collect_submodules("pynput"), which imports pynput.keyboard and pynput.mouse;
both connect to the X server on import, so on a build machine without a display it fails with a
warning and leaves pynput's backends out. flare.spec lists pynput's modules from its folder
instead (modules_on_disk), without importing them.
"""

hiddenimports: list[str] = []
