"""The built-in SaaS connector specs load, and only ask for settings the registry can give."""

from __future__ import annotations

import pytest

from app.helpdesk.email import SmtpSettings, smtp_settings
from app.helpdesk.errors import DeliveryError
from app.helpdesk.registry import DestinationConfig, builtin_spec, builtin_spec_names
from app.helpdesk.secrets import SecretResolver

SAAS = ["freshdesk", "freshservice", "gitlab", "glpi", "jira_sm", "osticket", "servicenow",
        "zammad", "zendesk"]
NO_READ_BACK = {"osticket"}  # its API only creates tickets
# What DestinationConfig.setting gives a spec param (the incidents ones are RT's/Redmine's
# settings, which the SaaS specs reuse for their own incident group/project).
SETTINGS = {"destination.url", "destination.queue", "destination.project",
            "destination.username", "destination.token", "destination.incidents_queue",
            "destination.incidents_tracker"}


@pytest.mark.parametrize("name", SAAS)
def test_spec_loads_and_uses_only_known_settings(name: str) -> None:
    assert name in builtin_spec_names()
    spec = builtin_spec(name)
    assert spec.name == name
    for p in spec.params.values():
        assert not p.setting or p.setting in SETTINGS, f"{name}: {p.name} -> {p.setting}"
        assert not p.required or p.setting, f"{name}: required {p.name} has no setting"
    assert [s.setting for s in spec.secrets.values()] == ["destination.token"]
    # every destination reads the status back, except where the vendor's API cannot
    assert ("status" in spec.capabilities) is (name not in NO_READ_BACK)


def _smtp(url: str, username: str = "", token: str = "") -> DeliveryError | SmtpSettings:
    config = DestinationConfig(type="email", url=url, queue="hd@example.org",
                               username=username, token=token)
    try:
        return smtp_settings(config, SecretResolver(environ={"PW": "pw"}))
    except DeliveryError as exc:
        return exc


@pytest.mark.parametrize(("url", "security", "port"), [
    ("smtp+starttls://mail.example.org?from=f%40example.org", "starttls", 587),
    ("smtps://mail.example.org?from=f@example.org", "ssl", 465),
    ("smtp://mail.example.org:2525?from=f@example.org", "plain", 2525),
])
def test_smtp_url_gives_security_and_default_port(url: str, security: str, port: int) -> None:
    s = _smtp(url)
    assert isinstance(s, SmtpSettings), s
    assert (s.security, s.port, s.sender) == (security, port, "f@example.org")


@pytest.mark.parametrize(("url", "kw", "says"), [
    ("https://mail.example.org", {}, "not a mail server address"),
    ("smtps://mail.example.org", {}, "?from=ADDRESS"),
    ("smtp://mail.example.org", {"username": "u@example.org", "token": "env:PW"}, "clear text"),
    ("smtps://mail.example.org:99999?from=f@e.org", {}, "invalid port"),
])
def test_smtp_settings_errors_name_the_setting(url: str, kw: dict[str, str], says: str) -> None:
    err = _smtp(url, **kw)
    assert isinstance(err, DeliveryError) and err.kind == "config"
    assert says in err.message


def test_smtp_password_never_shows_in_repr() -> None:
    s = _smtp("smtps://mail.example.org", username="u@example.org", token="env:PW")
    assert isinstance(s, SmtpSettings)
    assert s.password == "pw" and "pw" not in repr(s)
