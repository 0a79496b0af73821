"""Writes to supporters and their subscriptions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from campaign.database import utcnow
from campaign.extensions import db
from campaign.supporters.models import Subscription, Supporter


def find_or_create_supporter(email: str, *, name: str | None, country: str | None, language: str | None) -> Supporter:
    """The supporter with this normalised email, created if new; a race with another request is settled by the unique email."""
    supporter = db.session.scalar(select(Supporter).where(Supporter.email == email))
    if supporter is not None:
        if name:
            supporter.name = name
        return supporter
    try:
        with db.session.begin_nested():
            supporter = Supporter(email=email, name=name, country=country, language=language)
            db.session.add(supporter)
    except IntegrityError:
        supporter = db.session.scalar(select(Supporter).where(Supporter.email == email))
        assert supporter is not None
    return supporter


def subscribe_to_case(supporter: Supporter, case_id: int) -> Subscription:
    """Record the supporter's wish to be reminded about this case (consent to contact)."""
    supporter.is_consenting_to_contact = True
    subscription = db.session.scalar(
        select(Subscription).where(Subscription.supporter_id == supporter.id, Subscription.case_id == case_id)
    )
    if subscription is None:
        subscription = Subscription(supporter_id=supporter.id, case_id=case_id)
        db.session.add(subscription)
    elif subscription.unsubscribed_at is not None:
        subscription.unsubscribed_at = None
        subscription.subscribed_at = utcnow()
    return subscription
