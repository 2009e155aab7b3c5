"""The committed JSON Schemas match the code, and real reports validate against them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from pydantic import ValidationError

from app.errors import BundleError
from app.report import (
    SCHEMA_VERSION,
    SUPPORTED_SCHEMA_VERSIONS,
    AffectedIncident,
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


def _bundle_json(tmp_path: Path, report: Report) -> dict[str, object]:
    from app.bundle import write_bundle

    _, files, diagnostics = sample_report()
    path = write_bundle(report, files, tmp_path, diagnostics=diagnostics)
    data: dict[str, object] = json.loads((path / "report.json").read_text("utf-8"))
    return data


def test_a_bundle_is_written_with_the_lowest_version_that_holds_it(tmp_path: Path) -> None:
    report, _, _ = sample_report()
    assert report.fields_of_version_2() == []
    assert _bundle_json(tmp_path / "plain", report)["schema_version"] == 1
    joined = report.model_copy(update={"affected": AffectedIncident(incident_id="INC-1"),
                                       "add_to_ticket": "42"})
    assert _bundle_json(tmp_path / "joined", joined)["schema_version"] == 2
    assert joined.fields_of_version_2() == ["add_to_ticket", "affected"]


def test_both_versions_are_read_and_a_mislabelled_one_is_refused(tmp_path: Path) -> None:
    from app.bundle import read_bundle, write_bundle

    report, files, diagnostics = sample_report()
    joined = report.model_copy(update={"affected_incidents": ["INC-1"]})
    path = write_bundle(joined, files, tmp_path, diagnostics=diagnostics)
    assert read_bundle(path).report.affected_incidents == ["INC-1"]
    data = json.loads((path / "report.json").read_text("utf-8"))
    (path / "report.json").write_text(json.dumps(data | {"schema_version": 1}), "utf-8")
    with pytest.raises(BundleError, match="says schema_version 1 but has affected_incidents, "
                                          "which came with schema_version 2"):
        read_bundle(path)


def test_a_newer_version_says_update_flare_in_one_line(tmp_path: Path) -> None:
    from app.bundle import read_bundle, write_bundle

    report, files, diagnostics = sample_report()
    path = write_bundle(report, files, tmp_path, diagnostics=diagnostics)
    data = json.loads((path / "report.json").read_text("utf-8"))
    (path / "report.json").write_text(json.dumps(data | {"schema_version": 3}), "utf-8")
    with pytest.raises(BundleError) as caught:
        read_bundle(path)
    message = str(caught.value)
    assert "\n" not in message
    assert "schema_version 3" in message and "(it reads 1, 2)" in message
    assert message.endswith("it comes from a newer Flare: update Flare")
