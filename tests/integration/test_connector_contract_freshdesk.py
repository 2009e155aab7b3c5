"""Freshdesk contract: a real bundle through registry -> freshdesk.yaml -> engine, checked by a
loopback server that enforces the documented API v2."""

from __future__ import annotations

import html
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
from tests.integration.vendor_fakes.fresh import FreshFake

KEY = "fd-api-key"


@pytest.fixture()
def server() -> Iterator[ContractServer]:
    with serve(FreshFake(KEY, wrapped=False)) as s:
        yield s


def fake_of(server: ContractServer) -> FreshFake:
    assert isinstance(server.fake, FreshFake)
    return server.fake


def test_freshdesk_one_multipart_create_with_every_file(server: ContractServer,
                                                        tmp_path: Path) -> None:
    """Docs: https://developers.freshdesk.com/api/#create_ticket_with_attachment (multipart
    ``POST /api/v2/tickets``: ``email``, ``subject``, ``description`` (HTML), ``priority``
    1-4, ``status`` 2-5, ``tags[]``, ``attachments[]``), #authentication (API key as basic
    user name), #view_a_ticket, #filter_tickets (``query="tag:'...'"``)."""
    bundle = open_sample(tmp_path)
    conn = contract_connector("freshdesk", server, KEY)
    ref = conn.submit(bundle)

    assert server.violations == []
    assert [r.raw_path for r in server.received if r.method == "POST"] == ["/api/v2/tickets"]
    fake = fake_of(server)
    t = fake.tickets[int(ref.id)]
    assert t["email"] == "olena@example.org" and t["name"] == "Olena Kovalenko"
    assert t["priority"] == 3 and t["status"] == 2
    assert t["tags"] == ["flare", f"flare-{bundle.report.short_id()}", "email"]
    # The HTML description shows the text exactly: escaped, so "<e-mail>" is not a tag.
    assert "Reporter: Olena Kovalenko &lt;olena@example.org&gt;" in t["description"]
    inner = t["description"].split(">", 1)[1].rsplit("</div>", 1)[0]
    assert html.unescape(inner).startswith(bundle.report.title)
    assert fake.files_of(int(ref.id)) == sent_files(bundle)

    status = conn.status(ref)
    assert (status.state, status.label) == ("open", "Open")
    for value, state in ((3, "waiting"), (4, "resolved"), (5, "closed")):
        t["status"] = value
        assert conn.status(ref).state == state
    assert conn.find_existing(bundle) == ref


def test_freshdesk_validation_error_is_permanent_and_keeps_freshdesks_words(
        server: ContractServer, tmp_path: Path) -> None:
    """Docs: https://developers.freshdesk.com/api/#error (400 ``Validation failed`` with
    ``errors[].message``)."""
    server.fail_next("POST", r"/api/v2/tickets", Reply(400, {
        "description": "Validation failed",
        "errors": [{"field": "email", "message": "There is no contact matching the given email",
                    "code": "invalid_value"}]}))
    with pytest.raises(DeliveryError) as err:
        contract_connector("freshdesk", server, KEY).submit(open_sample(tmp_path))
    assert err.value.kind == "validation" and not err.value.retryable
    assert err.value.helpdesk_message == "There is no contact matching the given email"


def test_freshdesk_429_waits_as_long_as_retry_after_says(server: ContractServer,
                                                         tmp_path: Path) -> None:
    """Docs: https://developers.freshdesk.com/api/#ratelimit (429 with ``Retry-After``)."""
    server.fail_next("POST", r"/api/v2/tickets", Reply(
        429, {"message": "You have exceeded the limit of requests per minute"},
        {"Retry-After": "45"}))
    with pytest.raises(DeliveryError) as err:
        contract_connector("freshdesk", server, KEY).submit(open_sample(tmp_path))
    assert err.value.kind == "rate_limit" and err.value.retry_after_s == 45.0
    assert "exceeded the limit" in err.value.helpdesk_message


def test_freshdesk_wrong_key_is_an_auth_error(server: ContractServer, tmp_path: Path) -> None:
    """Docs: https://developers.freshdesk.com/api/#authentication (401 invalid_credentials)."""
    with pytest.raises(DeliveryError) as err:
        contract_connector("freshdesk", server, "wrong").submit(open_sample(tmp_path))
    assert err.value.kind == "auth"


def test_freshdesk_group_from_the_queue_and_no_placeholder_tag(server: ContractServer,
                                                               tmp_path: Path) -> None:
    """Docs: https://developers.freshdesk.com/api/#create_ticket_with_attachment
    (``group_id`` is a number; ``tags[]`` are the ticket's tags) and #authentication (the API
    key is the user name, the password is the dummy "X")."""
    from app.helpdesk.delivery_bundle import open_delivery_bundle
    from tests.factories import sample_bundle

    path = sample_bundle(tmp_path / "bundle")
    report = path / "report.json"
    report.write_text(report.read_text("utf-8").replace('"category": "email"',
                                                        '"category": ""'), "utf-8")
    bundle = open_delivery_bundle(path)
    assert bundle.report.category == ""
    ref = contract_connector("freshdesk", server, KEY, queue="43000155").submit(bundle)
    assert server.violations == []
    t = fake_of(server).tickets[int(ref.id)]
    assert t["tags"] == ["flare", f"flare-{bundle.report.short_id()}"]
    assert t["group_id"] == "43000155"
    assert server.received[-1].basic_auth() == (KEY, "X")

    ref2 = contract_connector("freshdesk", server, KEY).submit(open_sample(tmp_path / "b2"))
    assert "group_id" not in fake_of(server).tickets[int(ref2.id)]
    assert server.violations == []
