"""`flare diagnostics`: handlers called directly with an isolated AppContext."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from app.context import AppContext
from app.errors import FlareError
from diagnostics import cli


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="flare")
    cli.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(["diagnostics", *argv])


def test_json_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ctx = AppContext.for_tests(tmp_path)
    args = parse("--json", "--only", "uptime,os")
    code = args.func(args, ctx)
    out = json.loads(capsys.readouterr().out)
    assert [s["name"] for s in out["sections"]] == ["os", "uptime"]
    assert all(s["status"] == "ok" for s in out["sections"])
    assert code == 0


def test_text_marks_abnormal_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # every disk has less than 100 % free, so this flags the root disk on any machine
    ctx = AppContext.for_tests(tmp_path, diagnostics__low_disk_percent=100)
    args = parse("--only", "os,disks")
    code = args.func(args, ctx)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Diagnostics: 2 collectors in ")
    assert lines[1].startswith("! Disks") and "almost full" in lines[2]
    assert lines[3].startswith("  Operating system")
    assert code == 1


def test_unknown_collector_is_a_usage_error(tmp_path: Path) -> None:
    args = parse("--only", "uptime,nosuch")
    with pytest.raises(FlareError) as e:
        args.func(args, AppContext.for_tests(tmp_path))
    assert e.value.exit_code == 2 and "nosuch" in str(e.value) and "uptime" in str(e.value)


def test_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = parse("--list")
    assert args.func(args, AppContext.for_tests(tmp_path)) == 0
    out = capsys.readouterr().out
    assert "connectivity" in out and "Windows Event Log" in out


def test_context_from_settings(tmp_path: Path) -> None:
    from diagnostics.collector import CollectContext

    check = {"type": "tcp", "name": "VPN", "host": "vpn.example", "port": 443}
    ctx = AppContext.for_tests(tmp_path, diagnostics__budget_s=2.5,
                               diagnostics__checks=[check], diagnostics__redact=["email"])
    cctx = CollectContext.from_settings(ctx.settings)
    assert cctx.budget_s == 2.5 and cctx.redact == ["email"]
    assert cctx.checks[0]["host"] == "vpn.example"
    assert cctx.settings_sources["diagnostics.budget_s"].startswith("managed")
    assert CollectContext.from_settings(object()).budget_s == CollectContext().budget_s
