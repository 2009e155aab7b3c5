"""JSON from files Flare did not write itself: bounded depth, bounded numbers, real text.

The standard decoder recurses without limit (a deep file ends in RecursionError), turns a
5000-digit number into a ValueError about "integer string conversion", and accepts lone UTF-16
surrogates that later break every encoder. :func:`loads` turns each into one line that says
what is wrong and where.
"""

from __future__ import annotations

import json

# Not typing.TYPE_CHECKING: every command that reads a setting imports this module.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_DEPTH = 64
MAX_NUMBER_DIGITS = 100


class UnsafeJson(ValueError):
    """The text is not JSON Flare will read; the message is one line that completes
    "<file> …", e.g. "is not valid JSON: line 2 column 9: Expecting value". A syntax error
    also keeps its place (``lineno``, ``colno``) and the decoder's own words (``msg``)."""

    def __init__(self, message: str, lineno: int = 0, colno: int = 0, msg: str = "") -> None:
        super().__init__(message)
        self.lineno, self.colno, self.msg = lineno, colno, msg


def _number(text: str) -> int | float:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise UnsafeJson(f"holds a number with {len(text)} digits, far too long")
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS:
        raise UnsafeJson(f"holds a number of {len(text)} characters, far too long")
    return float(text)


def loads(text: str) -> Any:
    """Decode ``text``; :class:`UnsafeJson` with a one-line reason when it is unusable."""
    _check_depth(text)
    try:
        value = json.loads(text, parse_int=_number, parse_float=_float)
    except UnsafeJson:
        raise
    except json.JSONDecodeError as exc:
        raise UnsafeJson(f"is not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}",
                         exc.lineno, exc.colno, exc.msg) from None
    except (ValueError, RecursionError) as exc:
        raise UnsafeJson(f"is not valid JSON: {str(exc).splitlines()[0]}") from None
    _check_text(value, "")
    return value


def _check_depth(text: str) -> None:
    """Count bracket depth outside strings before decoding, so no recursion can blow up."""
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise UnsafeJson(f"is nested more than {MAX_DEPTH} levels deep")
        elif ch in "]}":
            depth -= 1


def _check_text(value: Any, where: str) -> None:
    if isinstance(value, str):
        _check_string(value, where)
    elif isinstance(value, dict):
        for k, v in value.items():
            _check_string(k, where)
            _check_text(v, f"{where}.{k}" if where else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_text(v, f"{where}[{i}]")


def _check_string(text: str, where: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        at = f" at {where}" if where else ""
        raise UnsafeJson(f"holds a lone surrogate {text[exc.start]!r}{at}, which is not "
                         "text; save the file again with a real character") from None
