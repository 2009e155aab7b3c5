"""The example specs of docs/helpdesks.md deliver real bundles to loopback helpdesks.

Roundup-style: Origin from ``params.url | origin``, files converted to what the tracker
accepts, clean-up after a refused create, a found ticket completed with the files it lacks,
and a locked login treated as credentials. List-only helpdesk: the ticket found by filtering
the list, "my open tickets" by the reporter's e-mail and the open states.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from app.bundle import write_bundle
from app.helpdesk.delivery import Deliverer
from app.helpdesk.delivery_bundle import open_delivery_bundle
from app.helpdesk.outbox import Outbox
from app.helpdesk.registry import DestinationConfig, make_connector
from app.helpdesk.secrets import SecretResolver
from app.helpdesk.spec_connector import SpecConnector
from tests.docs_specs import doc_specs
from tests.factories import sample_bundle, sample_report
from tests.integration.spec_desks import ListDesk, Roundup
from tests.security.loopback import serve

SPECS = dict(doc_specs())


def connector(tmp_path: Path, name: str, url: str, password: str,
              monkeypatch: pytest.MonkeyPatch) -> SpecConnector:
    path = tmp_path / f"{name}.yaml"
    path.write_text(SPECS[name], "utf-8")
    monkeypatch.setenv("FLARE_DOC_SPEC_PASSWORD", password)
    conn = make_connector(DestinationConfig(type="spec", url=url, spec=path, username="flare",
                                            token="env:FLARE_DOC_SPEC_PASSWORD"),
                          SecretResolver())
    assert isinstance(conn, SpecConnector)
    return conn


@pytest.fixture()
def roundup() -> Iterator[Roundup]:
    tracker = Roundup()
    with serve(tracker.desk):
        yield tracker


@pytest.fixture()
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    with Outbox(tmp_path / "state", lambda: datetime(2026, 11, 25, 10, tzinfo=UTC)) as box:
        yield box


def queue(outbox: Outbox, path: Path) -> int:
    report = open_delivery_bundle(path).report
    return outbox.enqueue(path, "spec", report_id=str(report.id), title=report.title).id


def webp_bundle(dest: Path) -> tuple[Path, dict[str, bytes]]:
    """The report window's default: lossless WebP screenshots."""
    report, files, diagnostics = sample_report()
    steps = []
    for s in report.steps:
        buf = io.BytesIO()
        Image.open(io.BytesIO(files.pop(s.image))).save(buf, "WEBP", lossless=True)
        name = s.image.replace(".png", ".webp")
        files[name] = buf.getvalue()
        steps.append(s.model_copy(update={"image": name, "media_type": "image/webp"}))
    report = report.model_copy(update={"steps": steps})
    return write_bundle(report, files, dest, diagnostics=diagnostics), files


def pixels(data: bytes) -> bytes:
    return Image.open(io.BytesIO(data)).convert("RGB").tobytes()


def test_roundup_gets_every_file_in_a_form_it_accepts(
        roundup: Roundup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        outbox: Outbox) -> None:
    path, originals = webp_bundle(tmp_path / "draft")
    roundup.refuse_suffixes = {".webp", ".log"}
    conn = connector(tmp_path, "roundup", roundup.url, roundup.password, monkeypatch)
    queue(outbox, path)
    [o] = Deliverer(outbox, lambda _d: conn).run_due()
    assert o.state == "sent" and o.ticket is not None, outbox.get(o.item_id).last_error
    assert o.ticket.url == f"{roundup.url}/issue{o.ticket.id}"
    got = roundup.issue_files(o.ticket.id)
    assert sorted(got) == ["diagnostics.json", "outlook.log.txt", "report.html",
                           "step-001.png", "step-002.png"]
    for i in (1, 2):
        assert got[f"step-00{i}.png"][:8] == b"\x89PNG\r\n\x1a\n"
        assert pixels(got[f"step-00{i}.png"]) == pixels(originals[f"step-00{i}.webp"])
    assert got["outlook.log.txt"] == originals["attachments/outlook.log"]
    [msg] = roundup.live("msg").values()
    assert "step-001.png" in msg["content"]  # the text names the file that is attached
    assert "outlook.log is attached as outlook.log.txt" in msg["content"]
    # Every POST carried the tracker's origin, not its address with /support.
    posts = [r for r in roundup.desk.requests if r.method == "POST"]
    assert posts and {r.headers["origin"] for r in posts} == {roundup.desk.url}


def test_a_refused_roundup_issue_leaves_no_orphans_and_is_not_retried(
        roundup: Roundup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        outbox: Outbox) -> None:
    roundup.refuse_issue = "Required issue property assignedto not supplied"
    conn = connector(tmp_path, "roundup", roundup.url, roundup.password, monkeypatch)
    item_id = queue(outbox, sample_bundle(tmp_path / "draft"))
    [o] = Deliverer(outbox, lambda _d: conn).run_due()
    item = outbox.get(item_id)
    assert o.state == "failed" and item.error_kind == "validation"
    assert item.helpdesk_message == "Required issue property assignedto not supplied"
    assert len(roundup.items["file"]) == 5 and len(roundup.items["msg"]) == 1
    assert roundup.live("file") == {} and roundup.live("msg") == {}  # all retired
    assert json.loads(item.progress) == {"done": [], "vars": {}, "steps": {}}


def test_a_found_roundup_issue_gets_the_files_it_lacks(
        roundup: Roundup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        outbox: Outbox) -> None:
    path = sample_bundle(tmp_path / "draft")
    bundle = open_delivery_bundle(path)
    marker = f"Flare {bundle.report.short_id()}"
    # An earlier attempt created the issue with one screenshot, then Flare stopped.
    first = next(f for f in bundle.files if f.name == "step-001.png")
    fid = roundup.new("file", {"name": first.name, "type": first.media_type,
                               "content": first.read_bytes()})
    issue = roundup.new("issue", {"title": f"Outlook [{marker}]", "messages": [],
                                  "files": [fid], "priority": "2"})
    item_id = queue(outbox, path)
    outbox.mark_retry(item_id, error="timed out", kind="network", helpdesk_message="",
                      delay_s=0, uncertain=True)
    conn = connector(tmp_path, "roundup", roundup.url, roundup.password, monkeypatch)
    [o] = Deliverer(outbox, lambda _d: conn).run_due()
    assert o.state == "sent" and o.reused_existing and o.ticket is not None
    assert o.ticket.id == issue
    got = roundup.issue_files(issue)
    sent = conn.prepare(bundle).files  # outlook.log goes as outlook.log.txt
    assert {n: len(b) for n, b in got.items()} == {f.name: f.size for f in sent}
    assert got["step-001.png"] == first.read_bytes()  # not uploaded twice
    assert len(roundup.items["file"]) == len(sent)
    assert len(roundup.live("issue")) == 1


def test_a_roundup_lockout_is_credentials_not_busy(
        roundup: Roundup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        outbox: Outbox) -> None:
    from app.helpdesk.errors import DeliveryError

    conn = connector(tmp_path, "roundup", roundup.url, "wrong", monkeypatch)
    bundle = open_delivery_bundle(sample_bundle(tmp_path / "draft"))
    seen = []
    for _ in range(4):
        with pytest.raises(DeliveryError) as info:
            conn.submit(bundle)
        seen.append((info.value.http_status, info.value.error_class))
    assert seen == [(401, "credentials")] * 3 + [(429, "credentials")]
    assert str(info.value).startswith("Roundup locked Flare's account after failed logins")


def test_the_list_only_helpdesk_finds_tickets_by_filtering(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, outbox: Outbox) -> None:
    desk = ListDesk()
    desk.add("VPN drops", "olena@example.org", 1)
    desk.add("Printer", "olena@example.org", 4)  # closed
    desk.add("Mail", "someone.else@example.org", 1)
    desk.add("Screen", "OLENA@example.org", 2)  # reopened
    with serve(desk.desk):
        conn = connector(tmp_path, "listdesk", desk.desk.url, desk.password, monkeypatch)
        path = sample_bundle(tmp_path / "draft")
        bundle = open_delivery_bundle(path)
        assert conn.find_existing(bundle) is None
        ref = conn.submit(bundle)
        assert sorted(desk.files[ref.id]) == sorted(f.name for f in bundle.files)
        found = conn.find_existing(bundle)
        assert found is not None and found.id == ref.id
        mine = conn.open_tickets("olena@example.org")
        assert sorted((t.title, t.status.label, t.status.state) for t in mine) == [
            ("Outlook: sending fails with 0x800CCC0E [Flare "
             f"{bundle.report.short_id()}]", "Open", "open"),
            ("Screen", "Reopened", "open"), ("VPN drops", "Open", "open")]
        assert conn.status(ref).label == "Open"
