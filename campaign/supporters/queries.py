"""Reads about supporters and subscriptions."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import exists, select

from campaign.database import utcnow
from campaign.extensions import db
from campaign.supporters.models import Subscription, Supporter

#: A confirmation never queued (Redis was down at the time) is still sent if the address is this new.
UNSENT_CONFIRMATION_WINDOW = timedelta(days=2)


def supporter_by_unsubscribe_token(token: str) -> Supporter | None:
    return db.session.scalar(select(Supporter).where(Supporter.unsubscribe_token == token))


def active_subscription(supporter_id: int, case_id: int) -> Subscription | None:
    return db.session.scalar(
        select(Subscription).where(
            Subscription.supporter_id == supporter_id,
            Subscription.case_id == case_id,
            Subscription.unsubscribed_at.is_(None),
        )
    )


def supporters_owed_a_confirmation(limit: int = 1000) -> list[int]:
    """Unconfirmed, subscribed supporters who were never sent a confirmation (its queueing was lost)."""
    has_subscription = exists().where(Subscription.supporter_id == Supporter.id, Subscription.unsubscribed_at.is_(None))
    statement = (
        select(Supporter.id)
        .where(
            Supporter.is_confirmed.is_(False),
            Supporter.is_consenting_to_contact.is_(True),
            Supporter.confirmation_sent_at.is_(None),
            Supporter.created_at >= utcnow() - UNSENT_CONFIRMATION_WINDOW,
            has_subscription,
        )
        .order_by(Supporter.id)
        .limit(limit)
    )
    return list(db.session.scalars(statement))
