"""Just enough DER to name a certificate's subject, issuer and validity.

Python's ``ssl`` only decodes certificates it has verified; a check that fails verification
(self-signed, expired, a TLS-inspection proxy's CA) still needs to say whose certificate it saw.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

_NAME_OIDS = {
    bytes.fromhex("550403"): "CN", bytes.fromhex("55040a"): "O",
    bytes.fromhex("55040b"): "OU", bytes.fromhex("550406"): "C",
}


@dataclass
class CertInfo:
    subject: str
    issuer: str
    not_before: datetime | None
    not_after: datetime | None

    @property
    def self_signed(self) -> bool:
        return bool(self.subject) and self.subject == self.issuer


def _tlv(b: bytes, i: int) -> tuple[int, bytes, int]:
    tag = b[i]
    length = b[i + 1]
    i += 2
    if length & 0x80:
        n = length & 0x7F
        length = int.from_bytes(b[i : i + n], "big")
        i += n
    if i + length > len(b):
        raise ValueError("truncated DER")
    return tag, b[i : i + length], i + length


def _items(b: bytes) -> list[tuple[int, bytes]]:
    out = []
    i = 0
    while i < len(b):
        tag, val, i = _tlv(b, i)
        out.append((tag, val))
    return out


def _name(b: bytes) -> str:
    parts = []
    for _, rdn in _items(b):
        for _, atv in _items(rdn):
            (_, oid), (_, value) = _items(atv)[:2]
            key = _NAME_OIDS.get(oid)
            if key:
                parts.append(f"{key}={value.decode('utf-8', 'replace')}")
    return ", ".join(parts)


def _time(tag: int, b: bytes) -> datetime | None:
    s = b.decode("ascii", "replace").rstrip("Z")
    try:
        if tag == 0x17:  # UTCTime: two-digit year, 1950-2049
            t = datetime.strptime(s[:12], "%y%m%d%H%M%S")
        else:
            t = datetime.strptime(s[:14], "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return t.replace(tzinfo=UTC)


def parse(der: bytes) -> CertInfo:
    """Subject, issuer and validity of a DER certificate; raises ValueError if malformed."""
    try:
        _, cert, _ = _tlv(der, 0)
        _, tbs, _ = _tlv(cert, 0)
        fields = _items(tbs)
        if fields and fields[0][0] == 0xA0:  # explicit version
            fields = fields[1:]
        issuer = _name(fields[2][1])
        validity = _items(fields[3][1])
        subject = _name(fields[4][1])
    except (IndexError, ValueError) as e:
        raise ValueError(f"malformed certificate: {e}") from e
    return CertInfo(subject, issuer, _time(*validity[0]), _time(*validity[1]))
