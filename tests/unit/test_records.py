"""app.records.Record behaves as typing.NamedTuple does for the records Flare makes with it."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from app.records import Record


class Ref(Record):
    """A ticket."""

    id: str
    number: str = ""

    def display(self) -> str:
        return self.number or self.id


class TypedRef(NamedTuple):
    id: str
    number: str = ""


def test_fields_defaults_methods_and_doc() -> None:
    ref = Ref("17")
    assert (ref.id, ref.number, ref.display(), Ref("17", "RT-17").display()) == (
        "17", "", "17", "RT-17")
    assert Ref._fields == TypedRef._fields and Ref.__doc__ == "A ticket."
    assert repr(ref) == "Ref(id='17', number='')" and Ref.__module__ == __name__


def test_equal_hashable_and_immutable() -> None:
    assert Ref("1", "a") == Ref("1", "a") and hash(Ref("1", "a")) == hash(Ref("1", "a"))
    assert Ref("1") != Ref("2")
    with pytest.raises(AttributeError):
        Ref("1").id = "2"  # type: ignore[misc]


def test_a_field_without_default_after_one_with_is_refused() -> None:
    with pytest.raises(TypeError, match="without a default"):

        class Bad(Record):
            a: int = 1
            b: int
