"""`flare doctor` proves the path: the API address answers, the secret reference resolves,
and the helpdesk accepts the credentials (a harmless signed-in read), on the real RT and
Redmine and on a loopback helpdesk."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.helpdesk.doctor import check_destination, check_sign_in
from app.helpdesk.registry import DestinationConfig
from app.helpdesk.secrets import SecretResolver
from tests.integration.helpdesk_servers import Server
from tests.security.loopback import Helpdesk, serve, spec_text


def rt(server: Server, password: str, token: str = "env:RT_PW") -> tuple[DestinationConfig,
                                                                          SecretResolver]:
    env = server.extra
    return (DestinationConfig(type="rt", url=server.url, username=env["RT_ROOT_USER"],
                              token=token, queue="General"),
            SecretResolver(environ={"RT_PW": password}, keyring_lookup=lambda _n: None))


@pytest.mark.helpdesk
def test_rt_right_and_wrong_password(rt_server: Server) -> None:
    ok = check_sign_in(*rt(rt_server, rt_server.extra["RT_ROOT_PASSWORD"]))
    assert ok is not None and ok.status == "ok", ok
    assert ok.detail == f"Request Tracker accepts Flare's credentials as " \
                        f"{rt_server.extra['RT_ROOT_USER']}"
    bad = check_sign_in(*rt(rt_server, "not-the-password"))
    assert bad is not None and bad.status == "fail"
    assert "refused Flare's credentials (HTTP 401" in bad.detail
    assert "destination.token" in bad.fix


@pytest.mark.helpdesk
def test_a_keyring_reference_that_does_not_resolve_fails(rt_server: Server) -> None:
    result = check_sign_in(*rt(rt_server, "", token="keyring:flare-rt-missing"))
    assert result is not None and result.status == "fail"
    assert "no secret 'flare-rt-missing' in the OS keyring" in result.detail
    assert "keyring set Flare flare-rt-missing" in result.detail


@pytest.mark.helpdesk
def test_redmine_wrong_key_and_wrong_project(redmine_server: Server) -> None:
    env = redmine_server.extra

    def check(key: str, project: str) -> tuple[str, str]:
        config = DestinationConfig(type="redmine", url=redmine_server.url, project=project,
                                   token="env:RM_KEY")
        r = check_sign_in(config, SecretResolver(environ={"RM_KEY": key}))
        assert r is not None
        return r.status, r.detail

    assert check(env["REDMINE_API_KEY"], env["REDMINE_PROJECT"])[0] == "ok"
    status, detail = check("0" * 40, env["REDMINE_PROJECT"])
    assert status == "fail" and "refused Flare's credentials (HTTP 401" in detail
    status, detail = check(env["REDMINE_API_KEY"], "no-such-project")
    assert status == "fail" and "HTTP 404" in detail and "project" in detail


def test_the_probe_goes_to_the_api_path_and_a_spec_without_check_is_not_called_proven(
        tmp_path: Path) -> None:
    with serve(Helpdesk()) as desk:
        spec = tmp_path / "loop.yaml"
        spec.write_text(spec_text())
        config = DestinationConfig(type="spec", spec=spec, url=f"{desk.url}/desk/api",
                                   token="env:K")
        reach = check_destination(config)
        assert reach.status == "ok"
        assert [r.path for r in desk.requests] == ["/desk/api"]
        signed = check_sign_in(config, SecretResolver(environ={"K": "key"}))
    assert signed is not None and signed.status == "warning"
    assert "no `check` operation" in signed.detail and "flare connector test" in signed.fix
