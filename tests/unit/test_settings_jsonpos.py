"""The position-keeping JSON reader agrees with the standard one on values and on errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.settings.jsonpos import parse

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(value=json_values, indent=st.sampled_from([None, 0, 2]))
def test_values_match_the_standard_parser(value: Any, indent: int | None) -> None:
    text = json.dumps(value, indent=indent)
    assert parse(text).value == json.loads(text)


@settings(max_examples=300, deadline=None)
@given(value=json_values, cut=st.integers(min_value=0, max_value=200))
def test_errors_match_the_standard_parser(value: Any, cut: int) -> None:
    text = json.dumps(value, indent=1)
    broken = text[: cut % (len(text) + 1)] + "}"
    try:
        expected = json.loads(broken)
    except json.JSONDecodeError as exc:
        with pytest.raises(json.JSONDecodeError) as info:
            parse(broken)
        assert (info.value.lineno, info.value.colno) == (exc.lineno, exc.colno)
    else:
        assert parse(broken).value == expected


def test_positions_of_keys_and_items() -> None:
    parsed = parse('{\n  "a": [10,\n        {"b": 1}],\n  "c": {"d": null}\n}')
    assert parsed.position(("a",)) == (2, 3)
    assert parsed.position(("a", 0)) == (2, 9)
    assert parsed.position(("a", 1)) == (3, 9)
    assert parsed.position(("a", 1, "b")) == (3, 10)
    assert parsed.position(("c", "d")) == (4, 9)
    assert parsed.position(("a", 1, "missing")) == (3, 9)  # the deepest known part
    assert parsed.position(("zzz",)) is None


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(json.JSONDecodeError, match="Nested too deeply"):
        parse("[" * 5000 + "]" * 5000)
