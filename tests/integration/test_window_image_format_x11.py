"""The report window's screenshots honour destination.image_format, as `flare record` does:
grabbed from a real X server through the window's own capturer (app.wiring)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from app.context import AppContext
from app.wiring import ScreenCapturer
from tests.integration.xserver import known_content, painted, start_xvfb

pytestmark = pytest.mark.xvfb

SIGNATURES = {"png": b"\x89PNG\r\n\x1a\n", "jpeg": b"\xff\xd8\xff", "webp": b"RIFF"}


@pytest.mark.parametrize(("fmt", "media_type", "suffix"), [
    ("png", "image/png", ".png"), ("webp", "image/webp", ".webp")])
def test_the_window_encodes_in_the_destinations_format(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, media_type: str,
        suffix: str) -> None:
    with start_xvfb([(640, 480)]) as server:
        for k, v in server.env().items():
            monkeypatch.setenv(k, v)
        monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
        ctx = AppContext.for_tests(tmp_path, destination__image_format=fmt)
        with painted(server, tmp_path, [(known_content(640, 480, seed=3), 0, 0)]):
            step, data = ScreenCapturer(ctx).capture(1)
    assert (step.media_type, Path(step.image).suffix) == (media_type, suffix)
    assert data.startswith(SIGNATURES[fmt])
    with Image.open(io.BytesIO(data)) as img:
        assert img.size == (640, 480)
