"""ServiceNow contract: a real bundle through registry -> servicenow.yaml -> engine, checked by
a loopback server that enforces the documented Table and Attachment APIs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.helpdesk.errors import DeliveryError
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
from tests.integration.vendor_fakes.servicenow import ServiceNowFake

USER, PASSWORD = "flare.integration", "sn-secret"
CALLER = "6816f79cc0a8016401c5a33be04be441"


@pytest.fixture()
def server() -> Iterator[ContractServer]:
    with serve(ServiceNowFake(USER, PASSWORD, {"olena@example.org": CALLER})) as s:
        yield s


def fake_of(server: ContractServer) -> ServiceNowFake:
    assert isinstance(server.fake, ServiceNowFake)
    return server.fake


def test_servicenow_creates_incident_then_attaches_every_file(server: ContractServer,
                                                              tmp_path: Path) -> None:
    """Docs: Table API (``POST /api/now/table/incident``; ``GET .../incident/{sys_id}``
    with ``sysparm_fields``),
    https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html
    and Attachment API ("POST /now/attachment/file": ``table_name``, ``table_sys_id``,
    ``file_name``, the file as the body),
    https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_AttachmentAPI.html
    """
    bundle = open_sample(tmp_path)
    conn = contract_connector("servicenow", server, PASSWORD, username=USER)
    ref = conn.submit(bundle)

    assert server.violations == []
    posts = [r.raw_path for r in server.received if r.method == "POST"]
    assert posts == ["/api/now/table/incident"] + ["/api/now/attachment/file"] * len(bundle.files)
    fake = fake_of(server)
    inc = fake.incidents[ref.id]
    assert ref.number == inc["number"]
    assert inc["caller_id"] == CALLER
    assert (inc["impact"], inc["urgency"]) == ("3", "1")  # just me, blocked
    assert inc["category"] == "email"
    assert inc["correlation_id"] == str(bundle.report.id)
    assert inc["short_description"].endswith(f"[Flare {bundle.report.short_id()}]")
    assert "Outlook shows 0x800CCC0E when I press Send" in inc["description"]
    assert fake.files_of(ref.id) == sent_files(bundle)
    types = {n: t for n, t, _ in fake.attachments[ref.id]}
    assert types["step-001.png"] == "image/png" and types["report.html"] == "text/html"

    status = conn.status(ref)
    assert (status.state, status.label) == ("open", "New")
    assert status.updated_at is not None and status.updated_at.tzinfo is not None
    for value, state in (("3", "waiting"), ("6", "resolved"), ("7", "closed"), ("8", "closed"),
                         ("2", "open")):
        inc["state"] = value
        assert conn.status(ref).state == state
    assert conn.find_existing(bundle) == ref


def test_servicenow_unknown_caller_is_left_out(server: ContractServer, tmp_path: Path) -> None:
    """Docs: Table API, ``GET /api/now/table/sys_user`` with ``sysparm_query=email=...``
    answers an empty ``result`` for nobody
    https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html
    ."""
    fake_of(server).people.clear()
    ref = contract_connector("servicenow", server, PASSWORD, username=USER).submit(
        open_sample(tmp_path))
    assert "caller_id" not in fake_of(server).incidents[ref.id]
    assert server.violations == []


def test_servicenow_400_is_permanent_and_keeps_servicenows_words(server: ContractServer,
                                                                tmp_path: Path) -> None:
    """Docs: Table API "Response" error body ``{"error": {"message", "detail"},
    "status": "failure"}``
    https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html
    ."""
    server.fail_next("POST", r"/api/now/table/incident", Reply(400, {
        "error": {"message": "Invalid value for field: urgency", "detail": ""},
        "status": "failure"}))
    conn = contract_connector("servicenow", server, PASSWORD, username=USER)
    with pytest.raises(DeliveryError) as err:
        conn.submit(open_sample(tmp_path))
    assert err.value.kind == "validation" and not err.value.retryable
    assert err.value.helpdesk_message == "Invalid value for field: urgency"


def test_servicenow_429_waits_as_long_as_retry_after_says(server: ContractServer,
                                                          tmp_path: Path) -> None:
    """Docs: rate limits,
    https://www.servicenow.com/docs/bundle/zurich-platform-security/page/integrate/inbound-rest/concept/inbound-REST-API-rate-limiting.html
    (rate-limited requests answer 429 with ``Retry-After``)."""
    server.fail_next("POST", r"/api/now/attachment/file", Reply(
        429, {"error": {"message": "Rate limit exceeded"}, "status": "failure"},
        {"Retry-After": "12"}))
    conn = contract_connector("servicenow", server, PASSWORD, username=USER)
    with pytest.raises(DeliveryError) as err:
        conn.submit(open_sample(tmp_path))
    assert err.value.kind == "rate_limit" and err.value.retry_after_s == 12.0
    assert err.value.helpdesk_message == "Rate limit exceeded"


def test_servicenow_wrong_password_is_an_auth_error(server: ContractServer,
                                                    tmp_path: Path) -> None:
    """Docs: Table API, 401 ``User Not Authenticated``
    https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html
    ."""
    conn = contract_connector("servicenow", server, "wrong", username=USER)
    with pytest.raises(DeliveryError) as err:
        conn.submit(open_sample(tmp_path))
    assert err.value.kind == "auth" and "User Not Authenticated" in err.value.message


@pytest.mark.parametrize("attached_before_crash", [0, 1])
def test_servicenow_a_crash_between_create_and_attach_still_attaches_every_file_once(
        server: ContractServer, tmp_path: Path, attached_before_crash: int) -> None:
    """Docs: Attachment API ("GET /now/attachment" lists attachment metadata by
    ``sysparm_query``; "POST /now/attachment/file"),
    https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_AttachmentAPI.html
    and Table API (``correlation_id`` lookup). Flare dies after the incident exists and
    ``attached_before_crash`` files are on it; the next run finds the incident and must add
    only the missing files."""
    conn = contract_connector("servicenow", server, PASSWORD, username=USER)

    def crash(progress: dict[str, Any]) -> bool:
        attached = progress["steps"].get("attach") or []
        return "create" in progress["done"] and len(attached) == attached_before_crash

    state, ticket, bundle = deliver_across_a_crash(tmp_path, conn, crash)

    assert state == "sent" and server.violations == []
    fake = fake_of(server)
    assert list(fake.incidents) == [ticket]  # one incident, found again, not filed twice
    assert fake.files_of(ticket) == sent_files(bundle)
    assert set(fake.attach_counts(ticket).values()) == {1}


def test_servicenow_incidents_are_open_priority_1_newest_first(server: ContractServer) -> None:
    """Docs: Table API ``GET /now/table/incident`` with an encoded ``sysparm_query``
    (``active=true^priority=1^ORDERBYDESCsys_updated_on``), ``sysparm_fields``,
    ``sysparm_limit``; answers ``{"result": [...]}``
    https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html
    ."""
    fake = fake_of(server)
    older = fake.add_incident(priority="1", short_description="Mail is down",
                              opened_at="2026-11-25 06:10:00",
                              sys_updated_on="2026-11-25 06:30:00")
    newer = fake.add_incident(priority="1", short_description="VPN refuses logins",
                              opened_at="2026-11-25 07:05:00",
                              sys_updated_on="2026-11-25 08:15:00")
    fake.add_incident(priority="3", short_description="Olena's mouse")  # one person's
    fake.add_incident(priority="1", state="6", short_description="Printers (resolved)")
    conn = contract_connector("servicenow", server, PASSWORD, username=USER)

    found = conn.incidents()

    assert server.violations == []
    assert [(i.id, i.title) for i in found] == [(newer, "VPN refuses logins"),
                                                 (older, "Mail is down")]
    assert found[0].url == f"{server.url}/nav_to.do?uri=incident.do%3Fsys_id%3D{newer}"
    assert found[0].started_at is not None and found[0].updated_at is not None
    assert (found[0].started_at.isoformat(), found[0].updated_at.isoformat()) == (
        "2026-11-25T07:05:00+00:00", "2026-11-25T08:15:00+00:00")


def test_servicenow_major_incidents_when_the_query_says_so(server: ContractServer,
                                                           tmp_path: Path) -> None:
    """Docs: Major Incident Management, ``major_incident_state`` (``accepted``)
    https://www.servicenow.com/docs/bundle/zurich-it-service-management/page/product/incident-management/concept/major-incident-management.html
    ; an empty incidents_query offers no incidents at all."""
    fake = fake_of(server)
    major = fake.add_incident(priority="2", major_incident_state="accepted",
                              short_description="Teams calls drop")
    fake.add_incident(priority="1", major_incident_state="proposed",
                      short_description="Maybe the wiki")
    conn = spec_copy_connector("servicenow", server, PASSWORD, tmp_path, {
        "incidents_query": "active=true^major_incident_state=accepted"}, username=USER)
    assert [i.id for i in conn.incidents()] == [major]
    assert server.violations == []
    off = spec_copy_connector("servicenow", server, PASSWORD, tmp_path,
                              {"incidents_query": ""}, username=USER)
    assert "incidents" not in off.capabilities
