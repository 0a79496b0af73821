"""Action reports: what supporters did. Append-only; a review changes the state, never the row's count."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    FetchedValue,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.database import JSONType, UTCDateTime, enum_column_type, utc_today, utcnow
from campaign.extensions import db


class ActionType(enum.StrEnum):
    LETTER = "letter"
    EMAIL = "email"
    FAX = "fax"
    CALL = "call"
    TWEET = "tweet"
    OTHER = "other"


class ReportSource(enum.StrEnum):
    WEB = "web"
    API = "api"
    EVENT = "event"


class ReviewState(enum.StrEnum):
    COUNTED = "counted"
    FLAGGED = "flagged"
    REJECTED = "rejected"


_HELD = text("review_state = 'flagged'")
_WITH_SUPPORTER = text("supporter_id IS NOT NULL")


class ActionReport(db.Model):
    __tablename__ = "action_report"
    __table_args__ = (
        CheckConstraint("count > 0", name="count_positive"),
        #: Only what a query reads (migration 0011): held reports for the review queue, reports with a supporter.
        Index("ix_action_report_held_case_id", "case_id", postgresql_where=_HELD, sqlite_where=_HELD),
        Index("ix_action_report_address_fingerprint_created_at", "address_fingerprint", "created_at"),
        Index(
            "ix_action_report_supporter_id_created_at",
            "supporter_id",
            "created_at",
            postgresql_where=_WITH_SUPPORTER,
            sqlite_where=_WITH_SUPPORTER,
        ),
        Index("ix_action_report_case_id_created_at", "case_id", "created_at"),
        #: The rollup reads reports by transaction; PostgreSQL only (SQLite orders by id), as migration 0002 makes it.
        Index("ix_action_report_commit_xid", "commit_xid", "case_id").ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    action_type: Mapped[ActionType] = mapped_column(
        enum_column_type(ActionType, length=10, constraint="action_type_known")
    )
    #: Null means "all targets".
    target_id: Mapped[int | None] = mapped_column(ForeignKey("target.id"))
    count: Mapped[int] = mapped_column(Integer)
    #: ISO 3166-1 alpha-2, upper case.
    country: Mapped[str] = mapped_column(String(2))
    source: Mapped[ReportSource] = mapped_column(enum_column_type(ReportSource, length=10, constraint="source_known"))
    #: A group's code from the action page link (a school, a local branch).
    group_code: Mapped[str | None] = mapped_column(String(60))
    #: Null when the supporter gave no email.
    supporter_id: Mapped[int | None] = mapped_column(ForeignKey("supporter.id", ondelete="SET NULL"))
    #: Name as the supporter gave it; personal data, erased by retention.
    supporter_name: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(20))
    review_state: Mapped[ReviewState] = mapped_column(
        enum_column_type(ReviewState, length=10, constraint="review_state_known"), default=ReviewState.COUNTED
    )
    #: Why the report was flagged or rejected.
    review_reason: Mapped[str | None] = mapped_column(Text)
    #: HMAC of the client's address and the day (see campaign.security); never the address.
    address_fingerprint: Mapped[str | None] = mapped_column(String(32))
    #: PostgreSQL: the id of the transaction that wrote the row, so the rollup never skips a late commit.
    commit_xid: Mapped[int | None] = mapped_column(BigInteger, server_default=FetchedValue())
    #: The day the actions were taken: the report's own day, or an event's date for a tally.
    acted_on: Mapped[date] = mapped_column(Date, default=utc_today)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case = relationship("Case")
    target = relationship("Target")
    supporter = relationship("Supporter")


class IdempotencyRecord(db.Model):
    """The first answer to a request sent with an ``Idempotency-Key``, replayed for repeats."""

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("case_id", "key_digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"))
    #: SHA-256 of the client's key, so keys of any length fit and none is stored as sent.
    key_digest: Mapped[str] = mapped_column(String(64))
    #: SHA-256 of the request body, to refuse the same key reused for another report.
    request_digest: Mapped[str] = mapped_column(String(64))
    report_id: Mapped[int] = mapped_column(ForeignKey("action_report.id"))
    response_status: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[dict] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
