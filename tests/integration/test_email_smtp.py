"""The e-mail destination against a real SMTP server (aiosmtpd) on 127.0.0.1: STARTTLS, implicit
TLS and plain, with and without login; the received message is parsed and every attachment
compared byte for byte."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.helpdesk.delivery_bundle import DeliveryBundle
from app.helpdesk.email import EmailConnector
from app.helpdesk.errors import DeliveryError
from app.helpdesk.network import NetworkOptions
from app.helpdesk.registry import DestinationConfig
from app.helpdesk.secrets import SecretResolver
from tests.integration.contract_server import open_sample, sent_files

USER, PASSWORD = "flare@example.org", "smtp-secret"
INTAKE = "helpdesk@example.org"


@dataclass
class Sink:
    """Keeps what the server accepted; refuses recipients in ``refuse``."""

    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                   auth_data: Any) -> AuthResult:
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode()
          and auth_data.password == PASSWORD.encode())
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


@dataclass(frozen=True)
class Tls:
    cert: Path
    server: ssl.SSLContext


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    """A self-signed certificate for 127.0.0.1, trusted through destination.ca_bundle."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("smtp-tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert_path, key_path)
    return Tls(cert_path, ctx)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def sink() -> Sink:
    return Sink()


def _serve(sink: Sink, **kwargs: Any) -> Iterator[int]:
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@pytest.fixture()
def starttls_port(sink: Sink, tls: Tls) -> Iterator[int]:
    yield from _serve(sink, tls_context=tls.server, require_starttls=True,
                      authenticator=_authenticator, auth_required=True, auth_require_tls=True)


def connector(url: str, tls: Tls | None = None, *, user: str = USER,
              password: str = PASSWORD, **kw: Any) -> EmailConnector:
    config = DestinationConfig(
        type="email", url=url, queue=INTAKE, username=user,
        token="env:SMTP_PW" if user else "",
        network=NetworkOptions(ca_bundle=tls.cert if tls else None, read_timeout_s=10), **kw)
    return EmailConnector.from_config(config, SecretResolver(environ={"SMTP_PW": password}))


def parse(raw: bytes) -> EmailMessage:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def check_message(raw: bytes, bundle: DeliveryBundle, sender: str) -> None:
    msg = parse(raw)
    report = bundle.report
    assert msg["Subject"] == f"{report.title} [Flare {report.short_id()}]"
    assert msg["From"].addresses[0].addr_spec == sender
    assert msg["To"] == INTAKE
    assert msg["Reply-To"].addresses[0].addr_spec == "olena@example.org"
    assert msg["X-Flare-Report-Id"] == str(report.id)
    assert msg.get_content_type() == "multipart/mixed"
    body = msg.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert "Reporter: Olena Kovalenko <olena@example.org>" in text
    assert "Priority: high (affects just me, blocked)" in text
    got = {str(p.get_filename()): p.get_payload(decode=True) for p in msg.iter_attachments()}
    types = {str(p.get_filename()): p.get_content_type() for p in msg.iter_attachments()}
    assert got == sent_files(bundle)
    assert types["step-001.png"] == "image/png" and types["report.html"] == "text/html"


def test_starttls_with_login_delivers_every_file_byte_for_byte(
        sink: Sink, starttls_port: int, tls: Tls, tmp_path: Path) -> None:
    """RFC 3207 (STARTTLS) and RFC 4954 (AUTH after TLS); RFC 2046 multipart/mixed with
    RFC 2183 attachment dispositions."""
    bundle = open_sample(tmp_path)
    ref = connector(f"smtp+starttls://127.0.0.1:{starttls_port}", tls).submit(bundle)
    assert len(sink.messages) == 1
    mail_from, rcpt, raw = sink.messages[0]
    assert (mail_from, rcpt) == (USER, [INTAKE])
    assert ref.id == parse(raw)["Message-ID"] == f"<flare.{bundle.report.id.hex}@example.org>"
    check_message(raw, bundle, USER)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_implicit_tls_delivers(sink: Sink, tls: Tls, tmp_path: Path) -> None:
    """RFC 8314 section 3.3: submission over implicit TLS (smtps)."""
    bundle = open_sample(tmp_path)
    # auth_require_tls=False: aiosmtpd only counts STARTTLS as TLS, not an implicit-TLS socket.
    for port in _serve(sink, ssl_context=tls.server, authenticator=_authenticator,
                       auth_required=True, auth_require_tls=False):
        connector(f"smtps://127.0.0.1:{port}", tls).submit(bundle)
    assert len(sink.messages) == 1
    check_message(sink.messages[0][2], bundle, USER)


def test_plain_without_login_uses_the_from_parameter(sink: Sink, tmp_path: Path) -> None:
    """RFC 5321 relay on a trusted network: no TLS, no AUTH; the sender from ?from=."""
    bundle = open_sample(tmp_path)
    for port in _serve(sink):
        connector(f"smtp://127.0.0.1:{port}?from=reports%40example.org", user="").submit(bundle)
    mail_from, _, raw = sink.messages[0]
    assert mail_from == "reports@example.org"
    check_message(raw, bundle, "reports@example.org")


def test_plain_with_login_is_refused_before_connecting() -> None:
    with pytest.raises(DeliveryError) as err:
        connector("smtp://127.0.0.1:1")
    assert err.value.kind == "config" and "clear text" in err.value.message


def test_wrong_password_is_an_auth_error(sink: Sink, starttls_port: int, tls: Tls,
                                         tmp_path: Path) -> None:
    """RFC 4954 section 6: 535 Authentication credentials invalid."""
    conn = connector(f"smtp+starttls://127.0.0.1:{starttls_port}", tls, password="wrong")
    with pytest.raises(DeliveryError) as err:
        conn.submit(open_sample(tmp_path))
    assert err.value.kind == "auth" and "535" in err.value.message, err.value.message
    assert sink.messages == []


def test_untrusted_certificate_says_to_set_the_ca_bundle(starttls_port: int,
                                                         tmp_path: Path) -> None:
    conn = connector(f"smtp+starttls://127.0.0.1:{starttls_port}", None)
    with pytest.raises(DeliveryError) as err:
        conn.submit(open_sample(tmp_path))
    assert err.value.kind == "config" and "destination.ca_bundle" in err.value.message


def test_recipient_refusals_5xx_permanent_4xx_retryable(sink: Sink, starttls_port: int,
                                                        tls: Tls, tmp_path: Path) -> None:
    """RFC 5321 section 4.2.1: 5yz permanent, 4yz transient."""
    conn = connector(f"smtp+starttls://127.0.0.1:{starttls_port}", tls)
    sink.refuse[INTAKE] = "550 5.1.1 No such mailbox here"
    with pytest.raises(DeliveryError) as err:
        conn.submit(open_sample(tmp_path / "a"))
    assert err.value.kind == "validation" and not err.value.retryable
    assert err.value.helpdesk_message == "5.1.1 No such mailbox here"
    sink.refuse[INTAKE] = "451 4.3.0 Greylisted, try again later"
    with pytest.raises(DeliveryError) as err:
        conn.submit(open_sample(tmp_path / "b"))
    assert err.value.retryable and "Greylisted" in err.value.helpdesk_message


def test_missing_sender_or_intake_are_config_errors() -> None:
    with pytest.raises(DeliveryError, match=r"\?from=ADDRESS"):
        connector("smtp://127.0.0.1:25", user="")
    with pytest.raises(DeliveryError, match="destination.queue"):
        EmailConnector.from_config(DestinationConfig(type="email", url="smtps://h?from=a@b"),
                                   SecretResolver(environ={}))
