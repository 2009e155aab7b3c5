"""No Python module of Flare, its tests, benches or build scripts over 700 lines (issue 12's
"done when"): a module that long holds more than one job, and a newcomer reads it whole.

The generated copies of YAML data are exempt: no one reads or edits them, and each has a test
that fails until it is regenerated from its YAML.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 700
FOLDERS = ("app", "capture", "diagnostics", "resources", "tests", "bench", "packaging", ".ci")
# The copy and the test that keeps it equal to its YAML.
GENERATED = {
    "resources/settings/declared.py": "tests/unit/test_settings_declaration.py",
    "resources/forms/default_form.py": "tests/unit/test_form_loader.py",
}


def _modules() -> list[Path]:
    return sorted(p for folder in FOLDERS for p in (ROOT / folder).rglob("*.py")
                  if "__pycache__" not in p.parts)


def test_no_module_is_over_the_limit() -> None:
    modules = _modules()
    assert len(modules) > 300, "the walk found too few modules to be looking in the right place"
    long = {str(p.relative_to(ROOT)): n for p in modules
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > LIMIT}
    for name in GENERATED:
        long.pop(name, None)
    assert long == {}, f"split these modules (at most {LIMIT} lines each): {long}"


def test_the_exempt_modules_are_generated_and_kept_fresh_by_a_test() -> None:
    for name, test in GENERATED.items():
        first = (ROOT / name).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith('"""Generated from '), name
        # The freshness test names the copy in its failure message ("… is out of date").
        assert f"{name} is out of date" in (ROOT / test).read_text(encoding="utf-8"), test
