"""Zendesk contract: a real bundle through registry -> zendesk.yaml -> engine, checked by a
loopback server that enforces the documented Requests/Uploads API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.helpdesk.errors import DeliveryError
from app.helpdesk.spec.engine import Progress
from app.helpdesk.spec_connector import SpecConnector
from tests.integration.contract_server import (
    ContractServer,
    Reply,
    contract_connector,
    open_sample,
    sent_files,
    serve,
)
from tests.integration.vendor_fakes.zendesk import ZendeskFake

EMAIL, TOKEN = "olena@example.org", "zd-api-token-1"


@pytest.fixture()
def server() -> Iterator[ContractServer]:
    with serve(ZendeskFake(EMAIL, TOKEN)) as s:
        yield s


def connector(server: ContractServer, token: str = TOKEN) -> SpecConnector:
    conn = contract_connector("zendesk", server, token, username=EMAIL)
    assert isinstance(conn, SpecConnector)
    return conn


def test_zendesk_uploads_first_then_creates_the_request(server: ContractServer,
                                                        tmp_path: Path) -> None:
    """Docs: https://developer.zendesk.com/api-reference/ticketing/tickets/ticket-requests/
    ("Create Request": ``request.subject``, ``request.comment.body``, ``comment.uploads``;
    "API token" authentication ``{email}/token:{api_token}``) and
    https://developer.zendesk.com/api-reference/ticketing/tickets/ticket-attachments/
    ("Upload Files": upload first, reference the token in the comment)."""
    bundle = open_sample(tmp_path)
    ref = connector(server).submit(bundle)

    assert server.violations == []
    fake = server.fake
    assert isinstance(fake, ZendeskFake)
    order = [r.raw_path for r in server.received if r.method == "POST"]
    assert order[-1] == "/api/v2/requests.json"
    assert all(p == "/api/v2/uploads.json" for p in order[:-1])
    assert len(order) - 1 == len(bundle.files)
    record = fake.requests[int(ref.id)]
    assert record["subject"] == f"{bundle.report.title} [Flare {bundle.report.short_id()}]"
    assert "Reporter: Olena Kovalenko <olena@example.org>" in record["description"]
    assert record["priority"] == "high"
    assert fake.files_of(int(ref.id)) == sent_files(bundle)
    create = server.requests_to("POST", r"/api/v2/requests\.json")[0]
    assert create.header("Idempotency-Key") == str(bundle.report.id)

    status = connector(server).status(ref)
    assert (status.state, status.label) == ("open", "new")
    assert status.updated_at is not None
    for label, state in (("pending", "waiting"), ("hold", "open"), ("solved", "resolved"),
                         ("closed", "closed")):
        record["status"] = label
        assert connector(server).status(ref).state == state
    assert connector(server).find_existing(bundle) == ref


def test_zendesk_lost_answer_retried_with_the_same_idempotency_key(server: ContractServer,
                                                                   tmp_path: Path) -> None:
    """Docs: https://developer.zendesk.com/api-reference/ticketing/introduction/ section
    "Idempotency": the same ``Idempotency-Key`` and parameters return the first result
    (``x-idempotency-lookup: hit``) instead of a second ticket."""
    bundle = open_sample(tmp_path)
    server.fail_next("POST", r"/api/v2/requests\.json", Reply(502, "Bad Gateway",
                                                              content_type="text/plain"),
                     after_processing=True)
    saved: list[str] = []
    conn = connector(server)
    with pytest.raises(DeliveryError) as err:
        conn.submit(bundle, on_progress=lambda p: saved.append(p.to_json()))
    assert err.value.retryable and err.value.uncertain
    ref = connector(server).submit(bundle, progress=Progress.from_json(saved[-1]))

    creates = server.requests_to("POST", r"/api/v2/requests\.json")
    assert len(creates) == 2
    assert creates[0].header("Idempotency-Key") == creates[1].header("Idempotency-Key")
    assert len(server.requests_to("POST", r"/api/v2/uploads\.json")) == len(bundle.files)
    fake = server.fake
    assert isinstance(fake, ZendeskFake)
    assert list(fake.requests) == [int(ref.id)]
    assert server.violations == []


def test_zendesk_422_is_permanent_and_keeps_zendesks_words(server: ContractServer,
                                                          tmp_path: Path) -> None:
    """Docs: https://developer.zendesk.com/api-reference/introduction/requests section
    "400 range" (422 Unprocessable Entity, ``{"error": "RecordInvalid", "description",
    "details"}``)."""
    server.fail_next("POST", r"/api/v2/requests\.json", Reply(422, {
        "error": "RecordInvalid", "description": "Record validation errors",
        "details": {"base": [{"description": "Priority: is not valid for this form"}]}}))
    with pytest.raises(DeliveryError) as err:
        connector(server).submit(open_sample(tmp_path))
    assert err.value.kind == "validation" and not err.value.retryable
    assert err.value.helpdesk_message == "Priority: is not valid for this form"
    assert "Priority: is not valid for this form" in err.value.message


def test_zendesk_429_waits_as_long_as_retry_after_says(server: ContractServer,
                                                       tmp_path: Path) -> None:
    """Docs: https://developer.zendesk.com/api-reference/introduction/rate-limits/ (429 Too Many
    Requests with a ``Retry-After`` header in seconds)."""
    server.fail_next("POST", r"/api/v2/uploads\.json", Reply(
        429, {"error": "APIRateLimitExceeded", "description": "Rate limit exceeded"},
        {"Retry-After": "37"}))
    with pytest.raises(DeliveryError) as err:
        connector(server).submit(open_sample(tmp_path))
    assert err.value.kind == "rate_limit" and err.value.retryable
    assert err.value.retry_after_s == 37.0


def test_zendesk_wrong_token_is_an_auth_error(server: ContractServer, tmp_path: Path) -> None:
    """Docs: https://developer.zendesk.com/api-reference/ticketing/tickets/ticket-requests/
    ("API token"); a wrong token is refused with 401."""
    with pytest.raises(DeliveryError) as err:
        connector(server, token="wrong").submit(open_sample(tmp_path))
    assert err.value.kind == "auth"
    assert "Couldn't authenticate you" in err.value.message
    assert server.violations == []


def anonymous_connector(server: ContractServer) -> SpecConnector:
    from app.helpdesk.registry import DestinationConfig, make_connector
    from app.helpdesk.secrets import SecretResolver

    conn = make_connector(DestinationConfig(type="zendesk", url=server.url, token=""),
                          SecretResolver(environ={}))
    assert isinstance(conn, SpecConnector)
    return conn


def test_zendesk_anonymous_request_carries_the_requester_and_no_auth(tmp_path: Path) -> None:
    """Docs: https://developer.zendesk.com/api-reference/ticketing/tickets/ticket-requests/
    ("Anonymous requests": no authentication, ``request.requester`` with ``name`` and
    ``email``; "Anonymous requests are supported for ticket creation" only, so nothing is
    read back)."""
    with serve(ZendeskFake(EMAIL, TOKEN, anonymous=True)) as server:
        bundle = open_sample(tmp_path)
        conn = anonymous_connector(server)
        assert "status" not in conn.capabilities and "find_existing" not in conn.capabilities
        assert conn.find_existing(bundle) is None  # no search without a token
        ref = conn.submit(bundle)

        assert server.violations == []
        assert all(not r.header("authorization") for r in server.received)
        fake = server.fake
        assert isinstance(fake, ZendeskFake)
        assert fake.anonymous_calls[-1] == "/api/v2/requests.json"
        record = fake.requests[int(ref.id)]
        assert record["requester"] == {"name": "Olena Kovalenko", "email": "olena@example.org"}
        assert fake.files_of(int(ref.id)) == sent_files(bundle)
        assert server.requests_to("POST", r"/api/v2/requests(\.json)?")[0].header(
            "idempotency-key") == str(bundle.report.id)


def test_zendesk_anonymous_refused_by_the_account_is_an_auth_error(tmp_path: Path) -> None:
    """Docs: https://developer.zendesk.com/api-reference/ticketing/tickets/ticket-requests/
    ("Anonymous requests … can be disabled by administrators": then 401)."""
    with (serve(ZendeskFake(EMAIL, TOKEN, anonymous=False)) as server,
          pytest.raises(DeliveryError) as err):
        anonymous_connector(server).submit(open_sample(tmp_path))
    assert err.value.kind == "auth"


def test_zendesk_token_mode_sends_no_requester(server: ContractServer, tmp_path: Path) -> None:
    """Docs: https://developer.zendesk.com/api-reference/ticketing/tickets/ticket-requests/
    (an authenticated end user files as themselves)."""
    conn = connector(server)
    assert {"status", "find_existing"} <= conn.capabilities
    ref = conn.submit(open_sample(tmp_path))
    assert server.violations == []
    fake = server.fake
    assert isinstance(fake, ZendeskFake)
    assert fake.requests[int(ref.id)]["requester"] is None
    assert fake.anonymous_calls == []
