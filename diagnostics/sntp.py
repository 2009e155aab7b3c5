"""A minimal SNTP client (RFC 4330): how far this computer's clock is from a time source.

Clock skew breaks Kerberos logins (5 minutes tolerance) and TLS (certificates "not yet valid").
"""

from __future__ import annotations

import secrets
import socket
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass

NTP_EPOCH_OFFSET = 2208988800  # seconds from 1900-01-01 to 1970-01-01
DEFAULT_PORT = 123


@dataclass
class SntpResult:
    server: str
    offset_s: float  # positive: this computer is behind the source
    delay_s: float
    stratum: int


def split_host_port(value: str, default_port: int) -> tuple[str, int]:
    """'host', 'host:port', '[::1]:port' -> (host, port)."""
    v = value.strip()
    if v.startswith("["):
        host, _, rest = v[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") else default_port
    if v.count(":") == 1:
        host, port = v.split(":")
        return host, int(port)
    return v, default_port


def _to_ntp(t: float) -> bytes:
    secs = int(t) + NTP_EPOCH_OFFSET
    frac = int((t - int(t)) * 2**32) & 0xFFFFFFFF
    return struct.pack("!II", secs & 0xFFFFFFFF, frac)


def _from_ntp(b: bytes) -> float:
    secs, frac = struct.unpack("!II", b)
    return float(secs - NTP_EPOCH_OFFSET + frac / 2**32)


def query(
    server: str, timeout_s: float = 1.5, *, now: Callable[[], float] = time.time
) -> SntpResult:
    """Ask ``server`` ('host' or 'host:port') for the time; raises OSError/ValueError on failure."""
    host, port = split_host_port(server, DEFAULT_PORT)
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout_s)
        # connect(): the kernel then drops datagrams from anyone but the server.
        sock.connect(addr)
        t1 = now()
        request = client_request(t1)
        sock.send(request)
        data = sock.recv(512)
        t4 = now()
    return parse_reply(data, request, t1, t4, server)


def client_request(t1: float) -> bytes:
    """An SNTP request sent at ``t1``. The transmit timestamp's lowest 16 bits are random,
    so a reply that echoes it (as its origin timestamp) cannot be guessed by a spoofer."""
    stamp = bytearray(_to_ntp(t1))
    stamp[6:8] = secrets.token_bytes(2)  # below 2**-16 s: no effect on the offset
    return b"\x23" + b"\x00" * 39 + bytes(stamp)  # LI=0, VN=4, mode=3 (client)


def parse_reply(
    data: bytes, request: bytes, t1: float, t4: float, server: str = ""
) -> SntpResult:
    """The offset and delay from ``data``, the reply to ``request`` (sent at ``t1``, answered at
    ``t4``); raises ValueError for a reply that gives no trustworthy time."""
    if len(data) < 48:
        raise ValueError(f"short SNTP reply ({len(data)} bytes)")
    leap, mode, stratum = data[0] >> 6, data[0] & 0x7, data[1]
    if mode not in (4, 5):
        raise ValueError(f"the time source answered in the wrong mode ({mode})")
    if stratum == 0:
        # A kiss-of-death: the reference id holds an ASCII code such as RATE or DENY.
        code = data[12:16].decode("ascii", "replace").strip("\x00 ")
        raise ValueError(f"the time source refused to give the time (kiss code {code or '?'})")
    if leap == 3 or stratum >= 16:
        raise ValueError(
            "the time source is not synchronised itself; ask your administrator which "
            "time server to use"
        )
    if data[24:32] != request[40:48]:
        raise ValueError("the reply does not answer our request (origin timestamp differs)")
    if data[40:48] == bytes(8):
        raise ValueError("the time source sent no transmit time")
    t2 = _from_ntp(data[32:40])
    t3 = _from_ntp(data[40:48])
    offset = ((t2 - t1) + (t3 - t4)) / 2
    delay = (t4 - t1) - (t3 - t2)
    return SntpResult(server=server, offset_s=offset, delay_s=max(0.0, delay), stratum=stratum)


def server_reply(
    request: bytes,
    server_time: float,
    *,
    leap: int = 0,
    stratum: int = 2,
    reference_id: bytes = bytes(4),
    origin: bytes | None = None,
) -> bytes:
    """A server's answer to ``request`` at ``server_time`` (used by tests' local responders)."""
    ts = _to_ntp(server_time)
    first = bytes([(leap << 6) | (4 << 3) | 4])  # VN=4, mode=4 (server)
    echoed = request[40:48] if origin is None else origin
    return first + bytes([stratum]) + bytes(10) + reference_id + bytes(8) + echoed + ts + ts
