"""GitLab contract: a real bundle through registry -> gitlab.yaml -> engine, checked by a
loopback server that enforces the documented REST API v4."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.helpdesk.errors import DeliveryError
from tests.integration.contract_server import (
    ContractServer,
    Reply,
    contract_connector,
    open_sample,
    sent_files,
    serve,
)
from tests.integration.vendor_fakes.gitlab import GitLabFake

PROJECT, TOKEN = "it/helpdesk", "glpat-contract"


@pytest.fixture()
def server() -> Iterator[ContractServer]:
    with serve(GitLabFake(PROJECT, TOKEN)) as s:
        yield s


def test_gitlab_uploads_then_references_markdown_in_the_issue(server: ContractServer,
                                                              tmp_path: Path) -> None:
    """Docs: https://docs.gitlab.com/api/project_markdown_uploads/ ("Upload a file": POST
    /projects/:id/uploads, form field ``file``, answer ``markdown``) and
    https://docs.gitlab.com/api/issues/ ("New issue": ``title``, ``description``,
    ``labels``, ``confidential``); https://docs.gitlab.com/api/rest/authentication/
    (``PRIVATE-TOKEN``); namespaced paths are URL-encoded (https://docs.gitlab.com/api/rest/)."""
    bundle = open_sample(tmp_path)
    conn = contract_connector("gitlab", server, TOKEN, project=PROJECT)
    ref = conn.submit(bundle)

    assert server.violations == []
    posts = [r.raw_path for r in server.received if r.method == "POST"]
    assert posts == ["/api/v4/projects/it%2Fhelpdesk/uploads"] * len(bundle.files) + [
        "/api/v4/projects/it%2Fhelpdesk/issues"]
    fake = server.fake
    assert isinstance(fake, GitLabFake)
    issue = fake.issues[int(ref.id)]
    assert issue["title"] == f"{bundle.report.title} [Flare {bundle.report.short_id()}]"
    assert issue["labels"] == ["Flare", "priority::high", "E-mail"]
    assert issue["confidential"] is True
    assert "Priority: high (affects just me, blocked)" in issue["description"]
    assert fake.files_of(int(ref.id)) == sent_files(bundle)
    assert ref.number == f"#{ref.id}" and ref.url.endswith(f"/-/issues/{ref.id}")

    assert (conn.status(ref).state, conn.status(ref).label) == ("open", "opened")
    issue["state"] = "closed"
    assert conn.status(ref).state == "closed"
    assert conn.find_existing(bundle) == ref


def test_gitlab_400_is_permanent_and_keeps_gitlabs_words(server: ContractServer,
                                                        tmp_path: Path) -> None:
    """Docs: https://docs.gitlab.com/api/rest/troubleshooting/ ("Status codes": 400 Bad Request
    with ``{"message": {...}}`` naming the attribute)."""
    server.fail_next("POST", r"/api/v4/projects/[^/]+/issues",
                     Reply(400, {"message": {"labels": ["is invalid"]}}))
    conn = contract_connector("gitlab", server, TOKEN, project=PROJECT)
    with pytest.raises(DeliveryError) as err:
        conn.submit(open_sample(tmp_path))
    assert err.value.kind == "validation" and not err.value.retryable
    assert "is invalid" in err.value.helpdesk_message and "labels" in err.value.helpdesk_message


def test_gitlab_429_waits_as_long_as_retry_after_says(server: ContractServer,
                                                      tmp_path: Path) -> None:
    """Docs: https://docs.gitlab.com/security/rate_limits/ (429 with ``Retry-After``)."""
    server.fail_next("POST", r"/api/v4/projects/[^/]+/uploads",
                     Reply(429, "Retry later", {"Retry-After": "60"}, content_type="text/plain"))
    conn = contract_connector("gitlab", server, TOKEN, project=PROJECT)
    with pytest.raises(DeliveryError) as err:
        conn.submit(open_sample(tmp_path))
    assert err.value.kind == "rate_limit" and err.value.retry_after_s == 60.0


def test_gitlab_wrong_token_is_an_auth_error(server: ContractServer, tmp_path: Path) -> None:
    """Docs: https://docs.gitlab.com/api/rest/authentication/ (401 for an invalid token)."""
    conn = contract_connector("gitlab", server, "wrong", project=PROJECT)
    with pytest.raises(DeliveryError) as err:
        conn.submit(open_sample(tmp_path))
    assert err.value.kind == "auth" and "401 Unauthorized" in err.value.message
