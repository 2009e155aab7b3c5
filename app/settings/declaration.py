"""The declaration of every setting, loaded from ``resources/settings/declaration.yaml``.

The declaration lives in YAML rather than in Python so that the data (keys, defaults, bounds and
the English/Russian/Ukrainian descriptions that feed ADML and the docs) can be reviewed and
translated without reading code; this module checks it strictly, so a mistake there fails the
unit tests, not a user's machine.

Flare reads ``resources/settings/declared.py``, a copy of the YAML as a Python literal that
:func:`write_declaration_copy` generates (a unit test keeps the two equal and names the
command): parsing YAML at every start cost more than the rest of the settings, and a JSON copy
still cost json's import and parse (about 2 ms of `flare outbox list`), where the compiled
module loads in a fraction of that. Its entries are checked at their first use
(:class:`_CheckedOnUse`); the unit tests check every one.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType

import resources
from app.i18n import current
from app.settings.decl_types import (
    FIELD_TYPES,
    FIRST_VERSION,
    LANGUAGES,
    SETTING_TYPES,
    FieldDecl,
    ObjectSchema,
    SettingDecl,
)
from app.settings.values import InvalidValue, close_match, validate

# Not typing.TYPE_CHECKING: see app.settings.decl_types.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DECLARATION_YAML = "declaration.yaml"
DECLARATION_COPY = "declared.py"


class DeclarationError(Exception):
    """The declaration file itself is wrong: a bug in Flare, not something a user can fix."""


def declaration() -> list[SettingDecl]:
    """Every declared setting, in declaration order (for docs, schema and ADMX generators)."""
    return list(_declared().values())


def declarations_by_key() -> Mapping[str, SettingDecl]:
    return _declared()


def suggest_key(key: str, known: Mapping[str, object] | None = None) -> str:
    """' (did you mean "x.y"?)' for a near miss of a declared key, else ''."""
    candidates = list(known if known is not None else _declared())
    close: str | None = None
    if "." in key:
        # A right name in the wrong section ("capture.log_level") is the likeliest slip.
        tail = key.rsplit(".", 1)[1]
        close = next((c for c in candidates if c.rsplit(".", 1)[-1] == tail), None)
    if close is None:
        close = close_match(key, candidates, cutoff=0.6)
    return current().tr(' (did you mean "{key}"?)', key=close) if close else ""


@functools.cache
def _declared() -> Mapping[str, SettingDecl]:
    # Cached: the file is part of the installed package and never changes while Flare runs.
    # Read from the generated copy of the YAML (see module docs): importing PyYAML and parsing
    # cost about 35 ms of every start. The checks are the same either way.
    try:
        from resources.settings.declared import DECLARATION
    except ModuleNotFoundError:  # a source tree without the generated copy
        return MappingProxyType(parse_declaration(_resource_text(DECLARATION_YAML)))
    return _CheckedOnUse(DECLARATION)


class _CheckedOnUse(Mapping[str, SettingDecl]):
    """The settings of the shipped copy, in declaration order, each checked and built at
    its first use: a command that reads one setting builds one (checking all 60 was most of
    the settings' part of `flare outbox list`). The unit tests check every entry of the same
    file (:func:`check_declaration`), so a bad one cannot ship."""

    def __init__(self, doc: Any) -> None:
        if not isinstance(doc, dict) or not isinstance(doc.get("settings"), list):
            raise DeclarationError("settings declaration needs a top-level 'settings:' list")
        self._raw: dict[str, Any] = {}
        for raw in doc["settings"]:
            key = raw.get("key") if isinstance(raw, dict) else None
            if not isinstance(key, str):
                raise DeclarationError(f"setting entry without a key: {raw!r}")
            if key in self._raw:
                raise DeclarationError(f"setting {key} is declared twice")
            self._raw[key] = raw
        self._objects_raw: dict[str, Any] = doc.get("objects") or {}
        self._objects: dict[str, ObjectSchema] | None = None
        self._built: dict[str, SettingDecl] = {}

    def __getitem__(self, key: str) -> SettingDecl:
        decl = self._built.get(key)
        if decl is None:
            raw = self._raw[key]
            objects = self.object_schemas() if raw.get("type") == "object_list" else {}
            decl = self._built[key] = _setting(raw, objects)
        return decl

    def __contains__(self, key: object) -> bool:
        return key in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def object_schemas(self) -> dict[str, ObjectSchema]:
        if self._objects is None:
            self._objects = {name: _object_schema(name, spec)
                             for name, spec in self._objects_raw.items()}
        return self._objects


def _resource_text(name: str) -> str:
    return resources.file("settings", name).read_text(encoding="utf-8")


def declaration_copy() -> str:
    """The source of ``resources/settings/declared.py``: the YAML's data as a Python literal."""
    from app.literal_copy import literal_module  # only for the generator and its test

    doc = _load_yaml(_resource_text(DECLARATION_YAML))
    return literal_module("DECLARATION", doc, "declaration.yaml",
                          "app.settings.declaration.write_declaration_copy")


def write_declaration_copy() -> Path:
    """Regenerate ``declared.py`` after editing the YAML (in a source tree):
    ``python -c "from app.settings.declaration import write_declaration_copy as w; w()"``."""
    path = resources.file("settings", DECLARATION_COPY)
    path.write_text(declaration_copy(), encoding="utf-8")
    return path


def _load_yaml(text: str) -> Any:
    import yaml  # only when the YAML itself is read: tests, the generator, a source tree

    try:
        # The C loader, when present, is several times faster; both are safe loaders.
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise DeclarationError(f"settings declaration is not valid YAML: {exc}") from exc


def parse_declaration(text: str) -> dict[str, SettingDecl]:
    """Parse and check a declaration document; raises DeclarationError naming the bad entry."""
    return check_declaration(_load_yaml(text))


def check_declaration(doc: Any) -> dict[str, SettingDecl]:
    """Check a parsed declaration document; raises DeclarationError naming the bad entry.
    The checks start-up makes at each entry's first use (:class:`_CheckedOnUse`), all now."""
    decls = _CheckedOnUse(doc)
    decls.object_schemas()  # every schema, whether a setting uses it or not
    return dict(decls)


def _setting(raw: Any, objects: Mapping[str, ObjectSchema]) -> SettingDecl:
    if not isinstance(raw, dict) or not isinstance(raw.get("key"), str):
        raise DeclarationError(f"setting entry without a key: {raw!r}")
    key: str = raw["key"]
    where = f"setting {key}"
    if key.count(".") != 1 or not all(part.isidentifier() for part in key.split(".")):
        raise DeclarationError(f"{where}: key must be 'section.name' (identifiers)")
    unknown = set(raw) - {
        "key",
        "type",
        "default",
        "user",
        "description",
        "values",
        "min",
        "max",
        "items",
        "since",
    }
    if unknown:
        raise DeclarationError(f"{where}: unknown attributes {sorted(unknown)}")
    type_ = raw.get("type")
    if type_ not in SETTING_TYPES:
        raise DeclarationError(f"{where}: type must be one of {sorted(SETTING_TYPES)}")
    if not isinstance(raw.get("user"), bool):
        raise DeclarationError(f"{where}: 'user: true|false' is required")
    description = raw.get("description")
    if not isinstance(description, dict) or not isinstance(description.get("en"), str):
        raise DeclarationError(f"{where}: description needs at least 'en'")
    if set(description) - set(LANGUAGES):
        raise DeclarationError(f"{where}: description languages must be among {LANGUAGES}")
    values = _values(where, raw.get("values"))
    if type_ == "enum" and not values:
        raise DeclarationError(f"{where}: an enum needs 'values'")
    if values and type_ not in ("enum", "str_list"):
        raise DeclarationError(f"{where}: 'values' only applies to enum and str_list")
    minimum, maximum = _bounds(where, raw)
    if (minimum is not None or maximum is not None) and type_ not in ("int", "float"):
        raise DeclarationError(f"{where}: min/max only apply to int and float")
    items = None
    if type_ == "object_list":
        if raw.get("items") not in objects:
            raise DeclarationError(f"{where}: 'items' must name one of {sorted(objects)}")
        items = objects[raw["items"]]
    elif "items" in raw:
        raise DeclarationError(f"{where}: 'items' only applies to object_list")
    if "default" not in raw:
        raise DeclarationError(f"{where}: 'default' is required")
    since = raw.get("since", FIRST_VERSION)
    if not isinstance(since, str) or not _is_version(since):
        raise DeclarationError(f"{where}: 'since' must be a version like \"0.2\" (quoted)")
    decl = SettingDecl(
        key=key,
        type=type_,
        default=raw["default"],
        user_changeable=raw["user"],
        description=MappingProxyType(dict(description)),
        values=values,
        minimum=minimum,
        maximum=maximum,
        items=items,
        since=since,
    )
    # The default must itself be valid, or every machine would start with a problem.
    try:
        value, item_problems = validate(decl, raw["default"])
    except InvalidValue as exc:
        raise DeclarationError(f"{where}: default is invalid: {exc.message}") from exc
    if item_problems:
        raise DeclarationError(f"{where}: default is invalid: {item_problems[0].message}")
    return decl._replace(default=value)


def _is_version(text: str) -> bool:
    """``"0.2"``: two dot-separated numbers (no regex: the one setting a command reads is
    checked at its first use, and compiling one was a tenth of that check)."""
    parts = text.split(".")
    return len(parts) == 2 and all(p.isascii() and p.isdigit() for p in parts)


def _object_schema(name: str, spec: Any) -> ObjectSchema:
    where = f"object schema {name}"
    if not isinstance(spec, dict) or not isinstance(spec.get("fields"), dict):
        raise DeclarationError(f"{where}: needs 'fields'")
    fields: dict[str, FieldDecl] = {}
    for fname, fspec in spec["fields"].items():
        fwhere = f"{where}, field {fname}"
        if not isinstance(fspec, dict) or fspec.get("type") not in FIELD_TYPES:
            raise DeclarationError(f"{fwhere}: type must be one of {sorted(FIELD_TYPES)}")
        minimum, maximum = _bounds(fwhere, fspec)
        fields[fname] = FieldDecl(
            name=fname,
            type=fspec["type"],
            required=bool(fspec.get("required", False)),
            values=_values(fwhere, fspec.get("values")),
            minimum=minimum,
            maximum=maximum,
        )
    discriminator = spec.get("discriminator", "type")
    disc = fields.get(discriminator)
    if disc is None or disc.type != "enum" or not disc.required or disc.values is None:
        raise DeclarationError(f"{where}: discriminator must be a required enum field")
    requires: dict[str, tuple[str, ...]] = {}
    for kind, needed in (spec.get("requires") or {}).items():
        if kind not in disc.values or not all(n in fields for n in needed):
            raise DeclarationError(f"{where}: 'requires' names unknown kinds or fields")
        requires[kind] = tuple(needed)
    return ObjectSchema(
        name=name,
        description=str(spec.get("description", "")),
        discriminator=discriminator,
        fields=MappingProxyType(fields),
        requires=MappingProxyType(requires),
    )


def _values(where: str, raw: Any) -> tuple[str, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or not raw or not all(isinstance(v, str) for v in raw):
        raise DeclarationError(f"{where}: 'values' must be a non-empty list of strings")
    return tuple(raw)


def _bounds(where: str, raw: Mapping[str, Any]) -> tuple[float | None, float | None]:
    bounds: list[float | None] = []
    for name in ("min", "max"):
        value = raw.get(name)
        if value is not None and (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise DeclarationError(f"{where}: '{name}' must be a number")
        bounds.append(value)
    if bounds[0] is not None and bounds[1] is not None and bounds[0] > bounds[1]:
        raise DeclarationError(f"{where}: 'min' is above 'max'")
    return bounds[0], bounds[1]

