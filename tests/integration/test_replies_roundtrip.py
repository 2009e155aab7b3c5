"""Support's replies reach the reporter, and the reporter's answer reaches the ticket: the
real RT 5 and Redmine, through the outbox, the status poll and "My reports"' data."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from app.helpdesk.courier import DeliveryRound, round_messages
from app.helpdesk.delivery import Deliverer
from app.helpdesk.outbox import Outbox
from app.helpdesk.outbox_reports import OutboxReports
from app.helpdesk.protocol import Connector
from app.helpdesk.status import poll_statuses
from app.i18n import Translator
from tests.integration.helpdesk_reads import (
    redmine_connector,
    redmine_get,
    rt_connector,
    rt_get,
)
from tests.integration.helpdesk_servers import Server, make_bundle

pytestmark = pytest.mark.helpdesk

SUPPORT_REPLY = "Is the cable <b>plugged in</b>? Please check & tell us."
INTERNAL = "internal: this user again"
ANSWER = "Yes, it is plugged in <i>firmly</i>.\nThe light is off."


def _now() -> datetime:
    return datetime.now(UTC)


def _send_report(tmp_path: Path, conn: Connector, email: str) -> tuple[Outbox, int]:
    box = Outbox(tmp_path / "state", _now)
    item = box.enqueue(make_bundle(tmp_path / "b", steps=1, email=email, title="Printer dead"),
                       conn.name, report_id=str(uuid.uuid4()), title="Printer dead")
    [outcome] = Deliverer(box, lambda _d: conn).run_due()
    assert outcome.state == "sent", outcome.error
    return box, item.id


def _support_answers_then_waits(box: Outbox, conn: Connector, item_id: int,
                                support: str) -> None:
    changes = poll_statuses(box, lambda _d: conn, every_s=0.001)
    # One message that support waits, and said only once.
    said = round_messages(Translator("en"), DeliveryRound(changes=changes))
    assert [title for title, _ in said] == ["Support is waiting for your answer"]
    assert "Printer dead" in said[0][1]
    assert poll_statuses(box, lambda _d: conn, every_s=0.001) == []
    [mine] = [r for r in OutboxReports(lambda: Outbox(box.dir.parent, _now)).my_reports()
              if r.item_id == item_id]
    assert mine.waiting_for_reporter and mine.can_answer
    texts = [r.text for r in mine.replies]
    assert SUPPORT_REPLY in texts  # as written: markup stays text
    [reply] = [r for r in mine.replies if r.text == SUPPORT_REPLY]
    assert reply.author == support and not reply.mine
    assert reply.at is not None and abs((_now() - reply.at).total_seconds()) < 600
    assert not any(INTERNAL in t for t in texts)  # an internal comment never shows


def _answer(box: Outbox, conn: Connector, item_id: int) -> None:
    reports = OutboxReports(lambda: Outbox(box.dir.parent, _now))
    reports.answer(item_id, ANSWER)
    [row] = [r for r in reports.my_reports() if r.item_id == item_id]
    assert [r.pending for r in row.replies if r.mine] == ["waiting to be sent"]
    assert len(reports.my_reports()) == 1  # the answer is under its ticket, not a report
    [outcome] = Deliverer(box, lambda _d: conn).run_due()
    assert outcome.state == "sent" and outcome.added_to_ticket, outcome.error


# --------------------------------------------------------------------------- RT


def _rt(server: Server, method: str, path: str, **kw: Any) -> requests.Response:
    env = server.extra
    r = requests.request(method, server.url + "/REST/2.0" + path, timeout=30,
                         auth=(env["RT_ROOT_USER"], env["RT_ROOT_PASSWORD"]), **kw)
    assert r.status_code in (200, 201), r.text
    return r


def test_rt_replies_reach_the_reporter_and_the_answer_reaches_the_ticket(
        rt_server: Server, tmp_path: Path) -> None:
    email = f"replies-{uuid.uuid4().hex[:10]}@example.test"  # RT keeps tickets between runs
    conn = rt_connector(rt_server)
    assert "replies" in conn.capabilities
    box, item_id = _send_report(tmp_path, conn, email)
    found = rt_get(rt_server, f"/tickets?query=Requestor = '{email}'")
    [ticket] = [str(t["id"]) for t in found["items"]]
    assert box.get(item_id).ticket.id == ticket  # type: ignore[union-attr]

    _rt(rt_server, "POST", f"/ticket/{ticket}/correspond",
        json={"Content": SUPPORT_REPLY, "ContentType": "text/plain"})
    _rt(rt_server, "POST", f"/ticket/{ticket}/comment",
        json={"Content": INTERNAL, "ContentType": "text/plain"})
    _rt(rt_server, "PUT", f"/ticket/{ticket}", json={"Status": "stalled"})
    _support_answers_then_waits(box, conn, item_id, rt_server.extra["RT_ROOT_USER"])

    _answer(box, conn, item_id)
    history = rt_get(rt_server, f"/ticket/{ticket}/history?fields=Type&per_page=100")
    corresponds = [t["id"] for t in history["items"] if t["Type"] == "Correspond"]
    last = rt_get(rt_server, f"/transaction/{corresponds[-1]}/attachments"
                             "?fields=Content,ContentType,Filename")["items"]
    text = next(a["Content"] for a in last if a["ContentType"] == "text/plain")
    assert text.startswith(ANSWER), text
    assert not any(a.get("Filename") for a in last)  # an answer carries no files

    # The helpdesk's copy of the answer replaces Flare's pending one, once read back.
    poll_statuses(box, lambda _d: conn, every_s=0.001)
    [row] = OutboxReports(lambda: Outbox(box.dir.parent, _now)).my_reports()
    assert [r.text for r in row.replies].count(SUPPORT_REPLY) == 1
    assert [r.mine for r in row.replies if r.text.startswith(ANSWER)] == [True]
    # RT still says stalled, but the last word is the reporter's: nobody waits for her.
    assert row.status == "stalled" and not row.waiting_for_reporter
    box.close()


# --------------------------------------------------------------------------- Redmine


def _redmine(server: Server, method: str, path: str, **kw: Any) -> requests.Response:
    r = requests.request(method, server.url + path, timeout=30,
                         headers={"X-Redmine-API-Key": server.extra["REDMINE_API_KEY"]}, **kw)
    assert r.status_code in (200, 201, 204), r.text
    return r


def test_redmine_replies_reach_the_reporter_and_the_answer_reaches_the_issue(
        redmine_server: Server, tmp_path: Path) -> None:
    conn = redmine_connector(redmine_server)
    assert "replies" in conn.capabilities
    email = f"replies-{uuid.uuid4().hex[:10]}@example.test"
    box, item_id = _send_report(tmp_path, conn, email)
    issue = box.get(item_id).ticket.id  # type: ignore[union-attr]
    statuses = redmine_get(redmine_server, "/issue_statuses.json")["issue_statuses"]
    feedback = next(s["id"] for s in statuses if s["name"] == "Feedback")
    _redmine(redmine_server, "PUT", f"/issues/{issue}.json",
             json={"issue": {"notes": INTERNAL, "private_notes": True}})
    _redmine(redmine_server, "PUT", f"/issues/{issue}.json",
             json={"issue": {"notes": SUPPORT_REPLY, "status_id": feedback}})
    me = redmine_get(redmine_server, "/users/current.json")["user"]
    _support_answers_then_waits(box, conn, item_id, f"{me['firstname']} {me['lastname']}")

    before = redmine_get(redmine_server, f"/issues/{issue}.json?include=attachments")
    _answer(box, conn, item_id)
    after = redmine_get(redmine_server,
                        f"/issues/{issue}.json?include=journals,attachments")["issue"]
    assert after["journals"][-1]["notes"].startswith(ANSWER)
    # An answer carries no files: the issue has the report's files and no more.
    assert len(after["attachments"]) == len(before["issue"]["attachments"])
    box.close()
