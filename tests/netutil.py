"""Loopback network helpers shared by tests and benchmarks (nothing here leaves 127.0.0.1)."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

HOST = "127.0.0.1"


def free_port() -> int:
    """A loopback port nobody listens on now (bound, then released)."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


# A closed port is a free one: connecting is refused at once.
closed_port = free_port


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """Accepts connections and never says a word (a helpdesk that hangs)."""
    s = socket.socket()
    s.bind((HOST, 0))
    s.listen(128)
    held: list[socket.socket] = []
    stop = threading.Event()

    def loop() -> None:
        s.settimeout(0.1)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                held.append(s.accept()[0])

    t = threading.Thread(target=loop, daemon=True)
    t.start()
    try:
        yield s.getsockname()[1]
    finally:
        stop.set()
        t.join()
        for c in held:
            c.close()
        s.close()
