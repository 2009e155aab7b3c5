"""Where Flare keeps its files on this machine."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from app.records import Record

APP_NAME = "Flare"
APP_AUTHOR = "Flare"


# A record, not a dataclass: every command makes one, and dataclasses (with inspect) cost
# `flare outbox list` more than reading the outbox does.
class Dirs(Record):
    config: Path
    data: Path
    reports: Path
    logs: Path
    state: Path
    cache: Path

    @classmethod
    def for_user(cls) -> Dirs:
        pd = platformdirs.PlatformDirs(APP_NAME, APP_AUTHOR)
        docs = Path(platformdirs.user_documents_dir())
        return cls(
            config=Path(pd.user_config_dir),
            data=Path(pd.user_data_dir),
            reports=docs / "Flare reports",
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
