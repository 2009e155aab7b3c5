"""Window properties read through libxcb, the X client library every X11 desktop has (Qt's
xcb platform plugin is built on it), called with ctypes.

Why not python-xlib here, as elsewhere in capture/: reading the program in front is the first
thing the report window waits for, and python-xlib's ``Display()`` imports every extension
module and asks the server about each one: about 40 ms, against about 2 ms for these few
requests through libxcb. libxcb also finds the server the way every other client does
(``DISPLAY``, ``XAUTHORITY`` cookies, abstract sockets), and it reports a failed request as an
error reply rather than ending the process, as libX11's default handler does.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any

# The stable sonames: libxcb's has been 1 since 2008.
_LIBXCB = "libxcb.so.1"
_LIBC = "libc.so.6"
# What a property read asks for at most, in 32-bit units (the title of a window is far less).
MAX_PROPERTY_LONGS = 16384


class X11Unavailable(Exception):
    """No X server answered, or it refused the connection (a missing cookie)."""


class _Cookie(ctypes.Structure):
    _fields_ = [("sequence", ctypes.c_uint)]


class _InternAtomReply(ctypes.Structure):
    _fields_ = [("response_type", ctypes.c_uint8), ("pad0", ctypes.c_uint8),
                ("sequence", ctypes.c_uint16), ("length", ctypes.c_uint32),
                ("atom", ctypes.c_uint32)]


class _GetPropertyReply(ctypes.Structure):
    _fields_ = [("response_type", ctypes.c_uint8), ("format", ctypes.c_uint8),
                ("sequence", ctypes.c_uint16), ("length", ctypes.c_uint32),
                ("type", ctypes.c_uint32), ("bytes_after", ctypes.c_uint32),
                ("value_len", ctypes.c_uint32), ("pad0", ctypes.c_uint8 * 12)]


class _Screen(ctypes.Structure):
    # Only the first field of xcb_screen_t: the root window.
    _fields_ = [("root", ctypes.c_uint32)]


class _ScreenIterator(ctypes.Structure):
    _fields_ = [("data", ctypes.POINTER(_Screen)), ("rem", ctypes.c_int),
                ("index", ctypes.c_int)]


_libs: tuple[ctypes.CDLL, ctypes.CDLL] | None = None


def _load() -> tuple[ctypes.CDLL, ctypes.CDLL]:
    global _libs
    if _libs is None:
        try:
            xcb = ctypes.CDLL(_LIBXCB)
            libc = ctypes.CDLL(_LIBC)
        except OSError as exc:
            raise X11Unavailable(f"libxcb is not installed: {exc}") from exc
        vp, u8, u16, u32 = ctypes.c_void_p, ctypes.c_uint8, ctypes.c_uint16, ctypes.c_uint32
        xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
        xcb.xcb_connect.restype = vp
        xcb.xcb_connection_has_error.argtypes = [vp]
        xcb.xcb_connection_has_error.restype = ctypes.c_int
        xcb.xcb_disconnect.argtypes = [vp]
        xcb.xcb_disconnect.restype = None
        xcb.xcb_get_setup.argtypes = [vp]
        xcb.xcb_get_setup.restype = vp
        xcb.xcb_setup_roots_iterator.argtypes = [vp]
        xcb.xcb_setup_roots_iterator.restype = _ScreenIterator
        xcb.xcb_screen_next.argtypes = [ctypes.POINTER(_ScreenIterator)]
        xcb.xcb_screen_next.restype = None
        xcb.xcb_intern_atom.argtypes = [vp, u8, u16, ctypes.c_char_p]
        xcb.xcb_intern_atom.restype = _Cookie
        xcb.xcb_intern_atom_reply.argtypes = [vp, _Cookie, ctypes.POINTER(vp)]
        xcb.xcb_intern_atom_reply.restype = ctypes.POINTER(_InternAtomReply)
        xcb.xcb_get_property.argtypes = [vp, u8, u32, u32, u32, u32, u32]
        xcb.xcb_get_property.restype = _Cookie
        xcb.xcb_get_property_reply.argtypes = [vp, _Cookie, ctypes.POINTER(vp)]
        xcb.xcb_get_property_reply.restype = ctypes.POINTER(_GetPropertyReply)
        xcb.xcb_get_property_value.argtypes = [ctypes.POINTER(_GetPropertyReply)]
        xcb.xcb_get_property_value.restype = vp
        xcb.xcb_get_property_value_length.argtypes = [ctypes.POINTER(_GetPropertyReply)]
        xcb.xcb_get_property_value_length.restype = ctypes.c_int
        libc.free.argtypes = [vp]
        libc.free.restype = None
        _libs = (xcb, libc)
    return _libs


class Property:
    """A property's value as the server sent it: its type atom, its format (8, 16 or 32 bits
    per item) and its bytes."""

    __slots__ = ("data", "format", "type")

    def __init__(self, type_: int, format_: int, data: bytes) -> None:
        self.type = type_
        self.format = format_
        self.data = data

    def cardinals(self) -> list[int]:
        """The items of a 32-bit property (a window id, a process id)."""
        if self.format != 32:
            return []
        # libxcb hands 32-bit items over in this machine's byte order.
        return [int.from_bytes(self.data[i:i + 4], sys.byteorder)
                for i in range(0, len(self.data) - 3, 4)]


class X11Connection:
    """One connection to the display ``name`` (None: ``DISPLAY``); use it in a ``with``."""

    def __init__(self, name: str | None) -> None:
        self._xcb, self._libc = _load()
        screen = ctypes.c_int(0)
        conn = self._xcb.xcb_connect(name.encode() if name else None, ctypes.byref(screen))
        # xcb_connect never returns NULL: a failed connection is an object in an error state.
        if not conn or self._xcb.xcb_connection_has_error(conn):
            if conn:
                self._xcb.xcb_disconnect(conn)
            raise X11Unavailable(f"cannot connect to X display {name!r}")
        self._conn: int | None = conn
        roots = self._xcb.xcb_setup_roots_iterator(self._xcb.xcb_get_setup(conn))
        for _ in range(screen.value):
            if roots.rem <= 1:
                break
            self._xcb.xcb_screen_next(ctypes.byref(roots))
        self.root = int(roots.data.contents.root)

    def __enter__(self) -> X11Connection:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._conn:
            self._xcb.xcb_disconnect(self._conn)
            self._conn = None

    def atoms(self, names: Iterable[str]) -> dict[str, int]:
        """Each name's atom (created if the server does not know it yet), in one round trip."""
        conn = self._live()
        cookies = [(name, self._xcb.xcb_intern_atom(conn, 0, len(name.encode()), name.encode()))
                   for name in names]
        found: dict[str, int] = {}
        for name, cookie in cookies:
            reply = self._reply(self._xcb.xcb_intern_atom_reply, cookie)
            if reply is None:
                raise X11Unavailable(f"the X server did not intern {name}")
            found[name] = int(reply.contents.atom)
            self._libc.free(reply)
        return found

    def properties(self, window: int,
                   wanted: Iterable[tuple[int, int]]) -> list[Property | None]:
        """The properties ``(atom, type)`` of ``window`` (type 0: any), in one round trip;
        None for each one the window does not have, or when the window is gone."""
        conn = self._live()
        cookies = [self._xcb.xcb_get_property(conn, 0, window, atom, type_, 0,
                                              MAX_PROPERTY_LONGS)
                   for atom, type_ in wanted]
        values: list[Property | None] = []
        for cookie in cookies:
            reply = self._reply(self._xcb.xcb_get_property_reply, cookie)
            if reply is None:
                values.append(None)
                continue
            try:
                head = reply.contents
                size = self._xcb.xcb_get_property_value_length(reply)
                if head.type == 0 or size <= 0:
                    values.append(None if head.type == 0 else Property(head.type, head.format,
                                                                         b""))
                    continue
                data = ctypes.string_at(self._xcb.xcb_get_property_value(reply), size)
                values.append(Property(int(head.type), int(head.format), data))
            finally:
                self._libc.free(reply)
        if self._xcb.xcb_connection_has_error(conn):
            raise X11Unavailable("the X server closed the connection")
        return values

    def _live(self) -> int:
        if not self._conn:
            raise X11Unavailable("the X connection is closed")
        return self._conn

    def _reply(self, fetch: Callable[..., Any], cookie: _Cookie) -> Any:
        error = ctypes.c_void_p(None)
        reply = fetch(self._conn, cookie, ctypes.byref(error))
        if error.value:
            # An error reply (a window that closed between two requests): freed, not raised.
            self._libc.free(error)
        return reply if reply else None
