"""Immutable records with typed fields, as ``typing.NamedTuple`` makes them, without typing.

Importing typing costs about 5 ms, a fifth of what `flare outbox list` may take in all; the
records that command reads (the outbox item, its ticket, Flare's folders) are made with
:class:`Record` instead. Type checkers see ``typing.NamedTuple`` (the import below), so both
spell a record the same way::

    class TicketRef(Record):
        id: str
        number: str = ""
"""

from __future__ import annotations

from collections import namedtuple

__all__ = ["Record"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple as Record
else:

    class _RecordMeta(type):
        """Turns a class body of annotated fields into a ``collections.namedtuple``, the same
        way ``typing.NamedTuple`` does."""

        def __new__(mcs, name: str, bases: tuple[type, ...], ns: dict[str, object]) -> type:
            if not bases:  # Record itself
                return super().__new__(mcs, name, bases, ns)
            fields = list(ns.get("__annotations__", {}))
            defaults = [ns[f] for f in fields if f in ns]
            if any(f not in ns for f in fields[len(fields) - len(defaults):]):
                raise TypeError(f"{name}: a field without a default follows one with a default")
            record = namedtuple(name, fields, defaults=defaults,
                                module=str(ns.get("__module__", __name__)))
            for key, value in ns.items():
                if key not in fields and key not in ("__annotations__", "__module__",
                                                     "__qualname__", "__dict__"):
                    setattr(record, key, value)
            record.__annotations__ = dict(ns.get("__annotations__", {}))
            record.__qualname__ = str(ns.get("__qualname__", name))
            return record

    class Record(metaclass=_RecordMeta):
        pass
