"""The example connector specs in docs/helpdesks.md, as IT staff copy them.

Shared by the spec checker's and the delivery tests (test modules never import each other)."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "helpdesks.md"


def doc_specs() -> list[tuple[str, str]]:
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text("utf-8"), re.S)
    specs = [b for b in blocks if "flare_connector:" in b]
    return [(re.search(r"^name: (\S+)", b, re.M).group(1), b)  # type: ignore[union-attr]
            for b in specs]
