"""flare(1), generated from the command line's own argparse definitions.

    python packaging/linux/manpage.py VERSION > flare.1

Generated rather than written so that it cannot drift from ``flare --help``: every command,
sub-command and option comes from app.cli.build_parser(). argparse has no public API to walk a
parser, so this reads its ``_actions`` (stable since Python 3.2).
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.cli import EXIT_CODES_HELP, build_parser


def roff(text: str) -> str:
    """Plain text as roff: escape backslashes and hyphens, keep lines from starting with a dot."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join(
        ("\\&" + line) if line.startswith((".", "'")) else line for line in text.split("\n")
    )


def option_lines(parser: argparse.ArgumentParser, *, top: bool = False) -> Iterator[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) or action.help == argparse.SUPPRESS:
            continue
        if isinstance(action, argparse._HelpAction) and not top:
            continue  # every command has -h; said once, under OPTIONS
        if action.option_strings:
            names = ", ".join(f"\\fB{roff(o)}\\fR" for o in action.option_strings)
            if action.nargs != 0:
                metavar = action.metavar or action.dest.upper()
                names += f" \\fI{roff(str(metavar))}\\fR"
        else:
            names = f"\\fI{roff(str(action.metavar or action.dest))}\\fR"
        yield ".TP"
        yield names
        yield roff(action.help or "")


def subcommands(
    parser: argparse.ArgumentParser,
) -> Iterator[tuple[str, str, argparse.ArgumentParser]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, sub in action.choices.items():
                yield name, helps.get(name, ""), sub


def command_sections(parser: argparse.ArgumentParser, prefix: str) -> Iterator[str]:
    for name, summary, sub in subcommands(parser):
        full = f"{prefix} {name}"
        yield f'.SS "{roff(full)}"'
        if summary:
            yield roff(summary[0].upper() + summary[1:])
            yield ".PP"
        yield f"\\fBUsage:\\fR {roff(' '.join(sub.format_usage().split()[1:]))}"
        if sub.description and sub.description != summary:
            yield ".PP"
            yield roff(sub.description)
        yield from option_lines(sub)
        yield from command_sections(sub, full)


def render(version: str) -> str:
    parser = build_parser()
    # SOURCE_DATE_EPOCH: a reproducible date (the build's), not the moment it ran.
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0")) or None
    when = datetime.datetime.fromtimestamp(
        epoch or datetime.datetime.now().timestamp(), datetime.UTC
    )
    lines = [
        f'.TH FLARE 1 "{when:%Y-%m-%d}" "flare {roff(version)}" "User Commands"',
        ".SH NAME",
        "flare \\- report a computer problem to the helpdesk",
        ".SH SYNOPSIS",
        "\\fBflare\\fR [\\fIOPTIONS\\fR]",
        ".br",
        "\\fBflare\\fR [\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]",
        ".SH DESCRIPTION",
        roff(parser.description or ""),
        ".PP",
        "Without a command, \\fBflare\\fR starts the tray application. The commands below work",
        "without a display.",
        ".SH OPTIONS",
        *option_lines(parser, top=True),
        ".SH COMMANDS",
        *command_sections(parser, "flare"),
        ".SH EXIT STATUS",
        ".nf",
        roff(EXIT_CODES_HELP.split("\n", 1)[-1].strip("\n")),
        ".fi",
        ".SH FILES",
        ".TP",
        "\\fI/etc/flare/policies/managed/*.json\\fR",
        "Managed policy: settings users cannot change.",
        ".TP",
        "\\fI/etc/flare/policies/recommended/*.json\\fR",
        "Recommended policy: defaults users may change.",
        ".TP",
        "\\fI/usr/share/doc/flare\\-reporter/admin.md\\fR",
        "The administrator's guide: deployment, policy keys, removal.",
        ".SH SEE ALSO",
        "\\fBflare policy show\\fR lists every setting, its value and where it comes from.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: manpage.py VERSION", file=sys.stderr)
        raise SystemExit(2)
    sys.stdout.write(render(sys.argv[1]))
