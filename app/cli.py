"""The ``flare`` command.

With no argument it starts the tray app. Every subcommand is a plain function taking parsed
arguments and an :class:`~app.context.AppContext`; areas (capture, diagnostics, helpdesk, form,
settings) register their own subcommands through ``register(sub)``. Errors a user can hit are
printed as one line; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from app.cli_parser import FlareArgumentParser
from app.errors import EXIT_CONFIG, EXIT_USAGE, FlareError
from app.i18n import (
    N_,
    current,
    resolve_language,
    set_language,
    set_language_from,
    translate_argparse,
)
from app.version import flare_version

# Not typing.TYPE_CHECKING: importing typing (and logging) costs `flare --version` a few ms,
# and this module is all that command loads.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections import Counter

    from app.context import AppContext
    from app.report import Machine, Reporter

# Areas that add subcommands, in the order `flare --help` lists them. A module that is missing
# (a partial install) is skipped so the rest of the command still works; `flare doctor`
# reports it.
_AREA_MODULES = (
    "app.bundle_cli",
    "app.doctor",
    "app.settings.cli",
    "app.form.cli",
    "capture.cli",
    "diagnostics.cli",
    "app.helpdesk.outbox_cli",
    "app.helpdesk.connector_cli",
    "app.helpdesk.incidents_cli",
    "app.agent_cli",
    "app.ui.cli",
)

# The module that registers each subcommand: a command imports only its own area, because
# every area's CLI together (pydantic models, Pillow, requests, the connector engine) costs
# about a third of a second before anything happens. A unit test keeps this table true.
COMMAND_MODULES = {
    "bundle": "app.bundle_cli",
    "open": "app.bundle_cli",
    "doctor": "app.doctor",
    "policy": "app.settings.cli",
    "autostart": "app.settings.cli",
    "form": "app.form.cli",
    "capture": "capture.cli",
    "record": "capture.cli",
    "diagnostics": "diagnostics.cli",
    "outbox": "app.helpdesk.outbox_cli",
    "connector": "app.helpdesk.connector_cli",
    "incidents": "app.helpdesk.incidents_cli",
    "agent": "app.agent_cli",
    "report": "app.ui.cli",
}

EXIT_CODES_HELP = N_("""exit codes:
  0  success
  1  the command ran and found problems (validation, doctor)
  2  wrong arguments
  3  bad configuration or input file
  4  something on this machine is missing (display, permission, disk space)
  5  the helpdesk refused or could not be reached (the report is kept)
""")


def exit_codes_help() -> str:
    return current().tr(EXIT_CODES_HELP)

Handler = Callable[[argparse.Namespace, "AppContext"], int]


def area_modules(argv: Sequence[str]) -> tuple[str, ...]:
    """The area CLI modules ``argv`` needs: the one that owns its command, none for a plain
    `flare` (the tray) or `flare --version`, every one for help or an unknown command (so
    argparse can list them all).

    The tray runs all day on every laptop; the areas' CLI modules pull in pydantic models,
    capture and diagnostics, which the idle tray does not need (about 25 MB).
    """
    for arg in argv:
        if arg in ("-h", "--help"):
            return _AREA_MODULES
        if not arg.startswith("-"):
            module = COMMAND_MODULES.get(arg)
            return (module,) if module else _AREA_MODULES
    return ()


def build_parser(modules: Sequence[str] = _AREA_MODULES) -> argparse.ArgumentParser:
    t = current()
    parser = FlareArgumentParser(
        prog="flare",
        description=t.tr("Report a computer problem to your helpdesk, with everything support "
                         "needs."),
        epilog=exit_codes_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"flare {flare_version()}",
                        help=t.tr("show program's version number and exit"))
    parser.add_argument("--debug", action="store_true",
                        help=t.tr("show tracebacks and debug logs"))
    parser.add_argument(
        "--autostart",
        action="store_true",
        help=t.tr("started at login (the autostart entry): does nothing when the setting "
                  "general.autostart is off; where the desktop shows no tray, runs the "
                  "background delivery agent instead of the tray (no window)"),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in modules:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue  # that area is not part of this build
            raise
        module.register(sub)
    # The areas below the application (capture/) are handed who reports from which machine,
    # so `flare record` bundles name the same reporter, machine and version as the window's.
    parser.set_defaults(report_identity=_report_identity)
    # Likewise the helpdesk layer is handed the check for personal data left in a bundle at
    # send time: the redactor is diagnostics', a sibling it does not import.
    parser.set_defaults(find_personal_data=_find_personal_data)
    # A command that only reads and prints (`flare outbox list`) sets writes_log=False: it
    # then loads neither logging nor the settings for its level, which is most of its start.
    parser.set_defaults(writes_log=True)
    return parser


def _report_identity(ctx: AppContext) -> tuple[Reporter, Machine]:
    from app.identity import report_identity

    return report_identity(ctx)


def _find_personal_data(kinds: Sequence[str], data: object) -> Counter[str]:
    # app.wiring brings the report model and the workflow: only when something is sent.
    from app.wiring import find_personal_data

    return find_personal_data(kinds, data)


def _make_context(debug: bool) -> AppContext:
    # Imported here: settings and folders are not needed for --help or --version.
    from app.context import AppContext

    return AppContext.from_environment(debug=debug)


def main(
    argv: Sequence[str] | None = None,
    context_factory: Callable[[bool], AppContext] | None = None,
) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Help and usage errors come before the settings are read: they speak the environment's
    # language (policy general.language applies from the command's own output on).
    translate_argparse(set_language(resolve_language(None)))
    parser = build_parser(area_modules(argv))
    args = parser.parse_args(argv)
    debug = bool(getattr(args, "debug", False))
    func: Handler | None = getattr(args, "func", None)
    if func is None:
        # No subcommand: the tray app, which lives in app.ui (Qt).
        func = _default_handler(parser)
    try:
        ctx = (context_factory or _make_context)(debug)
        _speak_the_users_language(ctx)
        if debug or args.writes_log:
            from app.logs import setup_logging

            setup_logging(ctx, debug=debug)
        code = func(args, ctx)
        sys.stdout.flush()  # here, where a closed pipe is caught, not at interpreter exit
        return code
    except FlareError as exc:
        if debug:
            import logging

            logging.getLogger(__name__).exception("failed")
        print(f"flare: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("flare: " + current().tr("interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `flare form show | head`: the reader has had enough; that is no error. Point stdout
        # at nothing so the interpreter's final flush cannot fail again.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:
        if debug:
            raise
        print("flare: " + current().tr(
            "unexpected error: {error} (run again with --debug for details, and please "
            "report it)", error=f"{type(exc).__name__}: {exc}"), file=sys.stderr)
        return EXIT_CONFIG


# How long `flare --autostart` waits at login for a panel's tray before it runs the agent.
TRAY_WAIT_S = 15.0


def _speak_the_users_language(ctx: AppContext) -> None:
    """Every part of this process (diagnostics, capture, CLI messages) speaks the language of
    ``general.language``, else of the environment and the OS; chosen at the first translated
    text, so a command that shows none reads no settings for it."""

    def choose() -> str:
        try:
            setting = ctx.settings.get("general.language")
        except Exception:  # a settings object without the key still gets the environment's
            setting = None
        return resolve_language(setting if isinstance(setting, str) else None)

    set_language_from(choose)
    # Whatever reads the settings first, the language is chosen as they load, and they load once.
    ctx.read_settings_first_through(current)


def _default_handler(parser: argparse.ArgumentParser) -> Handler:
    def run_tray(args: argparse.Namespace, ctx: AppContext) -> int:
        if args.autostart:
            if not ctx.settings.get("general.autostart"):
                # The user (where policy allows) or the administrator turned the login start
                # off: exit before Qt loads, so the login costs nothing.
                import logging

                logging.getLogger(__name__).info("general.autostart is off: not starting at login")
                return 0
            from app.desktop_tray import require_graphical_session, wait_for_tray

            require_graphical_session()
            # Decided before Qt loads: the agent stays small for the whole session.
            if not wait_for_tray(TRAY_WAIT_S):
                from app.agent_cli import start_agent

                return start_agent(ctx, finder=_find_personal_data)
        try:
            # First, before Qt: PySide6 would keep the source text of every module imported
            # after it (4 MB of the idle tray; see app.ui.qt_first).
            importlib.import_module("app.ui.qt_first")
            ui_app = importlib.import_module("app.ui.login" if args.autostart else "app.ui.app")
        except ModuleNotFoundError:
            parser.print_help()
            return EXIT_USAGE
        if args.autostart:
            return int(ui_app.run_at_login(ctx))
        return int(ui_app.run_tray_app(ctx, []))

    return run_tray


def gui_main() -> None:
    """Entry point for the windowed (no console) launcher on Windows."""
    run(sys.argv[1:] or [])


def run(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``flare`` command (and of ``python -m app.cli``): :func:`main`, then
    the process exits without a last search for garbage among what it holds."""
    try:
        raise SystemExit(main(argv))
    finally:
        # The interpreter's exit runs the cycle collector over every object still alive,
        # everything the command imported included: a tenth of what `flare outbox list` does
        # in all, to free memory the operating system takes back anyway. Frozen objects are
        # skipped; everything else about the exit is as before (atexit handlers, flushing
        # and closing files, freeing what no cycle holds). Not in main(): tests call it many
        # times in one process, which must go on collecting.
        gc.freeze()


if __name__ == "__main__":
    run()
