"""report.html in a real browser: it renders, images load, injected markup stays text."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from app.bundle import write_bundle
from app.report import Answer
from tests.factories import sample_report
from tests.integration.chromium import dump_dom, screenshot

EVIL = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">"

pytestmark = pytest.mark.chromium


@pytest.fixture(scope="module")
def bundle_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    report, files, diagnostics = sample_report(steps=2)
    report = report.model_copy(
        update={
            "answers": [
                *report.answers,
                Answer(question_id="evil", question="Anything else?", value=EVIL, display=EVIL),
            ]
        }
    )
    return write_bundle(report, files, tmp_path_factory.mktemp("b"), diagnostics=diagnostics)


def test_dom_has_the_report_and_no_injected_script(bundle_dir: Path) -> None:
    dom = dump_dom(bundle_dir / "report.html")
    assert "<title>Outlook: sending fails with 0x800CCC0E</title>" in dom  # JS did not rename it
    assert "pwned" in dom  # the text is there, shown as text
    assert "&lt;script&gt;document.title" in dom
    assert dom.count("<img") == 2  # the two steps, not the injected one
    assert "restart recommended: up 23 days" in dom
    assert "Step 1" in dom and "Step 2" in dom


def test_screenshot_shows_the_inlined_images(bundle_dir: Path, tmp_path: Path) -> None:
    png = screenshot(bundle_dir / "report.html", tmp_path / "report.png")
    img = Image.open(png).convert("RGB")
    # The step images are solid #3366cc with a little text: their pixels must be on screen.
    colors = {color: count for count, color in img.getcolors(maxcolors=1 << 24) or []}
    blue = colors.get((0x33, 0x66, 0xCC), 0)
    assert blue > 2 * 250 * 150, f"only {blue} step-image pixels visible"
    # And the page is not blank: a good share of non-white pixels (text, badges, tables).
    non_white = img.width * img.height - colors.get((255, 255, 255), 0)
    assert non_white > 0.08 * img.width * img.height
