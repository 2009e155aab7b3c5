"""The shape of a setting's declaration: its type, default, bounds and descriptions.

Kept apart from :mod:`app.settings.declaration` (which loads and checks the YAML) so that
:mod:`app.settings.values` can check values against a declaration without importing the loader,
which itself checks every default with :mod:`app.settings.values`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

SettingType = Literal[
    "bool", "int", "float", "str", "enum", "path", "str_list", "object_list", "secret"
]
FieldType = Literal["bool", "int", "float", "str", "enum", "str_list"]

SETTING_TYPES: frozenset[str] = frozenset(SettingType.__args__)  # type: ignore[attr-defined]
FIELD_TYPES: frozenset[str] = frozenset(FieldType.__args__)  # type: ignore[attr-defined]
LANGUAGES = ("en", "ru", "uk")
SECRET_SCHEMES = ("keyring", "env", "file")
FIRST_VERSION = "0.1"


@dataclass(frozen=True)
class FieldDecl:
    """One field of an item in an object list (e.g. ``port`` of a connectivity check)."""

    name: str
    type: FieldType
    required: bool = False
    values: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class ObjectSchema:
    """The shape of the items of an object list; ``requires`` lists fields needed per kind."""

    name: str
    description: str
    discriminator: str
    fields: Mapping[str, FieldDecl]
    requires: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class SettingDecl:
    key: str
    type: SettingType
    default: Any
    user_changeable: bool
    description: Mapping[str, str]
    values: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    items: ObjectSchema | None = field(default=None)
    # The Flare version that first reads this setting ("0.1"): each ADMX policy's supportedOn.
    since: str = FIRST_VERSION

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[1]

    def describe(self, language: str = "en") -> str:
        return self.description.get(language) or self.description["en"]
