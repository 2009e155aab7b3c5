"""The declaration: every promised key exists with its type, default and bounds; bad ones fail."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import resources
from app.settings import Settings, declaration
from app.settings.declaration import (
    DECLARATION_COPY,
    DeclarationError,
    _CheckedOnUse,
    check_declaration,
    declaration_copy,
    parse_declaration,
)

# The keys other areas code against: key -> (type, default). Changing one is an API change.
PROMISED: dict[str, tuple[str, object]] = {
    "general.language": ("enum", "auto"),
    "general.organisation": ("str", ""),
    "general.support_url": ("str", ""),
    "general.app_name": ("str", "Flare"),
    "general.allow_quit": ("bool", True),
    "general.log_level": ("enum", "info"),
    "reports.folder": ("path", None),
    "reports.bundle_format": ("enum", "folder"),
    "destination.type": ("str", "folder"),
    "destination.url": ("str", ""),
    "destination.spec": ("path", None),
    "destination.queue": ("str", ""),
    "destination.project": ("str", ""),
    "destination.token": ("secret", ""),
    "destination.username": ("str", ""),
    "destination.image_format": ("enum", "webp"),
    "destination.max_attachment_mb": ("int", 10),
    "destination.ca_bundle": ("path", None),
    "destination.proxy": ("str", ""),
    "destination.proxy_pac_url": ("str", ""),
    "destination.poll_minutes": ("int", 15),
    "capture.enabled": ("bool", True),
    "capture.stamp_corner": ("enum", "bottom-right"),
    "capture.stamp_scale": ("float", 1.0),
    "capture.window_title": ("bool", True),
    "capture.step_limit": ("int", 50),
    "capture.click_capture": ("bool", True),
    "capture.replay_enabled": ("bool", False),
    "capture.replay_seconds": ("int", 60),
    "capture.replay_interval_s": ("float", 1.0),
    "diagnostics.enabled": ("bool", True),
    "diagnostics.budget_s": ("float", 5.0),
    "diagnostics.disabled_collectors": ("str_list", []),
    "diagnostics.restart_after_days": ("int", 7),
    "diagnostics.low_disk_percent": ("int", 10),
    "diagnostics.checks": ("object_list", []),
    "diagnostics.custom": ("object_list", []),
    "diagnostics.applications": ("str_list", []),
    "diagnostics.redact": ("str_list", []),
    "diagnostics.time_source": ("str", ""),
    "diagnostics.log_minutes": ("int", 30),
    "form.file": ("path", None),
    "form.min_quality": ("int", 60),
    "form.allow_attachments": ("bool", True),
    "tray.show_incidents": ("bool", True),
}


def test_every_promised_key_is_declared_with_its_type_and_default() -> None:
    decls = {d.key: d for d in declaration()}
    assert set(PROMISED) <= set(decls)
    for key, (type_, default) in PROMISED.items():
        assert (decls[key].type, decls[key].default) == (type_, default), key
        assert Settings.defaults().get(key) == default


@pytest.mark.parametrize(
    ("key", "low", "high"),
    [
        ("capture.step_limit", 1, 500),
        ("capture.stamp_scale", 0.5, 4.0),
        ("capture.replay_seconds", 10, 600),
        ("capture.replay_interval_s", 0.2, 10.0),
        ("form.min_quality", 0, 100),
    ],
)
def test_bounds_match_the_brief(key: str, low: float, high: float) -> None:
    decl = next(d for d in declaration() if d.key == key)
    assert (decl.minimum, decl.maximum) == (low, high)


def test_enum_values() -> None:
    decls = {d.key: d for d in declaration()}
    assert decls["general.language"].values == ("auto", "en", "ru", "uk")
    assert decls["capture.stamp_corner"].values == (
        "top-left",
        "top-right",
        "bottom-left",
        "bottom-right",
    )
    assert decls["diagnostics.redact"].values == ("email", "ip", "mac", "hostname", "username")
    assert decls["destination.image_format"].values == ("webp", "png")


def test_descriptions_exist_in_all_shipped_languages() -> None:
    for decl in declaration():
        assert set(decl.description) == {"en", "ru", "uk"}, decl.key
        assert all(text.strip() for text in decl.description.values()), decl.key


def test_declaration_returns_a_fresh_list() -> None:
    first = declaration()
    first.clear()
    assert declaration()


def test_administrator_only_keys_are_not_user_changeable() -> None:
    decls = {d.key: d for d in declaration()}
    for key in ("general.app_name", "general.allow_quit", "diagnostics.custom", "form.file"):
        assert not decls[key].user_changeable, key
    assert decls["capture.step_limit"].user_changeable


_GOOD = """
settings:
  - key: a.b
    type: int
    min: 1
    max: 3
    default: 2
    user: true
    description: {en: x}
"""


def test_a_minimal_declaration_parses() -> None:
    decls = parse_declaration(_GOOD)
    assert decls["a.b"].default == 2
    assert decls["a.b"].since == "0.1"
    assert (
        parse_declaration(_GOOD.replace("user: true", 'user: true\n    since: "0.3"'))["a.b"].since
        == "0.3"
    )


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (("default: 2", "default: 9"), "default is invalid"),
        (("type: int", "type: integer"), "type must be one of"),
        (("key: a.b", "key: ab"), "section.name"),
        (("min: 1", "min: 5"), "'min' is above 'max'"),
        (("    user: true\n", ""), "'user: true|false' is required"),
        (("description: {en: x}", "description: {de: x}"), "description"),
        (("type: int", "type: enum"), "enum needs 'values'"),
        (("user: true", "user: true\n    since: 0.2"), "'since' must be a version"),
        (("user: true", "user: true\n    since: 'next'"), "'since' must be a version"),
    ],
)
def test_bad_declarations_fail_loudly(change: tuple[str, str], needle: str) -> None:
    with pytest.raises(DeclarationError, match=needle):
        parse_declaration(_GOOD.replace(*change))


def test_duplicate_key_in_declaration_fails() -> None:
    doubled = _GOOD + _GOOD.split("settings:\n", 1)[1]
    with pytest.raises(DeclarationError, match="declared twice"):
        parse_declaration(doubled)


def test_declaration_file_is_in_the_resources_package() -> None:
    import resources

    folder = Path(resources.__file__).parent / "settings"
    assert (folder / "declaration.yaml").is_file()
    assert (folder / "__init__.py").is_file()  # so setuptools packages the YAML


def test_the_copy_flare_reads_is_the_yaml() -> None:
    committed = (Path(resources.__file__).parent / "settings" / DECLARATION_COPY).read_text()
    assert committed == declaration_copy(), (
        "resources/settings/declared.py is out of date; regenerate it with "
        'python -c "from app.settings.declaration import write_declaration_copy as w; w()"'
    )


def test_start_up_reads_the_copy_without_yaml_or_json() -> None:
    probe = (
        "import sys\nfrom app.settings.declaration import declarations_by_key\n"
        "assert declarations_by_key()['general.language'].default == 'auto'\n"
        "print('yaml' in sys.modules, 'json' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False False"


def _shipped_copy() -> dict[str, object]:
    from resources.settings.declared import DECLARATION

    return DECLARATION


def test_every_entry_of_the_shipped_copy_passes_the_checks() -> None:
    # Start-up checks each entry of the copy at its first use; this checks all of them.
    doc = _shipped_copy()
    assert dict(_CheckedOnUse(doc)) == check_declaration(doc)
    assert list(_CheckedOnUse(doc)) == [d.key for d in declaration()]


def test_an_entry_is_checked_when_first_read_and_the_others_still_work() -> None:
    import yaml

    doc = yaml.safe_load(_GOOD.replace("settings:\n", "settings:\n  - {key: c.d, type: int, "
                                       "default: x, user: true, description: {en: y}}\n"))
    decls = _CheckedOnUse(doc)
    assert "c.d" in decls and len(decls) == 2
    assert decls["a.b"].default == 2
    with pytest.raises(DeclarationError, match="c.d: default is invalid"):
        decls["c.d"]
    with pytest.raises(KeyError):
        decls["no.such"]


def test_a_doubled_key_in_the_copy_fails_at_once() -> None:
    import yaml

    doc = yaml.safe_load(_GOOD + _GOOD.split("settings:\n", 1)[1])
    with pytest.raises(DeclarationError, match="declared twice"):
        _CheckedOnUse(doc)


def test_reading_one_setting_builds_one_declaration() -> None:
    decls = _CheckedOnUse(_shipped_copy())
    settings = Settings(decls=decls)
    assert settings.get("general.language") == "auto"
    assert list(decls._built) == ["general.language"]
    assert len(list(settings.items())) == len(decls) == len(decls._built)
