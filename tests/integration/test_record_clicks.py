"""`flare record --clicks` in a terminal: the real command, real clicks through the X server
into a Qt program with accessibility, `q` and Enter to stop; the bundle's steps name what was
clicked. This is also how an installed package's click capture is checked."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.journey import atspi
from tests.journey.desktop import ROOT, desktop, flare_command, write_settings

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]


def test_flare_record_clicks_writes_described_steps(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    with desktop(tmp_path, "record-clicks-cli") as d:
        write_settings(d.home, {"reports.folder": str(out), "capture.hotkey": ""})
        d.start([sys.executable, str(ROOT / "tests" / "apps" / "qt_invoices.py")], "invoices")
        d.wait_window("Invoices")
        reader = atspi.Atspi(d.env["DBUS_SESSION_BUS_ADDRESS"])
        app = atspi.Screen(reader, "Invoices")
        save = app.find(atspi.ROLE_PUSH_BUTTON, "Save draft", timeout_s=20)
        tab = app.find(atspi.ROLE_PAGE_TAB, "Details")
        proc = subprocess.Popen([*flare_command(), "record", "--clicks", "--out", str(out)],
                                env=d.env, cwd=d.home, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert proc.stdout is not None and proc.stdin is not None
            banner = proc.stdout.readline() + proc.stdout.readline()
            assert "A step is taken at each click" in banner, banner
            assert "q then Enter stops" in banner, banner
            for node in (save, tab):
                x, y = node.centre
                d.run("xdotool", "mousemove", "--sync", str(x), str(y), "click", "1")
                said = proc.stdout.readline()
                assert said.startswith("  captured: Step"), said
            time.sleep(0.3)
            _out, stderr = proc.communicate("q\n", timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
            reader.close()
    assert proc.returncode == 0, stderr
    report = json.loads(next(out.glob("*/report.json")).read_text(encoding="utf-8"))
    window = "'Quarterly report - Invoices' (Invoices)"
    assert [s["description"] for s in report["steps"]] == [
        f"Left click on 'Save draft' (button) in {window}",
        f"Left click on 'Details' (tab) in {window}",
    ]
    assert all(s["annotations"] for s in report["steps"]), "each click has its marker"
