"""The application context: everything a piece of Flare needs from its surroundings.

No globals: the CLI, the tray app and the tests each build an :class:`AppContext` and pass it
down. Tests use :meth:`AppContext.for_tests` so nothing touches the real user folders.

The settings of the real thing are read at their first use, not when the context is made: a
command such as `flare outbox list` uses none, and loading them (every policy source, the
declaration and its checks) would be most of its start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from app.dirs import Dirs

# Not typing.TYPE_CHECKING: `flare outbox list` and the tray would import typing for it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from app.settings import Settings


def _utc_now() -> datetime:
    return datetime.now(UTC)


class AppContext:
    """The folders, the settings (given, or read from this machine at first use), the clock."""

    __slots__ = ("_load_settings", "_settings", "clock", "debug", "dirs")

    def __init__(
        self,
        dirs: Dirs,
        settings: Settings | None = None,
        clock: Callable[[], datetime] = _utc_now,
        debug: bool = False,
        *,
        load_settings: Callable[[], Settings] | None = None,
    ) -> None:
        if settings is None and load_settings is None:
            raise TypeError("AppContext needs settings or a way to load them")
        self.dirs = dirs
        self._settings = settings
        self._load_settings = load_settings
        self.clock = clock
        self.debug = debug

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            assert self._load_settings is not None  # checked in __init__
            self._settings = self._load_settings()
        return self._settings

    @settings.setter
    def settings(self, value: Settings) -> None:
        self._settings = value

    def read_settings_first_through(self, first: Callable[[], object]) -> None:
        """Run ``first`` just before the settings load, where it may read them itself: the
        language choice of app.cli translates while they load, so a first read of another
        setting (the tray's) loaded them twice, once inside the other."""
        load = self._load_settings
        if self._settings is not None or load is None:
            return

        def first_then_load() -> Settings:
            self._load_settings = load
            first()
            return self._settings if self._settings is not None else load()

        self._load_settings = first_then_load

    @property
    def settings_loaded(self) -> bool:
        """Whether the settings have been read (tests of start-up cost ask this)."""
        return self._settings is not None

    @classmethod
    def from_environment(cls, *, debug: bool = False) -> AppContext:
        """The real thing: the user's folders and the effective settings of this machine."""
        dirs = Dirs.for_user()

        def load() -> Settings:
            from app.settings import load_settings

            return load_settings(dirs.user_settings_file)

        return cls(dirs=dirs, debug=debug, load_settings=load)

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
