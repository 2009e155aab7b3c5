"""`flare policy` as a user runs it: a real process, policy taken from FLARE_POLICY_DIR."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def flare(args: list[str], tmp_path: Path, policy_dir: Path) -> subprocess.CompletedProcess[str]:
    home = tmp_path / "home"
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_STATE_HOME": str(home / ".local/state"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "FLARE_POLICY_DIR": str(policy_dir),
    }
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_policy_show_reads_the_policy_dir_and_the_user_file(tmp_path: Path) -> None:
    policy = tmp_path / "pol"
    (policy / "managed").mkdir(parents=True)
    for folder in (policy, policy / "managed"):
        folder.chmod(0o755)
    managed = policy / "managed" / "10.json"
    managed.write_text('{"capture.step_limit": 20}', "utf-8")
    managed.chmod(0o644)
    user_file = tmp_path / "home/.config/Flare/settings.json"
    user_file.parent.mkdir(parents=True)
    user_file.write_text('{"capture.step_limit": 30, "general.language": "uk"}', "utf-8")

    result = flare(["policy", "show", "--json"], tmp_path, policy)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    by_key = {s["key"]: s for s in data["settings"]}
    assert by_key["capture.step_limit"]["value"] == 20
    assert by_key["capture.step_limit"]["locked"] is True
    assert by_key["capture.step_limit"]["location"] == f"{managed}:1:2"
    assert by_key["general.language"]["value"] == "uk"
    assert by_key["general.language"]["layer"] == "user"

    managed.chmod(0o666)
    result = flare(["policy", "show"], tmp_path, policy)
    assert result.returncode == 0, result.stderr
    assert "chmod 644" in result.stdout
    step_line = next(x for x in result.stdout.splitlines() if x.startswith("capture.step_limit"))
    assert step_line.split()[1:] == ["30", "user:", f"{user_file}:1:2"]
