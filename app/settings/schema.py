"""The JSON Schema of policy files, generated from the declaration.

Regenerate the committed copy after changing ``resources/settings/declaration.yaml``::

    python -m app.settings.schema > resources/schema/policy.schema.json

A unit test fails while the committed file differs from what this module generates.
Editors validate policy files against it when they start with ``"$schema": "<path or URL>"``.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from app.settings.decl_types import SECRET_SCHEMES, FieldDecl, ObjectSchema, SettingDecl
from app.settings.declaration import declaration
from app.settings.values import to_json

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def policy_schema(decls: list[SettingDecl] | None = None) -> dict[str, Any]:
    """Schema of a policy file: flat dotted keys, or the same keys nested per section."""
    decls = declaration() if decls is None else decls
    flat = {d.key: setting_schema(d) for d in decls}
    sections: dict[str, dict[str, Any]] = {}
    for d in decls:
        sections.setdefault(d.section, {})[d.name] = {"$ref": f"#/properties/{d.key}"}
    nested = {
        name: {"type": "object", "properties": props, "additionalProperties": False}
        for name, props in sections.items()
    }
    objects = {d.items.name: object_schema(d.items) for d in decls if d.items is not None}
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": "Flare policy",
        "description": (
            "Managed or recommended settings of Flare. Keys are dotted "
            '("capture.step_limit") or nested per section ({"capture": {"step_limit": 20}}).'
        ),
        "type": "object",
        "properties": {"$schema": {"type": "string"}, **flat, **nested},
        "additionalProperties": False,
        "$defs": dict(sorted(objects.items())),
    }


def setting_schema(decl: SettingDecl) -> dict[str, Any]:
    schema: dict[str, Any] = {"description": decl.describe("en")}
    match decl.type:
        case "str_list":
            schema |= {"type": "array", "items": _scalar("enum" if decl.values else "str", decl)}
        case "object_list":
            assert decl.items is not None
            schema |= {"type": "array", "items": {"$ref": f"#/$defs/{decl.items.name}"}}
        case "path":
            schema["type"] = "string"
        case "secret":
            schema |= {
                "type": "string",
                "pattern": rf"^$|^({'|'.join(SECRET_SCHEMES)}):\S",
            }
        case _:
            schema |= _scalar(decl.type, decl)
    schema["default"] = to_json(decl, decl.default)
    return schema


def object_schema(schema: ObjectSchema) -> dict[str, Any]:
    required = [f.name for f in schema.fields.values() if f.required]
    result: dict[str, Any] = {
        "description": schema.description,
        "type": "object",
        "properties": {name: _scalar(f.type, f) for name, f in schema.fields.items()},
        "required": required,
        "additionalProperties": False,
    }
    conditions = [
        {
            "if": {"properties": {schema.discriminator: {"const": kind}}},
            "then": {"required": list(needed)},
        }
        for kind, needed in schema.requires.items()
    ]
    if conditions:
        result["allOf"] = conditions
    return result


def _scalar(type_: str, decl: SettingDecl | FieldDecl) -> dict[str, Any]:
    if type_ == "str_list":
        return {"type": "array", "items": _scalar("enum" if decl.values else "str", decl)}
    if type_ == "enum":
        assert decl.values is not None
        return {"type": "string", "enum": list(decl.values)}
    out: dict[str, Any] = {
        "type": {"bool": "boolean", "int": "integer", "float": "number"}.get(type_, "string")
    }
    if decl.minimum is not None:
        out["minimum"] = decl.minimum
    if decl.maximum is not None:
        out["maximum"] = decl.maximum
    return out


def render_policy_schema() -> str:
    """The committed text of resources/schema/policy.schema.json."""
    return json.dumps(policy_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render_policy_schema())
