"""Issue 13.1: credentials stay with the helpdesk's origin, for every auth type and step.

requests strips Authorization on a cross-origin redirect but not custom headers or the query,
so a GET step redirected elsewhere carried X-Redmine-API-Key (or any `header` auth) there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.bundle import open_bundle
from app.helpdesk.delivery_bundle import open_delivery_bundle
from app.helpdesk.errors import DeliveryError
from app.helpdesk.registry import DestinationConfig, make_connector
from app.helpdesk.secrets import SecretResolver
from tests.factories import sample_bundle
from tests.security.helpers import TOKEN, TOKEN_ENV, spec_connector
from tests.security.loopback import Helpdesk, Request, serve

AUTHS = {
    "header": 'auth: {type: header, name: X-Api-Key, value: "{{ secret.token }}"}\n',
    "bearer": 'auth: {type: bearer, token: "{{ secret.token }}"}\n',
    "basic": 'auth: {type: basic, username: flare, password: "{{ secret.token }}"}\n',
    "query": 'auth: {type: query, name: api_key, value: "{{ secret.token }}"}\n',
    "session": ('auth:\n  type: session\n  headers: {Session-Token: "{{ secret.token }}"}\n'
                '  steps:\n    - {name: login, method: GET, url: /login}\n'),
}


def leaked(other: Helpdesk) -> list[str]:
    """Every place the planted token showed up at the other origin."""
    out = []
    for r in other.requests:
        blob = r.raw_path + " " + " ".join(r.headers.values()) + r.body.decode("latin-1")
        if TOKEN in blob or "dG9r" in blob:  # raw, or inside Basic's base64
            out.append(f"{r.method} {r.raw_path}")
    return out


def redirect_to(target: Helpdesk) -> object:
    def answer(req: Request) -> tuple[int, dict[str, str], bytes] | None:
        if req.method == "GET":
            return 302, {"Location": f"{target.url}/steal{req.raw_path}"}, b""
        return None

    return answer


@pytest.mark.parametrize("kind", sorted(AUTHS))
def test_a_redirect_to_another_origin_carries_no_credential(
        kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with serve() as other, serve() as desk:
        desk.answer = redirect_to(other)  # type: ignore[assignment]
        conn = spec_connector(tmp_path, desk, monkeypatch, auth=AUTHS[kind])
        bundle = open_delivery_bundle(sample_bundle(tmp_path / "b"))
        with pytest.raises(DeliveryError, match="redirected .* to another address") as err:
            conn.find_existing(bundle)
    assert leaked(other) == []
    assert other.requests == [], "nothing at all is sent to the other origin"
    assert "\n" not in err.value.message and "destination.url" in err.value.message


def test_the_builtin_redmine_spec_keeps_its_api_key_home(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    with serve() as other, serve() as desk:
        desk.answer = redirect_to(other)  # type: ignore[assignment]
        config = DestinationConfig(type="redmine", url=desk.url, project="it",
                                   token=f"env:{TOKEN_ENV}")
        conn = make_connector(config, SecretResolver())
        bundle = open_delivery_bundle(sample_bundle(tmp_path / "b"))
        for call in (lambda: conn.find_existing(bundle), lambda: conn.submit(bundle)):
            with pytest.raises(DeliveryError):
                call()
    assert leaked(other) == []
    assert any(r.headers.get("x-redmine-api-key") == TOKEN for r in desk.requests)


def test_a_redirect_within_the_origin_is_still_followed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with serve() as desk:
        def answer(req: Request) -> tuple[int, dict[str, str], bytes] | None:
            if req.method == "GET" and req.path == "/tickets":
                return 301, {"Location": "/v2/tickets?" + req.raw_path.split("?", 1)[1]}, b""
            if req.path == "/v2/tickets":
                return 200, {"Content-Type": "application/json"}, b'{"tickets": [{"id": 7}]}'
            return None

        desk.answer = answer  # type: ignore[assignment]
        conn = spec_connector(tmp_path, desk, monkeypatch)
        path = sample_bundle(tmp_path / "b")
        found = conn.find_existing(open_delivery_bundle(path))
    assert found is not None and found.id == "7"
    second = desk.requests[-1]
    assert second.path == "/v2/tickets" and second.headers.get("x-api-key") == TOKEN
    assert open_bundle(path).report.id  # the bundle itself was only read
