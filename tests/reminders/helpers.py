"""Helpers shared by the reminder and supporter tests: the outbox, a real SMTP server, supporters in bulk."""

from __future__ import annotations

import email
import socket
import threading
from collections import Counter
from email import policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import insert

from campaign.database import utcnow
from campaign.extensions import db
from campaign.reminders.tasks import SCAN_TASK
from campaign.supporters.models import Subscription, Supporter, new_unsubscribe_token
from campaign.tasks import app_task


def send_due() -> str:
    """Run the scan the beat runs (and ``reminders send-due``), on the current Flask app's Celery app."""
    return app_task(SCAN_TASK)()


def outbox_emails(outbox: Path) -> list[EmailMessage]:
    """Every ``.eml`` in the outbox, oldest first."""
    if not outbox.is_dir():
        return []
    return [
        email.message_from_bytes(path.read_bytes(), policy=policy.default)  # type: ignore[misc]
        for path in sorted(outbox.glob("*.eml"))
    ]


def body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def body_html(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return part.get_content()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingHandler:
    """An aiosmtpd handler that keeps every accepted message; ``refusals`` maps an address to a reply."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.refusals: dict[str, str] = {}
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.refusals.get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def snapshot(self) -> list[tuple[list[str], EmailMessage]]:
        with self.lock:
            return list(self.messages)

    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def recipients(self) -> Counter[str]:
        return Counter(address for recipients, _message in self.snapshot() for address in recipients)

    def message_ids(self) -> Counter[str]:
        return Counter(str(message["Message-ID"]) for _recipients, message in self.snapshot())


class SmtpServer:
    """A real SMTP server on 127.0.0.1 that a test starts, stops and starts again on the same port."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.handler = RecordingHandler()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def add_supporter(
    email_address: str,
    case_id: int | None,
    *,
    is_confirmed: bool = True,
    is_consenting: bool = True,
    language: str | None = None,
    is_unsubscribed: bool = False,
) -> Supporter:
    """A supporter (and a subscription to the case), committed."""
    supporter = Supporter(
        email=email_address,
        is_confirmed=is_confirmed,
        confirmed_at=utcnow() if is_confirmed else None,
        is_consenting_to_contact=is_consenting,
        language=language,
    )
    db.session.add(supporter)
    db.session.flush()
    if case_id is not None:
        db.session.add(
            Subscription(
                supporter_id=supporter.id,
                case_id=case_id,
                unsubscribed_at=utcnow() if is_unsubscribed else None,
            )
        )
    db.session.commit()
    return supporter


def add_confirmed_subscribers(case_id: int, count: int, prefix: str = "supporter") -> list[str]:
    """``count`` confirmed, consenting subscribers of the case, inserted in bulk; their addresses."""
    now = utcnow()
    addresses = [f"{prefix}{number}@example.org" for number in range(count)]
    ids = db.session.scalars(
        insert(Supporter).returning(Supporter.id),
        [
            {
                "email": address,
                "is_confirmed": True,
                "confirmed_at": now,
                "is_consenting_to_contact": True,
                "unsubscribe_token": new_unsubscribe_token(),
                "created_at": now,
            }
            for address in addresses
        ],
    ).all()
    db.session.execute(
        insert(Subscription),
        [{"supporter_id": supporter_id, "case_id": case_id, "subscribed_at": now} for supporter_id in ids],
    )
    db.session.commit()
    return addresses
