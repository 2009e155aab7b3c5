"""A minimal SNTP client (RFC 4330): how far this computer's clock is from a time source.

Clock skew breaks Kerberos logins (5 minutes tolerance) and TLS (certificates "not yet valid").
"""

from __future__ import annotations

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
        t1 = now()
        packet = b"\x23" + b"\x00" * 39 + _to_ntp(t1)  # LI=0, VN=4, mode=3 (client)
        sock.sendto(packet, addr)
        data, _ = sock.recvfrom(512)
        t4 = now()
    return parse_reply(data, t1, t4, server)


def parse_reply(data: bytes, t1: float, t4: float, server: str = "") -> SntpResult:
    if len(data) < 48:
        raise ValueError(f"short SNTP reply ({len(data)} bytes)")
    mode = data[0] & 0x7
    stratum = data[1]
    if mode not in (4, 5) or stratum == 0:
        raise ValueError("the time source sent no usable time (kiss-of-death or wrong mode)")
    t2 = _from_ntp(data[32:40])
    t3 = _from_ntp(data[40:48])
    offset = ((t2 - t1) + (t3 - t4)) / 2
    delay = (t4 - t1) - (t3 - t2)
    return SntpResult(server=server, offset_s=offset, delay_s=max(0.0, delay), stratum=stratum)


def server_reply(request: bytes, server_time: float) -> bytes:
    """A server's answer to ``request`` at ``server_time`` (used by tests' local responder)."""
    ts = _to_ntp(server_time)
    return b"\x24\x02" + b"\x00" * 22 + request[40:48] + ts + ts
