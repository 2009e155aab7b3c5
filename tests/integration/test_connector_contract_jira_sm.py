"""Jira Service Management contract: a real bundle through registry -> jira_sm.yaml -> engine,
checked by a loopback server that enforces the documented servicedeskapi."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.helpdesk.errors import DeliveryError
from app.helpdesk.protocol import Connector
from tests.integration.contract_server import (
    ContractServer,
    Reply,
    contract_connector,
    deliver_across_a_crash,
    open_sample,
    sent_files,
    serve,
    spec_copy_connector,
)
from tests.integration.vendor_fakes.jira_sm import JiraSmFake

USER, TOKEN, DESK, TYPE = "agent@example.org", "atl-token", "4", "27"


@pytest.fixture()
def server() -> Iterator[ContractServer]:
    with serve(JiraSmFake(USER, TOKEN, DESK, TYPE)) as s:
        yield s


def connector(server: ContractServer, token: str = TOKEN) -> Connector:
    return contract_connector("jira_sm", server, token, username=USER, project=DESK, queue=TYPE)


def test_jira_sm_creates_request_then_attaches_temporary_files(server: ContractServer,
                                                               tmp_path: Path) -> None:
    """Docs: https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/
    ("Create customer request", "Create attachment") and
    https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-servicedesk/
    ("Attach temporary file": multipart ``file``, ``X-Atlassian-Token: no-check``,
    ``X-ExperimentalApi: opt-in``); basic auth e-mail + API token."""
    bundle = open_sample(tmp_path)
    conn = connector(server)
    ref = conn.submit(bundle)

    assert server.violations == []
    posts = [r.raw_path for r in server.received if r.method == "POST"]
    assert posts == (["/rest/servicedeskapi/request"]
                     + [f"/rest/servicedeskapi/servicedesk/{DESK}/attachTemporaryFile"]
                     * len(bundle.files) + [f"/rest/servicedeskapi/request/{ref.id}/attachment"])
    fake = server.fake
    assert isinstance(fake, JiraSmFake)
    req = fake.requests[ref.id]
    assert req["reporter"]["emailAddress"] == "olena@example.org"
    values = {f["fieldId"]: f["value"] for f in req["requestFieldValues"]}
    assert values["summary"].endswith(f"[Flare {bundle.report.short_id()}]")
    assert values["priority"] == {"name": "High"}
    assert "Category: E-mail" in values["description"]
    assert fake.files_of(ref.id) == sent_files(bundle)

    status = conn.status(ref)
    assert (status.state, status.label) == ("open", "Waiting for support")
    assert status.updated_at is not None and status.updated_at.utcoffset() is not None
    for label, state in (("Waiting for customer", "waiting"), ("Resolved", "resolved"),
                         ("Canceled", "closed")):
        req["currentStatus"]["status"] = label
        assert conn.status(ref).state == state
    assert conn.find_existing(bundle) == ref


def test_jira_sm_400_is_permanent_and_keeps_jiras_words(server: ContractServer,
                                                       tmp_path: Path) -> None:
    """Docs: https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/
    ("Create customer request", 400 ``{"errorMessage": ...}``)."""
    server.fail_next("POST", r"/rest/servicedeskapi/request", Reply(400, {
        "errorMessage": "Field 'priority' cannot be set. It is not on the appropriate screen",
        "i18nErrorMessage": {"i18nKey": "sd.request.create.error", "parameters": []}}))
    with pytest.raises(DeliveryError) as err:
        connector(server).submit(open_sample(tmp_path))
    assert err.value.kind == "validation" and not err.value.retryable
    assert err.value.helpdesk_message.startswith("Field 'priority' cannot be set")


def test_jira_sm_429_waits_as_long_as_retry_after_says(server: ContractServer,
                                                       tmp_path: Path) -> None:
    """Docs: https://developer.atlassian.com/cloud/jira/platform/rate-limiting/ (429 with
    ``Retry-After`` in seconds)."""
    server.fail_next("POST", r"/rest/servicedeskapi/servicedesk/\w+/attachTemporaryFile",
                     Reply(429, "", {"Retry-After": "5"}, content_type="text/plain"))
    with pytest.raises(DeliveryError) as err:
        connector(server).submit(open_sample(tmp_path))
    assert err.value.kind == "rate_limit" and err.value.retry_after_s == 5.0


def test_jira_sm_wrong_token_is_an_auth_error(server: ContractServer, tmp_path: Path) -> None:
    """Docs: https://developer.atlassian.com/cloud/jira/service-desk/basic-auth-for-rest-apis/"""
    with pytest.raises(DeliveryError) as err:
        connector(server, "wrong").submit(open_sample(tmp_path))
    assert err.value.kind == "auth" and "must be authenticated" in err.value.message


@pytest.mark.parametrize("crash_after_step", ["create", "temporary"])
def test_jira_sm_a_crash_between_create_and_attach_still_attaches_every_file_once(
        server: ContractServer, tmp_path: Path, crash_after_step: str) -> None:
    """Docs: https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/
    ("Get attachments for request": ``values[].filename``; "Create attachment") and
    https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-servicedesk/
    ("Attach temporary file"). Flare dies after the request exists but before the files are
    attached; the next run finds the request by its marker and attaches what it lacks."""
    conn = connector(server)
    state, key, bundle = deliver_across_a_crash(
        tmp_path, conn, lambda p: crash_after_step in p["done"])

    assert state == "sent" and server.violations == []
    fake = server.fake
    assert isinstance(fake, JiraSmFake)
    assert list(fake.requests) == [key]
    assert fake.files_of(key) == sent_files(bundle)
    assert set(fake.attach_counts(key).values()) == {1}
    # a further check finds everything there and attaches nothing more
    before = len(server.received)
    assert conn.find_existing(bundle) is not None
    assert [r.method for r in server.received[before:]] == ["GET", "GET"]


def test_jira_sm_incidents_are_the_projects_unresolved_incidents(server: ContractServer,
                                                                 tmp_path: Path) -> None:
    """Docs: "Search for issues using JQL enhanced search (GET)" ``/rest/api/2/search/jql``
    (``jql``, ``fields``, ``maxResults``; ``issues[].key``/``fields``),
    https://developer.atlassian.com/cloud/jira/platform/rest/v2/api-group-issue-search/
    ; the old ``/rest/api/2/search`` answers 410 on Cloud (CHANGE-2046); JQL
    ``statusCategory != Done``, ``ORDER BY updated DESC``."""
    assert isinstance(server.fake, JiraSmFake)
    fake = server.fake
    fake.add_issue("ITS-7", "Mail is down", created="2026-11-25T06:10:00.000+0200",
                   updated="2026-11-25T06:30:00.000+0200")
    fake.add_issue("ITS-9", "VPN refuses logins", created="2026-11-25T07:05:00.000+0200",
                   updated="2026-11-25T08:15:00.000+0200")
    fake.add_issue("ITS-8", "Printer jam", issuetype="Service Request")
    fake.add_issue("ITS-3", "Wi-Fi (fixed)", status_category="Done")
    fake.add_issue("OPS-1", "Another project's incident")
    assert "incidents" not in connector(server).capabilities

    conn = contract_connector("jira_sm", server, TOKEN, username=USER, project=DESK,
                              queue=TYPE, incidents_queue="ITS")
    found = conn.incidents()

    assert server.violations == []
    assert [(i.id, i.title) for i in found] == [("ITS-9", "VPN refuses logins"),
                                                 ("ITS-7", "Mail is down")]
    assert found[0].url == f"{server.url}/browse/ITS-9"
    assert found[0].started_at is not None and found[0].updated_at is not None
    assert (found[0].started_at.isoformat(), found[0].updated_at.isoformat()) == (
        "2026-11-25T07:05:00+02:00", "2026-11-25T08:15:00+02:00")


def test_jira_sm_incidents_on_data_center_with_a_priority(tmp_path: Path) -> None:
    """Docs: Jira Data Center REST ``GET /rest/api/2/search`` (``jql``, ``fields``,
    ``maxResults``; ``startAt``/``total``/``issues``),
    https://docs.atlassian.com/software/jira/docs/api/REST/latest/#api/2/search
    ; the spec params incidents_search and incidents_jql, set in a copy of the spec."""
    with serve(JiraSmFake(USER, TOKEN, DESK, TYPE, data_center=True)) as server:
        assert isinstance(server.fake, JiraSmFake)
        server.fake.add_issue("ITS-9", "VPN refuses logins", priority="Highest")
        server.fake.add_issue("ITS-7", "Olena's laptop is slow", priority="Low")
        conn = spec_copy_connector("jira_sm", server, TOKEN, tmp_path, {
            "incidents_search": "/rest/api/2/search",
            "incidents_jql": "issuetype = Incident AND statusCategory != Done "
                             "AND priority = Highest"},
            username=USER, project=DESK, queue=TYPE, incidents_queue="ITS")
        assert [i.id for i in conn.incidents()] == ["ITS-9"]
        assert server.violations == []
