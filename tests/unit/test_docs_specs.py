"""Every example spec in docs/helpdesks.md passes the checker (what IT staff copy must work)."""

from __future__ import annotations

import pytest

from app.helpdesk.spec.model import check_spec, read_spec_yaml
from tests.docs_specs import doc_specs


def test_the_docs_have_example_specs() -> None:
    assert [name for name, _ in doc_specs()] == ["roundup", "listdesk"]


@pytest.mark.parametrize(("name", "text"), doc_specs(), ids=[n for n, _ in doc_specs()])
def test_each_example_spec_passes_the_checker(name: str, text: str) -> None:
    problems, spec = check_spec(read_spec_yaml(text, f"docs/helpdesks.md ({name})"), name)
    assert problems == []
    assert spec is not None and "submit" in spec.operations
