"""GLPI contract: a real bundle through registry -> glpi.yaml -> engine (session auth), checked
by a loopback server that enforces the documented legacy REST API (apirest.php)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from app.helpdesk.errors import DeliveryError
from app.helpdesk.spec_connector import SpecConnector
from tests.integration.contract_server import (
    ContractServer,
    deliver_across_a_crash,
    open_sample,
    sent_files,
    serve,
)
from tests.integration.vendor_fakes.glpi import GlpiFake

USER_TOKEN, APP_TOKEN = "glpi-user-token", "glpi-app-token"
DOCS = "https://help.glpi-project.org/documentation/modules/configuration/general/api/api"


@pytest.fixture()
def server() -> Iterator[ContractServer]:
    with serve(GlpiFake(USER_TOKEN, APP_TOKEN)) as s:
        yield s


def fake_of(server: ContractServer) -> GlpiFake:
    assert isinstance(server.fake, GlpiFake)
    return server.fake


def url_of(server: ContractServer) -> str:
    return server.url + "/apirest.php"


def glpi(server: ContractServer, token: str = USER_TOKEN, queue: str = "") -> SpecConnector:
    from app.helpdesk.registry import DestinationConfig, make_connector
    from app.helpdesk.secrets import SecretResolver

    conn = make_connector(DestinationConfig(type="glpi", url=url_of(server), token="env:T",
                                            project=APP_TOKEN, queue=queue),
                          SecretResolver(environ={"T": token}))
    assert isinstance(conn, SpecConnector)
    return conn


def test_glpi_session_ticket_documents_links_and_kill(server: ContractServer,
                                                      tmp_path: Path) -> None:
    """Docs (apirest.md): "Init session" (``Authorization: user_token``, ``App-Token``),
    "Add item(s)" (``POST /Ticket/`` with ``input``), upload a document (multipart
    ``uploadManifest`` + ``filename[0]``), ``Document_Item`` link, "Get an item", "Get all
    items" (``searchText``), "Kill session"; """ + DOCS + """
    and the upload example https://www.github.com/orthagh/glpi_api_upload."""
    bundle = open_sample(tmp_path)
    conn = glpi(server, queue="12")
    ref = conn.submit(bundle)

    assert server.violations == []
    fake = fake_of(server)
    calls = [(r.method, r.raw_path.split("/apirest.php", 1)[1]) for r in server.received]
    n = len(bundle.files)
    assert calls == ([("GET", "/initSession"), ("POST", "/Ticket/")]
                     + [("POST", "/Document/")] * n + [("POST", "/Document_Item/")] * n
                     + [("GET", "/killSession")])
    assert fake.sessions == set()  # the session was killed
    t = fake.tickets[int(ref.id)]
    assert t["name"].endswith(f"[Flare {bundle.report.short_id()}]")
    assert (t["urgency"], t["impact"], t["type"], t["itilcategories_id"]) == (4, 2, 1, 12)
    # HTML content: the text escaped, its line breaks kept
    assert "Reporter: Olena Kovalenko &lt;olena@example.org&gt;<br>\n" in t["content"]
    assert fake.files_of(int(ref.id)) == sent_files(bundle)
    assert ref.url.endswith(f"/front/ticket.form.php?id={ref.id}")
    assert "/apirest.php" not in ref.url

    status = conn.status(ref)
    assert (status.state, status.label) == ("open", "New")
    for value, state in ((2, "open"), (3, "open"), (4, "waiting"), (5, "resolved"),
                         (6, "closed")):
        t["status"] = value
        assert conn.status(ref).state == state
    assert conn.find_existing(bundle) == ref
    assert fake.sessions == set()


def test_glpi_expired_session_logs_in_again_once(server: ContractServer,
                                                 tmp_path: Path) -> None:
    """Docs (apirest.md "Errors"): 401 ``ERROR_SESSION_TOKEN_INVALID`` for a session GLPI no
    longer knows; """ + DOCS + """. Flare opens a new session once and repeats the request;
    the ticket is filed once."""
    fake_of(server).expire_sessions_at(r"/apirest\.php/Document/?")
    bundle = open_sample(tmp_path)
    ref = glpi(server).submit(bundle)

    fake = fake_of(server)
    assert server.violations == []
    assert fake.logins == 2 and len(fake.tickets) == 1
    assert fake.files_of(int(ref.id)) == sent_files(bundle)


def test_glpi_a_session_refused_twice_is_an_auth_error(server: ContractServer,
                                                       tmp_path: Path) -> None:
    """Docs (apirest.md "Errors"): repeated 401 is not retried forever; """ + DOCS + "."
    fake_of(server).expire_sessions_at(r"/apirest\.php/Ticket/?", times=2)
    with pytest.raises(DeliveryError) as err:
        glpi(server).submit(open_sample(tmp_path))
    assert err.value.kind == "auth" and "session_token seems invalid" in err.value.message
    assert fake_of(server).logins == 2 and fake_of(server).tickets == {}
    # the logout after the failure was tried with the (dead) session and did not mask the error
    assert server.requests_to("GET", r"/apirest\.php/killSession/?")


def test_glpi_wrong_user_token_is_an_auth_error_with_glpis_words(server: ContractServer,
                                                                 tmp_path: Path) -> None:
    """Docs (apirest.md "Init session" / "Errors"): 401 ``ERROR_GLPI_LOGIN_USER_TOKEN``;
    """ + DOCS + "."
    with pytest.raises(DeliveryError) as err:
        glpi(server, token="wrong").submit(open_sample(tmp_path))
    assert err.value.kind == "auth"
    assert err.value.helpdesk_message == "parameter user_token seems invalid"
    assert "wrong" not in err.value.message
    assert fake_of(server).tickets == {}


def test_glpi_a_crash_between_create_and_link_still_links_every_file_once(
        server: ContractServer, tmp_path: Path) -> None:
    """Docs (apirest.md "Get sub items" with ``expand_dropdowns``, "Add item(s)" for
    Document and Document_Item); """ + DOCS + """. Flare dies after the ticket and one
    linked document exist; the next run finds the ticket and adds only what it lacks."""
    conn = glpi(server)
    state, tid, bundle = deliver_across_a_crash(
        tmp_path, conn, lambda p: len(p["steps"].get("link") or []) == 1)
    fake = fake_of(server)
    assert state == "sent" and server.violations == []
    assert list(fake.tickets) == [int(tid)]
    assert fake.files_of(int(tid)) == sent_files(bundle)
    assert set(fake.link_counts(int(tid)).values()) == {1}


def test_glpi_incidents_are_the_unsolved_problems(server: ContractServer,
                                                  tmp_path: Path) -> None:
    """Docs: apirest.md "Search items" (``GET /search/:itemtype/`` with
    ``criteria[0][field]=12``, ``searchtype=equals``, ``value=notold``; ``forcedisplay``,
    ``sort``, ``order``, ``range``; rows under ``data`` keyed by search option id),
    https://help.glpi-project.org/documentation/modules/configuration/general/api/api"""
    fake = fake_of(server)
    older = fake.add_problem("Mail is down", date="2026-11-25 06:10:00",
                             date_mod="2026-11-25 06:30:00")
    newer = fake.add_problem("VPN refuses logins", status=1, date="2026-11-25 07:05:00",
                             date_mod="2026-11-25 08:15:00")
    fake.add_problem("Wi-Fi (solved)", status=5)
    fake.add_problem("Printers (closed)", status=6)
    conn = glpi(server)
    conn.submit(open_sample(tmp_path))  # a Ticket is not a known incident

    found = conn.incidents()

    assert server.violations == []
    assert [(i.id, i.title) for i in found] == [(str(newer), "VPN refuses logins"),
                                                 (str(older), "Mail is down")]
    assert found[0].url == f"{server.url}/front/problem.form.php?id={newer}"
    assert found[0].started_at is not None and found[0].updated_at is not None
    # GLPI's dates carry no zone: read as local time, so they sort with the other sources'.
    assert (found[0].started_at, found[0].updated_at) == (
        datetime(2026, 11, 25, 7, 5).astimezone(), datetime(2026, 11, 25, 8, 15).astimezone())
    assert found[0].started_at.tzinfo is not None
    assert fake.sessions == set()  # the session is killed after the read too
    fake.problems.clear()  # GLPI then leaves "data" out of the answer
    assert conn.incidents() == [] and server.violations == []
