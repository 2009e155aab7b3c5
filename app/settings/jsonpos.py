"""A JSON reader that remembers where each key and list item starts in the text.

The standard parser gives the position of a syntax error but not of a valid key whose *value*
is wrong; administrators need "file:line:col" for both. Scalars are still decoded by the
standard decoder, so what counts as valid JSON does not change.
"""

from __future__ import annotations

import json

# Not typing.TYPE_CHECKING, and no dataclass: see app.settings.decl_types.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

PathPart = str | int
_WS = " \t\n\r"
_MAX_DEPTH = 64
# No setting needs more; Python refuses ints past 4300 digits with a confusing message.
_MAX_NUMBER_CHARS = 100
_NUMBER_TOO_LONG = f"a number longer than {_MAX_NUMBER_CHARS} characters"


class ParsedJson:
    """A parsed document, its text, and where each key and item starts in it."""

    __slots__ = ("duplicates", "offsets", "text", "value")

    def __init__(
        self,
        value: Any,
        text: str,
        offsets: dict[tuple[PathPart, ...], int] | None = None,
        duplicates: list[tuple[tuple[PathPart, ...], int]] | None = None,
    ) -> None:
        self.value = value
        self.text = text
        self.offsets: dict[tuple[PathPart, ...], int] = {} if offsets is None else offsets
        self.duplicates: list[tuple[tuple[PathPart, ...], int]] = (
            [] if duplicates is None else duplicates
        )

    def __repr__(self) -> str:
        return f"ParsedJson(value={self.value!r}, text={self.text!r})"

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        line = self.text.count("\n", 0, offset) + 1
        col = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return line, col

    def position(self, path: tuple[PathPart, ...]) -> tuple[int, int] | None:
        """Line and column of the deepest known part of ``path``."""
        for end in range(len(path), 0, -1):
            offset = self.offsets.get(path[:end])
            if offset is not None:
                return self.line_col(offset)
        return None


def parse(text: str) -> ParsedJson:
    """Parse ``text``; raises json.JSONDecodeError (with lineno/colno) when it is not JSON."""
    result = ParsedJson(value=None, text=text)
    decoder = json.JSONDecoder()
    n = len(text)

    def skip(i: int) -> int:
        while i < n and text[i] in _WS:
            i += 1
        return i

    def value(i: int, path: tuple[PathPart, ...]) -> tuple[Any, int]:
        if len(path) > _MAX_DEPTH:
            raise json.JSONDecodeError("Nested too deeply", text, i)
        i = skip(i)
        if i < n and text[i] == "{":
            return obj(i + 1, path)
        if i < n and text[i] == "[":
            return arr(i + 1, path)
        try:
            scalar, end = decoder.raw_decode(text, i)
        except json.JSONDecodeError:
            raise
        except ValueError as exc:  # raw_decode can raise StopIteration-derived errors
            if text[i:i + 1].isdigit() or text[i:i + 2][:1] == "-":
                raise json.JSONDecodeError(_NUMBER_TOO_LONG, text, i) from None
            raise json.JSONDecodeError("Expecting value", text, i) from exc
        if isinstance(scalar, int | float) and end - i > _MAX_NUMBER_CHARS:
            raise json.JSONDecodeError(_NUMBER_TOO_LONG, text, i)
        if isinstance(scalar, str):
            try:
                scalar.encode("utf-8")
            except UnicodeEncodeError:
                raise json.JSONDecodeError(
                    "a lone surrogate (\\ud800-\\udfff) is not text; write the real "
                    "character", text, i) from None
        return scalar, end

    def obj(i: int, path: tuple[PathPart, ...]) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        i = skip(i)
        if i < n and text[i] == "}":
            return out, i + 1
        while True:
            if i >= n or text[i] != '"':
                raise json.JSONDecodeError(
                    "Expecting property name enclosed in double quotes", text, i
                )
            key, j = decoder.raw_decode(text, i)  # a JSON string at i: the key
            kpath = (*path, key)
            if key in out:
                result.duplicates.append((kpath, i))
            result.offsets[kpath] = i
            j = skip(j)
            if j >= n or text[j] != ":":
                raise json.JSONDecodeError("Expecting ':' delimiter", text, j)
            out[key], j = value(j + 1, kpath)
            j = skip(j)
            if j < n and text[j] == ",":
                i = skip(j + 1)
                continue
            if j < n and text[j] == "}":
                return out, j + 1
            raise json.JSONDecodeError("Expecting ',' delimiter", text, j)

    def arr(i: int, path: tuple[PathPart, ...]) -> tuple[list[Any], int]:
        out: list[Any] = []
        i = skip(i)
        if i < n and text[i] == "]":
            return out, i + 1
        while True:
            i = skip(i)
            ipath = (*path, len(out))
            result.offsets[ipath] = i
            item, j = value(i, ipath)
            out.append(item)
            j = skip(j)
            if j < n and text[j] == ",":
                i = j + 1
                continue
            if j < n and text[j] == "]":
                return out, j + 1
            raise json.JSONDecodeError("Expecting ',' delimiter", text, j)

    result.value, end = value(0, ())
    end = skip(end)
    if end != n:
        raise json.JSONDecodeError("Extra data", text, end)
    return result
