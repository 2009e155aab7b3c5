"""Every literal ``tr("...")`` under app/ has a Russian and a Ukrainian translation."""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def literal_tr_strings(root: Path) -> dict[str, str]:
    """English source text → the first file:line that uses it."""
    found: dict[str, str] = {}
    for path in sorted((root / "app").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if name == "tr" and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.setdefault(first.value, f"{path.relative_to(root)}:{node.lineno}")
    return found


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_extraction_finds_the_window_strings() -> None:
    strings = literal_tr_strings(ROOT)
    assert "Report a problem" in strings
    assert "Check the report above, then press Send." in strings


@pytest.mark.parametrize("language", ["ru", "uk"])
def test_catalog_is_complete(language: str) -> None:
    catalog = json.loads((ROOT / "resources" / "i18n" / f"{language}.json").read_text("utf-8"))
    missing = {s: where for s, where in literal_tr_strings(ROOT).items() if s not in catalog}
    assert not missing, f"{language}.json lacks {len(missing)}: " + json.dumps(
        missing, ensure_ascii=False, indent=1
    )


@pytest.mark.parametrize("language", ["ru", "uk"])
def test_translations_keep_placeholders_and_mnemonics(language: str) -> None:
    catalog = json.loads((ROOT / "resources" / "i18n" / f"{language}.json").read_text("utf-8"))
    for source, translated in catalog.items():
        assert translated.strip(), f"empty translation of {source!r}"
        assert _fields(source) == _fields(translated), (source, translated)
        assert ("&" in source) == ("&" in translated), (source, translated)
