"""Running external programs for collectors: no shell, a timeout, capped output, C locale."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence

MAX_OUTPUT = 256 * 1024


class CommandError(Exception):
    """A program could not run or failed; the message says which and why."""


def run(argv: Sequence[str], timeout_s: float, *, check: bool = True) -> str:
    """Run ``argv`` and return its standard output (decoded, capped).

    The C locale keeps output parseable; stdin is closed so nothing can wait for input.
    """
    exe = shutil.which(argv[0])
    if exe is None:
        raise CommandError(f"{argv[0]} is not installed or not on PATH")
    env = dict(os.environ, LC_ALL="C", LANG="C")
    try:
        proc = subprocess.run(
            [exe, *argv[1:]],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout_s,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as e:
        raise CommandError(f"{argv[0]} did not finish within {timeout_s:g} s") from e
    except OSError as e:
        raise CommandError(f"{argv[0]} could not start: {e.strerror or e}") from e
    out = proc.stdout[:MAX_OUTPUT].decode("utf-8", "replace")
    if check and proc.returncode != 0:
        err = proc.stderr[:500].decode("utf-8", "replace").strip().splitlines()
        raise CommandError(
            f"{argv[0]} exited with {proc.returncode}" + (f": {err[-1]}" if err else "")
        )
    return out


def available(name: str) -> bool:
    return shutil.which(name) is not None
