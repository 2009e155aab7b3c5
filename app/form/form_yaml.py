"""A form file's YAML, parsed with the place (line, column) of every value and key.

Apart from :mod:`app.form.loader` so that opening the report window imports no YAML parser:
the built-in form is read from its generated copy (``resources/forms/default_form.py``, which
:func:`write_builtin_form_copy` writes and a unit test keeps equal to ``default.yaml``), and
PyYAML with its loaders was about 12 ms of the window's first opening.
"""

from __future__ import annotations

from typing import Any

import yaml

import resources
from app import safe_yaml
from app.i18n import current

Path_ = tuple[str | int, ...]
Marks = dict[Path_, tuple[int, int]]

# libyaml when present is several times faster. Files IT writes go through the pure-Python
# parser, whose syntax errors point at the exact place; libyaml is more lenient about some of
# them. A test checks that both parsers read the built-in forms identically.
FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALARS = yaml.SafeLoader("")


class YamlProblem(Exception):
    """The text is not a form's YAML: where, and what to do."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def parse(text: str, loader: Any = yaml.SafeLoader) -> tuple[dict[str, Any], Marks, Marks]:
    """The form's data, where each value starts and where each key starts."""
    try:
        # safe_yaml: no aliases, bounded depth (a billion-laughs form grew to 6.3 GB).
        node = safe_yaml.compose(text, loader)
    except safe_yaml.UnsafeYaml as exc:
        raise YamlProblem(exc.line, exc.column, exc.message) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "not valid YAML"
        raise YamlProblem(
            line, col, current().tr("YAML syntax: {problem}; check the indentation, and put "
                                    "texts containing ':', '?', ',', '#' or quotes inside quotes",
                                    problem=what)
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, 1, current().tr("YAML syntax: {problem}", problem=exc)) from None
    if node is None:
        raise YamlProblem(1, 1, current().tr("the file is empty; a form needs at least 'id' "
                                             "and 'categories'"))
    marks: Marks = {}
    key_marks: Marks = {}
    data = _to_python(node, (), marks, key_marks)
    if not isinstance(data, dict):
        raise YamlProblem(1, 1, current().tr("a form file must be a mapping with keys like "
                                             "'id', 'questions' and 'categories'"))
    return data, marks, key_marks


def _to_python(node: yaml.Node, path: Path_, marks: Marks, key_marks: Marks) -> Any:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _to_python(key_node, (*path, "<key>"), marks, key_marks)
            if isinstance(key, list | dict):
                raise YamlProblem(key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                  current().tr("a key must be a plain word, not a list or "
                                               "mapping"))
            key = str(key) if not isinstance(key, str | int) else key
            if key in out:
                raise YamlProblem(key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                  current().tr("'{key}' appears twice here; keep one of them",
                                               key=key))
            key_marks[(*path, key)] = (key_node.start_mark.line + 1,
                                       key_node.start_mark.column + 1)
            out[key] = _to_python(value_node, (*path, key), marks, key_marks)
        marks.pop((*path, "<key>"), None)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, (*path, i), marks, key_marks) for i, item in enumerate(node.value)]
    return _SCALARS.construct_object(node)  # typed scalar: str, int, bool, None…


def builtin_form_copy() -> str:
    """The source of ``resources/forms/default_form.py``: default.yaml's data, read as any
    form file is, as a Python literal."""
    from app.literal_copy import literal_module

    text = resources.file("forms", "default.yaml").read_text("utf-8")
    data, _, _ = parse(text, FAST_LOADER)
    return literal_module("FORM", data, "default.yaml",
                          "app.form.form_yaml.write_builtin_form_copy")


def write_builtin_form_copy() -> None:
    """``python -c "from app.form.form_yaml import write_builtin_form_copy as w; w()"``"""
    resources.file("forms", "default_form.py").write_text(builtin_form_copy(), "utf-8")
