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


def test_the_namedtuple_api_behaves_as_typing_namedtuples_does() -> None:
    import copy
    import pickle

    for cls in (Ref, TypedRef):
        made = cls(number="RT-1", id="1")
        assert made == ("1", "RT-1") and made._asdict() == {"id": "1", "number": "RT-1"}
        assert made._replace(number="RT-2") == cls("1", "RT-2")
        assert cls._make(["2", "x"]) == cls("2", "x") and cls._field_defaults == {"number": ""}
        assert pickle.loads(pickle.dumps(made)) == made
        assert type(pickle.loads(pickle.dumps(made))) is cls
        assert copy.deepcopy(made) == made and type(copy.copy(made)) is cls
        assert cls.__match_args__ == ("id", "number")
        match made:
            case cls(x, number=n):  # type: ignore[misc]
                assert (x, n) == ("1", "RT-1")
        bad_calls: list[tuple[tuple[str, ...], dict[str, str], str]] = [
            ((), {}, "missing"), (("1", "2", "3"), {}, "positional"),
            (("1",), {"x": "1"}, "unexpected"), (("1",), {"id": "1"}, "multiple")]
        for args, kwargs, needle in bad_calls:
            with pytest.raises(TypeError, match=needle):
                cls(*args, **kwargs)
        with pytest.raises(ValueError, match="unexpected field"):
            made._replace(nope=1)
        with pytest.raises(TypeError, match="Expected 2 arguments"):
            cls._make(["1"])
