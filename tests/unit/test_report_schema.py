"""The committed JSON Schemas match the code, and real reports validate against them."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from app.report import json_schemas
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
