"""Reminders, their text per language, and the delivery ledger that makes each send happen once."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.cases.models import TimelineEntry
from campaign.database import UTCDateTime, utcnow
from campaign.extensions import db


class ReminderKind(enum.StrEnum):
    DEADLINE = "deadline"
    UPDATE = "update"


class ReminderState(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"


class DeliveryState(enum.StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


class Reminder(db.Model):
    """One email to a case's subscribers at a set time: a deadline reminder or a case update."""

    __tablename__ = "reminder"
    __table_args__ = (
        CheckConstraint("kind IN ('deadline', 'update')", name="kind_known"),
        CheckConstraint("state IN ('pending', 'sending', 'sent', 'cancelled')", name="state_known"),
        Index("ix_reminder_state_send_at", "state", "send_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default=ReminderKind.DEADLINE)
    state: Mapped[str] = mapped_column(String(10), default=ReminderState.PENDING)
    send_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Skip supporters who reported an action on the case after subscribing.
    is_skipping_reporters: Mapped[bool] = mapped_column(default=False)
    #: "<case id>:<deadline>" for the reminder made automatically before a deadline; unique, so two scans make one.
    automatic_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    #: The deadline an automatic reminder was scheduled for; moved with the deadline while pending.
    for_deadline_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When its delivery-ledger rows were written and sending began.
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Last time batches were queued or rows claimed; a sending reminder quiet for longer is re-queued.
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: For a case-change notice: the timeline entry (extension, close, follow-up) it tells subscribers about.
    timeline_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("timeline_entry.id", ondelete="CASCADE"), unique=True
    )

    timeline_entry: Mapped[TimelineEntry | None] = relationship()
    texts: Mapped[list[ReminderText]] = relationship(
        back_populates="reminder",
        order_by=lambda: [ReminderText.language, ReminderText.version],
        cascade="all, delete-orphan",
    )

    @property
    def is_editable(self) -> bool:
        return self.state == ReminderState.PENDING

    @property
    def is_case_change_notice(self) -> bool:
        return self.timeline_entry_id is not None


class ReminderText(db.Model):
    """One version of a reminder's subject and body in one language; an edit adds a version."""

    __tablename__ = "reminder_text"
    __table_args__ = (UniqueConstraint("reminder_id", "language", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reminder_id: Mapped[int] = mapped_column(ForeignKey("reminder.id", ondelete="CASCADE"), index=True)
    #: BCP 47 code.
    language: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(default=1)
    subject: Mapped[str] = mapped_column(String(200))
    #: Plain text; paragraphs separated by a blank line.
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reminder: Mapped[Reminder] = relationship(back_populates="texts")


class DeliveryLedger(db.Model):
    """One reminder to one supporter: claimed before sending, so it is sent once."""

    __tablename__ = "delivery_ledger"
    __table_args__ = (
        UniqueConstraint("reminder_id", "supporter_id"),
        CheckConstraint(
            "state IN ('pending', 'claimed', 'sent', 'failed', 'skipped', 'cancelled')", name="state_known"
        ),
        Index("ix_delivery_ledger_reminder_id_state_next_attempt_at", "reminder_id", "state", "next_attempt_at"),
        Index("ix_delivery_ledger_state_claimed_at", "state", "claimed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reminder_id: Mapped[int] = mapped_column(ForeignKey("reminder.id", ondelete="CASCADE"))
    supporter_id: Mapped[int] = mapped_column(ForeignKey("supporter.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(10), default=DeliveryState.PENDING)
    #: Temporary failures so far.
    attempts: Mapped[int] = mapped_column(default=0)
    #: Not claimed before this time (backoff after a temporary failure).
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Random per claim: only the holder of the current claim may send the row.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The text version sent, for the record.
    reminder_text_id: Mapped[int | None] = mapped_column(ForeignKey("reminder_text.id", ondelete="SET NULL"))
    #: Why the last attempt failed, in words that hold no address.
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
