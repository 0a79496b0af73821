"""Snapshots of the figures as they were sent to officials, and the record of each delivery.

A snapshot is immutable: the ORM refuses any update or delete of one, so the hash printed on a
PDF in an official's hands always matches what ``/figures/verify/<sha256>`` shows.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, LargeBinary, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.database import UTCDateTime, utcnow
from campaign.extensions import db


class DeliveryChannel(enum.StrEnum):
    EMAIL = "email"
    FAX = "fax"
    POST = "post"
    IN_PERSON = "in_person"
    TWEET = "tweet"


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class JobStep(enum.StrEnum):
    WAITING = "waiting"
    READING_TOTALS = "reading_totals"
    RENDERING_PDF = "rendering_pdf"
    STORING = "storing"
    FINISHED = "finished"


class SnapshotIsImmutable(RuntimeError):
    """A snapshot was about to be changed or deleted; snapshots never change once made."""


class FiguresSnapshot(db.Model):
    __tablename__ = "figures_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    #: Null for the whole case; otherwise the figures addressed to this target.
    target_id: Mapped[int | None] = mapped_column(ForeignKey("target.id"))
    #: The language the PDF and CSV were rendered in.
    language: Mapped[str] = mapped_column(String(20))
    #: The time the totals were read.
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The figures as canonical JSON (sorted keys, no spaces, UTF-8): exactly the bytes hashed.
    canonical_json: Mapped[str] = mapped_column(Text)
    #: Hex SHA-256 of ``canonical_json``.
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    csv: Mapped[str] = mapped_column(Text)
    #: The console account that froze it.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case = relationship("Case")
    target = relationship("Target")
    deliveries: Mapped[list[DeliveryRecord]] = relationship(
        back_populates="snapshot", order_by="DeliveryRecord.delivered_at"
    )


@event.listens_for(FiguresSnapshot, "before_update")
@event.listens_for(FiguresSnapshot, "before_delete")
def _refuse_changes(mapper, connection, snapshot: FiguresSnapshot) -> None:
    raise SnapshotIsImmutable(f"figures snapshot {snapshot.sha256} cannot be changed or deleted")


class DeliveryRecord(db.Model):
    """A snapshot delivered to an official: how, to whom, when, recorded by whom."""

    __tablename__ = "delivery_record"
    __table_args__ = (
        CheckConstraint("channel IN ('email', 'fax', 'post', 'in_person', 'tweet')", name="channel_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("figures_snapshot.id"), index=True)
    channel: Mapped[str] = mapped_column(String(12))
    #: The official it went to; null when sent to the case's targets as a whole.
    target_id: Mapped[int | None] = mapped_column(ForeignKey("target.id"))
    delivered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The console account that recorded it.
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    #: Staff's note; never shown on a public page.
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    snapshot: Mapped[FiguresSnapshot] = relationship(back_populates="deliveries")
    target = relationship("Target")


class FiguresJob(db.Model):
    """One request to freeze a snapshot, with the progress its Celery task reports to the console."""

    __tablename__ = "figures_job"
    __table_args__ = (
        CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="state_known"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_in_range"),
        Index("ix_figures_job_case_id_created_at", "case_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    target_id: Mapped[int | None] = mapped_column(ForeignKey("target.id"))
    language: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(10), default=JobState.QUEUED)
    #: Percent done, 0–100.
    progress: Mapped[int] = mapped_column(Integer, default=0)
    #: What the task is doing now, as a code the console translates (see ``JobStep``).
    step: Mapped[str] = mapped_column(String(30), default="")
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("figures_snapshot.id"))
    error: Mapped[str | None] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    case = relationship("Case")
    target = relationship("Target")
    snapshot = relationship("FiguresSnapshot")
