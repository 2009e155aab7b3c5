"""Flare's data files: forms, word lists, the settings declaration, catalogs, icons, styles.

They sit next to this file in every install Flare ships (wheel, editable, the standalone
build), so :func:`file` names one directly: importlib.resources brings zipfile, tempfile and
shutil (with bz2 and lzma) along, several milliseconds of the report window's first opening.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).parent


def file(*parts: str) -> Path:
    """The data file at ``parts`` below this package: ``file("forms", "default.yaml")``."""
    return ROOT.joinpath(*parts)
