"""The review page lists exactly what the destination receives, with the final names: no
report.json for a helpdesk, a screenshot under its converted name, report.html as sent."""

from __future__ import annotations

from pathlib import Path

from app.bundle import Bundle
from app.context import AppContext
from app.flow.views import review_files
from app.i18n import Translator
from app.render.html import render_html
from app.wiring import destination_files
from tests.factories import sample_report

JPEG_ONLY = """\
flare_connector: 1
name: jpeg-desk
title: JPEG Desk
params:
  url: {required: true, setting: destination.url}
accepts:
  images: [jpeg]
  files: [".jpg", ".log", ".html", ".json"]
operations:
  submit:
    steps:
      - name: create
        method: POST
        url: "{{ params.url }}/tickets"
        body:
          multipart:
            - name: file
              for_each: f in files
              file: "{{ f }}"
        extract: {ticket: id}
    result: {id: "{{ vars.ticket }}"}
"""


def _bundle() -> Bundle:
    report, files, diagnostics = sample_report(steps=2)
    bundle = Bundle(report=report, diagnostics=diagnostics, files=files)
    bundle.html = render_html(bundle)
    return bundle


def test_rt_receives_no_report_json_and_a_page_naming_the_screenshots(tmp_path: Path) -> None:
    ctx = AppContext.for_tests(tmp_path, destination__type="rt",
                               destination__url="https://rt.example.test",
                               destination__username="flare")
    bundle = _bundle()
    files = destination_files(ctx, bundle)
    assert files is not None
    names = [f.name for f in files]
    assert names == ["step-001.png", "step-002.png", "outlook.log", "report.html",
                     "diagnostics.json"]
    [html] = [f for f in files if f.name == "report.html"]
    assert b"data:image" not in html.read_bytes()
    shots = sum(f.size for f in files if f.kind == "step")
    assert len(bundle.html.encode("utf-8")) - html.size > shots  # their copies are gone
    entries = review_files(Translator("en"), bundle, files)
    assert [e.name for e in entries] == names
    assert [e.size for e in entries] == [f.size for f in files]


def test_a_helpdesk_that_takes_jpeg_only_gets_jpg_names(tmp_path: Path) -> None:
    spec = tmp_path / "jpeg.yaml"
    spec.write_text(JPEG_ONLY)
    ctx = AppContext.for_tests(tmp_path, destination__type="spec",
                               destination__spec=str(spec),
                               destination__url="https://desk.example.test")
    files = destination_files(ctx, _bundle())
    assert files is not None
    assert [f.name for f in files if f.kind == "step"] == ["step-001.jpg", "step-002.jpg"]
    assert all(f.read_bytes().startswith(b"\xff\xd8") for f in files if f.kind == "step")
    [html] = [f for f in files if f.name == "report.html"]
    assert b'src="step-001.jpg"' in html.read_bytes()


def test_the_folder_lists_the_bundle_itself(tmp_path: Path) -> None:
    ctx = AppContext.for_tests(tmp_path)
    bundle = _bundle()
    assert destination_files(ctx, bundle) is None
    names = [e.name for e in review_files(Translator("en"), bundle)]
    assert {"report.html", "report.json", "diagnostics.json"} <= set(names)
