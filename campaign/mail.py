"""The one mailer: Flask-Mailman over SMTP from ``MAIL_URL``, or ``.eml`` files in ``OUTBOX_PATH``.

Every email the product sends (confirmations, reminders, case updates) is built by
``build_email`` from a ``.txt`` and ``.html`` template pair and sent through ``MailSession``,
which keeps one SMTP connection open for a batch and sorts failures into temporary ones (worth
retrying) and permanent ones (recorded). No exception message it raises holds an address.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import smtplib
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import Flask, current_app, render_template
from flask_mailman import EmailMultiAlternatives, Mail
from flask_mailman.backends.base import BaseEmailBackend
from flask_mailman.message import sanitize_address

from campaign.database import utcnow

mail = Mail()

EMBEDDED_PUBLIC_URL = "http://127.0.0.1:5000"
#: An ASCII address with nothing to quote or encode: sent as it is, without re-parsing it.
PLAIN_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+$")


class MailFailure(Exception):
    """Sending failed; ``reason`` says why in words that hold no address."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class TemporaryMailFailure(MailFailure):
    """The server could not be reached or answered 4xx: try again later.

    ``is_connection_failure`` when the server itself is unreachable, so the rest of a batch waits too.
    """

    def __init__(self, reason: str, *, is_connection_failure: bool = False):
        super().__init__(reason)
        self.is_connection_failure = is_connection_failure


class PermanentMailFailure(MailFailure):
    """The server refused the message for good (5xx): do not try again."""


class OutboxBackend(BaseEmailBackend):
    """Writes each message as one ``.eml`` file into ``OUTBOX_PATH`` (the embedded default)."""

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            self.write(message.message().as_bytes(linesep="\r\n"), message.extra_headers.get("Message-ID", ""))
        return len(email_messages)

    def write(self, data: bytes, message_id: str) -> None:
        outbox = Path(current_app.config["OUTBOX_PATH"])
        outbox.mkdir(parents=True, exist_ok=True)
        key = hashlib.sha256((message_id or data.decode("utf-8", "replace")).encode()).hexdigest()[:12]
        name = f"{utcnow():%Y%m%dT%H%M%S%f}-{key}.eml"
        temporary = outbox / f".{name}.tmp"
        temporary.write_bytes(data)
        os.replace(temporary, outbox / name)


def init_app(app: Flask) -> None:
    """Configure Flask-Mailman from ``MAIL_URL`` (``smtp://[user:password@]host:port``) or the outbox."""
    mail_url = app.config.get("MAIL_URL")
    if mail_url:
        parts = urlsplit(mail_url)
        if parts.scheme not in {"smtp", "smtps", "smtp+starttls"} or not parts.hostname:
            from config import ConfigurationError

            raise ConfigurationError(
                "MAIL_URL must look like smtp://host:port (or smtps://, smtp+starttls://), "
                "because it names the server every email is sent through."
            )
        app.config.update(
            MAIL_BACKEND="smtp",
            MAIL_SERVER=parts.hostname,
            MAIL_PORT=parts.port or (465 if parts.scheme == "smtps" else 25),
            MAIL_USE_SSL=parts.scheme == "smtps",
            MAIL_USE_TLS=parts.scheme == "smtp+starttls",
            MAIL_USERNAME=unquote(parts.username) if parts.username else None,
            MAIL_PASSWORD=unquote(parts.password) if parts.password else None,
        )
    else:
        app.config["MAIL_BACKEND"] = OutboxBackend
    app.config.setdefault("MAIL_TIMEOUT", 15)
    mail.init_app(app)


def mail_domain() -> str:
    """The sender's domain: it ends every Message-ID and List-Id."""
    address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]
    return address.rpartition("@")[2] or "localhost"


def public_base_url() -> str:
    return (current_app.config.get("PUBLIC_URL") or EMBEDDED_PUBLIC_URL).rstrip("/")


def public_url(endpoint: str, **values: object) -> str:
    """An absolute link to a public page, buildable in a worker with no request."""
    base = urlsplit(public_base_url())
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


@dataclass(frozen=True)
class OutgoingEmail:
    """One email ready to send: its recipient, subject, both bodies and extra headers."""

    to: str
    subject: str
    text: str
    html: str
    headers: Mapping[str, str]
    #: Files sent with it, each (file name, content, MIME type).
    attachments: tuple[tuple[str, bytes, str], ...] = ()


def build_email(
    template: str,
    *,
    to: str,
    subject: str,
    headers: Mapping[str, str] | None = None,
    attachments: tuple[tuple[str, bytes, str], ...] = (),
    **context: object,
) -> OutgoingEmail:
    """Render ``templates/email/<template>.txt`` and ``.html`` into an email."""
    text = render_template(f"email/{template}.txt", subject=subject, **context)
    html = render_template(f"email/{template}.html", subject=subject, **context)
    return OutgoingEmail(
        to=to, subject=subject, text=text, html=html, headers=dict(headers or {}), attachments=attachments
    )


def _as_message(email: OutgoingEmail, connection: BaseEmailBackend | None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        to=[email.to],
        headers=dict(email.headers),
        connection=connection,
    )
    message.attach_alternative(email.html, "text/html")
    for name, content, mimetype in email.attachments:
        message.attach(name, content, mimetype)
    return message


def classify_failure(error: BaseException) -> MailFailure:
    """A temporary or permanent failure for what SMTP raised, described without any address."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _message in error.recipients.values()})
        reason = f"recipient refused ({', '.join(str(code) for code in codes)})"
        if codes and all(code >= 500 for code in codes):
            return PermanentMailFailure(reason)
        return TemporaryMailFailure(reason)
    if isinstance(error, smtplib.SMTPResponseException):
        reason = f"server answered {error.smtp_code}"
        if error.smtp_code >= 500:
            return PermanentMailFailure(reason)
        return TemporaryMailFailure(reason, is_connection_failure=error.smtp_code == 421)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return TemporaryMailFailure("server disconnected", is_connection_failure=True)
    if isinstance(error, socket.timeout | TimeoutError):
        return TemporaryMailFailure("server timed out", is_connection_failure=True)
    if isinstance(error, OSError):
        return TemporaryMailFailure(f"server unreachable ({type(error).__name__})", is_connection_failure=True)
    if isinstance(error, smtplib.SMTPException):
        return TemporaryMailFailure(f"SMTP error ({type(error).__name__})", is_connection_failure=True)
    return PermanentMailFailure(f"message could not be built ({type(error).__name__})")


class MailSession:
    """One connection kept open while a batch is sent; ``send`` raises a ``MailFailure``.

    After a failure the connection is dropped, so the next ``send`` opens a fresh one.
    """

    def __init__(self) -> None:
        self._connection: BaseEmailBackend | None = None

    def __enter__(self) -> MailSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _open(self) -> BaseEmailBackend:
        if self._connection is None:
            connection = mail.get_connection(fail_silently=False)
            try:
                connection.open()
            except Exception as error:
                raise classify_failure(error) from None
            self._connection = connection
        return self._connection

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                connection.close()

    def send(self, email: OutgoingEmail) -> None:
        """Send one email, or raise ``TemporaryMailFailure``/``PermanentMailFailure``."""
        connection = self._open()
        try:
            message = _as_message(email, connection)
            sent = connection.send_messages([message])
        except Exception as error:
            failure = classify_failure(error)
            if isinstance(failure, TemporaryMailFailure) or not isinstance(error, smtplib.SMTPResponseException):
                self.close()
            raise failure from None
        if sent != 1:
            self.close()
            raise TemporaryMailFailure("message not accepted")

    def send_prepared(self, prepared: PreparedEmail, to: str, values: Mapping[str, str]) -> None:
        """Send a prepared email to one recipient with its own values; raises like ``send``."""
        connection = self._open()
        data = prepared.fill(to, values)
        if data is None:
            self.send(prepared.personalised(to, values))
            return
        try:
            if isinstance(connection, OutboxBackend):
                connection.write(data, values.get("message_id", ""))
            else:
                recipient = to if PLAIN_ADDRESS.match(to) else sanitize_address(to, "utf-8")
                connection.connection.sendmail(
                    prepared.sender, [recipient], data, mail_options=connection.mailman.mail_options
                )
        except Exception as error:
            failure = classify_failure(error)
            if isinstance(failure, TemporaryMailFailure) or not isinstance(error, smtplib.SMTPResponseException):
                self.close()
            raise failure from None


class PreparedEmail:
    """An email built once by Flask-Mailman with stand-ins for the recipient and per-recipient values.

    Sending thousands of copies then costs a byte replacement each instead of building a MIME
    message each. ``fill`` gives None when the stand-ins did not survive encoding (an address or a
    body that needed encoding), and the caller builds that message the ordinary way.
    """

    RECIPIENT = "recipient-stand-in@invalid"

    def __init__(self, email: OutgoingEmail, stand_ins: Mapping[str, str]):
        self.email = email
        self.stand_ins = dict(stand_ins)
        self.sender = sanitize_address(current_app.config["MAIL_DEFAULT_SENDER"], "utf-8")
        template = OutgoingEmail(
            to=self.RECIPIENT, subject=email.subject, text=email.text, html=email.html, headers=email.headers
        )
        self.data = _as_message(template, None).message().as_bytes(linesep="\r\n")
        expected = {
            stand_in: email.text.count(stand_in)
            + email.html.count(stand_in)
            + sum(v.count(stand_in) for v in email.headers.values())
            for stand_in in self.stand_ins.values()
        }
        self.is_usable = self.data.count(self.RECIPIENT.encode()) == 1 and all(
            self.data.count(stand_in.encode()) == count for stand_in, count in expected.items()
        )

    def fill(self, to: str, values: Mapping[str, str]) -> bytes | None:
        if not self.is_usable or not to.isascii() or any(not value.isascii() for value in values.values()):
            return None
        data = self.data.replace(self.RECIPIENT.encode(), to.encode(), 1)
        for name, stand_in in self.stand_ins.items():
            data = data.replace(stand_in.encode(), values[name].encode())
        return data

    def personalised(self, to: str, values: Mapping[str, str]) -> OutgoingEmail:
        """The same email built the ordinary way for one recipient."""

        def filled(text: str) -> str:
            for name, stand_in in self.stand_ins.items():
                text = text.replace(stand_in, values[name])
            return text

        return OutgoingEmail(
            to=to,
            subject=self.email.subject,
            text=filled(self.email.text),
            html=filled(self.email.html),
            headers={name: filled(value) for name, value in self.email.headers.items()},
        )


def send_email(email: OutgoingEmail) -> None:
    """Send a single email on a connection of its own."""
    with MailSession() as session:
        session.send(email)


@dataclass(frozen=True)
class OutboxMessage:
    """An ``.eml`` file in the development outbox, for the console's list."""

    name: str
    to: str
    subject: str
    written_at: str


def outbox_messages(limit: int = 200) -> list[OutboxMessage]:
    """The newest messages in ``OUTBOX_PATH``, newest first."""
    from email import policy
    from email.parser import BytesHeaderParser

    outbox = Path(current_app.config["OUTBOX_PATH"])
    if not outbox.is_dir():
        return []
    files = sorted(outbox.glob("*.eml"), reverse=True)[:limit]
    parser = BytesHeaderParser(policy=policy.default)
    messages = []
    for path in files:
        with path.open("rb") as handle:
            headers = parser.parse(handle)
        messages.append(
            OutboxMessage(
                name=path.name,
                to=str(headers.get("To", "")),
                subject=str(headers.get("Subject", "")),
                written_at=path.name.partition("-")[0],
            )
        )
    return messages
