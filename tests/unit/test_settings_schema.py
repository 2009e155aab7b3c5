"""The committed policy schema matches the declaration, and it accepts and rejects like Flare."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import jsonschema
import pytest

from app.settings.schema import policy_schema, render_policy_schema


def committed() -> str:
    return resources.files("resources").joinpath("schema/policy.schema.json").read_text("utf-8")


def test_committed_schema_is_current() -> None:
    assert committed() == render_policy_schema(), (
        "resources/schema/policy.schema.json is stale: run "
        "`python -m app.settings.schema > resources/schema/policy.schema.json`"
    )


def test_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(committed()))


GOOD: list[dict[str, Any]] = [
    {"capture.step_limit": 20, "general.language": "ru"},
    {"$schema": "policy.schema.json", "capture": {"step_limit": 20, "stamp_scale": 2.5}},
    {"diagnostics.checks": [{"type": "tcp", "name": "p", "host": "h", "port": 3128}]},
    {"diagnostics.custom": [{"type": "command", "name": "ip", "argv": ["ip", "a"]}]},
    {"destination.token": "keyring:flare", "diagnostics.redact": ["email"]},
    {"reports.folder": ""},
]
BAD: list[dict[str, Any]] = [
    {"capture.steplimit": 20},
    {"capture.step_limit": 0},
    {"capture.step_limit": "20"},
    {"capture": {"step_limt": 20}},
    {"capture.stamp_corner": "middle"},
    {"diagnostics.checks": [{"type": "tcp", "name": "p", "host": "h"}]},
    {"diagnostics.checks": [{"type": "dns", "name": "d", "host": "h", "extra": 1}]},
    {"diagnostics.redact": ["phone"]},
    {"destination.token": "plain-token"},
]


@pytest.mark.parametrize("policy", GOOD)
def test_valid_policies_validate(policy: dict[str, Any]) -> None:
    jsonschema.validate(policy, policy_schema())


@pytest.mark.parametrize("policy", BAD)
def test_invalid_policies_are_rejected(policy: dict[str, Any]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(policy, policy_schema())


def test_schema_module_runs_as_a_program() -> None:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "app.settings.schema"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert out == committed()
