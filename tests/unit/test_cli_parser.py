"""The flare parser finds the terminal's width as argparse would, without importing shutil."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys

import pytest

from app.cli_parser import FlareArgumentParser, terminal_columns


@pytest.mark.parametrize("columns", [None, "", "abc", "0", "-3", "57", "200"])
def test_the_width_is_what_shutil_says(monkeypatch: pytest.MonkeyPatch,
                                       columns: str | None) -> None:
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.delenv("LINES", raising=False)
    assert terminal_columns() == shutil.get_terminal_size().columns


def _help(parser_class: type[argparse.ArgumentParser]) -> str:
    parser = parser_class(prog="flare", description="Report a problem. " * 8)
    parser.add_argument("--debug", action="store_true", help="show tracebacks " * 6)
    sub = parser.add_subparsers(dest="command")
    child = sub.add_parser("outbox", help="reports waiting for the helpdesk")
    child.add_argument("--state", choices=["queued", "sent"], help="only these " * 9)
    return parser.format_help() + child.format_help()


@pytest.mark.parametrize("columns", ["40", "100"])
def test_help_is_wrapped_as_argparse_wraps_it(monkeypatch: pytest.MonkeyPatch,
                                              columns: str) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    assert _help(FlareArgumentParser) == _help(argparse.ArgumentParser)


def test_building_and_using_the_parser_imports_no_shutil() -> None:
    probe = (
        "import sys\n"
        "from app.cli_parser import FlareArgumentParser\n"
        "p = FlareArgumentParser(prog='flare')\n"
        "p.add_argument('--json', action='store_true')\n"
        "p.add_subparsers(dest='c').add_parser('list').add_argument('--state')\n"
        "p.parse_args(['list', '--state', 'sent'])\n"
        "print('shutil' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, timeout=60, env={**os.environ, "COLUMNS": "90"})
    assert done.stdout.split() == ["False"], done.stdout + done.stderr
