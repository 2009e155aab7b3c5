"""Where Flare keeps its files on this machine."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "Flare"
APP_AUTHOR = "Flare"

# The XDG base folders (variable, default below the home folder) as platformdirs reads them.
_XDG = {
    "config": ("XDG_CONFIG_HOME", ".config"),
    "data": ("XDG_DATA_HOME", ".local/share"),
    "state": ("XDG_STATE_HOME", ".local/state"),
    "cache": ("XDG_CACHE_HOME", ".cache"),
}


# A plain class, not a dataclass: every command makes one, and dataclasses (with inspect) cost
# `flare outbox list` more than reading the outbox does.
class Dirs:
    """Flare's folders. ``reports`` (below the user's Documents) is looked up when first used:
    a command such as `flare outbox list` needs only ``state``."""

    __slots__ = ("_reports", "cache", "config", "data", "logs", "state")

    def __init__(self, config: Path, data: Path, reports: Path | None, logs: Path, state: Path,
                 cache: Path) -> None:
        self.config = config
        self.data = data
        self._reports = reports
        self.logs = logs
        self.state = state
        self.cache = cache

    @property
    def reports(self) -> Path:
        if self._reports is None:
            import platformdirs

            self._reports = Path(platformdirs.user_documents_dir()) / "Flare reports"
        return self._reports

    @classmethod
    def for_user(cls) -> Dirs:
        xdg = _xdg_folders()
        if xdg is not None:
            return cls(config=xdg["config"], data=xdg["data"], reports=None,
                       logs=xdg["state"] / "log", state=xdg["state"], cache=xdg["cache"])
        import platformdirs

        pd = platformdirs.PlatformDirs(APP_NAME, APP_AUTHOR)
        return cls(
            config=Path(pd.user_config_dir),
            data=Path(pd.user_data_dir),
            reports=None,
            logs=Path(pd.user_log_dir),
            state=Path(pd.user_state_dir),
            cache=Path(pd.user_cache_dir),
        )

    @classmethod
    def under(cls, root: Path) -> Dirs:
        """All folders below one root: for tests and portable installs."""
        return cls(
            config=root / "config",
            data=root / "data",
            reports=root / "reports",
            logs=root / "logs",
            state=root / "state",
            cache=root / "cache",
        )

    @property
    def user_settings_file(self) -> Path:
        return self.config / "settings.json"

    def __repr__(self) -> str:
        return f"Dirs(config={self.config!r}, state={self.state!r}, data={self.data!r})"


def _xdg_folders() -> dict[str, Path] | None:
    """The XDG base folders of Flare on Linux and the BSDs, as platformdirs gives them (a unit
    test compares the two), without importing it: platformdirs brings tempfile and shutil,
    10 ms of `flare outbox list`'s start. None where platformdirs must decide (another OS, or
    a home folder that is not an absolute path)."""
    if sys.platform in ("win32", "darwin") or os.environ.get("ANDROID_DATA"):
        return None
    home = os.environ.get("HOME", "")
    if not os.path.isabs(home):
        return None
    found: dict[str, Path] = {}
    for name, (variable, default) in _XDG.items():
        base = os.environ.get(variable, "")
        found[name] = Path(base if os.path.isabs(base) else os.path.join(home, default), APP_NAME)
    return found
