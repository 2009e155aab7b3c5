"""Linux policy folders: merge order, layering, ownership checks and precise problem locations."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app.settings import POLICY_DIR_ENV, PolicySources, Settings, load_settings
from app.settings.declaration import declarations_by_key
from app.settings.policy_files import read_json_settings, read_policy_folder, trusted_owners


def make_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o755)  # independent of the umask of whoever runs the tests
    return path


def write(path: Path, content: object, mode: int = 0o644) -> Path:
    make_dir(path.parent)
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    path.chmod(mode)
    return path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_dir(tmp_path / "policies")


def load(root: Path, user_file: Path | None = None) -> Settings:
    return load_settings(user_file, policy_dir=root, platform="linux", env={})


def problem_at(settings: Settings, location_suffix: str) -> str:
    found = [p for p in settings.problems if p.location.endswith(location_suffix)]
    assert found, f"no problem at {location_suffix}: {settings.problems}"
    return found[0].message


# --- layering and provenance ----------------------------------------------------------------


def test_layers_apply_in_order_default_recommended_user_managed(root: Path, tmp_path: Path) -> None:
    write(
        root / "recommended/r.json",
        {"capture.step_limit": 11, "capture.replay_seconds": 20, "general.language": "ru"},
    )
    user = write(tmp_path / "user.json", {"capture.step_limit": 22, "general.language": "uk"})
    write(root / "managed/m.json", {"capture.step_limit": 33})
    s = load(root, user)
    assert s.get("capture.step_limit") == 33  # managed beats user
    assert s.get("general.language") == "uk"  # user beats recommended
    assert s.get("capture.replay_seconds") == 20  # recommended beats default
    assert s.get("capture.replay_interval_s") == 1.0  # default
    assert s.source("capture.step_limit").layer == "managed"
    assert s.source("general.language").layer == "user"
    assert s.source("capture.replay_seconds").layer == "recommended"
    assert s.source("capture.replay_interval_s").layer == "default"
    assert s.is_locked("capture.step_limit")
    assert not s.is_locked("capture.replay_seconds")
    assert s.problems == []


def test_source_location_is_file_line_and_column_of_the_key(root: Path) -> None:
    path = write(
        root / "managed/m.json",
        '{\n  "general.organisation": "ACME",\n  "capture": {\n      "step_limit": 7\n  }\n}\n',
    )
    s = load(root)
    assert s.source("general.organisation").location == f"{path}:2:3"
    assert s.source("capture.step_limit").location == f"{path}:4:7"
    assert s.get("capture.step_limit") == 7


def test_files_merge_in_file_name_order_later_wins(root: Path) -> None:
    write(root / "managed/20-site.json", {"capture.step_limit": 20, "general.app_name": "Site"})
    b = write(root / "managed/10-base.json", {"capture.step_limit": 10, "form.min_quality": 70})
    c = write(root / "managed/30-team.json", {"capture.step_limit": 30})
    write(root / "managed/99-notes.txt", "not a policy")  # only *.json is read
    s = load(root)
    assert s.get("capture.step_limit") == 30
    assert s.source("capture.step_limit").location.startswith(f"{c}:")
    assert s.get("general.app_name") == "Site"
    assert s.source("form.min_quality").location.startswith(f"{b}:")
    assert s.problems == []


def test_recommended_value_can_be_overridden_by_the_user(root: Path, tmp_path: Path) -> None:
    write(root / "recommended/r.json", {"capture.click_capture": True})
    s = load(root)
    assert s.get("capture.click_capture") is True and not s.is_locked("capture.click_capture")
    user_file = tmp_path / "cfg/settings.json"
    s2 = s.set_user("capture.click_capture", False, user_file)
    assert s2.get("capture.click_capture") is False
    assert s2.source("capture.click_capture").layer == "user"
    assert load(root, user_file).get("capture.click_capture") is False


def test_typed_values_of_every_kind(root: Path) -> None:
    write(
        root / "managed/m.json",
        {
            "reports.folder": "~/Reports",
            "capture.stamp_scale": 2,
            "destination.token": "keyring:flare-helpdesk",
            "diagnostics.redact": ["email", "ip"],
            "diagnostics.custom": [{"type": "command", "name": "ip", "argv": ["ip", "addr"]}],
        },
    )
    s = load(root)
    assert s.get("reports.folder") == Path("~/Reports")
    assert s.get("capture.stamp_scale") == 2.0 and isinstance(s.get("capture.stamp_scale"), float)
    assert s.get("destination.token") == "keyring:flare-helpdesk"
    assert s.get("diagnostics.redact") == ["email", "ip"]
    assert s.get("diagnostics.custom") == [
        {"type": "command", "name": "ip", "argv": ["ip", "addr"]}
    ]


def test_schema_key_and_bom_are_accepted(root: Path) -> None:
    path = root / "managed/m.json"
    make_dir(path.parent)
    path.write_bytes(b'\xef\xbb\xbf{"$schema": "policy.schema.json", "capture.step_limit": 5}')
    path.chmod(0o644)
    s = load(root)
    assert s.get("capture.step_limit") == 5 and s.problems == []


# --- ownership and permissions -------------------------------------------------------------


def test_world_writable_file_is_refused_and_the_fix_is_named(root: Path) -> None:
    bad = write(root / "managed/10-bad.json", {"capture.step_limit": 3}, mode=0o666)
    write(root / "managed/20-good.json", {"form.min_quality": 80})
    s = load(root)
    assert s.get("capture.step_limit") == 50  # the refused file changed nothing
    assert s.get("form.min_quality") == 80  # the other file still applies
    message = problem_at(s, str(bad))
    assert "other users" in message and "chmod 644" in message


def test_group_writable_folder_is_refused(root: Path) -> None:
    write(root / "managed/m.json", {"capture.step_limit": 3})
    (root / "managed").chmod(0o775)
    s = load(root)
    assert s.get("capture.step_limit") == 50
    assert "chmod 755" in problem_at(s, "managed")


def test_file_of_another_owner_is_refused(root: Path) -> None:
    path = write(root / "managed/m.json", {"capture.step_limit": 3})
    if os.getuid() == 0:
        os.chown(path, 65534, 65534)  # "nobody": neither root nor the current user
        trusted = trusted_owners(relaxed=True)
    else:
        trusted = trusted_owners(relaxed=False)  # strict mode: only root's files count
    assert trusted is not None
    entries, problems = read_policy_folder(
        root / "managed", "managed", declarations_by_key(), trusted_uids=trusted
    )
    assert entries == []
    assert "chown root" in problems[0].message and problems[0].location == str(path)


def test_relaxed_trust_accepts_the_current_user() -> None:
    assert trusted_owners(relaxed=True) == frozenset({0, os.getuid()})
    assert trusted_owners(relaxed=False) == frozenset({0})


# --- bad input: reported precisely, skipped, the rest applies ---------------------------------


def test_unknown_key_suggests_the_closest(root: Path) -> None:
    path = write(
        root / "managed/m.json", '{\n  "capture.steplimit": 3,\n  "form.min_quality": 1\n}'
    )
    s = load(root)
    message = problem_at(s, f"{path}:2:3")
    assert '"capture.steplimit"' in message and '"capture.step_limit"' in message
    assert s.get("form.min_quality") == 1


def test_unknown_nested_key_is_located(root: Path) -> None:
    path = write(root / "managed/m.json", '{"capture": {\n "stamp_corners": "top-left"}}')
    assert "capture.stamp_corner" in problem_at(load(root), f"{path}:2:2")


def test_unknown_section_is_reported(root: Path) -> None:
    path = write(root / "managed/m.json", '{"captrue": {"step_limit": 3}}')
    s = load(root)
    assert "unknown setting" in problem_at(s, f"{path}:1:2")
    assert s.get("capture.step_limit") == 50


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ('"20"', 'expected a whole number from 1 to 500, got "20"'),
        ("0", "from 1 to 500, got 0"),
        ("501", "got 501"),
        ("20.5", "got 20.5"),
        ("true", "got true"),
        ("null", "got null"),
    ],
)
def test_wrong_type_or_range_is_located_at_the_key(root: Path, value: str, needle: str) -> None:
    path = write(
        root / "managed/m.json", f'{{"form.min_quality": 5,\n\n     "capture.step_limit": {value}}}'
    )
    s = load(root)
    message = problem_at(s, f"{path}:3:6")
    assert needle in message and "ignored" in message
    assert s.get("capture.step_limit") == 50 and not s.is_locked("capture.step_limit")
    assert s.get("form.min_quality") == 5


def test_enum_typo_gets_a_suggestion(root: Path) -> None:
    write(root / "managed/m.json", {"capture.stamp_corner": "botom-left"})
    s = load(root)
    assert '(did you mean "bottom-left"?)' in s.problems[0].message


def test_float_range(root: Path) -> None:
    write(root / "managed/m.json", {"capture.stamp_scale": 4.5, "capture.replay_interval_s": 0.2})
    s = load(root)
    assert s.get("capture.stamp_scale") == 1.0
    assert s.get("capture.replay_interval_s") == 0.2
    assert "from 0.5 to 4" in s.problems[0].message


def test_broken_json_reports_line_and_column_and_other_files_apply(root: Path) -> None:
    bad = write(root / "managed/10.json", '{\n  "capture.step_limit": 5,\n}\n')
    write(root / "managed/20.json", {"form.min_quality": 90})
    s = load(root)
    assert s.get("capture.step_limit") == 50
    assert s.get("form.min_quality") == 90
    [problem] = s.problems
    assert problem.location == f"{bad}:3:1"
    assert "not valid JSON" in problem.message


def test_not_an_object_is_reported(root: Path) -> None:
    path = write(root / "managed/m.json", "[1, 2]")
    [problem] = load(root).problems
    assert problem.location == f"{path}:1:1" and "expected an object" in problem.message


def test_non_utf8_file_is_reported(root: Path) -> None:
    path = root / "managed/m.json"
    write(path, "")
    path.write_bytes(b'{"general.organisation": "\xe9"}')
    [problem] = load(root).problems
    assert "UTF-8" in problem.message


def test_duplicate_key_is_reported_and_the_last_wins(root: Path) -> None:
    path = write(root / "managed/m.json", '{"capture.step_limit": 5,\n "capture.step_limit": 6}')
    s = load(root)
    assert s.get("capture.step_limit") == 6
    assert "more than once" in problem_at(s, f"{path}:2:2")


def at(text: str, line: int, needle: str) -> str:
    """ "line:col" of the first ``needle`` on 1-based ``line`` of ``text``."""
    return f"{line}:{text.splitlines()[line - 1].index(needle) + 1}"


def test_bad_list_items_are_dropped_one_by_one_with_their_location(root: Path) -> None:
    text = """{"diagnostics.checks": [
  {"type": "dns", "name": "ad", "host": "dc.example"},
  {"type": "tcp", "name": "proxy", "host": "proxy", "port": 99999},
  {"type": "http", "name": "portal"},
  {"type": "tls", "name": "ad", "host": "dc.example"},
  {"type": "ping", "name": "gw", "host": "gw"},
  {"type": "tcp", "name": "db", "host": "db", "port": 5432, "timout_s": 2}
],
"diagnostics.redact": ["email", "phone", "ip"]}"""
    path = write(root / "managed/m.json", text)
    s = load(root)
    assert [c["name"] for c in s.get("diagnostics.checks")] == ["ad"]
    assert s.get("diagnostics.redact") == ["email", "ip"]
    assert s.is_locked("diagnostics.checks")
    by_location = {p.location.removeprefix(f"{path}:"): p.message for p in s.problems}
    assert len(by_location) == len(s.problems) == 6
    assert "65535" in by_location[at(text, 3, '"port"')]
    assert '"http" item needs "url"' in by_location["4:3"]  # the item itself
    assert "unique name" in by_location[at(text, 5, '"name"')]
    assert 'one of dns, tcp, http, tls, got "ping"' in by_location[at(text, 6, '"type"')]
    assert '"timout_s" (did you mean "timeout_s"?)' in by_location[at(text, 7, '"timout_s"')]
    assert "item 2" in by_location[at(text, 9, '"phone"')]


def test_custom_collector_requirements(root: Path) -> None:
    write(
        root / "managed/m.json",
        {
            "diagnostics.custom": [
                {"type": "file_tail", "name": "log", "path": "/var/log/x.log", "lines": 50},
                {"type": "command", "name": "nocmd"},
                {"type": "command", "name": "ip", "argv": "ip addr"},
                {
                    "type": "registry",
                    "name": "proxy",
                    "key": r"HKCU\Software\X",
                    "value": "ProxyServer",
                },
            ]
        },
    )
    s = load(root)
    assert [c["name"] for c in s.get("diagnostics.custom")] == ["log", "proxy"]
    messages = " | ".join(p.message for p in s.problems)
    assert 'needs "argv"' in messages and "argv: expected a list of text values" in messages


def test_a_pasted_secret_is_refused_without_repeating_it(root: Path) -> None:
    write(root / "managed/m.json", {"destination.token": "s3cr3t-t0ken-value"})
    s = load(root)
    assert s.get("destination.token") == ""
    assert "keyring:NAME" in s.problems[0].message
    assert "s3cr3t" not in s.problems[0].message


# --- where the policy comes from --------------------------------------------------------------


def test_env_var_points_the_reader_elsewhere(root: Path, tmp_path: Path) -> None:
    write(root / "managed/m.json", {"capture.step_limit": 4})
    empty_system = make_dir(tmp_path / "etc")
    s = load_settings(
        None,
        platform="linux",
        env={POLICY_DIR_ENV: str(root)},
        sources=PolicySources(linux_dir=empty_system),
    )
    assert s.get("capture.step_limit") == 4


def test_env_var_cannot_escape_system_managed_policy(root: Path, tmp_path: Path) -> None:
    write(root / "managed/m.json", {"capture.step_limit": 4})
    system = make_dir(tmp_path / "etc")
    write(system / "managed/site.json", {"capture.step_limit": 9})
    s = load_settings(
        None,
        platform="linux",
        env={POLICY_DIR_ENV: str(root)},
        sources=PolicySources(linux_dir=system),
    )
    assert s.get("capture.step_limit") == 9
    assert any(POLICY_DIR_ENV in p.message and "ignored" in p.message for p in s.problems)


def test_env_var_to_a_missing_folder_is_a_problem(tmp_path: Path) -> None:
    s = load_settings(
        None,
        platform="linux",
        env={POLICY_DIR_ENV: str(tmp_path / "nope")},
        sources=PolicySources(linux_dir=tmp_path / "absent"),
    )
    assert "not a folder" in s.problems[0].message


def test_no_policy_at_all_gives_defaults_without_problems(tmp_path: Path) -> None:
    s = load_settings(
        None, platform="linux", env={}, sources=PolicySources(linux_dir=tmp_path / "absent")
    )
    assert s.problems == [] and not any(item.locked for item in s.items())
    assert s.as_dict() == Settings.defaults().as_dict()


def test_read_json_settings_user_layer_refuses_admin_only_keys(tmp_path: Path) -> None:
    path = write(tmp_path / "user.json", {"general.app_name": "Mine", "capture.step_limit": 3})
    entries, problems = read_json_settings(path, "user", declarations_by_key())
    assert [e.key for e in entries] == ["capture.step_limit"]
    assert "only be set by the administrator" in problems[0].message
    assert problems[0].location == f"{path}:1:2"
