"""A certificate's subject, issuer and validity, read with ``cryptography.x509``.

Python's ``ssl`` only decodes certificates it has verified; a check that fails verification
(self-signed, expired, a TLS-inspection proxy's CA) still needs to say whose certificate it saw.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.x509.oid import NameOID

# The attributes that name an organisation to a person; serial numbers, e-mail and the like
# only lengthen the line support reads.
_NAME_KEYS = {
    NameOID.COMMON_NAME: "CN",
    NameOID.ORGANIZATION_NAME: "O",
    NameOID.ORGANIZATIONAL_UNIT_NAME: "OU",
    NameOID.COUNTRY_NAME: "C",
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


def _name(name: x509.Name) -> str:
    # In the certificate's own order (not RFC 4514's reversed one), as people read it.
    parts = []
    for attribute in name:
        key = _NAME_KEYS.get(attribute.oid)
        if key:
            value = attribute.value
            text = value if isinstance(value, str) else value.decode("utf-8", "replace")
            parts.append(f"{key}={text}")
    return ", ".join(parts)


def parse(der: bytes) -> CertInfo:
    """Subject, issuer and validity of a DER certificate; raises ValueError if malformed."""
    try:
        cert = x509.load_der_x509_certificate(der)
        return CertInfo(
            _name(cert.subject),
            _name(cert.issuer),
            cert.not_valid_before_utc,
            cert.not_valid_after_utc,
        )
    except ValueError as exc:
        raise ValueError(f"malformed certificate: {exc}") from exc
