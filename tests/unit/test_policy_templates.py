"""Policy templates (ADMX/ADML, macOS profile and manifest, example, docs table) match the
declaration, and what they make Windows/macOS write is what Flare's readers accept."""

from __future__ import annotations

import json
import plistlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from app.cli import main
from app.context import AppContext
from app.settings.decl_types import LANGUAGES, SettingDecl
from app.settings.declaration import declaration, declarations_by_key
from app.settings.macos_prefs import DOMAIN, read_plist_policy, user_changeable_only
from app.settings.model import Layer
from app.settings.policy_files import read_json_settings
from app.settings.schema import policy_schema, render_policy_schema
from app.settings.template_labels import SECTION_TITLES
from app.settings.templates import (
    DOCS_BEGIN,
    DOCS_END,
    LOCALES,
    display_names,
    policy_keys_markdown,
    render_adml,
    render_admx,
    template_files,
)
from app.settings.windows_registry import (
    POLICY_KEY,
    REG_DWORD,
    REG_EXPAND_SZ,
    REG_MULTI_SZ,
    REG_SZ,
    RegistryValue,
    read_registry_policy,
)

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "packaging" / "policy-templates"
NS = {"p": "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"}
REGEN = (
    "run `python -m app.settings.templates --out packaging/policy-templates --docs docs/admin.md`"
)


def admx() -> ET.Element:
    return ET.fromstring((COMMITTED / "windows/flare.admx").read_text("utf-8"))


def adml(locale: str) -> ET.Element:
    return ET.fromstring((COMMITTED / f"windows/{locale}/flare.adml").read_text("utf-8"))


def policies(recommended: bool) -> dict[str, ET.Element]:
    """valueName -> policy element, for the managed or the recommended key."""
    key = POLICY_KEY + ("\\Recommended" if recommended else "")
    found: dict[str, ET.Element] = {}
    for policy in admx().iterfind("p:policies/p:policy", NS):
        if policy.get("key") != key:
            continue
        name = value_name(policy)
        assert name not in found, name
        found[name] = policy
    return found


def value_name(policy: ET.Element) -> str:
    """The registry value a policy writes: its own (booleans) or its one element's."""
    if policy.get("valueName"):
        assert policy.find("p:elements", NS) is None, policy.get("name")
        return str(policy.get("valueName"))
    (element,) = list(policy.find("p:elements", NS) or [])
    return str(element.get("valueName"))


def the_element(policy: ET.Element) -> ET.Element:
    """The element that holds the value; a boolean policy is its own element."""
    if policy.get("valueName"):
        return policy
    (element,) = list(policy.find("p:elements", NS) or [])
    return element


def test_committed_templates_are_current() -> None:
    expected = template_files()
    on_disk = {
        p.relative_to(COMMITTED).as_posix(): p.read_text("utf-8")
        for p in COMMITTED.rglob("*")
        if p.is_file()
    }
    assert sorted(on_disk) == sorted(expected), f"files differ from the generator: {REGEN}"
    for name, text in expected.items():
        assert on_disk[name] == text, f"packaging/policy-templates/{name} is stale: {REGEN}"


def test_admx_has_one_policy_per_key_with_the_element_for_its_type() -> None:
    managed = policies(recommended=False)
    decls = declaration()
    assert list(managed) == [d.key for d in decls]
    expected_tag = {
        "bool": "policy",
        "int": "decimal",
        "enum": "enum",
        "str": "text",
        "path": "text",
        "secret": "text",
        "float": "text",
        "str_list": "multiText",
        "object_list": "multiText",
    }
    for decl in decls:
        policy = managed[decl.key]
        element = the_element(policy)
        assert element.tag == f"{{{NS['p']}}}{expected_tag[decl.type]}", decl.key
        # Flare reads HKCU\SOFTWARE\Policies\Flare as well as HKLM.
        assert policy.get("class") == "Both"
        category = policy.find("p:parentCategory", NS)
        assert category is not None and category.get("ref") == f"Flare_{decl.section}"
        if decl.type == "int":
            assert element.get("minValue") == str(int(decl.minimum or 0)), decl.key
            assert element.get("maxValue") == str(int(decl.maximum or 0)), decl.key
        if decl.type == "enum":
            values = [v.text for v in element.iterfind("p:item/p:value/p:string", NS)]
            assert tuple(values) == decl.values
        if decl.type == "bool":
            # "Disabled" must write 0 (off), not delete the value (which means "default").
            true = policy.find("p:enabledValue/p:decimal", NS)
            false = policy.find("p:disabledValue/p:decimal", NS)
            assert true is not None and true.get("value") == "1", decl.key
            assert false is not None and false.get("value") == "0", decl.key
            assert policy.get("presentation") is None, decl.key
        assert (element.get("expandable") == "true") == (decl.type == "path"), decl.key


def test_recommended_policies_exist_only_for_keys_users_may_change() -> None:
    recommended = policies(recommended=True)
    assert list(recommended) == [d.key for d in declaration() if d.user_changeable]
    for policy in recommended.values():
        category = policy.find("p:parentCategory", NS)
        assert category is not None
        assert str(category.get("ref")).startswith("Flare_Recommended_")


def test_admx_categories_and_references_resolve_in_every_adml() -> None:
    root = admx()
    categories = {c.get("name") for c in root.iterfind("p:categories/p:category", NS)}
    for ref in root.iterfind(".//p:parentCategory", NS):
        assert ref.get("ref") in categories
    admx_text = (COMMITTED / "windows/flare.admx").read_text("utf-8")
    string_refs = set(re.findall(r"\$\(string\.([^)]+)\)", admx_text))
    presentation_refs = set(re.findall(r"\$\(presentation\.([^)]+)\)", admx_text))
    element_ids = {
        p.get("name"): {e.get("id") for e in p.find("p:elements", NS) or []}
        for p in root.iterfind("p:policies/p:policy", NS)
        if p.get("presentation")
    }
    for locale in LOCALES.values():
        doc = adml(locale)
        strings = {s.get("id") for s in doc.iterfind(".//p:stringTable/p:string", NS)}
        assert string_refs <= strings, (locale, sorted(string_refs - strings))
        table = {p.get("id"): p for p in doc.iterfind(".//p:presentationTable/p:presentation", NS)}
        assert set(table) == presentation_refs, locale
        for name, ids in element_ids.items():
            refs = {child.get("refId") for child in table[name]}
            assert refs == ids, (locale, name)


@pytest.mark.parametrize("language", LANGUAGES)
def test_adml_uses_the_translated_descriptions(language: str) -> None:
    doc = adml(LOCALES[language])
    texts = {s.get("id"): s.text or "" for s in doc.iterfind(".//p:stringTable/p:string", NS)}
    for decl in declaration():
        explain = texts[f"{decl.key.replace('.', '_')}_Explain"]
        assert explain.startswith(decl.describe(language)), decl.key
        assert f"{POLICY_KEY}\\{decl.key}" in explain
    names = display_names(declaration(), language)
    assert len(set(names)) == len(names), "two policies would show the same name"


def test_ru_and_uk_adml_are_not_english() -> None:
    english = (COMMITTED / "windows/en-US/flare.adml").read_text("utf-8")
    for locale in ("ru-RU", "uk-UA"):
        text = (COMMITTED / f"windows/{locale}/flare.adml").read_text("utf-8")
        assert text != english
        assert re.search("[а-яіїє]{4,}", text), locale


def test_every_section_has_titles_in_every_language() -> None:
    for section in {d.section for d in declaration()}:
        assert section in SECTION_TITLES, f"add {section} to SECTION_TITLES"
        assert set(SECTION_TITLES[section]) == set(LANGUAGES)


def _registry_sample(decl: SettingDecl, element: ET.Element) -> RegistryValue:
    """What Group Policy writes when an administrator enables ``element`` with some value."""
    tag = element.tag.split("}")[1]
    name = decl.key
    if tag == "policy":  # a boolean: Enabled writes the enabledValue
        enabled = element.find("p:enabledValue/p:decimal", NS)
        assert enabled is not None
        return name, int(str(enabled.get("value"))), REG_DWORD
    if tag == "decimal":
        return name, int(str(element.get("maxValue"))), REG_DWORD
    if tag == "enum":
        last = list(element.iterfind("p:item/p:value/p:string", NS))[-1]
        return name, last.text, REG_SZ
    if tag == "multiText":
        lines: list[str]
        if decl.type == "object_list":
            assert decl.items is not None
            sample = {
                "check": {"type": "tcp", "name": "proxy", "host": "proxy", "port": 3128},
                "collector": {"type": "file_tail", "name": "log", "path": "C:\\app.log"},
                "feed": {"type": "statuspage", "name": "status",
                         "url": "https://status.example.org"},
            }[decl.items.name]
            lines = [json.dumps(sample)]
        else:
            lines = list(decl.values or ("first", "second"))
        return name, lines, REG_MULTI_SZ
    text = {"float": "1.5", "secret": "env:FLARE_TOKEN", "path": "C:\\Flare"}.get(decl.type, "x")
    return name, text, REG_EXPAND_SZ if element.get("expandable") == "true" else REG_SZ


class FakeRegistry:
    def __init__(self, values: dict[str, list[RegistryValue]]) -> None:
        self._values = values

    def values(self, key_path: str) -> list[RegistryValue] | None:
        return self._values.get(key_path)


@pytest.mark.parametrize("recommended", [False, True])
def test_what_group_policy_writes_is_read_back_without_problems(recommended: bool) -> None:
    decls = declarations_by_key()
    written = []
    for key, policy in policies(recommended).items():
        written.append(_registry_sample(decls[key], the_element(policy)))
    key_path = f"HKLM\\{POLICY_KEY}" + ("\\Recommended" if recommended else "")
    layer: Layer = "recommended" if recommended else "managed"
    entries, problems = read_registry_policy(
        FakeRegistry({key_path: written}), key_path, layer, decls
    )
    assert problems == []
    assert [e.key for e in entries] == [name for name, _, _ in written]


def test_example_policy_is_valid_for_flare_and_the_schema(tmp_path: Path) -> None:
    path = COMMITTED / "example-policy.json"
    entries, problems = read_json_settings(path, "managed", declarations_by_key())
    assert problems == []
    data = json.loads(path.read_text("utf-8"))
    assert [e.key for e in entries] == [k for k in data if not k.startswith("$")]
    jsonschema.validate(data, policy_schema())


def test_mobileconfig_payload_is_read_like_managed_preferences(tmp_path: Path) -> None:
    profile = plistlib.loads((COMMITTED / f"macos/{DOMAIN}.mobileconfig").read_bytes())
    assert profile["PayloadType"] == "Configuration"
    (payload,) = profile["PayloadContent"]
    assert payload["PayloadType"] == DOMAIN
    assert profile["PayloadUUID"] != payload["PayloadUUID"]
    # What macOS writes to /Library/Managed Preferences/<domain>.plist: the payload's own keys.
    prefs = {k: v for k, v in payload.items() if not k.startswith("Payload")}
    plist = tmp_path / f"{DOMAIN}.plist"
    plist.write_bytes(plistlib.dumps(prefs))
    entries, problems = read_plist_policy(
        plist, "managed", declarations_by_key(), trusted_uids=None
    )
    assert problems == []
    example = json.loads((COMMITTED / "example-policy.json").read_text("utf-8"))
    assert {e.key for e in entries} == {k for k in example if not k.startswith("$")}


def test_mdm_manifest_describes_every_key_as_a_valid_schema() -> None:
    manifest = json.loads((COMMITTED / f"macos/{DOMAIN}.json").read_text("utf-8"))
    assert list(manifest["properties"]) == [d.key for d in declaration()]
    jsonschema.Draft202012Validator.check_schema(manifest)
    good: dict[str, Any] = {"capture.step_limit": 5, "diagnostics.redact": ["email"]}
    jsonschema.validate(good, manifest)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"capture.step_limit": 0}, manifest)


def test_admin_guide_key_table_is_current() -> None:
    text = (ROOT / "docs" / "admin.md").read_text("utf-8")
    start, end = text.index(DOCS_BEGIN) + len(DOCS_BEGIN), text.index(DOCS_END)
    assert text[start:end].strip("\n") == policy_keys_markdown().strip("\n"), (
        f"docs/admin.md policy key table is stale: {REGEN}"
    )
    for decl in declaration():
        assert f"`{decl.key}`" in text[start:end]


def test_policy_templates_command_writes_the_set_and_the_schema(tmp_path: Path) -> None:
    ctx = AppContext.for_tests(tmp_path / "ctx")
    out = tmp_path / "out"
    assert main(["policy", "templates", "--out", str(out)], context_factory=lambda d: ctx) == 0
    for name, text in template_files().items():
        assert (out / name).read_text("utf-8") == text
    assert (out / "policy.schema.json").read_text("utf-8") == render_policy_schema()


def test_policy_templates_command_reports_an_unwritable_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx = AppContext.for_tests(tmp_path / "ctx")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code = main(["policy", "templates", "--out", str(blocker / "sub")], lambda d: ctx)
    assert code == 4
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot write the templates" in err[0]


def test_a_disabled_boolean_policy_turns_the_setting_off() -> None:
    decls = declarations_by_key()
    written = []
    for key, policy in policies(recommended=False).items():
        if decls[key].type != "bool":
            continue
        disabled = policy.find("p:disabledValue/p:decimal", NS)
        assert disabled is not None, key
        written.append((key, int(str(disabled.get("value"))), REG_DWORD))
    assert written, "the declaration has no boolean settings to check"
    key_path = f"HKLM\\{POLICY_KEY}"
    entries, problems = read_registry_policy(
        FakeRegistry({key_path: written}), key_path, "managed", decls
    )
    assert problems == []
    assert {e.key: e.value for e in entries} == {name: False for name, _, _ in written}


@pytest.mark.parametrize("language", LANGUAGES)
def test_enum_items_are_labelled_in_the_language_of_the_adml(language: str) -> None:
    doc = adml(LOCALES[language])
    texts = {s.get("id"): s.text or "" for s in doc.iterfind(".//p:stringTable/p:string", NS)}
    labels = {}
    for policy in policies(recommended=False).values():
        enum = policy.find("p:elements/p:enum", NS)
        if enum is None:
            continue
        for item in enum.iterfind("p:item", NS):
            value = item.findtext("p:value/p:string", namespaces=NS)
            ref = str(item.get("displayName"))[len("$(string.") : -1]
            label = texts[ref]
            # A word for people, with the raw value after it for the administrator's reference.
            assert label.endswith(f" ({value})") and len(label) > len(f" ({value})") + 1, label
            labels[ref] = label
    assert labels, "the declaration has no enum settings to check"
    if language != "en":
        english = adml("en-US")
        english_texts = {
            s.get("id"): s.text for s in english.iterfind(".//p:stringTable/p:string", NS)
        }
        translated = [ref for ref, label in labels.items() if label != english_texts[ref]]
        assert len(translated) >= len(labels) // 2, "enum labels are not translated"


def test_each_policy_is_supported_from_the_version_that_introduced_its_setting() -> None:
    decls = declaration()
    newer = [
        d._replace(since="0.2") if d.key == "general.autostart" else d for d in decls
    ]
    root = ET.fromstring(render_admx(newer))
    definitions = {
        d.get("name"): d.get("displayName")
        for d in root.iterfind("p:supportedOn/p:definitions/p:definition", NS)
    }
    assert set(definitions) == {"SUPPORTED_Flare_0_1", "SUPPORTED_Flare_0_2"}
    by_key = {d.key: d for d in newer}
    for policy in root.iterfind("p:policies/p:policy", NS):
        ref = policy.find("p:supportedOn", NS)
        assert ref is not None
        want = "SUPPORTED_Flare_" + by_key[value_name(policy)].since.replace(".", "_")
        assert ref.get("ref") == want, policy.get("name")
    words = {"en": "Flare 0.2 and later", "ru": "Flare 0.2 и новее", "uk": "Flare 0.2 і новіші"}
    for language, text in words.items():
        strings = {
            s.get("id"): s.text
            for s in ET.fromstring(render_adml(language, newer)).iterfind(".//p:string", NS)
        }
        assert strings["SUPPORTED_Flare_0_2"] == text
    # The committed templates: every setting so far is read since 0.1.
    assert {d.since for d in decls} == {"0.1"}


def test_the_recommended_profile_is_read_as_recommended_preferences(tmp_path: Path) -> None:
    name = f"macos/{DOMAIN}.recommended.mobileconfig"
    profile = plistlib.loads((COMMITTED / name).read_bytes())
    (payload,) = profile["PayloadContent"]
    assert payload["PayloadType"] == "com.apple.ManagedClient.preferences"
    (once,) = payload["PayloadContent"][DOMAIN]["Set-Once"]
    assert "Forced" not in payload["PayloadContent"][DOMAIN]
    # What macOS writes into the user's ~/Library/Preferences/<domain>.plist, set once.
    plist = tmp_path / f"{DOMAIN}.plist"
    plist.write_bytes(plistlib.dumps(once["mcx_preference_settings"]))
    entries, problems = user_changeable_only(
        read_plist_policy(plist, "recommended", declarations_by_key(), trusted_uids=None),
        declarations_by_key(),
    )
    assert problems == []
    assert {e.key: e.value for e in entries} == once["mcx_preference_settings"]
