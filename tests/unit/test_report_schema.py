"""The committed JSON Schemas match the code, and real reports validate against them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib import resources

import jsonschema
import pytest
from pydantic import ValidationError

from app.report import (
    SCHEMA_VERSION,
    SUPPORTED_SCHEMA_VERSIONS,
    Diagnostics,
    Report,
    json_schemas,
    schema_version_problem,
)
from tests.factories import sample_report


@pytest.mark.parametrize("name", ["report.schema.json", "diagnostics.schema.json"])
def test_committed_schema_is_current(name: str) -> None:
    committed = resources.files("resources").joinpath(f"schema/{name}").read_text("utf-8")
    assert committed == json_schemas()[name], (
        f"resources/schema/{name} is stale: run `python -m app.report` and commit the result"
    )


def test_sample_report_validates_against_committed_schema() -> None:
    report, _, diagnostics = sample_report()
    schema = json.loads(json_schemas()["report.schema.json"])
    jsonschema.validate(report.model_dump(mode="json"), schema)
    schema = json.loads(json_schemas()["diagnostics.schema.json"])
    jsonschema.validate(diagnostics.model_dump(mode="json"), schema)
    bad = report.model_dump(mode="json") | {"priority": {"level": "whenever"}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, json.loads(json_schemas()["report.schema.json"]))


def test_one_schema_version_check_for_report_and_diagnostics() -> None:
    assert SCHEMA_VERSION in SUPPORTED_SCHEMA_VERSIONS
    assert schema_version_problem(SCHEMA_VERSION) is None
    for bad in (max(SUPPORTED_SCHEMA_VERSIONS) + 1, True, "1", None):
        problem = schema_version_problem(bad, "diagnostics.json")
        assert problem is not None and problem.startswith("diagnostics.json has schema_version")
    with pytest.raises(ValidationError, match="report.json has schema_version 99"):
        Report(created_at=datetime.now(UTC), schema_version=99)
    with pytest.raises(ValidationError, match="diagnostics.json has schema_version 99"):
        Diagnostics(schema_version=99)
