"""`flare COMMAND` imports only the area that owns COMMAND, and --version reads a constant."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from app import cli
from app.version import flare_version


def _commands(parser: argparse.ArgumentParser) -> set[str]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(sub.choices)


@pytest.mark.parametrize("module", cli._AREA_MODULES)
def test_the_command_table_names_what_each_area_registers(module: str) -> None:
    registered = _commands(cli.build_parser([module]))
    assert registered == {c for c, m in cli.COMMAND_MODULES.items() if m == module}


def test_help_and_unknown_commands_load_every_area() -> None:
    assert cli.area_modules(["--help"]) == cli._AREA_MODULES
    assert cli.area_modules(["--debug", "no-such-command"]) == cli._AREA_MODULES
    assert cli.area_modules(["--debug", "outbox", "list"]) == ("app.helpdesk.outbox_cli",)
    assert cli.area_modules(["--debug"]) == ()


def _loaded_after(code: str) -> set[str]:
    probe = (
        "import sys\n"
        f"{code}\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return set(done.stdout.split())


def test_outbox_list_parses_without_the_other_areas() -> None:
    loaded = _loaded_after(
        "from app import cli\n"
        "cli.build_parser(cli.area_modules(['outbox', 'list'])).parse_args(['outbox', 'list'])"
    )
    assert "app.helpdesk.outbox_cli" in loaded
    assert not loaded & {"capture.cli", "diagnostics.cli", "app.ui.cli", "app.form.cli", "PIL",
                         "app.helpdesk.connector_cli"}


def test_outbox_list_reads_the_database_without_the_report_model_or_connectors(
        tmp_path: Path) -> None:
    """`flare outbox list` end to end loads the outbox and nothing of sending: no report
    model (pydantic), no bundle reader, no HTTP, no connector."""
    loaded = _loaded_after(
        "import os\n"
        f"os.environ.update(XDG_STATE_HOME={str(tmp_path / 'state')!r}, "
        f"XDG_CONFIG_HOME={str(tmp_path / 'config')!r}, HOME={str(tmp_path)!r})\n"
        "from app import cli\n"
        "assert cli.main(['outbox', 'list']) == 0"
    )
    assert "app.helpdesk.outbox" in loaded
    assert not loaded & {"pydantic", "app.report", "app.bundle", "requests",
                         "app.helpdesk.delivery", "app.helpdesk.configured",
                         "app.helpdesk.spec_connector"}


def test_outbox_list_reads_no_more_than_the_language_and_opens_no_log(tmp_path: Path) -> None:
    """Reading the outbox needs no logging, no report model and no connectors (issue 12:
    start-up). The settings are read for one thing: the language policy may fix
    (``general.language`` above the environment, issue 16), which the printed lines speak."""
    loaded = _loaded_after(
        "import os\n"
        f"os.environ.update(XDG_STATE_HOME={str(tmp_path / 'state')!r}, "
        f"XDG_CONFIG_HOME={str(tmp_path / 'config')!r}, HOME={str(tmp_path)!r})\n"
        "from app import cli\n"
        "assert cli.main(['outbox', 'list']) == 0"
    )
    assert "app.helpdesk.outbox" in loaded
    assert not loaded & {"app.logs", "logging", "socket", "uuid", "importlib.resources",
                         "subprocess", "pydantic", "app.report", "app.helpdesk.spec"}
    assert not (tmp_path / "state" / "Flare" / "log").exists()
    # Reading that one setting builds the settings as every command does, but with records
    # and no typing: dataclasses (with inspect) and typing were 10 ms of a 57 ms command.
    assert "app.settings.layers" in loaded
    assert not loaded & {"dataclasses", "inspect", "typing"}
    # argparse's help formatter asked shutil for the width (with bz2, lzma and zlib), and the
    # settings copied values with copy (with weakref): about 6 ms of the command (issue 12).
    assert not loaded & {"shutil", "bz2", "lzma", "copy", "weakref"}
    # With no policy or settings file there is no JSON to parse: the declaration is a
    # compiled Python literal, and json (with its parser) about 2 ms more.
    assert not loaded & {"json", "app.settings.jsonpos", "app.safe_json", "yaml"}
    # Only on their own platforms: the Windows registry and macOS preferences readers.
    assert not loaded & {"app.settings.windows_registry", "app.settings.macos_prefs"}


def test_outbox_list_with_a_settings_file_speaks_its_language(tmp_path: Path) -> None:
    """The lazy path still reads a file that is there: the user's own language wins over the
    environment's, and the JSON reader comes along only then."""
    (tmp_path / "config" / "Flare").mkdir(parents=True)
    (tmp_path / "config" / "Flare" / "settings.json").write_text(
        '{"general.language": "uk"}', encoding="utf-8")
    probe = (
        "import os, sys\n"
        f"os.environ.update(XDG_STATE_HOME={str(tmp_path / 'state')!r}, LANG='ru_RU.UTF-8', "
        f"XDG_CONFIG_HOME={str(tmp_path / 'config')!r}, HOME={str(tmp_path)!r})\n"
        "from app import cli\n"
        "assert cli.main(['outbox', 'list']) == 0\n"
        "print('json' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, env={k: v for k, v in os.environ.items()
                                           if not k.startswith(("LANG", "LC_"))})
    empty, loaded_json = done.stdout.strip().splitlines()
    assert empty == "Черга надсилання порожня." and loaded_json == "True"


def test_a_command_that_logs_still_gets_the_log_file(tmp_path: Path) -> None:
    """The log is opened at the first record, with the level from the settings."""
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path)}
    (tmp_path / "config" / "Flare").mkdir(parents=True)
    (tmp_path / "config" / "Flare" / "settings.json").write_text(
        '{"general.log_level": "debug"}', encoding="utf-8")
    probe = ("import logging\nfrom app import cli\n"
             "cli.main(['outbox', 'purge'])\n"
             "logging.getLogger('flare.probe').debug('probe line at debug')\n")
    subprocess.run([sys.executable, "-c", probe], env=env, check=True, timeout=60,
                   capture_output=True)
    logs = list((tmp_path / "state").rglob("flare.log"))
    assert len(logs) == 1 and "probe line at debug" in logs[0].read_text("utf-8")


def test_the_tray_app_loads_neither_qtnetwork_nor_openssl_nor_the_report_machinery() -> None:
    """What the idle tray imports: QtNetwork and hashlib's libcrypto were 6 MB of its memory
    (issue 12: idle RSS <= 60 MB); the form's judge, diagnostics and delivery load on use."""
    loaded = _loaded_after("import app.ui.app, app.ui.login")
    assert "app.ui.single_instance" in loaded
    assert not loaded & {"PySide6.QtNetwork", "hashlib", "_hashlib", "app.form", "diagnostics",
                         "app.report", "pydantic", "requests", "app.helpdesk.delivery"}


def test_version_needs_no_package_metadata_scan() -> None:
    loaded = _loaded_after(
        "from app import cli\n"
        "try:\n    cli.main(['--version'])\nexcept SystemExit:\n    pass"
    )
    assert "importlib.metadata" not in loaded
    assert "app.context" not in loaded


def test_the_constant_is_what_the_package_metadata_says() -> None:
    # pyproject.toml reads app/version.py; a stale install would disagree here.
    assert flare_version() == version("flare-reporter")


def test_the_trays_known_problems_and_shortcuts_load_no_report_machinery() -> None:
    """What the idle tray loads after its first delivery round (the known-problems submenu is
    refilled then) and for its shortcuts: the report window's machinery (the flow, the bundle
    reader, pydantic) comes only with the window. The submenu once brought 26 MB with it."""
    loaded = _loaded_after("import app.ui.app, app.ui.known_problems, app.ui.anytime, "
                           "app.ui.crash_watch")
    assert not loaded & {"app.flow", "app.bundle", "app.bundle_reader", "app.report",
                         "pydantic", "app.form", "requests"}


def test_the_tray_keeps_no_source_text_of_the_modules_it_imports(tmp_path: Path) -> None:
    """PySide6 reads the whole source of each module imported after it (looking for
    ``__feature__``) and linecache keeps it: 4 MB of the idle tray (issue 12). `flare` starts
    Qt through app.ui.qt_first, which turns that off, before the tray app's modules load."""
    probe = (
        "import sys, types, linecache\n"
        "fake = types.ModuleType('app.ui.app')\n"
        "def run_tray_app(ctx, argv):\n"
        "    import app.ui.tray, app.ui.anytime, app.ui.crash_watch, app.helpdesk.outbox\n"
        "    kept = [f for f in linecache.cache if '/app/' in f or '/capture/' in f]\n"
        "    print('kept', len(kept), *kept[:3])\n"
        "    return 0\n"
        "fake.run_tray_app = run_tray_app\n"
        "sys.modules['app.ui.app'] = fake\n"
        "from pathlib import Path\n"
        "from app import cli\n"
        "from app.context import AppContext\n"
        f"ctx = AppContext.for_tests(Path({str(tmp_path)!r}))\n"
        "sys.exit(cli.main([], context_factory=lambda debug: ctx))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env=env, timeout=60, check=True)
    assert done.stdout.startswith("kept 0"), done.stdout


def test_the_idle_tray_loads_the_known_problems_window_only_once_one_is_joined(
        tmp_path: Path) -> None:
    """After every delivery round the tray refills "Known problems"; with none joined that
    costs no Qt dialogs module (issue 12: idle RSS), and with one joined the line is there."""
    probe = (
        "import random, sys\n"
        "from pathlib import Path\n"
        "from app.helpdesk.incident_follow import join\n"
        "from app.helpdesk.protocol import Incident\n"
        "from app.i18n import Translator\n"
        "from app.ui.tray import joined_problem_entries\n"
        f"state = Path({str(tmp_path)!r})\n"
        "t = Translator('en')\n"
        "from datetime import datetime, UTC\n"
        "now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)\n"
        "print(len(joined_problem_entries(t, state, now, print)),\n"
        "      'app.ui.known_problems' in sys.modules)\n"
        "inc = Incident(id='vc1', title='Video calls drop', url='https://status.example/i/1',\n"
        "               source='statuspage', feed='https://status.example', details='Down.',\n"
        "               updated_at=now)\n"
        "join(state, inc, now=now.timestamp(), interval_s=300, rng=random.Random(1))\n"
        "print(len(joined_problem_entries(t, state, now, print)))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env=env, timeout=60, check=True)
    assert done.stdout.split() == ["0", "False", "1"], done.stdout + done.stderr


def test_the_flare_command_is_run_and_both_launchers_go_through_it() -> None:
    """The installed `flare` script calls app.cli.run (the exit without a last collection),
    not main; the windowed launcher goes through run as well."""
    import tomllib

    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["flare"] == "app.cli:run"
    assert project["gui-scripts"]["flare-gui"] == "app.cli:gui_main"
    probe = (
        "import sys\nfrom app import cli\nseen = []\n"
        "cli.run = lambda argv=None: seen.append(argv)\n"
        "sys.argv = ['flare-gui']\ncli.gui_main()\nprint(seen)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.strip() == "[[]]"


@pytest.mark.parametrize(("argv", "code"), [(["outbox", "list"], 0), (["--version"], 0),
                                            (["no-such-command"], 2)])
def test_run_exits_with_mains_code_and_without_the_exits_collection(
        tmp_path: Path, argv: list[str], code: int) -> None:
    """Whether main returns or argparse exits by itself, run leaves every object alive at
    exit frozen (atexit handlers run before the interpreter's last collection, and see it)."""
    probe = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 1000))\n"
        "from app import cli\n"
        f"cli.run({argv!r})\n"
    )
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=False, timeout=60, env=env)
    assert done.returncode == code, done.stderr
    assert done.stdout.splitlines()[-1] == "frozen True"
