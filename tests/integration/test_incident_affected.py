""""I'm affected too" through the outbox to the real RT 5 and Redmine: a comment on the
incident ticket (read back through the helpdesk's API), or where policy says so a short
ticket linked to it; and the incidents of a Redmine project/tracker on the first page."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from app.helpdesk.delivery import Deliverer
from app.helpdesk.outbox import Outbox
from app.helpdesk.spec_connector import SpecConnector
from tests.factories import affected_bundle
from tests.integration.helpdesk_reads import (
    redmine_connector,
    redmine_get,
    rt_connector,
    rt_get,
    rt_post,
)
from tests.integration.helpdesk_servers import Server

pytestmark = pytest.mark.helpdesk

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def _deliver(tmp: Path, connector: SpecConnector, bundle: Path) -> Any:
    box = Outbox(tmp / "state", lambda: datetime.now(UTC))
    item = box.enqueue(bundle, connector.name, report_id=uuid.uuid4().hex, title="affected")
    return Deliverer(box, lambda _name: connector).send_now(item.id)


def _rt_incident(server: Server) -> tuple[str, str]:
    queue = f"Incidents-{uuid.uuid4().hex[:6]}"
    rt_post(server, "/queue", {"Name": queue})
    ticket = rt_post(server, "/ticket", {"Queue": queue, "Subject": f"Mail down {queue}"})
    return queue, str(ticket["id"])


def _rt_comments(server: Server, ticket_id: str) -> list[str]:
    """The text of every Comment transaction on the ticket, read back from RT."""
    out = []
    page = rt_get(server, f"/ticket/{ticket_id}/attachments?per_page=100")
    for item in page["items"]:
        att = rt_get(server, f"/attachment/{item['id']}")
        if not str(att.get("ContentType", "")).startswith("text/plain"):
            continue
        tx = rt_get(server, f"/transaction/{att['TransactionId']['id']}")
        if tx.get("Type") == "Comment":
            out.append(base64.b64decode(att.get("Content") or "").decode())
    return out


def test_rt_incidents_queue_then_affected_comment(rt_server: Server, tmp_path: Path) -> None:
    queue, incident = _rt_incident(rt_server)
    conn = rt_connector(rt_server, incidents_queue=queue)
    assert [i.id for i in conn.incidents()] == [incident]
    email = f"ann-{uuid.uuid4().hex[:8]}@example.org"
    before = int(rt_get(rt_server, f"/tickets?query=Requestor = '{email}'")["count"])
    outcome = _deliver(tmp_path, conn, affected_bundle(tmp_path, incident, "comment", email,
                                                note="Also my calendar is empty"))
    assert outcome.state == "sent", outcome
    assert outcome.ticket.id == incident and outcome.added_to_ticket
    comments = _rt_comments(rt_server, incident)
    assert len(comments) == 1, comments
    text = comments[0]
    for expected in (f"Who: Ann Example <{email}>", "Machine: PC-B-0412 (Debian 12)",
                     "When: 2026-12-01 09:30:00", "Network: mail.example.org:993 unreachable",
                     "Anything different: Also my calendar is empty"):
        assert expected in text, text
    # The reviewed report goes with the comment.
    names = {rt_get(rt_server, f"/attachment/{i['id']}").get("Filename") for i in
             rt_get(rt_server, f"/ticket/{incident}/attachments?per_page=100")["items"]}
    assert {"report.html", "diagnostics.json"} <= names, names
    # No new ticket for this person: the comment is the whole delivery.
    assert int(rt_get(rt_server, f"/tickets?query=Requestor = '{email}'")["count"]) == before


def test_rt_linked_ticket_refers_to_the_incident(rt_server: Server, tmp_path: Path) -> None:
    _, incident = _rt_incident(rt_server)
    conn = rt_connector(rt_server)
    email = f"bob-{uuid.uuid4().hex[:8]}@example.org"
    outcome = _deliver(tmp_path, conn, affected_bundle(tmp_path, incident, "linked_ticket", email))
    assert outcome.state == "sent", outcome
    new = outcome.ticket.id
    assert new != incident
    links = rt_get(rt_server, f"/ticket/{new}")["_hyperlinks"]
    refers = [h for h in links if h.get("ref") == "refers-to"]
    assert [h["id"] for h in refers] == [incident], links
    assert _rt_comments(rt_server, incident) == []


def _redmine_post(server: Server, path: str, data: dict[str, Any]) -> Any:
    r = requests.post(server.url + path, json=data, timeout=30,
                      headers={"X-Redmine-API-Key": server.extra["REDMINE_API_KEY"]})
    r.raise_for_status()
    return r.json()


def test_redmine_incidents_then_comment_and_relation(redmine_server: Server,
                                                     tmp_path: Path) -> None:
    project = redmine_server.extra["REDMINE_PROJECT"]
    tracker = str(redmine_get(redmine_server, "/trackers.json")["trackers"][-1]["id"])
    subject = f"VPN down {uuid.uuid4().hex[:6]}"
    incident = str(_redmine_post(redmine_server, "/issues.json", {"issue": {
        "project_id": project, "tracker_id": int(tracker), "subject": subject}})["issue"]["id"])
    conn = redmine_connector(redmine_server, incidents_queue=project,
                             incidents_tracker=tracker)
    found = {i.id: i for i in conn.incidents()}
    assert incident in found and found[incident].title == subject
    assert found[incident].updated_at is not None
    email = f"cy-{uuid.uuid4().hex[:8]}@example.org"
    outcome = _deliver(tmp_path, conn, affected_bundle(tmp_path, incident, "comment", email))
    assert outcome.state == "sent" and outcome.ticket.id == incident, outcome
    journals = redmine_get(redmine_server,
                           f"/issues/{incident}.json?include=journals")["issue"]["journals"]
    notes = [j["notes"] for j in journals if j.get("notes")]
    assert len(notes) == 1 and f"Who: Ann Example <{email}>" in notes[0], notes
    assert "Machine: PC-B-0412" in notes[0]
    files = {a["filename"] for a in redmine_get(
        redmine_server, f"/issues/{incident}.json?include=attachments")["issue"]["attachments"]}
    assert {"report.html", "diagnostics.json"} <= files, files

    linked = _deliver(tmp_path, conn, affected_bundle(tmp_path, incident, "linked_ticket", email))
    assert linked.state == "sent" and linked.ticket.id != incident, linked
    relations = redmine_get(redmine_server,
                            f"/issues/{linked.ticket.id}/relations.json")["relations"]
    assert {str(r["issue_to_id"]) for r in relations} | {
        str(r["issue_id"]) for r in relations} >= {incident}


def test_redmine_without_incident_setting_offers_none(redmine_server: Server) -> None:
    assert "incidents" not in redmine_connector(redmine_server).capabilities


def test_rt_search_finds_recent_similar_tickets(rt_server: Server, tmp_path: Path) -> None:
    """Duplicates: the site's recent ticket with the same telling word, and the reporter's
    own, are found in the real RT; an older or unrelated one is not."""
    from datetime import timedelta

    from app.helpdesk.incidents import HelpdeskIncidents, search_words

    run = uuid.uuid4().hex[:6]
    # Letters only: a search word is a word (RT keeps tickets between runs: a per-run one).
    word = "plotter" + run.translate(str.maketrans("0123456789", "ghijklmnop"))
    other = rt_post(rt_server, "/ticket", {"Queue": "General",
                                            "Subject": f"The {word} prints nothing"})
    rt_post(rt_server, "/ticket", {"Queue": "General", "Subject": f"Coffee machine {run}"})
    email = f"dee-{run}@example.org"
    own = rt_post(rt_server, "/ticket", {"Queue": "General", "Subject": f"VPN slow {run}",
                                          "Requestor": email})
    assert search_words(f"My {word} says error again") == word
    helpdesk = HelpdeskIncidents(rt_connector(rt_server), email)
    since = datetime.now(UTC) - timedelta(hours=4)
    found = {t.ref.id: t for t in helpdesk.similar(search_words(f"The {word} is dead"), since)}
    assert set(found) == {str(other["id"]), str(own["id"])}, found
    assert found[str(other["id"])].status.updated_at is not None  # when it was filed
    later = datetime.now(UTC) + timedelta(hours=1)
    assert helpdesk.similar(word, later) == [], "only recent tickets count"


def test_redmine_search_finds_recent_similar_tickets(redmine_server: Server,
                                                     tmp_path: Path) -> None:
    """Duplicates on Redmine: the project's recent issue with the same telling word and the
    reporter's own (their address in the description, as Flare writes it) are found in the
    real Redmine, each once; an unrelated one, a closed one and an older window are not."""
    from datetime import timedelta

    from app.helpdesk.incidents import HelpdeskIncidents, search_words

    project = redmine_server.extra["REDMINE_PROJECT"]
    run = uuid.uuid4().hex[:6]
    word = "scanner" + run.translate(str.maketrans("0123456789", "ghijklmnop"))
    email = f"eve-{run}@example.org"

    def issue(subject: str, description: str = "") -> str:
        return str(_redmine_post(redmine_server, "/issues.json", {"issue": {
            "project_id": project, "subject": subject, "description": description}})[
            "issue"]["id"])

    other = issue(f"The {word} jams")
    own = issue(f"VPN slow {run}", f"Reporter: Eve Example <{email}>\nIt is slow.")
    both = issue(f"My {word} again", f"Reporter: Eve Example <{email}>")
    issue(f"Coffee machine {run}")
    closed = [s["id"] for s in redmine_get(redmine_server, "/issue_statuses.json")[
        "issue_statuses"] if s.get("is_closed")]
    done = issue(f"Closed {word} ticket", f"Reporter: Eve Example <{email}>")
    r = requests.put(f"{redmine_server.url}/issues/{done}.json", timeout=30,
                     json={"issue": {"status_id": closed[0]}},
                     headers={"X-Redmine-API-Key": redmine_server.extra["REDMINE_API_KEY"]})
    r.raise_for_status()
    assert redmine_get(redmine_server, f"/issues/{done}.json")["issue"]["status"]["id"] in closed
    helpdesk = HelpdeskIncidents(redmine_connector(redmine_server), email)
    assert "search" in redmine_connector(redmine_server).capabilities
    since = datetime.now(UTC) - timedelta(hours=4)
    found = helpdesk.similar(search_words(f"The {word} is dead"), since)
    assert sorted(t.ref.id for t in found) == sorted([other, own, both]), found
    byid = {t.ref.id: t for t in found}
    assert byid[other].title == f"The {word} jams"
    assert byid[own].status.state == "open" and byid[own].status.updated_at is not None
    assert byid[other].ref.url.endswith(f"/issues/{other}")
    later = datetime.now(UTC) + timedelta(hours=1)
    assert helpdesk.similar(word, later) == [], "only recent issues count"
    # Nobody's address and no word: nothing asked, nothing offered.
    assert HelpdeskIncidents(redmine_connector(redmine_server), "").similar("", since) == []
