"""Incident sources read for real from a local Statuspage-format server, RSS, Atom and a JSON
file; hostile and failing sources say why and keep the last good answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from app.helpdesk.incident_feeds import (
    MAX_FEED_BYTES,
    FeedCache,
    FeedConfig,
    incident_feed_schema,
    merged_incidents,
    read_feed,
    read_feeds,
)
from tests.statuspage_server import status_page

SCHEMA = Path(__file__).parents[2] / "resources" / "schema" / "incident-feed.schema.json"


def _read(feed: FeedConfig, cache_dir: Path) -> object:
    return read_feed(feed, session=requests.Session(), cache=FeedCache(cache_dir))


def test_statuspage_unresolved_incidents_with_their_latest_update(tmp_path: Path) -> None:
    with status_page() as page:
        page.announce("k1", "Mail is down", "We are investigating.")
        page.announce("k2", "VPN slow", "Fixed.", status="resolved")
        page.incidents[0]["incident_updates"].append(
            {"body": "Identified: a failed disk on the mail server.", "status": "identified",
             "created_at": (datetime.now(UTC) + timedelta(minutes=5)).isoformat()})
        r = read_feed(FeedConfig("statuspage", "Status", url=page.url),
                      session=requests.Session(), cache=FeedCache(tmp_path))
    assert not r.error
    assert [i.title for i in r.incidents] == ["Mail is down"]
    inc = r.incidents[0]
    assert inc.details == "Identified: a failed disk on the mail server."
    assert inc.url == f"{page.url}/incidents/k1"
    assert inc.updated_at is not None and inc.updated_at > inc.started_at  # type: ignore[operator]


def test_a_second_read_is_conditional_and_the_cached_answer_is_used(tmp_path: Path) -> None:
    feed_cache = FeedCache(tmp_path)
    with status_page() as page:
        page.announce("k1", "Mail is down", "Investigating.")
        feed = FeedConfig("statuspage", "Status", url=page.url)
        first = read_feed(feed, session=requests.Session(), cache=feed_cache)
        second = read_feed(feed, session=requests.Session(), cache=feed_cache)
        assert page.requests == 2 and page.not_modified == 1
        page.announce("k3", "Printers offline", "Investigating.")
        third = read_feed(feed, session=requests.Session(), cache=feed_cache)
    assert [i.id for i in first.incidents] == [i.id for i in second.incidents] == ["k1"]
    assert sorted(i.id for i in third.incidents) == ["k1", "k3"]


def test_a_fresh_answer_is_reused_without_asking_again(tmp_path: Path) -> None:
    feed_cache = FeedCache(tmp_path)
    with status_page() as page:
        page.max_age = 300
        page.announce("k1", "Mail is down", "Investigating.")
        feed = FeedConfig("statuspage", "Status", url=page.url)
        first = read_feed(feed, session=requests.Session(), cache=feed_cache)
        second = read_feed(feed, session=requests.Session(), cache=feed_cache)
        later = read_feed(feed, session=requests.Session(), cache=feed_cache,
                          now=lambda: datetime.now(UTC) + timedelta(seconds=301))
        assert page.requests == 2 and page.not_modified == 1
    assert [i.id for i in first.incidents] == [i.id for i in second.incidents] == ["k1"]
    assert [i.id for i in later.incidents] == ["k1"]


def test_a_source_that_goes_down_says_so_and_keeps_its_last_answer(tmp_path: Path) -> None:
    feed_cache = FeedCache(tmp_path)
    with status_page() as page:
        page.announce("k1", "Mail is down", "Investigating.")
        feed = FeedConfig("statuspage", "Status", url=page.url)
        read_feed(feed, session=requests.Session(), cache=feed_cache)
        page.down = True
        r = read_feed(feed, session=requests.Session(), cache=feed_cache)
    assert "HTTP 503" in r.error
    assert r.from_cache and [i.id for i in r.incidents] == ["k1"]


@pytest.mark.parametrize("path", ["/feed.rss", "/feed.atom"])
def test_rss_and_atom_leave_out_resolved_and_old_entries(tmp_path: Path, path: str) -> None:
    with status_page() as page:
        page.announce("r1", "Mail is down", "Investigating.")
        page.announce("r2", "VPN slow", "Fixed.", status="resolved")
        page.announce("r3", "Old outage", "Investigating.",
                      at=datetime.now(UTC) - timedelta(days=3))
        r = read_feed(FeedConfig("rss", "Feed", url=page.url + path),
                      session=requests.Session(), cache=FeedCache(tmp_path))
    assert not r.error
    assert [(i.id, i.title) for i in r.incidents] == [("r1", "Mail is down")]


def test_an_xml_bomb_is_refused_not_expanded(tmp_path: Path) -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
            b"<rss><channel><item><title>&c;</title></item></channel></rss>")
    with status_page() as page:
        page.extra["/bomb.rss"] = (200, {"Content-Type": "application/rss+xml"}, bomb)
        r = read_feed(FeedConfig("rss", "Feed", url=page.url + "/bomb.rss"),
                      session=requests.Session(), cache=FeedCache(tmp_path))
    assert r.incidents == [] and "not well-formed RSS or Atom" in r.error


def test_an_oversized_answer_and_a_redirect_loop_are_refused(tmp_path: Path) -> None:
    with status_page() as page:
        page.extra["/big.rss"] = (200, {}, b"<rss>" + b" " * (MAX_FEED_BYTES + 10))
        page.extra["/loop"] = (302, {"Location": "/loop"}, b"")
        big = _read(FeedConfig("rss", "Big", url=page.url + "/big.rss"), tmp_path)
        loop = _read(FeedConfig("rss", "Loop", url=page.url + "/loop"), tmp_path)
    assert "more than 1024 KB" in big.error  # type: ignore[attr-defined]
    assert "redirects more than" in loop.error  # type: ignore[attr-defined]


def test_a_json_file_on_a_share_and_a_broken_one(tmp_path: Path) -> None:
    good = tmp_path / "incidents.json"
    good.write_text(json.dumps({"incidents": [
        {"id": "INC-7", "title": "1C is unavailable", "details": "The 1C server is restarting.",
         "started_at": "2026-12-01T09:00:00+02:00"}]}), "utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"incidents": [{"id": "x"}]}), "utf-8")
    r = _read(FeedConfig("json", "Share", path=str(good)), tmp_path / "c")
    b = _read(FeedConfig("json", "Share", path=str(bad)), tmp_path / "c")
    missing = _read(FeedConfig("json", "Share", path=str(tmp_path / "nope.json")), tmp_path)
    assert [i.title for i in r.incidents] == ["1C is unavailable"]  # type: ignore[attr-defined]
    assert r.incidents[0].started_at.utcoffset() == timedelta(hours=2)  # type: ignore[attr-defined]
    assert "incidents.0.title" in b.error and "incident-feed.schema.json" in b.error  # type: ignore[attr-defined]
    assert "cannot read" in missing.error  # type: ignore[attr-defined]


def test_the_committed_schema_is_the_one_the_reader_enforces() -> None:
    assert json.loads(SCHEMA.read_text("utf-8")) == incident_feed_schema()


def test_several_sources_at_once_merge_by_link(tmp_path: Path) -> None:
    with status_page() as page:
        page.announce("m1", "Mail is down", "Investigating.")
        results = read_feeds(
            [FeedConfig("statuspage", "Status", url=page.url),
             FeedConfig("rss", "Feed", url=page.url + "/feed.rss"),
             FeedConfig("rss", "Gone", url=page.url + "/nothing-here")],
            session=requests.Session(), cache=FeedCache(tmp_path))
    assert [bool(r.error) for r in results] == [False, False, True]
    assert "HTTP 404" in results[2].error
    assert [i.title for i in merged_incidents(results)] == ["Mail is down"]


def test_flare_incidents_prints_every_source_and_why_one_failed(tmp_path: Path) -> None:
    policy = tmp_path / "pol"
    (policy / "managed").mkdir(parents=True)
    for folder in (policy, policy / "managed"):
        folder.chmod(0o755)
    home = tmp_path / "home"
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_CACHE_HOME": str(home / ".cache"), "XDG_STATE_HOME": str(home / ".state"),
           "XDG_DATA_HOME": str(home / ".data"), "FLARE_POLICY_DIR": str(policy),
           "LANG": "C.UTF-8"}
    with status_page() as page:
        page.announce("s1", "Mail is down", "Investigating.")
        managed = policy / "managed" / "10.json"
        managed.write_text(json.dumps({"incidents.feeds": [
            {"type": "statuspage", "name": "Company status", "url": page.url},
            {"type": "rss", "name": "Broken feed", "url": page.url + "/missing.rss"},
        ]}), "utf-8")
        managed.chmod(0o644)
        text = subprocess.run([sys.executable, "-m", "app.cli", "incidents"], env=env,
                              capture_output=True, text=True, timeout=60, check=False)
        js = subprocess.run([sys.executable, "-m", "app.cli", "incidents", "--json"], env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert text.returncode == 1, text.stderr
    assert "Company status (statuspage): 1 known incident" in text.stdout
    assert "  - Mail is down [" in text.stdout
    assert "Broken feed (rss): FAILED:" in text.stdout and "HTTP 404" in text.stdout
    data = json.loads(js.stdout)
    assert [(d["source"], d["ok"]) for d in data] == [("Company status", True),
                                                      ("Broken feed", False)]
    assert data[0]["incidents"][0]["title"] == "Mail is down"
