"""pytest-qt runs every UI test on Qt's offscreen platform: no display needed."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
# Offscreen has no font configuration of its own; keep Qt from warning about it.
os.environ.setdefault("QT_QPA_FONTDIR", "/usr/share/fonts/truetype")
