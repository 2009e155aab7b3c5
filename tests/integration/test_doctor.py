"""`flare doctor` against real things: an X screen, local HTTP(S) servers, a closed port."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from app.cli import main
from app.context import AppContext
from app.helpdesk.doctor import check_destination
from app.helpdesk.network import NetworkOptions
from app.helpdesk.registry import DestinationConfig
from capture.doctor import check_capture
from capture.platform_info import PlatformInfo
from tests.integration.tls_servers import (
    HOST,
    http_server,
    make_cert,
    server_ctx,
)
from tests.integration.xserver import painted, start_xvfb
from tests.netutil import closed_port


def _config(url: str, ca: Path | None = None) -> DestinationConfig:
    return DestinationConfig(
        type="rt", url=url, network=NetworkOptions(ca_bundle=ca, connect_timeout_s=2)
    )


def test_reachable_helpdesk() -> None:
    with http_server() as port:
        result = check_destination(_config(f"http://{HOST}:{port}/REST/2.0"))
    assert result.status == "ok" and "HTTP 200" in result.detail


def test_unreachable_helpdesk_says_what_to_do() -> None:
    result = check_destination(_config(f"http://{HOST}:{closed_port()}/"))
    assert result.status == "fail"
    assert "unreachable" in result.detail and "outbox" in result.fix


def test_untrusted_certificate_points_to_the_ca_setting(tmp_path: Path) -> None:
    cert, key, _ = make_cert(tmp_path, "inspection-proxy", days=(-1, 30))
    with http_server(server_ctx(cert, key)) as port:
        untrusted = check_destination(_config(f"https://{HOST}:{port}/"))
        trusted = check_destination(_config(f"https://{HOST}:{port}/", ca=cert))
    assert untrusted.status == "fail" and "destination.ca_bundle" in untrusted.fix
    assert trusted.status == "ok"


def test_missing_url_is_a_configuration_failure() -> None:
    result = check_destination(DestinationConfig(type="redmine"))
    assert result.status == "fail" and "destination.url" in result.detail


@pytest.mark.xvfb
def test_capture_check_on_a_real_screen_and_without_one(tmp_path: Path) -> None:
    ctx = AppContext.for_tests(tmp_path)
    with start_xvfb([(800, 600)]) as xs:
        platform = PlatformInfo.detect(xs.env())
        # A bare Xvfb root window is one flat colour: the check must call that out, not pass.
        blank = check_capture(ctx, platform)
        content = Image.new("RGB", (300, 200), "white")
        ImageDraw.Draw(content).rectangle((20, 20, 200, 120), fill="#c62828")
        with painted(xs, tmp_path, [(content, 100, 100)]):
            good = check_capture(ctx, platform)
    none = check_capture(ctx, PlatformInfo("linux", x11_display=""))
    assert blank.status == "fail" and blank.fix
    assert good.status == "ok" and "800x600" in good.detail
    assert none.status == "fail"
    off = check_capture(AppContext.for_tests(tmp_path, capture__enabled=False))
    assert off.status == "ok" and "policy" in off.detail


def test_doctor_json_lists_every_area(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["doctor", "--json"], context_factory=lambda debug: AppContext.for_tests(tmp_path))
    names = {r["name"] for r in json.loads(capsys.readouterr().out)}
    assert {"display", "reports folder", "policy", "screen capture", "helpdesk", "outbox"} <= names


def test_click_capture_check_on_a_real_desktop_and_on_wayland(tmp_path: Path) -> None:
    from capture.doctor import check_click_capture
    from tests.journey.desktop import desktop

    ctx = AppContext.for_tests(tmp_path)
    with desktop(tmp_path, "doctor-click-capture") as d:
        import os

        old = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = d.env["DBUS_SESSION_BUS_ADDRESS"]
        try:
            here = check_click_capture(ctx, PlatformInfo.detect(d.env))
        finally:
            if old is None:
                os.environ.pop("DBUS_SESSION_BUS_ADDRESS")
            else:
                os.environ["DBUS_SESSION_BUS_ADDRESS"] = old
    assert here.status == "ok" and "RECORD" in here.detail and "accessibility" in here.detail
    wayland = check_click_capture(ctx, PlatformInfo("linux", wayland=True, x11_display=":0"))
    assert wayland.status == "warning" and "Wayland" in wayland.detail and wayland.fix
    gone = check_click_capture(ctx, PlatformInfo("linux", x11_display=":4999"))
    assert gone.status == "fail"
