"""The argument parser of the ``flare`` command, without shutil.

argparse imports shutil (and with it bz2, lzma and zlib, about 3 ms) each time it builds a help
formatter only to ask for the terminal's width, and it builds one for every ``add_argument``,
so even `flare outbox list`, which prints no help, paid for it. This parser hands the formatter
the width itself, found the way ``shutil.get_terminal_size`` finds it.
"""

from __future__ import annotations

import argparse
import os
import sys

# shutil.get_terminal_size's fallback when neither COLUMNS nor the terminal says.
FALLBACK_COLUMNS = 80


def terminal_columns() -> int:
    """``shutil.get_terminal_size().columns``: COLUMNS if it is a positive number, else the
    width of the terminal standard output is on, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or FALLBACK_COLUMNS


class FlareArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help formatters get their width from :func:`terminal_columns`
    (sub-commands' parsers are of the same class: argparse makes them with the parent's)."""

    _width = 0

    def _get_formatter(self) -> argparse.HelpFormatter:
        # argparse builds a formatter for every add_argument too: the width is asked for once
        # per parser, not each time (two failed look-ups, COLUMNS and the terminal, each time).
        if not self._width:
            # argparse keeps two columns free for the margin when it asks shutil itself.
            self._width = terminal_columns() - 2
        # Every HelpFormatter takes a width; typeshed's protocol for the class names prog only.
        return self.formatter_class(prog=self.prog, width=self._width)  # type: ignore[call-arg]
