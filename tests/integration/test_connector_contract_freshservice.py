"""Freshservice contract: a real bundle through registry -> freshservice.yaml -> engine,
checked by a loopback server that enforces the documented API v2."""

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
    spec_copy_connector,
)
from tests.integration.vendor_fakes.fresh import FreshFake

KEY = "fs-api-key"


@pytest.fixture()
def server() -> Iterator[ContractServer]:
    with serve(FreshFake(KEY, wrapped=True)) as s:
        yield s


def test_freshservice_one_multipart_create_with_every_file(server: ContractServer,
                                                           tmp_path: Path) -> None:
    """Docs: https://api.freshservice.com/#create_ticket_with_attachment (multipart
    ``POST /api/v2/tickets``: ``email``, ``subject``, ``description``, ``priority``,
    ``status``, ``tags[]``, ``attachments[]``; answer ``{"ticket": {...}}``),
    https://api.freshservice.com/#authentication, https://api.freshservice.com/#view_a_ticket"""
    bundle = open_sample(tmp_path)
    conn = contract_connector("freshservice", server, KEY)
    ref = conn.submit(bundle)

    assert server.violations == []
    fake = server.fake
    assert isinstance(fake, FreshFake)
    t = fake.tickets[int(ref.id)]
    assert (t["email"], t["priority"], t["status"]) == ("olena@example.org", 3, 2)
    assert f"flare-{bundle.report.short_id()}" in t["tags"]
    assert "&lt;olena@example.org&gt;" in t["description"]
    assert fake.files_of(int(ref.id)) == sent_files(bundle)
    assert (conn.status(ref).state, conn.status(ref).label) == ("open", "Open")
    t["status"] = 3
    assert conn.status(ref).state == "waiting"
    t["status"] = 4
    assert conn.status(ref).state == "resolved"
    assert conn.find_existing(bundle) is None


def test_freshservice_validation_error_keeps_freshservices_words(server: ContractServer,
                                                                 tmp_path: Path) -> None:
    """Docs: https://api.freshservice.com/#error_codes (400 ``Validation failed``,
    ``errors[].message``)."""
    server.fail_next("POST", r"/api/v2/tickets", Reply(400, {
        "description": "Validation failed",
        "errors": [{"field": "email", "message": "Requester is blocked",
                    "code": "invalid_value"}]}))
    with pytest.raises(DeliveryError) as err:
        contract_connector("freshservice", server, KEY).submit(open_sample(tmp_path))
    assert err.value.kind == "validation" and err.value.helpdesk_message == "Requester is blocked"


def test_freshservice_429_waits_as_long_as_retry_after_says(server: ContractServer,
                                                            tmp_path: Path) -> None:
    """Docs: https://api.freshservice.com/#rate_limit (429 with ``Retry-After``)."""
    server.fail_next("POST", r"/api/v2/tickets", Reply(429, {"message": "Too many requests"},
                                                       {"Retry-After": "30"}))
    with pytest.raises(DeliveryError) as err:
        contract_connector("freshservice", server, KEY).submit(open_sample(tmp_path))
    assert err.value.kind == "rate_limit" and err.value.retry_after_s == 30.0


def test_freshservice_incidents_are_the_incident_groups_open_tickets(
        server: ContractServer, tmp_path: Path) -> None:
    """Docs: https://api.freshservice.com/#filter_tickets (``GET /api/v2/tickets/filter``,
    ``query="group_id:N AND status:2"`` with the double quotes; answer ``{"tickets": [...]}``
    with ``id``, ``subject``, ``created_at``, ``updated_at``)."""
    assert isinstance(server.fake, FreshFake)
    fake = server.fake
    older = fake.add_ticket("Mail is down", group_id=77, created_at="2026-11-25T06:10:00Z",
                            updated_at="2026-11-25T06:30:00Z")
    newer = fake.add_ticket("VPN refuses logins", group_id=77, priority=4,
                            created_at="2026-11-25T07:05:00Z",
                            updated_at="2026-11-25T08:15:00Z")
    fake.add_ticket("Olena's printer", group_id=12, priority=4)  # urgent, but one person's
    fake.add_ticket("Wi-Fi (resolved)", group_id=77, status=4)
    assert "incidents" not in contract_connector("freshservice", server, KEY).capabilities

    conn = contract_connector("freshservice", server, KEY, incidents_queue="77")
    found = conn.incidents()

    assert server.violations == []
    assert [(i.id, i.title) for i in found] == [(str(newer), "VPN refuses logins"),
                                                 (str(older), "Mail is down")]
    assert found[0].url == f"{server.url}/helpdesk/tickets/{newer}"
    assert found[0].started_at is not None and found[0].updated_at is not None
    assert (found[0].started_at.isoformat(), found[0].updated_at.isoformat()) == (
        "2026-11-25T07:05:00+00:00", "2026-11-25T08:15:00+00:00")

    urgent = spec_copy_connector("freshservice", server, KEY, tmp_path,
                                 {"incidents_filter": "status:2 AND priority:4"},
                                 incidents_queue="77")
    assert [i.id for i in urgent.incidents()] == [str(newer)]
    assert server.violations == []
