"""The shape of a setting's declaration: its type, default, bounds and descriptions.

Kept apart from :mod:`app.settings.declaration` (which loads and checks the YAML) so that
:mod:`app.settings.values` can check values against a declaration without importing the loader,
which itself checks every default with :mod:`app.settings.values`.

Records (:class:`app.records.Record`), not dataclasses, and no typing at run time: every
command that reads one setting (`flare outbox list` its language) imports this module, and
dataclasses (with inspect) and typing cost it more than reading the outbox does.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.records import Record

# Not typing.TYPE_CHECKING: see the module docs.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

    SettingType = Literal[
        "bool", "int", "float", "str", "enum", "path", "str_list", "object_list", "secret"
    ]
    FieldType = Literal["bool", "int", "float", "str", "enum", "str_list"]
else:
    SettingType = FieldType = str

# The names of the Literal types above, at run time: keep the two in step.
SETTING_TYPES: frozenset[str] = frozenset(
    ("bool", "int", "float", "str", "enum", "path", "str_list", "object_list", "secret")
)
FIELD_TYPES: frozenset[str] = frozenset(("bool", "int", "float", "str", "enum", "str_list"))
LANGUAGES = ("en", "ru", "uk")
SECRET_SCHEMES = ("keyring", "env", "file")
FIRST_VERSION = "0.1"


class FieldDecl(Record):
    """One field of an item in an object list (e.g. ``port`` of a connectivity check)."""

    name: str
    type: FieldType
    required: bool = False
    values: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None


class ObjectSchema(Record):
    """The shape of the items of an object list; ``requires`` lists fields needed per kind."""

    name: str
    description: str
    discriminator: str
    fields: Mapping[str, FieldDecl]
    requires: Mapping[str, tuple[str, ...]]


class SettingDecl(Record):
    key: str
    type: SettingType
    default: Any
    user_changeable: bool
    description: Mapping[str, str]
    values: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    items: ObjectSchema | None = None
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
