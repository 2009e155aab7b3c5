"""osTicket contract: a real bundle through registry -> osticket.yaml -> engine, checked by a
loopback server that enforces the documented HTTP API (ticket creation only)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.helpdesk.errors import DeliveryError
from app.helpdesk.protocol import TicketRef, Unsupported
from tests.integration.contract_server import (
    ContractServer,
    contract_connector,
    open_sample,
    sent_files,
    serve,
)
from tests.integration.vendor_fakes.osticket import OsTicketFake

KEY = "BA00B76BAA30F62E1940B46CC1C3C73C"
TICKETS_DOC = "https://docs.osticket.com/en/latest/Developer%20Documentation/API/Tickets.html"


@pytest.fixture()
def server() -> Iterator[ContractServer]:
    with serve(OsTicketFake(KEY)) as s:
        yield s


def fake_of(server: ContractServer) -> OsTicketFake:
    assert isinstance(server.fake, OsTicketFake)
    return server.fake


def test_osticket_one_json_create_with_data_url_attachments(server: ContractServer,
                                                            tmp_path: Path) -> None:
    """Docs: """ + TICKETS_DOC + """ ("Create a Ticket": ``name``, ``email``,
    ``subject``, ``message``; ``attachments`` as ``{"name": "data:type;base64,…"}``; the answer
    is the ticket number) and
    https://github.com/osTicket/docs/blob/master/Developer%20Documentation/API%20Docs.rst
    (``X-API-Key``)."""
    bundle = open_sample(tmp_path)
    conn = contract_connector("osticket", server, KEY, queue="7")
    ref = conn.submit(bundle)

    assert server.violations == []
    assert [r.raw_path for r in server.received] == ["/api/tickets.json"]
    fake = fake_of(server)
    number = ref.id
    t = fake.tickets[number]
    assert ref.number == f"#{number}"
    assert (t["name"], t["email"]) == ("Olena Kovalenko", "olena@example.org")
    assert t["topicId"] == "7" and t["source"] == "API"
    assert t["subject"].endswith(f"[Flare {bundle.report.short_id()}]")
    assert t["message"].startswith(bundle.report.title)
    assert fake.files_of(number) == sent_files(bundle)
    assert {n: m for n, m, _ in fake.files[number]}["step-001.png"] == "image/png"


def test_osticket_cannot_read_back_status_or_search(server: ContractServer) -> None:
    """Docs: """ + TICKETS_DOC + """ ("the API support creation of tickets only"): no
    status read-back (Flare shows it as unknown) and no search before a retry."""
    conn = contract_connector("osticket", server, KEY)
    assert conn.capabilities == frozenset()
    with pytest.raises(Unsupported):
        conn.status(TicketRef("100001"))
    assert server.received == []


def test_osticket_invalid_email_is_permanent_and_keeps_ostickets_words(
        server: ContractServer, tmp_path: Path) -> None:
    """Docs: """ + TICKETS_DOC + """ (``email`` is required; osTicket answers 400 with the
    reason as text)."""
    from app.helpdesk.delivery_bundle import open_delivery_bundle
    from tests.factories import sample_bundle

    path = sample_bundle(tmp_path / "bundle")
    report = path / "report.json"
    report.write_text(report.read_text("utf-8").replace('"olena@example.org"', '""'), "utf-8")
    with pytest.raises(DeliveryError) as err:
        contract_connector("osticket", server, KEY).submit(open_delivery_bundle(path))
    assert err.value.kind == "validation" and not err.value.retryable
    assert "Valid email address required" in err.value.helpdesk_message
    assert fake_of(server).tickets == {}


def test_osticket_wrong_key_is_an_auth_error(server: ContractServer, tmp_path: Path) -> None:
    """Docs: https://github.com/osTicket/docs/blob/master/Developer%20Documentation/API%20Docs.rst
    (the key must match; 401 ``API key not authorized``)."""
    with pytest.raises(DeliveryError) as err:
        contract_connector("osticket", server, "wrong").submit(open_sample(tmp_path))
    assert err.value.kind == "auth" and "API key not authorized" in err.value.message
