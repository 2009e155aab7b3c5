"""`flare connector test` and `flare outbox …` through the real CLI against real RT/Redmine."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from app.cli import main
from app.context import AppContext
from app.wiring import find_personal_data
from tests.integration.helpdesk_reads import rt_context, rt_count_marker, rt_get
from tests.integration.helpdesk_servers import (
    Server,
    make_bundle,
)

pytestmark = pytest.mark.helpdesk


def test_connector_test_files_a_marked_ticket_and_reads_it_back(
        rt_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    ctx = rt_context(tmp_path, rt_server, monkeypatch)
    assert main(["connector", "test"], context_factory=lambda _d: ctx) == 0
    out = capsys.readouterr().out
    ticket_id = out.split("Test report filed as ", 1)[1].split()[0]
    ticket = rt_get(rt_server, f"/ticket/{ticket_id}")
    assert ticket["Subject"].startswith("[TEST] Flare connector test")
    assert "Read back: status new (open)" in out
    assert "found by its report marker" in out


def test_connector_test_with_bad_password_says_what_to_fix(
        rt_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    ctx = rt_context(tmp_path, rt_server, monkeypatch, password="nope")
    assert main(["connector", "test"], context_factory=lambda _d: ctx) == 5
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "HTTP 401" in err and "destination.token" in err
    assert "not filed" in err and "outbox" not in err  # a test report is never kept


def test_outbox_send_list_purge(rt_server: Server, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    ctx = rt_context(tmp_path, rt_server, monkeypatch)
    draft = make_bundle(tmp_path / "drafts")
    assert main(["outbox", "send", str(draft)], context_factory=lambda _d: ctx) == 0
    out = capsys.readouterr().out
    assert "Queued as outbox item 1." in out and "sent as ticket" in out
    assert main(["outbox", "list", "--json"], context_factory=lambda _d: ctx) == 0
    [item] = json.loads(capsys.readouterr().out)
    assert item["state"] == "sent" and item["ticket"]["id"]
    marker = f"Flare {item['report_id'].replace('-', '')[:8]}"
    assert rt_count_marker(rt_server, marker) == 1
    # queuing the same report again neither queues nor files it twice
    assert main(["outbox", "send", str(draft)], context_factory=lambda _d: ctx) == 0
    assert rt_count_marker(rt_server, marker) == 1
    capsys.readouterr()
    assert main(["outbox", "purge"], context_factory=lambda _d: ctx) == 0
    assert "1 report removed" in capsys.readouterr().out
    assert draft.is_dir()  # the user's own copy is never touched


def test_redmine_status_polling_reports_a_change(redmine_server: Server, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import requests

    from app.helpdesk.configured import connector_factory, deliverer, open_outbox, queue_report
    from app.helpdesk.status import poll_statuses

    monkeypatch.setenv("FLARE_TEST_RM_KEY", redmine_server.extra["REDMINE_API_KEY"])
    ctx = AppContext.for_tests(
        tmp_path, destination__type="redmine", destination__url=redmine_server.url,
        destination__project=redmine_server.extra["REDMINE_PROJECT"],
        destination__token="env:FLARE_TEST_RM_KEY")
    with open_outbox(ctx) as box:
        item = queue_report(ctx, make_bundle(tmp_path / "drafts"), box)
        [outcome] = deliverer(ctx, box, finder=find_personal_data).run_due()
        assert outcome.ticket is not None
        assert poll_statuses(box, connector_factory(ctx), every_s=900) == []  # first look
        assert box.get(item.id).status_label == "New"
        statuses = requests.get(redmine_server.url + "/issue_statuses.json", timeout=30).json()
        resolved = next(s["id"] for s in statuses["issue_statuses"] if s["name"] == "Resolved")
        r = requests.put(f"{redmine_server.url}/issues/{outcome.ticket.id}.json", timeout=30,
                         json={"issue": {"status_id": resolved}},
                         headers={"X-Redmine-API-Key": redmine_server.extra["REDMINE_API_KEY"]})
        assert r.status_code in (200, 204), r.text
        assert poll_statuses(box, connector_factory(ctx), every_s=900) == []  # not due yet
        box.clock = lambda: ctx.clock() + timedelta(minutes=16)
        [change] = poll_statuses(box, connector_factory(ctx), every_s=900)
        assert (change.old_state, change.new_state, change.label) == ("open", "resolved",
                                                                     "Resolved")
        assert box.get(item.id).why(0).startswith("sent as ticket")


def test_flow_adapters_send_and_list(rt_server: Server, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from app.bundle import read_bundle
    from app.helpdesk.configured import connector_factory, deliverer, open_outbox
    from app.helpdesk.incidents import HelpdeskIncidents
    from app.helpdesk.outbox_reports import OutboxReports
    from app.helpdesk.submitter import OutboxSubmitter

    ctx = rt_context(tmp_path, rt_server, monkeypatch)
    bundle = read_bundle(make_bundle(tmp_path / "drafts"))
    with open_outbox(ctx) as box:
        send = deliverer(ctx, box, finder=find_personal_data)
        result = OutboxSubmitter(box, send, "rt").submit(bundle)
    assert result.state == "sent" and result.ticket_number
    [mine] = OutboxReports(lambda: open_outbox(ctx)).my_reports()
    assert mine.ticket == result.ticket_number and mine.title == bundle.report.title
    tickets = HelpdeskIncidents(connector_factory(ctx)("rt"),
                                "reporter@example.test").open_tickets()
    assert result.ticket_number in [t.ref.display() for t in tickets]
