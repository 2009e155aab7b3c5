"""Talking to the real RT and Redmine in tests: connectors, and tickets and their files read back.

Shared by several test modules (test modules never import each other)."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
import requests

from app.context import AppContext
from app.helpdesk.delivery_bundle import open_delivery_bundle, refer_to_attached
from app.helpdesk.registry import DestinationConfig, builtin_spec, spec_connector
from app.helpdesk.secrets import SecretResolver
from app.helpdesk.spec_connector import SpecConnector
from tests.integration.helpdesk_servers import (
    Server,
)


def rt_connector(server: Server, url: str | None = None, password: str | None = None,
                 **kw: Any) -> SpecConnector:
    env = server.extra
    resolver = SecretResolver(environ={"RT_PW": password or env["RT_ROOT_PASSWORD"]})
    config = DestinationConfig(type="rt", url=url or server.url, username=env["RT_ROOT_USER"],
                               token="env:RT_PW", queue="General", **kw)
    return spec_connector(builtin_spec("rt"), config, resolver)


def redmine_connector(server: Server, url: str | None = None, key: str | None = None,
                      project: str | None = None, **kw: Any) -> SpecConnector:
    env = server.extra
    resolver = SecretResolver(environ={"RM_KEY": key or env["REDMINE_API_KEY"]})
    config = DestinationConfig(type="redmine", url=url or server.url,
                               project=project or env["REDMINE_PROJECT"], token="env:RM_KEY",
                               **kw)
    return spec_connector(builtin_spec("redmine"), config, resolver)


def rt_get(server: Server, path: str) -> Any:
    env = server.extra
    r = requests.get(server.url + "/REST/2.0" + path,
                     auth=(env["RT_ROOT_USER"], env["RT_ROOT_PASSWORD"]), timeout=30)
    r.raise_for_status()
    return r.json()


def rt_post(server: Server, path: str, data: dict[str, Any]) -> Any:
    env = server.extra
    r = requests.post(server.url + "/REST/2.0" + path, json=data, timeout=30,
                      auth=(env["RT_ROOT_USER"], env["RT_ROOT_PASSWORD"]))
    r.raise_for_status()
    return r.json()


def rt_files(server: Server, ticket_id: str) -> dict[str, bytes]:
    """Every named attachment of a ticket, by file name, with its bytes."""
    out: dict[str, bytes] = {}
    page = rt_get(server, f"/ticket/{ticket_id}/attachments?per_page=100")
    for item in page["items"]:
        att = rt_get(server, f"/attachment/{item['id']}")
        if att.get("Filename"):
            out[att["Filename"]] = base64.b64decode(att.get("Content") or "")
    return out


def rt_count_marker(server: Server, marker: str) -> int:
    data = rt_get(server, f"/tickets?query=Subject LIKE '{marker}'")
    return int(data["count"])


def redmine_get(server: Server, path: str) -> Any:
    r = requests.get(server.url + path, timeout=30,
                     headers={"X-Redmine-API-Key": server.extra["REDMINE_API_KEY"]})
    r.raise_for_status()
    return r.json()


def redmine_files(server: Server, issue_id: str) -> dict[str, bytes]:
    issue = redmine_get(server, f"/issues/{issue_id}.json?include=attachments")["issue"]
    out = {}
    for att in issue["attachments"]:
        r = requests.get(att["content_url"].replace("http://localhost", server.url), timeout=30,
                         headers={"X-Redmine-API-Key": server.extra["REDMINE_API_KEY"]})
        r.raise_for_status()
        out[att["filename"]] = r.content
    return out


def redmine_count_marker(server: Server, marker: str) -> int:
    data = redmine_get(server, f"/issues.json?status_id=*&subject=~{marker}")
    return int(data["total_count"])


def expected_files(bundle_path: Path) -> dict[str, str]:
    """Checksums of what a helpdesk must hold: report.html names the screenshots attached
    beside it (each screenshot is sent once)."""
    b = refer_to_attached(open_delivery_bundle(bundle_path))
    return {f.name: f.sha256() for f in b.files}



def rt_context(tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch,
               password: str | None = None) -> AppContext:
    monkeypatch.setenv("FLARE_TEST_RT_PW", password or server.extra["RT_ROOT_PASSWORD"])
    return AppContext.for_tests(
        tmp_path, destination__type="rt", destination__url=server.url,
        destination__username=server.extra["RT_ROOT_USER"],
        destination__token="env:FLARE_TEST_RT_PW", destination__queue="General")
