"""Supporters: the only personal data the product keeps, seen only by staff and admins."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.database import UTCDateTime, utcnow
from campaign.extensions import db


def new_unsubscribe_token() -> str:
    return secrets.token_urlsafe(32)


class Supporter(db.Model):
    __tablename__ = "supporter"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Normalised by email-validator; unique.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    #: ISO 3166-1 alpha-2.
    country: Mapped[str | None] = mapped_column(String(2))
    #: BCP 47 code of the language the supporter reads.
    language: Mapped[str | None] = mapped_column(String(20))
    is_consenting_to_contact: Mapped[bool] = mapped_column(default=False)
    is_confirmed: Mapped[bool] = mapped_column(default=False)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the last confirmation email was sent; at most one a day goes to an address.
    confirmation_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unsubscribe_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_unsubscribe_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    subscriptions: Mapped[list[Subscription]] = relationship(back_populates="supporter")


class Subscription(db.Model):
    """A supporter's wish to be reminded before one case's deadline."""

    __tablename__ = "subscription"
    __table_args__ = (UniqueConstraint("supporter_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supporter_id: Mapped[int] = mapped_column(ForeignKey("supporter.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    subscribed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    supporter: Mapped[Supporter] = relationship(back_populates="subscriptions")
