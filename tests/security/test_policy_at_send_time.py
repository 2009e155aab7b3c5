"""Issue 13.4: policy holds at send time, whoever built the bundle.

A hand-made bundle, a spec of the user's choosing, an edited outbox row, a policy folder named
in the environment and CA variables each tried to get around a locked setting.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import requests

from app.bundle import write_bundle
from app.cli import main
from app.context import AppContext
from app.helpdesk.configured import destination_config
from app.helpdesk.network import make_session
from app.report import DiagnosticSection
from app.settings import load_settings
from app.settings.loader import PolicySources
from app.wiring import find_personal_data
from tests.factories import sample_report
from tests.security.helpers import TOKEN, TOKEN_ENV
from tests.security.loopback import Helpdesk, serve, spec_text
from tests.security.tls import make_cert, tls_server

PII = "olena.kovalenko@example.org"


def hand_made(tmp_path: Path) -> Path:
    """Screenshots, an attachment, an e-mail address in the diagnostics: as a script
    would write it, without the report window."""
    report, files, diagnostics = sample_report()
    diagnostics.sections.append(DiagnosticSection(
        name="mail", title="Mail", summary=f"account {PII}", data={"account": PII}))
    return write_bundle(report, files, tmp_path / "drafts", diagnostics=diagnostics)


def context(tmp_path: Path, desk: Helpdesk, monkeypatch: pytest.MonkeyPatch,
            **locked: Any) -> AppContext:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    spec = tmp_path / "loopdesk.yaml"
    spec.write_text(spec_text(), "utf-8")
    return AppContext.for_tests(tmp_path / "home", destination__type="spec",
                                destination__spec=str(spec), destination__url=desk.url,
                                destination__token=f"env:{TOKEN_ENV}", **locked)


@pytest.mark.parametrize(("setting", "value", "said"), [
    ("capture__enabled", False, "screenshot"),
    ("form__allow_attachments", False, "attach"),
    ("diagnostics__redact", ["email"], "email"),
])
def test_a_hand_made_bundle_is_held_to_policy(
        setting: str, value: Any, said: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    bundle = hand_made(tmp_path)
    with serve() as desk:
        ctx = context(tmp_path, desk, monkeypatch, **{setting: value})
        code = main(["outbox", "send", str(bundle)], context_factory=lambda _d: ctx)
    out = capsys.readouterr().out
    assert code != 0
    assert desk.creates() == [] and not any(r.method == "POST" for r in desk.requests)
    line = next(x for x in out.splitlines() if "failed" in x)
    assert said in line and setting.replace("__", ".") in line


def test_the_same_bundle_goes_when_policy_allows_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = hand_made(tmp_path)
    with serve() as desk:
        ctx = context(tmp_path, desk, monkeypatch)
        assert main(["outbox", "send", str(bundle)], context_factory=lambda _d: ctx) == 0
    assert len(desk.creates()) == 1


def test_connector_test_spec_cannot_take_a_locked_destination_elsewhere(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    with serve() as mine, serve() as theirs:
        ctx = context(tmp_path, mine, monkeypatch)
        own = tmp_path / "own.yaml"
        own.write_text(spec_text().replace("{{ params.url }}", theirs.url), "utf-8")
        code = main(["connector", "test", "--spec", str(own)], context_factory=lambda _d: ctx)
    err = capsys.readouterr().err
    assert code != 0 and "--spec" in err and err.count("\n") == 1
    assert theirs.requests == [] and mine.requests == []


def test_an_edited_destination_column_does_not_send_the_report_elsewhere(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = hand_made(tmp_path)
    with serve() as desk:
        ctx = context(tmp_path, desk, monkeypatch)
        from app.helpdesk.configured import open_outbox, queue_report

        with open_outbox(ctx) as box:
            item = queue_report(ctx, bundle, box)
        db = sqlite3.connect(ctx.dirs.state / "outbox" / "outbox.sqlite3")
        with db:
            db.execute("UPDATE items SET destination='folder' WHERE id=?", (item.id,))
        db.close()
        assert main(["outbox", "send"], context_factory=lambda _d: ctx) == 0
    assert len(desk.creates()) == 1, "sent where policy says"
    reports = ctx.reports_dir()
    assert not reports.exists() or not any(reports.iterdir()), "not into the folder"


def test_flare_policy_dir_cannot_add_to_recommended_policy(tmp_path: Path) -> None:
    machine = tmp_path / "etc-flare"
    (machine / "recommended").mkdir(parents=True)
    (machine / "recommended" / "site.json").write_text(
        json.dumps({"general.language": "uk"}), "utf-8")
    mine = tmp_path / "mine"
    (mine / "managed").mkdir(parents=True)
    (mine / "managed" / "me.json").write_text(
        json.dumps({"form.allow_attachments": False, "destination.url": "http://127.0.0.1:9"}),
        "utf-8")
    for d in (machine, machine / "recommended", mine, mine / "managed"):
        d.chmod(0o755)
    settings = load_settings(None, platform="linux", env={"FLARE_POLICY_DIR": str(mine)},
                             sources=PolicySources(linux_dir=machine))
    assert settings.get("general.language") == "uk"
    assert settings.get("destination.url") == "" and not settings.is_locked("destination.url")
    assert settings.get("form.allow_attachments") is True
    assert any("FLARE_POLICY_DIR is ignored" in p.message for p in settings.problems)


@pytest.fixture()
def certs(tmp_path: Path) -> dict[str, tuple[Path, Path]]:
    folder = tmp_path / "certs"
    folder.mkdir()
    ca = make_cert(folder, "company-ca", ca=True)
    return {"ca": ca, "good": make_cert(folder, "helpdesk", issuer=ca),
            "rogue": make_cert(folder, "rogue")}


def _get(ctx: AppContext, port: int) -> int:
    session = make_session(destination_config(ctx).network)
    return session.get(f"https://127.0.0.1:{port}/", timeout=5).status_code


def test_the_locked_ca_bundle_is_trusted(tmp_path: Path,
                                         certs: dict[str, tuple[Path, Path]]) -> None:
    ctx = AppContext.for_tests(tmp_path / "home", destination__ca_bundle=str(certs["ca"][0]))
    with tls_server(*certs["good"]) as port:
        assert _get(ctx, port) == 200


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"])
def test_ca_variables_add_nothing_to_a_locked_ca_bundle(
        variable: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        certs: dict[str, tuple[Path, Path]]) -> None:
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)  # requests reads the first one set
    monkeypatch.setenv(variable, str(certs["rogue"][0]))
    ctx = AppContext.for_tests(tmp_path / "home", destination__ca_bundle=str(certs["ca"][0]))
    with tls_server(*certs["rogue"]) as port, pytest.raises(requests.exceptions.SSLError):
        _get(ctx, port)


def test_the_tray_courier_holds_the_same_policy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.helpdesk.configured import open_outbox, queue_report
    from app.helpdesk.courier import Courier

    bundle = hand_made(tmp_path)
    with serve() as desk:
        ctx = context(tmp_path, desk, monkeypatch, capture__enabled=False)
        with open_outbox(ctx) as box:
            queue_report(ctx, bundle, box)
        Courier(ctx, finder=find_personal_data).run(send=True)
        with open_outbox(ctx) as box:
            [item] = box.items()
    assert desk.creates() == []
    assert item.state == "failed" and "capture.enabled" in item.last_error
