"""Bidirectional control characters made visible, so text cannot disguise itself.

A right-to-left override (U+202E) turns "report‮fdp.exe" into what reads as "reportexe.pdf";
in report.html or a log line it can hide what a file or command really is. Each control
character is replaced by a visible tag naming its code point; other text is unchanged.
"""

from __future__ import annotations

import re

# Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the implicit marks
# (U+200E, U+200F, U+061C): everything that reorders how the following text is displayed.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


def neutralise_bidi(text: str) -> str:
    """``text`` with each bidi control character replaced by ``[U+XXXX]``."""
    if not _BIDI.search(text):
        return text
    return _BIDI.sub(lambda m: f"[U+{ord(m.group(0)):04X}]", text)
