"""The SNTP client against a loopback time server: it takes good time and refuses the rest."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from diagnostics import sntp

HOST = "127.0.0.1"
SKEW_S = 42.0

Answer = Callable[[bytes], bytes]


@pytest.fixture
def time_server() -> Iterator[Callable[[Answer], str]]:
    """Start a loopback UDP responder that answers each request with ``answer(request)``."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((HOST, 0))
    sock.settimeout(0.1)
    stop = threading.Event()
    answers: list[Answer] = []

    def loop() -> None:
        while not stop.is_set():
            try:
                request, peer = sock.recvfrom(512)
            except TimeoutError:
                continue
            sock.sendto(answers[0](request), peer)

    thread = threading.Thread(target=loop, daemon=True)

    def start(answer: Answer) -> str:
        answers.append(answer)
        thread.start()
        return f"{HOST}:{sock.getsockname()[1]}"

    try:
        yield start
    finally:
        stop.set()
        if thread.is_alive():
            thread.join(timeout=2)
        sock.close()


def test_synchronised_server_gives_the_offset(time_server: Callable[[Answer], str]) -> None:
    source = time_server(lambda req: sntp.server_reply(req, time.time() + SKEW_S, stratum=3))
    result = sntp.query(source, timeout_s=2)
    assert abs(result.offset_s - SKEW_S) < 0.5
    assert result.stratum == 3


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (lambda req: sntp.server_reply(req, time.time(), leap=3), "not synchronised"),
        (lambda req: sntp.server_reply(req, time.time(), stratum=16), "not synchronised"),
        (
            lambda req: sntp.server_reply(req, time.time(), stratum=0, reference_id=b"RATE"),
            "kiss code RATE",
        ),
        (
            # An answer to some other request: what a stale or spoofed datagram looks like.
            lambda req: sntp.server_reply(req, time.time(), origin=sntp.client_request(1.0)[40:]),
            "does not answer our request",
        ),
        (lambda req: sntp.server_reply(req, time.time())[:40], "short SNTP reply"),
    ],
    ids=["leap-3", "stratum-16", "kiss-of-death", "wrong-origin", "short"],
)
def test_untrustworthy_replies_are_refused(
    time_server: Callable[[Answer], str], reply: Answer, message: str
) -> None:
    source = time_server(reply)
    with pytest.raises(ValueError, match=message):
        sntp.query(source, timeout_s=2)


def test_requests_carry_unguessable_origin() -> None:
    origins = {sntp.client_request(5.0)[40:48] for _ in range(8)}
    assert len(origins) > 1
    # ...while the timestamp itself stays the send time to within 2**-16 s.
    assert all(abs(sntp._from_ntp(origin) - 5.0) < 2**-16 for origin in origins)
