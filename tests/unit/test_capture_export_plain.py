"""`flare capture` writes its metadata without the report model, exactly as the model would."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone

import pytest
from PIL import Image

from app.report import MonitorInfo, Step
from capture.export import Exporter, ExportOptions, dumps_step
from capture.geometry import Placement
from capture.grab import Frame


def _picture() -> Image.Image:
    rnd = random.Random(7)
    return Image.frombytes("RGB", (320, 200), bytes(rnd.randrange(256) for _ in range(320 * 600)))


@pytest.mark.parametrize(
    ("captured_at", "monitor", "title", "options"),
    [
        (
            datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=UTC),
            Placement(2, -1920, 0, 320, 200, 1.25),
            "Счёт №5 — ERP",
            ExportOptions(),
        ),
        (
            datetime(2026, 3, 4, 8, 6, 7, tzinfo=timezone(timedelta(hours=3))),
            MonitorInfo(index=1, width=320, height=200),
            None,
            ExportOptions(fmt="png", max_size=(160, 100), include_window_title=False),
        ),
    ],
    ids=["webp-placement-utc", "png-downscaled-report-monitor-offset"],
)
def test_plain_metadata_is_what_the_step_model_writes(
    captured_at: datetime,
    monitor: Placement | MonitorInfo,
    title: str | None,
    options: ExportOptions,
) -> None:
    frame = Frame(_picture(), monitor, captured_at, 123.456789, title, "a note")
    exporter = Exporter(options)
    step, data = exporter.export(frame, name_stem="shot", step_number=None)
    plain, plain_data = exporter.export_plain(frame, name_stem="shot", step_number=None)
    assert plain_data == data
    assert json.loads(dumps_step(plain)) == json.loads(step.model_dump_json(indent=2))
    assert Step.model_validate_json(dumps_step(plain)) == step


def test_flare_capture_path_does_not_load_the_report_model() -> None:
    probe = """
import io, sys, tempfile
from pathlib import Path
from app.cli import build_parser
from app.context import AppContext
from capture import cli
from capture.geometry import monitors_from_mss
from capture.platform_info import PlatformInfo
from capture.screen_source import RawGrab

class Desktop:
    def monitors(self):
        return monitors_from_mss([{"left": 0, "top": 0, "width": 64, "height": 48}])
    def grab_raw(self, rect):
        return RawGrab(bytes(range(256)) * (rect.width * rect.height * 4 // 256), 64, 48)
    def close(self):
        pass

with tempfile.TemporaryDirectory() as tmp:
    args = build_parser(["capture.cli"]).parse_args(["capture", "--out", tmp])
    ctx = AppContext.for_tests(Path(tmp))
    rc = cli.run_capture(args, ctx, PlatformInfo("linux"), lambda p: Desktop(), io.StringIO())
    assert rc == 0 and list(Path(tmp).glob("*.json")), "nothing written"
print(" ".join(m for m in ("pydantic", "app.report", "capture.recorder") if m in sys.modules))
"""
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []
