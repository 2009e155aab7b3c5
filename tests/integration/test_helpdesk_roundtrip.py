"""Real bundles through the real RT 5 and Redmine connectors, read back through their APIs."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from app.helpdesk.delivery_bundle import open_delivery_bundle
from tests.integration.helpdesk_reads import (
    expected_files,
    redmine_connector,
    redmine_files,
    redmine_get,
    rt_connector,
    rt_files,
    rt_get,
)
from tests.integration.helpdesk_servers import (
    Server,
    make_bundle,
    sha,
)

pytestmark = pytest.mark.helpdesk


def test_rt_submit_reads_back_every_field_and_file(rt_server: Server, tmp_path: Path) -> None:
    path = make_bundle(tmp_path, steps=3, level="critical", category_label="Hardware",
                       extra_attachment=bytes(range(256)) * 40)
    bundle = open_delivery_bundle(path)
    conn = rt_connector(rt_server)
    ref = conn.submit(bundle)

    ticket = rt_get(rt_server, f"/ticket/{ref.id}")
    assert ticket["Subject"] == (
        "Printer on floor 3 says \"offline\" — {\"json\": 'quotes'} "
        f"[Flare {bundle.report.short_id()}]")
    assert [r["id"] for r in ticket["Requestor"]] == ["reporter"]  # the RT user of that e-mail
    assert ticket["Priority"] == "100"
    assert {cf["name"]: cf["values"] for cf in ticket["CustomFields"]}["Category"] == ["Hardware"]
    got = {name: sha(data) for name, data in rt_files(rt_server, ref.id).items()}
    want = expected_files(path)
    assert set(want) <= set(got)
    for name, digest in want.items():
        assert got[name] == digest, f"{name} differs after the round trip"
    history = rt_get(rt_server, f"/ticket/{ref.id}/history")
    assert history["count"] >= 1

    status = conn.status(ref)
    assert (status.state, status.label) == ("open", "new")
    assert status.updated_at is not None
    assert conn.find_existing(bundle) == ref
    assert ref.id in [t.ref.id for t in conn.open_tickets("reporter@example.test")]


def test_rt_status_follows_the_ticket(rt_server: Server, tmp_path: Path) -> None:
    conn = rt_connector(rt_server)
    ref = conn.submit(open_delivery_bundle(make_bundle(tmp_path, steps=1)))
    env = rt_server.extra
    for rt_status, state in (("stalled", "waiting"), ("resolved", "resolved"),
                             ("rejected", "closed")):
        r = requests.put(f"{rt_server.url}/REST/2.0/ticket/{ref.id}", json={"Status": rt_status},
                         auth=(env["RT_ROOT_USER"], env["RT_ROOT_PASSWORD"]), timeout=30)
        assert r.status_code == 200, r.text
        got = conn.status(ref)
        assert (got.state, got.label) == (state, rt_status)


def test_rt_add_to_existing_ticket(rt_server: Server, tmp_path: Path) -> None:
    conn = rt_connector(rt_server)
    ref = conn.submit(open_delivery_bundle(make_bundle(tmp_path / "a", steps=1)))
    second = make_bundle(tmp_path / "b", steps=2, title="Still broken")
    conn.add_to_ticket(ref, open_delivery_bundle(second))
    names = rt_files(rt_server, ref.id)
    assert "step-002.png" in names
    assert sha(names["step-002.png"]) == expected_files(second)["step-002.png"]


def test_redmine_submit_reads_back_every_field_and_file(redmine_server: Server,
                                                        tmp_path: Path) -> None:
    path = make_bundle(tmp_path, steps=3, level="high", category_label="Network",
                       extra_attachment=bytes(range(256)) * 40)
    bundle = open_delivery_bundle(path)
    conn = redmine_connector(redmine_server)
    ref = conn.submit(bundle)

    issue = redmine_get(redmine_server, f"/issues/{ref.id}.json")["issue"]
    assert issue["subject"].endswith(f"[Flare {bundle.report.short_id()}]")
    assert issue["priority"]["name"] == "High"
    assert issue["category"]["name"] == "Network"
    assert "Reporter: Rita Reporter <reporter@example.test>" in issue["description"]
    assert "restart recommended: up 23 days" in issue["description"]
    got = {name: sha(data) for name, data in redmine_files(redmine_server, ref.id).items()}
    assert got == expected_files(path)

    status = conn.status(ref)
    assert (status.state, status.label) == ("open", "New")
    assert conn.find_existing(bundle) == ref


def test_redmine_large_screenshot_is_downscaled_with_a_note(redmine_server: Server,
                                                           tmp_path: Path) -> None:
    # 1 MB limit by setting; a noisy 1000x700 PNG is about 2 MB.
    path = make_bundle(tmp_path, steps=1, step_size=(1000, 700), random_images=True)
    original = open_delivery_bundle(path).files[0]
    assert original.size > 1024 * 1024
    conn = redmine_connector(redmine_server, max_attachment_mb=1)
    ref = conn.submit(open_delivery_bundle(path))
    issue = redmine_get(redmine_server, f"/issues/{ref.id}.json?include=attachments")["issue"]
    sizes = {a["filename"]: a["filesize"] for a in issue["attachments"]}
    assert 0 < sizes["step-001.png"] <= 1024 * 1024
    assert "step-001.png was downscaled" in issue["description"]


def test_redmine_big_log_is_split_not_dropped(redmine_server: Server, tmp_path: Path) -> None:
    blob = bytes(range(256)) * 10_000  # 2.5 MB
    path = make_bundle(tmp_path, steps=1, extra_attachment=blob)
    conn = redmine_connector(redmine_server, max_attachment_mb=1)
    ref = conn.submit(open_delivery_bundle(path))
    files = redmine_files(redmine_server, ref.id)
    parts = sorted(n for n in files if n.startswith("blob.bin.part"))
    assert parts == ["blob.bin.part1of3", "blob.bin.part2of3", "blob.bin.part3of3"]
    assert b"".join(files[p] for p in parts) == blob
    issue = redmine_get(redmine_server, f"/issues/{ref.id}.json")["issue"]
    assert "blob.bin (2.4 MB) was split into 3 parts" in issue["description"]
