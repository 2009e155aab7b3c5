"""The effective settings: built-in defaults < recommended policy < user < managed policy."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from app.records import Record
from app.settings.decl_types import SettingDecl
from app.settings.declaration import declarations_by_key, suggest_key
from app.settings.model import (
    BUILT_IN,
    Entry,
    Layer,
    LockedSettingError,
    PolicyProblem,
    SettingsError,
    SettingSource,
    UnknownSettingError,
)
from app.settings.values import InvalidValue, to_json, validate

# Not typing.TYPE_CHECKING: see app.settings.decl_types.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

OVERRIDE = "override"
_LAYERED: tuple[Layer, ...] = ("recommended", "user", "managed")


class SettingItem(Record):
    key: str
    value: Any
    source: SettingSource
    locked: bool


class Settings:
    """Immutable effective settings with the provenance of every value.

    Build it with :func:`app.settings.load_settings` (real sources) or
    :meth:`Settings.defaults` (tests); "changes" return a new object.
    """

    def __init__(
        self,
        layers: Mapping[Layer, Iterable[Entry]] | None = None,
        problems: Iterable[PolicyProblem] = (),
        *,
        decls: Mapping[str, SettingDecl] | None = None,
    ) -> None:
        self._decls = decls if decls is not None else declarations_by_key()
        self._layers: dict[Layer, dict[str, Entry]] = {layer: {} for layer in _LAYERED}
        for layer, entries in (layers or {}).items():
            if layer not in self._layers:
                raise ValueError(f"not a settings layer: {layer}")
            for entry in entries:  # in merge order: a later entry wins
                self._layers[layer][entry.key] = entry
        self._problems = tuple(problems)
        # Resolved at each key's first read: a command that reads one setting (`flare outbox
        # list` its language) then builds one declaration, not all of them.
        self._effective: dict[str, tuple[Any, SettingSource]] = {}

    @classmethod
    def defaults(cls) -> Settings:
        """Built-in defaults only."""
        return cls()

    # --- reading -------------------------------------------------------------------------------

    def get(self, key: str) -> Any:
        """The effective typed value; lists are copies, so changing them changes nothing here."""
        return _copied(self._lookup(key)[0])

    def source(self, key: str) -> SettingSource:
        return self._lookup(key)[1]

    def is_locked(self, key: str) -> bool:
        """True when managed policy fixes the value; the user cannot change it."""
        self._lookup(key)
        return key in self._layers["managed"]

    def declaration(self, key: str) -> SettingDecl:
        self._lookup(key)
        return self._decls[key]

    @property
    def problems(self) -> list[PolicyProblem]:
        return list(self._problems)

    def items(self) -> Iterator[SettingItem]:
        """Every declared setting in declaration order."""
        for key in self._decls:
            value, source = self._lookup(key)
            yield SettingItem(key, _copied(value), source, key in self._layers["managed"])

    def as_dict(self) -> dict[str, Any]:
        return {key: _copied(self._lookup(key)[0]) for key in self._decls}

    def _lookup(self, key: str) -> tuple[Any, SettingSource]:
        found = self._effective.get(key)
        if found is not None:
            return found
        if key not in self._decls:
            raise UnknownSettingError(f'unknown setting "{key}"{suggest_key(key, self._decls)}')
        value, source = self._decls[key].default, SettingSource("default", BUILT_IN)
        for layer in _LAYERED:
            entry = self._layers[layer].get(key)
            if entry is not None:
                value, source = entry.value, SettingSource(layer, entry.location)
        found = self._effective[key] = (value, source)
        return found

    # --- deriving ------------------------------------------------------------------------------

    def with_overrides(
        self, overrides: Mapping[str, Any] | None = None, /, **more: Any
    ) -> Settings:
        """A copy with values fixed as managed policy would (for tests); bad values raise.

        ``s.with_overrides({"capture.step_limit": 5})`` or
        ``s.with_overrides(**{"capture.step_limit": 5})``.
        """
        entries = [
            Entry(key, self._checked(key, raw), OVERRIDE)
            for key, raw in {**(overrides or {}), **more}.items()
        ]
        return self._replace("managed", [*self._layers["managed"].values(), *entries])

    def set_user(self, key: str, value: Any, user_file: Path) -> Settings:
        """Save ``key = value`` in the user's file and return the settings that result.

        Raises LockedSettingError when policy fixes the key, SettingsError for a bad value.
        """
        from app.settings.user_file import load_user_json, write_user_json  # writing only

        decl = self.declaration(key)
        self._refuse_locked(decl)
        checked = self._checked(key, value)
        data = load_user_json(user_file)
        _drop_nested(data, decl)
        data[key] = to_json(decl, checked)
        write_user_json(user_file, data)
        return self._reload_user(user_file)

    def unset_user(self, key: str, user_file: Path) -> Settings:
        """Remove the user's own value of ``key`` (back to policy or default)."""
        from app.settings.user_file import load_user_json, write_user_json  # writing only

        decl = self.declaration(key)
        self._refuse_locked(decl)
        data = load_user_json(user_file)
        if key in data or _drop_nested(data, decl):
            data.pop(key, None)
            write_user_json(user_file, data)
        return self._reload_user(user_file)

    def _refuse_locked(self, decl: SettingDecl) -> None:
        if self.is_locked(decl.key):
            where = self.source(decl.key).location
            raise LockedSettingError(
                f"{decl.key} is set by your administrator's policy ({where}) and cannot be "
                "changed here; ask your IT support if it should be different"
            )
        if not decl.user_changeable:
            raise LockedSettingError(
                f"{decl.key} can only be set by the administrator's policy, not by the user"
            )

    def _checked(self, key: str, raw: Any) -> Any:
        decl = self.declaration(key)
        try:
            value, item_problems = validate(decl, raw)
        except InvalidValue as exc:
            raise SettingsError(f"{key}: {exc.message}; nothing was changed") from None
        if item_problems:
            raise SettingsError(f"{key}: {item_problems[0].message}; nothing was changed")
        return value

    def _reload_user(self, user_file: Path) -> Settings:
        from app.settings.policy_files import read_json_settings

        entries, problems = read_json_settings(user_file, "user", self._decls)
        kept = [p for p in self._problems if p.layer != "user"]
        return self._replace("user", entries, [*kept, *problems])

    def _replace(
        self,
        layer: Layer,
        entries: Iterable[Entry],
        problems: Iterable[PolicyProblem] | None = None,
    ) -> Settings:
        layers: dict[Layer, Iterable[Entry]] = {
            name: list(self._layers[name].values()) for name in _LAYERED
        }
        layers[layer] = entries
        return Settings(layers, self._problems if problems is None else problems, decls=self._decls)

    def __repr__(self) -> str:
        changed = {item.key: item.value for item in self.items() if item.source.layer != "default"}
        return f"Settings({changed!r}, problems={len(self._problems)})"


def _drop_nested(data: dict[str, Any], decl: SettingDecl) -> bool:
    """Remove a nested ``{"section": {"name": …}}`` copy of the key; True if there was one."""
    section = data.get(decl.section)
    if isinstance(section, dict) and decl.name in section:
        del section[decl.name]
        if not section:
            del data[decl.section]
        return True
    return False


# Settings values are JSON (objects, lists and scalars); copying them needs no copy module,
# whose import (with weakref) was a few ms of every command that reads one setting.
_IMMUTABLE = (str, int, float, bool, type(None), Path)  # a path setting is a Path


def _copied(value: Any) -> Any:
    """A deep copy of a settings value: dicts and lists rebuilt, scalars as they are."""
    if isinstance(value, _IMMUTABLE):
        return value
    if isinstance(value, list):
        return [_copied(item) for item in value]
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    import copy  # anything else (not a JSON value) the thorough way

    return copy.deepcopy(value)
