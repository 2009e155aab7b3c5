"""diagnostics.x509 names certificates whatever string type their names use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import NameOID

from diagnostics import x509

NOT_BEFORE = datetime(2025, 3, 1, 8, 30, tzinfo=UTC)


def _der(subject: cx509.Name, issuer: cx509.Name) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        cx509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_BEFORE + timedelta(days=90))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)


def test_bmpstring_and_utf8_names_come_out_as_text() -> None:
    # Windows CAs often write names as BMPString (UTF-16BE), which a UTF-8 decode garbles.
    subject = cx509.Name(
        [
            cx509.NameAttribute(NameOID.COMMON_NAME, "Прокси бухгалтерии", _ASN1Type.BMPString),
            cx509.NameAttribute(NameOID.ORGANIZATION_NAME, "Зірка ТОВ", _ASN1Type.UTF8String),
            cx509.NameAttribute(NameOID.EMAIL_ADDRESS, "ca@example.org"),
            cx509.NameAttribute(NameOID.COUNTRY_NAME, "UA", _ASN1Type.PrintableString),
        ]
    )
    issuer = cx509.Name(
        [cx509.NameAttribute(NameOID.COMMON_NAME, "Root CA", _ASN1Type.BMPString)]
    )
    info = x509.parse(_der(subject, issuer))
    assert info.subject == "CN=Прокси бухгалтерии, O=Зірка ТОВ, C=UA"
    assert info.issuer == "CN=Root CA"
    assert not info.self_signed
    assert info.not_before == NOT_BEFORE
    assert info.not_after == NOT_BEFORE + timedelta(days=90)


def test_self_signed_when_subject_is_issuer() -> None:
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, "Сервер", _ASN1Type.BMPString)])
    assert x509.parse(_der(name, name)).self_signed


def test_truncated_certificate_is_a_value_error() -> None:
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, "x")])
    der = _der(name, name)
    with pytest.raises(ValueError, match="malformed certificate"):
        x509.parse(der[: len(der) // 2])
