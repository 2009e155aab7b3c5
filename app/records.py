"""Immutable records with typed fields, as ``typing.NamedTuple`` makes them, without typing.

Importing typing costs about 5 ms, a fifth of what `flare outbox list` may take in all; the
records that command reads (the outbox item, its ticket, Flare's folders) are made with
:class:`Record` instead. Type checkers see ``typing.NamedTuple`` (the import below), so both
spell a record the same way::

    class TicketRef(Record):
        id: str
        number: str = ""

A record is a tuple subclass with the API of ``collections.namedtuple`` (``_fields``,
``_field_defaults``, ``_make``, ``_replace``, ``_asdict``, the same repr, pickling), but its
constructor is one shared function: namedtuple compiles a constructor for every class, about
half a million instructions each, and the twelve records `flare outbox list` defines cost it
more than reading the outbox does.
"""

from __future__ import annotations

from operator import itemgetter

__all__ = ["Record"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple as Record
else:
    _CLASS_KEYS = ("__annotations__", "__module__", "__qualname__", "__dict__", "__weakref__")

    class _RecordBase(tuple):
        """What every record class shares (a record class derives from this, not Record)."""

        __slots__ = ()  # each record class sets _fields and _field_defaults

        def __new__(cls, *args: object, **kwargs: object) -> _RecordBase:
            fields = cls._fields
            if not kwargs and len(args) == len(fields):
                return tuple.__new__(cls, args)
            if len(args) > len(fields):
                raise TypeError(f"{cls.__name__}() takes {len(fields)} positional arguments "
                                f"but {len(args)} were given")
            values = list(args)
            for name in fields[len(args):]:
                if name in kwargs:
                    values.append(kwargs.pop(name))
                elif name in cls._field_defaults:
                    values.append(cls._field_defaults[name])
                else:
                    raise TypeError(f"{cls.__name__}() missing required argument: '{name}'")
            for name in kwargs:
                why = "multiple values for" if name in fields else "an unexpected keyword"
                raise TypeError(f"{cls.__name__}() got {why} argument '{name}'")
            return tuple.__new__(cls, values)

        @classmethod
        def _make(cls, iterable: object) -> _RecordBase:
            values = tuple(iterable)
            if len(values) != len(cls._fields):
                raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(values)}")
            return tuple.__new__(cls, values)

        def _replace(self, **changes: object) -> _RecordBase:
            values = tuple(map(changes.pop, self._fields, self))
            if changes:
                raise ValueError(f"Got unexpected field names: {list(changes)!r}")
            return tuple.__new__(type(self), values)

        def _asdict(self) -> dict[str, object]:
            return dict(zip(self._fields, self, strict=True))

        def __repr__(self) -> str:
            shown = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self,
                                                                          strict=True))
            return f"{type(self).__name__}({shown})"

        def __getnewargs__(self) -> tuple[object, ...]:
            return tuple(self)

    class _RecordMeta(type):
        """Turns a class body of annotated fields into a record class, the way
        ``typing.NamedTuple`` turns one into a ``collections.namedtuple``."""

        def __new__(mcs, name: str, bases: tuple[type, ...], ns: dict[str, object]) -> type:
            if not bases:  # Record itself
                return super().__new__(mcs, name, bases, ns)
            annotations = dict(ns.get("__annotations__", {}))
            fields = tuple(annotations)
            defaults = {f: ns[f] for f in fields if f in ns}
            if any(f not in ns for f in fields[len(fields) - len(defaults):]):
                raise TypeError(f"{name}: a field without a default follows one with a default")
            body: dict[str, object] = {
                "__slots__": (), "_fields": fields, "_field_defaults": defaults,
                "__match_args__": fields, "__annotations__": annotations,
                "__module__": ns.get("__module__", __name__),
                "__qualname__": ns.get("__qualname__", name),
                "__doc__": ns.get("__doc__") or f"{name}({', '.join(fields)})",
            }
            for index, field in enumerate(fields):
                body[field] = property(itemgetter(index), doc=f"Alias for field number {index}")
            for key, value in ns.items():
                if key not in fields and key not in _CLASS_KEYS and key not in body:
                    body[key] = value
            return type(name, (_RecordBase,), body)

    class Record(metaclass=_RecordMeta):
        pass
