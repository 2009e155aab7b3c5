"""Each screenshot reaches the helpdesk once: the real RT receives the screenshots as files
and a report.html that names them (no inlined copy); the folder destination keeps the
self-contained page; saved side by side, the helpdesk's page shows its images in a real
browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from app.helpdesk.delivery_bundle import open_delivery_bundle, refer_to_attached
from app.helpdesk.folder import FolderConnector
from tests.factories import sample_bundle
from tests.integration.helpdesk_reads import rt_connector, rt_files
from tests.integration.helpdesk_servers import Server, make_bundle


@pytest.mark.helpdesk
def test_rt_gets_each_screenshot_once(rt_server: Server, tmp_path: Path) -> None:
    bundle = make_bundle(tmp_path / "b", steps=3, step_size=(800, 600), random_images=True)
    opened = open_delivery_bundle(bundle)
    shots = sum(f.size for f in opened.files if f.kind == "step")
    ref = rt_connector(rt_server).submit(opened)
    files = rt_files(rt_server, ref.id)
    html = files["report.html"].decode("utf-8")
    assert "data:image" not in html
    for i in (1, 2, 3):
        assert f'src="step-00{i}.png"' in html
        assert f"Attached to the ticket as step-00{i}.png" in html
    uploaded = sum(len(b) for b in files.values())
    # The screenshots once, plus a page and the diagnostics of a few KB (was 2.3-2.4x).
    assert uploaded < 1.1 * shots, (uploaded, shots)


def test_the_folder_keeps_the_self_contained_page(tmp_path: Path) -> None:
    bundle = sample_bundle(tmp_path / "b", steps=2)
    ref = FolderConnector(tmp_path / "reports").submit(open_delivery_bundle(bundle))
    html = (Path(ref.id) / "report.html").read_text("utf-8")
    assert html.count('src="data:image/') == 2


@pytest.mark.chromium
def test_saved_attachments_show_in_the_browser(tmp_path: Path) -> None:
    from tests.integration.chromium import screenshot

    delivered = refer_to_attached(open_delivery_bundle(sample_bundle(tmp_path / "b", steps=2)))
    saved = tmp_path / "saved"  # as support saves a ticket's attachments: side by side
    saved.mkdir()
    for f in delivered.files:
        (saved / f.name).write_bytes(f.read_bytes())
    assert b"data:image" not in (saved / "report.html").read_bytes()
    png = screenshot(saved / "report.html", tmp_path / "page.png")
    img = Image.open(png).convert("RGB")
    colors = {color: count for count, color in img.getcolors(maxcolors=1 << 24) or []}
    blue = colors.get((0x33, 0x66, 0xCC), 0)  # the sample steps are solid #3366cc
    assert blue > 2 * 250 * 150, f"only {blue} step-image pixels visible"
