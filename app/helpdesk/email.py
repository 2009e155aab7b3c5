"""The e-mail destination: the report as one MIME message, sent over SMTP.

In Python, not a spec: it speaks SMTP, not HTTP. Settings reuse the destination.* keys:

- ``destination.url``: ``smtp+starttls://host[:587]``, ``smtps://host[:465]`` or
  ``smtp://host[:25]`` (no encryption; refused together with a login), with ``?from=ADDRESS``
  for the sender when the login is not an address itself;
- ``destination.queue``: the mailbox that receives reports (the helpdesk's intake address);
- ``destination.username`` / ``destination.token``: login and a secret reference to its
  password (both empty: no login).

The reporter goes into Reply-To (not From: mail from a company address sent through another
server fails SPF/DMARC). Message-ID is derived from the report id, so helpdesks that drop
repeated Message-IDs see a resent report as the same message.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from app.helpdesk.delivery_bundle import DeliveryBundle, refer_to_attached
from app.helpdesk.errors import DeliveryError
from app.helpdesk.limits import fit_to_limits
from app.helpdesk.network import tls_context
from app.helpdesk.protocol import Incident, TicketRef, TicketStatus, TicketSummary, Unsupported
from app.helpdesk.registry import DestinationConfig
from app.helpdesk.secrets import SecretResolver
from app.helpdesk.ticket_text import ticket_subject, ticket_text
from app.i18n import current

Security = Literal["starttls", "ssl", "plain"]
_SCHEMES: dict[str, tuple[Security, int]] = {
    "smtp+starttls": ("starttls", 587),
    "smtps": ("ssl", 465),
    "smtp": ("plain", 25),
}
_MB = 1024 * 1024


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: Security
    sender: str
    recipient: str
    username: str = ""
    password: str = ""
    timeout_s: float = 60.0

    def __repr__(self) -> str:  # the password never shows in logs or tracebacks
        return (f"SmtpSettings({self.security}://{self.host}:{self.port}, from={self.sender}, "
                f"to={self.recipient}, user={self.username!r})")


def _config_error(message: str) -> DeliveryError:
    return DeliveryError(message, kind="config")


def smtp_settings(config: DestinationConfig, resolver: SecretResolver) -> SmtpSettings:
    """Read and check the e-mail destination settings; errors name the setting to fix."""
    parts = urlsplit(config.url.strip())
    if parts.scheme not in _SCHEMES or not parts.hostname:
        raise _config_error(current().tr(
            "{setting} {url} is not a mail server address; use {forms}",
            setting="destination.url", url=repr(config.url),
            forms="smtp+starttls://host:587, smtps://host:465, smtp://host:25"))
    security, default_port = _SCHEMES[parts.scheme]
    try:
        port = parts.port or default_port
    except ValueError:
        raise _config_error(current().tr("{setting} {url} has an invalid port",
                                         setting="destination.url",
                                         url=repr(config.url))) from None
    query = parse_qs(parts.query)
    username = config.username.strip()
    sender = unquote((query.get("from") or [""])[0]).strip() or (
        username if "@" in username else "")
    if "@" not in sender:
        raise _config_error(current().tr(
            "the e-mail destination needs a sender: add {query} to {url} (or use an e-mail "
            "address as {username})", query="?from=ADDRESS", url="destination.url",
            username="destination.username"))
    recipient = config.queue.strip()
    if "@" not in recipient:
        raise _config_error(current().tr(
            "{setting} must be the e-mail address that receives reports (found {value})",
            setting="destination.queue", value=repr(recipient)))
    password = ""
    if username:
        if security == "plain":
            raise _config_error(current().tr(
                "{setting} is {scheme} (unencrypted) but a login is set: the password would "
                "cross the network in clear text; use {secure}", setting="destination.url",
                scheme="smtp://", secure="smtp+starttls://, smtps://"))
        password = resolver.resolve(config.token)
    return SmtpSettings(parts.hostname, port, security, sender, recipient, username, password,
                        config.network.read_timeout_s)


def build_message(bundle: DeliveryBundle, sender: str, recipient: str,
                  date: float | None = None) -> EmailMessage:
    """The report as a multipart/mixed message: the text, then every file as an attachment."""
    report = bundle.report
    msg = EmailMessage()
    msg["Subject"] = ticket_subject(report)
    msg["From"] = Address("Flare", addr_spec=sender)
    msg["To"] = recipient
    if report.reporter.email:
        msg["Reply-To"] = Address(report.reporter.name or "", addr_spec=report.reporter.email)
    msg["Date"] = formatdate(date, localtime=False, usegmt=True)
    domain = sender.rpartition("@")[2]
    msg["Message-ID"] = f"<flare.{report.id.hex}@{domain}>"
    msg["X-Flare-Report-Id"] = str(report.id)
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: auto-responders need not loop back
    msg.set_content(ticket_text(report, bundle.diagnostics, bundle.notes))
    for f in bundle.files:
        maintype, _, subtype = f.media_type.partition("/")
        if not subtype:
            maintype, subtype = "application", "octet-stream"
        msg.add_attachment(f.read_bytes(), maintype=maintype, subtype=subtype, filename=f.name)
    return msg


class EmailConnector:
    name = "email"
    capabilities: frozenset[str] = frozenset()

    def __init__(self, settings: SmtpSettings, *, max_attachment_mb: int | None = None,
                 tls: ssl.SSLContext | None = None) -> None:
        self.settings = settings
        self.max_file_bytes = max_attachment_mb * _MB if max_attachment_mb else None
        self._tls = tls

    @classmethod
    def from_config(cls, config: DestinationConfig, resolver: SecretResolver) -> EmailConnector:
        settings = smtp_settings(config, resolver)
        tls = None if settings.security == "plain" else tls_context(config.network.ca_bundle)
        return cls(settings, max_attachment_mb=config.max_attachment_mb, tls=tls)

    # ------------------------------------------------------------------ protocol

    def submit(self, bundle: DeliveryBundle) -> TicketRef:
        # The screenshots are attached: report.html names them instead of carrying them again.
        prepared = fit_to_limits(refer_to_attached(bundle), self.max_file_bytes)
        s = self.settings
        msg = build_message(prepared, s.sender, s.recipient)
        where = f"{s.host}:{s.port}"
        try:
            with self._connect() as smtp:
                if s.username:
                    smtp.login(s.username, s.password)
                refused = smtp.send_message(msg, from_addr=s.sender, to_addrs=[s.recipient])
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(current().tr(
                "the mail server {server} refused the login {login} ({answer}); check "
                "{username} and the secret {token} refers to. The report is kept in the "
                "outbox", server=where, login=repr(s.username),
                answer=_said(exc.smtp_code, exc.smtp_error), username="destination.username",
                token="destination.token"),
                kind="auth", helpdesk_message=_text(exc.smtp_error)) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryError(current().tr(
                "the mail server {server} does not offer {what}; use {secure} or ask the mail "
                "administrator which port offers encryption", server=where, what=_what(exc),
                secure="smtps://"),
                kind="config", helpdesk_message=str(exc)) from None
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise _rejected(where, _address(s.recipient), code, text) from None
        except smtplib.SMTPSenderRefused as exc:
            raise _rejected(where, current().ptr("smtp refused", "the sender {address}",
                                                 address=s.sender), exc.smtp_code,
                            exc.smtp_error) from None
        except smtplib.SMTPResponseException as exc:
            raise _rejected(where, current().ptr("smtp refused", "the message"), exc.smtp_code,
                            exc.smtp_error) from None
        except ssl.SSLCertVerificationError as exc:
            raise DeliveryError(current().tr(
                "the mail server {server} presented a certificate Flare does not trust "
                "({reason}); give its CA with {setting}", server=where,
                reason=exc.verify_message, setting="destination.ca_bundle"),
                kind="config", helpdesk_message=str(exc)) from None
        except smtplib.SMTPServerDisconnected as exc:
            raise DeliveryError(current().tr(
                "the mail server {server} closed the connection ({reason}); the report waits "
                "in the outbox", server=where, reason=exc), kind="network",
                helpdesk_message=str(exc), uncertain=True) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(current().tr(
                "the mail server {server} cannot be reached: {reason}; the report waits in "
                "the outbox", server=where, reason=exc), kind="network",
                helpdesk_message=str(exc)) from None
        if refused:
            code, text = next(iter(refused.values()))
            raise _rejected(where, _address(s.recipient), code, text)
        return TicketRef(id=str(msg["Message-ID"]), number=f"e-mail to {s.recipient}")

    def find_existing(self, bundle: DeliveryBundle) -> TicketRef | None:
        return None  # a mail server cannot be asked what it delivered

    def status(self, ref: TicketRef) -> TicketStatus:
        raise Unsupported("an e-mail has no status to read back")

    def open_tickets(self, reporter_email: str) -> list[TicketSummary]:
        raise Unsupported("an e-mail destination has no ticket list")

    def incidents(self) -> list[Incident]:
        raise Unsupported("an e-mail destination has no incident feed")

    def add_to_ticket(self, ref: TicketRef, bundle: DeliveryBundle) -> TicketRef:
        raise Unsupported("an e-mail destination cannot add to a ticket")

    # ------------------------------------------------------------------ helpers

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        local = socket.getfqdn() if s.host not in ("127.0.0.1", "::1", "localhost") else None
        if s.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, local_hostname=local,
                                                  timeout=s.timeout_s, context=self._tls)
            return smtp
        smtp = smtplib.SMTP(s.host, s.port, local_hostname=local, timeout=s.timeout_s)
        try:
            if s.security == "starttls":
                smtp.ehlo()
                if not smtp.has_extn("starttls"):
                    raise smtplib.SMTPNotSupportedError("STARTTLS")
                smtp.starttls(context=self._tls)
                smtp.ehlo()
        except BaseException:
            smtp.close()
            raise
        return smtp


def make_email_connector(config: DestinationConfig,
                         resolver: SecretResolver | None = None) -> EmailConnector:
    """Entry point ``flare.connectors: email``. The registry passes the application's
    resolver (policy-provided secrets, keyring); without one only env/keyring/file work."""
    return EmailConnector.from_config(config, resolver or SecretResolver())


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _said(code: int, text: bytes | str) -> str:
    return f"{code} {_text(text)}".strip()


def _what(exc: Exception) -> str:
    text = str(exc).upper()
    if "STARTTLS" in text:
        return "STARTTLS"
    return (current().tr("login ({what})", what="SMTP AUTH") if "AUTH" in text
            else current().tr("what Flare needs"))


def _address(address: str) -> str:
    # TRANSLATORS: what the mail server refused or deferred, after "rejected" (accusative)
    return current().ptr("smtp refused", "the address {address}", address=address)


def _rejected(where: str, what: str, code: int, text: bytes | str) -> DeliveryError:
    said = _said(code, text)
    if 400 <= code < 500:  # SMTP 4xx: try again later (greylisting, full mailbox, busy)
        return DeliveryError(current().tr(
            "the mail server {server} deferred {what} ({answer}); Flare tries again later",
            server=where, what=what, answer=said), kind="server",
            helpdesk_message=_text(text))
    return DeliveryError(current().tr(
        "the mail server {server} rejected {what} ({answer}); check {queue} and {url}. The "
        "report is kept in the outbox", server=where, what=what, answer=said,
        queue="destination.queue", url="destination.url"), kind="validation",
        helpdesk_message=_text(text))
