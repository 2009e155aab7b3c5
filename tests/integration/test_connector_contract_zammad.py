"""Zammad contract: a real bundle through registry -> zammad.yaml -> engine, checked by a
loopback server that enforces the documented REST API v1."""

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
from tests.integration.vendor_fakes.zammad import ZammadFake

TOKEN = "zammad-token"


@pytest.fixture()
def server() -> Iterator[ContractServer]:
    with serve(ZammadFake(TOKEN, groups=("Users", "1st Level"))) as s:
        yield s


def fake_of(server: ContractServer) -> ZammadFake:
    assert isinstance(server.fake, ZammadFake)
    return server.fake


def test_zammad_one_create_with_base64_attachments_in_the_article(server: ContractServer,
                                                                  tmp_path: Path) -> None:
    """Docs: https://docs.zammad.org/en/latest/api/ticket/index.html ("Create": ``title``,
    ``group``, ``customer_id: guess:{email}``, ``article.attachments[{filename, data,
    mime-type}]``; "Show"; search), https://docs.zammad.org/en/latest/api/ticket/articles.html
    (``content_type``, ``type``, ``internal``), https://docs.zammad.org/en/latest/api/intro.html
    (``Authorization: Token token=…``)."""
    bundle = open_sample(tmp_path)
    conn = contract_connector("zammad", server, TOKEN, queue="1st Level")
    ref = conn.submit(bundle)

    assert server.violations == []
    assert [r.raw_path for r in server.received if r.method == "POST"] == ["/api/v1/tickets"]
    fake = fake_of(server)
    t = fake.tickets[int(ref.id)]
    assert ref.number == t["number"] and ref.url.endswith(f"/#ticket/zoom/{ref.id}")
    assert t["group"] == "1st Level" and t["priority_id"] == 3
    assert t["customer_id"] == fake.customers["olena@example.org"]
    assert t["title"].endswith(f"[Flare {bundle.report.short_id()}]")
    assert t["_article"]["body"].startswith(bundle.report.title)
    assert fake.files_of(int(ref.id)) == sent_files(bundle)
    types = {n: m for n, m, _ in fake.attachments[int(ref.id)]}
    assert types["step-001.png"] == "image/png" and types["report.html"] == "text/html"

    status = conn.status(ref)
    assert (status.state, status.label) == ("open", "new")
    assert status.updated_at is not None
    for state_id, state in ((2, "open"), (3, "waiting"), (6, "waiting"), (4, "closed")):
        t["state_id"] = state_id
        assert conn.status(ref).state == state
    assert conn.find_existing(bundle) == ref


def test_zammad_unknown_group_is_permanent_and_keeps_zammads_words(server: ContractServer,
                                                                   tmp_path: Path) -> None:
    """Docs: https://docs.zammad.org/en/latest/api/intro.html (errors answer ``error`` and
    ``error_human``; 422 for an unprocessable record)."""
    with pytest.raises(DeliveryError) as err:
        contract_connector("zammad", server, TOKEN, queue="Nope").submit(open_sample(tmp_path))
    assert err.value.kind == "validation" and not err.value.retryable
    assert err.value.helpdesk_message == "No lookup value found for 'group': 'Nope'"
    assert fake_of(server).tickets == {}


def test_zammad_429_waits_as_long_as_retry_after_says(server: ContractServer,
                                                      tmp_path: Path) -> None:
    """Docs: https://docs.zammad.org/en/latest/api/intro.html (rate limits answer 429)."""
    server.fail_next("POST", r"/api/v1/tickets", Reply(429, {"error": "Too many requests"},
                                                       {"Retry-After": "30"}))
    with pytest.raises(DeliveryError) as err:
        contract_connector("zammad", server, TOKEN).submit(open_sample(tmp_path))
    assert err.value.kind == "rate_limit" and err.value.retry_after_s == 30.0


def test_zammad_wrong_token_is_an_auth_error(server: ContractServer, tmp_path: Path) -> None:
    """Docs: https://docs.zammad.org/en/latest/api/intro.html (401 without valid token)."""
    with pytest.raises(DeliveryError) as err:
        contract_connector("zammad", server, "wrong").submit(open_sample(tmp_path))
    assert err.value.kind == "auth" and "Authentication required" in err.value.message


def test_zammad_incidents_are_the_incident_groups_open_tickets(server: ContractServer,
                                                               tmp_path: Path) -> None:
    """Docs: https://docs.zammad.org/en/latest/api/ticket/index.html ("Search":
    ``query``, ``sort_by``, ``order_by``, ``limit``, ``expand=true`` answers the tickets
    with ``id``, ``title``, ``created_at``, ``updated_at``), query syntax
    ``group.name:"…" AND state.name:(new OR open)``
    https://admin-docs.zammad.org/en/latest/manage/search.html"""
    fake = fake_of(server)
    older = fake.add_ticket("Mail is down", "Outages", created_at="2026-11-25T06:10:00.000Z",
                            updated_at="2026-11-25T06:30:00.000Z")
    newer = fake.add_ticket("VPN refuses logins", "Outages", state_id=1, tags=("outage",),
                            created_at="2026-11-25T07:05:00.000Z",
                            updated_at="2026-11-25T08:15:00.000Z")
    fake.add_ticket("Olena's printer", "Users")
    fake.add_ticket("Wi-Fi (closed)", "Outages", state_id=4)
    assert "incidents" not in contract_connector("zammad", server, TOKEN).capabilities

    conn = contract_connector("zammad", server, TOKEN, incidents_queue="Outages")
    found = conn.incidents()

    assert server.violations == []
    assert [(i.id, i.title) for i in found] == [(str(newer), "VPN refuses logins"),
                                                 (str(older), "Mail is down")]
    assert found[0].url == f"{server.url}/#ticket/zoom/{newer}"
    assert found[0].started_at is not None and found[0].updated_at is not None
    assert (found[0].started_at.isoformat(), found[0].updated_at.isoformat()) == (
        "2026-11-25T07:05:00+00:00", "2026-11-25T08:15:00+00:00")

    tagged = spec_copy_connector("zammad", server, TOKEN, tmp_path, {
        "incidents_filter": "state.name:(new OR open) AND tags:outage"},
        incidents_queue="Outages")
    assert [i.id for i in tagged.incidents()] == [str(newer)]
    assert server.violations == []
