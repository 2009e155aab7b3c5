"""The tests' own layout: test modules never import each other (what two of them share lives in
a helper module), and fixtures shared across modules are defined in a conftest.py, not imported
from a helper module into each test module that needs them."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _test_modules() -> set[str]:
    return {".".join(p.relative_to(ROOT).with_suffix("").parts)
            for p in (ROOT / "tests").rglob("test_*.py")}


def _imports(path: Path) -> list[tuple[int, str]]:
    """Each module that ``path`` imports (``from a import b`` counts ``a`` and ``a.b``)."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.append((node.lineno, node.module))
            out += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return out


def test_no_module_of_the_tests_or_benchmarks_imports_a_test_module() -> None:
    tests = _test_modules()
    assert len(tests) > 150  # the scan sees the suite
    found = [f"{p.relative_to(ROOT)}:{line} imports {name}"
             for p in [*(ROOT / "tests").rglob("*.py"), *(ROOT / "bench").rglob("*.py")]
             for line, name in _imports(p) if name in tests]
    assert found == [], "move what they share into a helper module:\n" + "\n".join(found)


def test_fixtures_live_in_test_modules_or_a_conftest() -> None:
    found = []
    for p in (ROOT / "tests").rglob("*.py"):
        if p.name == "conftest.py" or p.name.startswith("test_"):
            continue
        for node in ast.walk(ast.parse(p.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(
                    "fixture" in ast.unparse(d) for d in node.decorator_list):
                found.append(f"{p.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert found == [], "define shared fixtures in a conftest.py:\n" + "\n".join(found)


def test_the_scan_finds_an_import_between_test_modules(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("from tests.unit.test_tests_layout import ROOT\n", "utf-8")
    assert ("tests.unit.test_tests_layout", 1) in [(n, line) for line, n in _imports(probe)]
    assert "tests.unit.test_tests_layout" in _test_modules()
