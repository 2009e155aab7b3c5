"""Policy templates generated from the settings declaration, never written by hand.

* Windows: ``windows/flare.admx`` and ``windows/<locale>/flare.adml`` (en-US, ru-RU, uk-UA) for
  Group Policy; each setting is one policy writing the value named after the dotted key under
  ``HKLM\\SOFTWARE\\Policies\\Flare`` (managed) or ``...\\Flare\\Recommended``, in the value type
  :mod:`app.settings.windows_registry` reads.
* macOS: ``macos/org.flare.reporter.mobileconfig`` (an example configuration profile of forced
  settings), ``macos/org.flare.reporter.recommended.mobileconfig`` (set-once settings, the
  recommended layer) and
  ``macos/org.flare.reporter.json`` (a custom-settings manifest for MDM consoles).
* All platforms: ``example-policy.json``, a managed policy file that validates (on Linux it goes
  into ``/etc/flare/policies/managed/``), and ``policy.schema.json`` (only from
  :func:`write_templates`: the committed schema is ``resources/schema/policy.schema.json``).
* The Markdown table of every key in docs/admin.md (:func:`policy_keys_markdown`).

The committed copies in ``packaging/policy-templates/`` are checked against this module by a unit
test. Regenerate them with ``python -m app.settings.templates --out packaging/policy-templates
--docs docs/admin.md``, or write a set anywhere with ``flare policy templates --out DIR``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import plistlib
import re
import sys
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import EXIT_ENVIRONMENT, EXIT_OK, FlareError
from app.i18n import current
from app.settings.decl_types import SettingDecl
from app.settings.declaration import declaration
from app.settings.macos_prefs import DOMAIN
from app.settings.schema import object_schema, render_policy_schema, setting_schema
from app.settings.template_labels import ENUM_LABELS, LABELS, SECTION_TITLES
from app.settings.values import to_json, validate
from app.settings.windows_registry import POLICY_KEY

if TYPE_CHECKING:
    from app.context import AppContext

ADMX_NS = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"
ADMX_TARGET = "Flare.Policies.Flare"
ADMX_REVISION = "1.0"
LOCALES: Mapping[str, str] = {"en": "en-US", "ru": "ru-RU", "uk": "uk-UA"}
RECOMMENDED_KEY = rf"{POLICY_KEY}\Recommended"
# One supportedOn definition per version that introduced settings ("SUPPORTED_Flare_0_1"): each
# policy names the version that first reads it, so an administrator sees which Flare a policy
# needs before deploying it to machines still on an older one.
SUPPORTED_PREFIX = "SUPPORTED_Flare_"
SCHEMA_FILE = "policy.schema.json"
DOCS_BEGIN = "<!-- BEGIN GENERATED POLICY KEYS -->"
DOCS_END = "<!-- END GENERATED POLICY KEYS -->"
# Fixed so that regenerating gives byte-identical profiles (MDM tools key updates on UUIDs).
_PROFILE_NS = uuid.UUID("6f1b2d2e-5c4e-4d8a-9a57-1f1a2e0c7b11")


def enum_label(decl: SettingDecl, value: str, language: str) -> str:
    """The label of one enum value, with the value itself for the administrator's reference."""
    labels = ENUM_LABELS.get(decl.key, {}).get(value)
    if labels is None:
        raise TemplateError(f"add a label for {decl.key} = {value!r} to ENUM_LABELS")
    return f"{labels.get(language) or labels['en']} ({value})"


# What a typical managed policy sets. Checked against the declaration on every generation, so
# a renamed key or a narrowed range breaks the unit tests instead of the administrators' copy.
EXAMPLE_POLICY: Mapping[str, Any] = {
    "general.organisation": "Example Ltd",
    "general.support_url": "https://helpdesk.example.org/",
    "destination.type": "rt",
    "destination.url": "https://helpdesk.example.org/rt/",
    "destination.queue": "Support",
    "destination.token": "keyring:flare-helpdesk",
    "destination.ca_bundle": "/etc/ssl/certs/example-inspection-ca.pem",
    "capture.replay_enabled": False,
    "diagnostics.disabled_collectors": ["processes"],
    "diagnostics.redact": ["email", "username"],
    "diagnostics.checks": [
        {"type": "dns", "name": "helpdesk name", "host": "helpdesk.example.org"},
        {"type": "http", "name": "helpdesk web", "url": "https://helpdesk.example.org/"},
    ],
    "form.allow_attachments": False,
}


# What a typical recommendation sets: defaults a user may change (the macOS set-once profile).
RECOMMENDED_EXAMPLE: Mapping[str, Any] = {
    "general.autostart": True,
    "capture.stamp_corner": "bottom-right",
    "destination.image_format": "png",
}
# Fixed, so that regenerating gives the same profile; raise it to apply changed values again.
_SET_ONCE_TIMESTAMP = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


class TemplateError(Exception):
    """The generator's own data disagrees with the declaration: a bug in Flare."""


# --- Windows: ADMX / ADML --------------------------------------------------------------------


def policy_name(decl: SettingDecl, *, recommended: bool = False) -> str:
    return _ident(decl.key) + ("_Recommended" if recommended else "")


def _ident(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


def _enum_string_id(decl: SettingDecl, value: str) -> str:
    return f"{_ident(decl.key)}__{_ident(value)}"


def _recommendable(decls: list[SettingDecl]) -> list[SettingDecl]:
    # A recommendation is a default the user may change: pointless for keys users never can.
    return [d for d in decls if d.user_changeable]


def supported_id(version: str) -> str:
    return SUPPORTED_PREFIX + _ident(version)


def _versions(decls: list[SettingDecl]) -> list[str]:
    return sorted({d.since for d in decls}, key=lambda v: tuple(int(p) for p in v.split(".")))


def _sections(decls: list[SettingDecl]) -> list[str]:
    return list(dict.fromkeys(d.section for d in decls))


def render_admx(decls: list[SettingDecl] | None = None) -> str:
    decls = declaration() if decls is None else decls
    root = ET.Element(
        "policyDefinitions",
        {
            "xmlns:xsd": "http://www.w3.org/2001/XMLSchema",
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "revision": ADMX_REVISION,
            "schemaVersion": "1.0",
            "xmlns": ADMX_NS,
        },
    )
    namespaces = ET.SubElement(root, "policyNamespaces")
    ET.SubElement(namespaces, "target", {"prefix": "flare", "namespace": ADMX_TARGET})
    ET.SubElement(root, "resources", {"minRequiredRevision": ADMX_REVISION})
    supported = ET.SubElement(ET.SubElement(root, "supportedOn"), "definitions")
    for version in _versions(decls):
        name = supported_id(version)
        ET.SubElement(supported, "definition", {"name": name, "displayName": f"$(string.{name})"})
    categories = ET.SubElement(root, "categories")
    for top, sections in (
        ("Flare", _sections(decls)),
        ("Flare_Recommended", _sections(_recommendable(decls))),
    ):
        ET.SubElement(categories, "category", {"name": top, "displayName": f"$(string.{top})"})
        for section in sections:
            cat = ET.SubElement(
                categories,
                "category",
                {"name": f"{top}_{section}", "displayName": f"$(string.Section_{section})"},
            )
            ET.SubElement(cat, "parentCategory", {"ref": top})
    policies = ET.SubElement(root, "policies")
    for decl in decls:
        _admx_policy(policies, decl, recommended=False)
    for decl in _recommendable(decls):
        _admx_policy(policies, decl, recommended=True)
    return _xml_text(root)


def _admx_policy(parent: ET.Element, decl: SettingDecl, *, recommended: bool) -> None:
    name = policy_name(decl, recommended=recommended)
    attributes = {
        "name": name,
        # "Both": Flare reads HKCU\SOFTWARE\Policies\Flare too (machine policy wins), so the
        # policy may be set in the user part of a GPO as well.
        "class": "Both",
        "displayName": f"$(string.{_ident(decl.key)})",
        "explainText": f"$(string.{name}_Explain)",
        "key": RECOMMENDED_KEY if recommended else POLICY_KEY,
    }
    if decl.type == "bool":
        # The policy's own state is the value, as Chrome's templates do it: Enabled writes 1,
        # Disabled writes 0, Not configured writes nothing. A checkbox inside an enabled policy
        # would make "Disabled" delete the value instead of turning the setting off.
        attributes["valueName"] = decl.key
    else:
        attributes["presentation"] = f"$(presentation.{name})"
    policy = ET.SubElement(parent, "policy", attributes)
    top = "Flare_Recommended" if recommended else "Flare"
    ET.SubElement(policy, "parentCategory", {"ref": f"{top}_{decl.section}"})
    ET.SubElement(policy, "supportedOn", {"ref": supported_id(decl.since)})
    if decl.type == "bool":
        ET.SubElement(ET.SubElement(policy, "enabledValue"), "decimal", {"value": "1"})
        ET.SubElement(ET.SubElement(policy, "disabledValue"), "decimal", {"value": "0"})
        return
    elements = ET.SubElement(policy, "elements")
    common = {"id": _ident(decl.key), "valueName": decl.key}
    match decl.type:
        case "int":
            # REG_DWORD; ADMX decimals are unsigned, and every declared int is bounded below
            # by 0 or more (checked in _check_admx_bounds).
            ET.SubElement(
                elements,
                "decimal",
                {
                    **common,
                    "required": "true",
                    "minValue": str(int(decl.minimum if decl.minimum is not None else 0)),
                    "maxValue": str(
                        int(decl.maximum if decl.maximum is not None else 2_147_483_647)
                    ),
                },
            )
        case "enum":
            assert decl.values is not None
            enum = ET.SubElement(elements, "enum", {**common, "required": "true"})
            for value in decl.values:
                item = ET.SubElement(
                    enum, "item", {"displayName": f"$(string.{_enum_string_id(decl, value)})"}
                )
                ET.SubElement(ET.SubElement(item, "value"), "string").text = value
        case "str_list" | "object_list":
            # multiText writes one REG_MULTI_SZ under the value name, which the registry reader
            # takes; a <list> would write a subkey of numbered values, which it does not.
            ET.SubElement(elements, "multiText", {**common, "maxLength": "8192"})
        case "path":
            # REG_EXPAND_SZ: %ProgramData% and %USERPROFILE% work in paths.
            ET.SubElement(elements, "text", {**common, "expandable": "true"})
        case "float":
            ET.SubElement(elements, "text", {**common, "required": "true", "maxLength": "32"})
        case _:  # str, secret
            ET.SubElement(elements, "text", {**common, "maxLength": "2048"})


def render_adml(language: str, decls: list[SettingDecl] | None = None) -> str:
    decls = declaration() if decls is None else decls
    words = LABELS[language]
    root = ET.Element(
        "policyDefinitionResources",
        {
            "xmlns:xsd": "http://www.w3.org/2001/XMLSchema",
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "revision": ADMX_REVISION,
            "schemaVersion": "1.0",
            "xmlns": ADMX_NS,
        },
    )
    ET.SubElement(root, "displayName").text = words["title"]
    ET.SubElement(root, "description").text = words["description"]
    resources = ET.SubElement(root, "resources")
    strings = ET.SubElement(resources, "stringTable")

    def string(id_: str, text: str) -> None:
        ET.SubElement(strings, "string", {"id": id_}).text = text

    string("Flare", words["root"])
    string("Flare_Recommended", words["recommended"])
    for version in _versions(decls):
        string(supported_id(version), words["supported"].format(version=version))
    for section in _sections(decls):
        string(f"Section_{section}", section_title(section, language))
    for decl, title in zip(decls, display_names(decls, language), strict=True):
        string(_ident(decl.key), title)
        string(f"{policy_name(decl)}_Explain", explain_text(decl, language, recommended=False))
        if decl.user_changeable:
            string(
                f"{policy_name(decl, recommended=True)}_Explain",
                explain_text(decl, language, recommended=True),
            )
        if decl.type == "enum" and decl.values:
            for value in decl.values:
                string(_enum_string_id(decl, value), enum_label(decl, value, language))
    presentations = ET.SubElement(resources, "presentationTable")
    for decl in decls:
        _adml_presentation(presentations, decl, policy_name(decl), language)
    for decl in _recommendable(decls):
        _adml_presentation(presentations, decl, policy_name(decl, recommended=True), language)
    return _xml_text(root)


def _adml_presentation(parent: ET.Element, decl: SettingDecl, name: str, language: str) -> None:
    if decl.type == "bool":
        return  # Enabled/Disabled is the value: nothing to show inside the policy
    presentation = ET.SubElement(parent, "presentation", {"id": name})
    ref = _ident(decl.key)
    label = decl.key
    default = to_json(decl, decl.default)
    match decl.type:
        case "int":
            ET.SubElement(
                presentation, "decimalTextBox", {"refId": ref, "defaultValue": str(default)}
            ).text = label
        case "enum":
            assert decl.values is not None
            ET.SubElement(
                presentation,
                "dropdownList",
                {
                    "refId": ref,
                    "noSort": "true",
                    "defaultItem": str(decl.values.index(default)),
                },
            ).text = label
        case "str_list" | "object_list":
            hint = LABELS[language]["objects" if decl.type == "object_list" else "lines"]
            ET.SubElement(presentation, "multiTextBox", {"refId": ref}).text = f"{label} ({hint})"
        case _:
            box = ET.SubElement(presentation, "textBox", {"refId": ref})
            ET.SubElement(box, "label").text = label
            if default not in ("", None):
                ET.SubElement(box, "defaultValue").text = str(default)


def section_title(section: str, language: str) -> str:
    titles = SECTION_TITLES.get(section, {})
    return titles.get(language) or titles.get("en") or section.capitalize()


def short_description(decl: SettingDecl, language: str) -> str:
    """The description's first clause: a policy's name in the Group Policy editor."""
    text = decl.describe(language)
    head = re.split(r";|\. |\.$| \(", text, maxsplit=1)[0].strip().rstrip(",")
    return head or text


def display_names(decls: list[SettingDecl], language: str) -> list[str]:
    """Short names, made unique by adding the key where two descriptions start alike."""
    names = [short_description(d, language) for d in decls]
    seen = {n: names.count(n) for n in names}
    return [n if seen[n] == 1 else f"{n} ({d.key})" for n, d in zip(names, decls, strict=True)]


def explain_text(decl: SettingDecl, language: str, *, recommended: bool) -> str:
    words = LABELS[language]
    key = RECOMMENDED_KEY if recommended else POLICY_KEY
    lines = [decl.describe(language), ""]
    lines.append(f"{words['value']}: HKLM\\{key}\\{decl.key} ({_reg_type(decl)})")
    lines.append(f"{words['default']}: {_shown_default(decl, words)}")
    if decl.minimum is not None or decl.maximum is not None:
        lines.append(f"{words['range']}: {_num(decl.minimum)} – {_num(decl.maximum)}")
    if decl.values:
        lines.append(f"{words['allowed']}: {', '.join(decl.values)}")
    hint = {
        "bool": words["bool_states"],
        "float": words["float_text"],
        "str_list": words["lines"],
        "object_list": words["objects"],
    }.get(decl.type)
    if hint:
        lines.append(hint[0].upper() + hint[1:] + ".")
    lines.append("")
    if recommended:
        lines.append(words["suggested"])
    else:
        lines.append(words["locked"] if decl.user_changeable else words["admin_only"])
    return "\n".join(lines)


def _reg_type(decl: SettingDecl) -> str:
    return {
        "bool": "REG_DWORD 0/1",
        "int": "REG_DWORD",
        "str_list": "REG_MULTI_SZ",
        "object_list": "REG_MULTI_SZ",
        "path": "REG_EXPAND_SZ",
    }.get(decl.type, "REG_SZ")


def _shown_default(decl: SettingDecl, words: Mapping[str, str]) -> str:
    value = to_json(decl, decl.default)
    if value in ("", [], None):
        return words["empty"]
    if isinstance(value, bool):
        return "1" if value else "0"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _num(value: float | None) -> str:
    if value is None:
        return "…"
    return str(int(value)) if float(value).is_integer() else str(value)


def _xml_text(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, "unicode") + "\n"


# --- macOS: configuration profile and MDM manifest -------------------------------------------


def render_mobileconfig(example: Mapping[str, Any] | None = None) -> str:
    """An example configuration profile delivering ``example`` as managed preferences."""
    values = dict(example_policy() if example is None else example)
    values.pop("$schema", None)
    payload: dict[str, Any] = {
        "PayloadDisplayName": "Flare settings",
        "PayloadIdentifier": f"{DOMAIN}.policy.settings",
        "PayloadType": DOMAIN,
        "PayloadUUID": str(uuid.uuid5(_PROFILE_NS, f"{DOMAIN}.policy.settings")).upper(),
        "PayloadVersion": 1,
        **values,
    }
    profile: dict[str, Any] = {
        "PayloadContent": [payload],
        "PayloadDescription": (
            "Example Flare policy: edit the values (see the Flare admin guide for every key) "
            "and deploy it from your MDM at device level."
        ),
        "PayloadDisplayName": "Flare (example policy)",
        "PayloadIdentifier": f"{DOMAIN}.policy",
        "PayloadOrganization": str(values.get("general.organisation", "")),
        "PayloadScope": "System",
        "PayloadType": "Configuration",
        "PayloadUUID": str(uuid.uuid5(_PROFILE_NS, f"{DOMAIN}.policy")).upper(),
        "PayloadVersion": 1,
    }
    return plistlib.dumps(profile, fmt=plistlib.FMT_XML, sort_keys=False).decode("utf-8")


def recommended_example(decls: list[SettingDecl] | None = None) -> dict[str, Any]:
    """:data:`RECOMMENDED_EXAMPLE`, checked: declared keys users may change, valid values."""
    by_key = {d.key: d for d in (declaration() if decls is None else decls)}
    out: dict[str, Any] = {}
    for key, value in RECOMMENDED_EXAMPLE.items():
        decl = by_key.get(key)
        if decl is None or not decl.user_changeable:
            raise TemplateError(f"recommended example key {key} is not one users may change")
        typed, problems = validate(decl, value)
        if problems:
            raise TemplateError(f"recommended example value of {key} is invalid: {problems[0]}")
        out[key] = to_json(decl, typed)
    return out


def render_recommended_mobileconfig(values: Mapping[str, Any] | None = None) -> str:
    """An example profile of set-once (recommended) preferences: defaults users may change.

    A "Managed Client preferences" payload with Set-Once settings: macOS writes them into the
    user's own ``~/Library/Preferences/org.flare.reporter.plist`` once, and Flare reads that
    file as recommended policy (keys users may change only). Raising ``mcx_data_timestamp``
    makes macOS set them once more.
    """
    settings = dict(recommended_example() if values is None else values)
    payload: dict[str, Any] = {
        "PayloadContent": {
            DOMAIN: {
                "Set-Once": [
                    {
                        "mcx_data_timestamp": _SET_ONCE_TIMESTAMP,
                        "mcx_preference_settings": settings,
                    }
                ]
            }
        },
        "PayloadDisplayName": "Flare recommended settings",
        "PayloadIdentifier": f"{DOMAIN}.recommended.settings",
        "PayloadType": "com.apple.ManagedClient.preferences",
        "PayloadUUID": str(uuid.uuid5(_PROFILE_NS, f"{DOMAIN}.recommended.settings")).upper(),
        "PayloadVersion": 1,
    }
    profile: dict[str, Any] = {
        "PayloadContent": [payload],
        "PayloadDescription": (
            "Example of Flare's recommended settings: defaults each user may change. Deploy it "
            "at user level beside the forced profile; only keys users may change take effect."
        ),
        "PayloadDisplayName": "Flare (example recommended settings)",
        "PayloadIdentifier": f"{DOMAIN}.recommended",
        "PayloadScope": "User",
        "PayloadType": "Configuration",
        "PayloadUUID": str(uuid.uuid5(_PROFILE_NS, f"{DOMAIN}.recommended")).upper(),
        "PayloadVersion": 1,
    }
    return plistlib.dumps(profile, fmt=plistlib.FMT_XML, sort_keys=False).decode("utf-8")


def mdm_manifest(decls: list[SettingDecl] | None = None) -> dict[str, Any]:
    """A JSON-Schema-style manifest for MDM "custom settings" editors (e.g. Jamf Pro)."""
    decls = declaration() if decls is None else decls
    properties: dict[str, Any] = {}
    for decl in decls:
        prop = setting_schema(decl)
        if decl.items is not None:  # MDM editors do not follow $ref; inline the item shape
            item = object_schema(decl.items)
            item.pop("allOf", None)
            prop["items"] = item
        properties[decl.key] = {"title": decl.key, **prop}
    return {
        "title": f"Flare ({DOMAIN})",
        "description": "Managed preferences of Flare; every key is optional.",
        "properties": properties,
    }


# --- example policy and docs -----------------------------------------------------------------


def example_policy(decls: list[SettingDecl] | None = None) -> dict[str, Any]:
    """:data:`EXAMPLE_POLICY`, checked against the declaration, with its ``$schema``."""
    by_key = {d.key: d for d in (declaration() if decls is None else decls)}
    out: dict[str, Any] = {"$schema": SCHEMA_FILE}  # written beside it by write_templates
    for key, value in EXAMPLE_POLICY.items():
        if key not in by_key:
            raise TemplateError(f"example policy key {key} is not declared")
        typed, problems = validate(by_key[key], value)
        if problems:
            raise TemplateError(f"example policy value of {key} is invalid: {problems[0]}")
        out[key] = to_json(by_key[key], typed)
    return out


def policy_keys_markdown(decls: list[SettingDecl] | None = None) -> str:
    """The table of every policy key for docs/admin.md (between the GENERATED markers)."""
    decls = declaration() if decls is None else decls
    out: list[str] = []
    for section in _sections(decls):
        out += [
            f"### {section_title(section, 'en')} (`{section}.*`)",
            "",
            "| Key | Type | Default | Allowed | User may change | Description |",
            "|---|---|---|---|---|---|",
        ]
        for d in (d for d in decls if d.section == section):
            allowed = ", ".join(f"`{v}`" for v in d.values) if d.values else ""
            if d.minimum is not None or d.maximum is not None:
                allowed = f"{_num(d.minimum)} – {_num(d.maximum)}"
            if d.items is not None:
                allowed = f"objects: {', '.join(d.items.fields)}"
            default = json.dumps(to_json(d, d.default), ensure_ascii=False)
            user = "yes, unless managed" if d.user_changeable else "no"
            cells = [f"`{d.key}`", d.type, f"`{default}`", allowed, user, d.describe("en")]
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out.append("")
    return "\n".join(out)


def splice_docs(text: str, table: str) -> str:
    """``text`` with the part between the GENERATED markers replaced by ``table``."""
    start, end = text.find(DOCS_BEGIN), text.find(DOCS_END)
    if start < 0 or end < start:
        raise TemplateError(f"the document has no {DOCS_BEGIN} … {DOCS_END} markers")
    return text[: start + len(DOCS_BEGIN)] + "\n" + table + "\n" + text[end:]


# --- the whole set ---------------------------------------------------------------------------


def template_files(decls: list[SettingDecl] | None = None) -> dict[str, str]:
    """Relative path -> text of every committed template (packaging/policy-templates/)."""
    decls = declaration() if decls is None else decls
    files = {"windows/flare.admx": render_admx(decls)}
    for language, locale in LOCALES.items():
        files[f"windows/{locale}/flare.adml"] = render_adml(language, decls)
    example = example_policy(decls)
    files[f"macos/{DOMAIN}.mobileconfig"] = render_mobileconfig(example)
    files[f"macos/{DOMAIN}.recommended.mobileconfig"] = render_recommended_mobileconfig(
        recommended_example(decls)
    )
    files[f"macos/{DOMAIN}.json"] = _json_text(mdm_manifest(decls))
    files["example-policy.json"] = _json_text(example)
    return files


def write_templates(out: Path, *, with_schema: bool = True) -> list[Path]:
    """Write every template below ``out`` (and the policy JSON Schema); returns the files."""
    files = template_files()
    if with_schema:
        files[SCHEMA_FILE] = render_policy_schema()
    written = []
    for relative, text in files.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def _json_text(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def add_templates_parser(psub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``flare policy templates --out DIR`` (registered by app.settings.cli)."""
    t = current()
    templates = psub.add_parser(
        "templates",
        help=t.tr("write ADMX/ADML, macOS profile and manifest, example policy and JSON Schema"),
        description=t.tr("Write the policy templates generated from this version's settings: "
        "windows/flare.admx with en-US, ru-RU and uk-UA ADML, a macOS configuration profile "
        "and MDM manifest, example-policy.json and policy.schema.json."),
    )
    templates.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help=t.tr("folder to write into (created if missing)"),
    )
    templates.set_defaults(func=cmd_templates)


def cmd_templates(args: argparse.Namespace, ctx: AppContext) -> int:
    out: Path = args.out
    try:
        written = write_templates(out)
    except OSError as exc:
        raise FlareError(
            f"cannot write the templates to {out}: {exc.strerror or exc}; "
            "choose a folder you can write to",
            EXIT_ENVIRONMENT,
        ) from None
    for path in written:
        print(path)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    t = current()
    parser = argparse.ArgumentParser(description="Regenerate Flare's committed policy templates.")
    parser.add_argument("--out", type=Path, help=t.tr("folder for the templates"))
    parser.add_argument("--docs", type=Path, help=t.tr("Markdown file whose key table to refresh"))
    args = parser.parse_args(argv)
    if args.out:
        write_templates(args.out, with_schema=False)
    if args.docs:
        text = args.docs.read_text("utf-8")
        args.docs.write_text(splice_docs(text, policy_keys_markdown()), "utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
