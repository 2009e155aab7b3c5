"""The application context: everything a piece of Flare needs from its surroundings.

No globals: the CLI, the tray app and the tests each build an :class:`AppContext` and pass it
down. Tests use :meth:`AppContext.for_tests` so nothing touches the real user folders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.dirs import Dirs

if TYPE_CHECKING:
    from app.settings import Settings


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class AppContext:
    dirs: Dirs
    settings: Settings
    clock: Callable[[], datetime] = field(default=_utc_now)
    debug: bool = False

    @classmethod
    def from_environment(cls, *, debug: bool = False) -> AppContext:
        """The real thing: the user's folders and the effective settings of this machine."""
        from app.settings import load_settings

        dirs = Dirs.for_user()
        return cls(dirs=dirs, settings=load_settings(dirs.user_settings_file), debug=debug)

    @classmethod
    def for_tests(cls, root: Path, **setting_overrides: Any) -> AppContext:
        """An isolated context below ``root``; keyword names use '__' for '.' in keys."""
        from app.settings import Settings

        dirs = Dirs.under(root)
        settings = Settings.defaults()
        if setting_overrides:
            settings = settings.with_overrides(
                {k.replace("__", "."): v for k, v in setting_overrides.items()}
            )
        return cls(dirs=dirs, settings=settings)

    def reports_dir(self) -> Path:
        """The folder the embedded default destination writes bundles to."""
        configured = self.settings.get("reports.folder")
        return Path(configured).expanduser() if configured else self.dirs.reports
