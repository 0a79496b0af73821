"""Reads about supporters and subscriptions, and what a data request or the retention rule needs."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import case as sql_case
from sqlalchemy import exists, func, select, union

from campaign.actions.models import ActionReport
from campaign.cases.models import Case, CaseStatus
from campaign.database import utcnow
from campaign.extensions import db
from campaign.reminders.models import DeliveryLedger, Reminder
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


def normalised_email(address: str) -> str:
    """An address as supporters' emails are stored (email-validator's form, lower case); as typed if it is not one."""
    address = (address or "").strip()
    try:
        return validate_email(address, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return address.lower()


def supporter_by_email(address: str) -> Supporter | None:
    """The supporter with this address, however it was typed."""
    if not address or len(address) > 320 or not address.isprintable():
        return None
    return db.session.scalar(select(Supporter).where(Supporter.email == normalised_email(address)))


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def supporter_export(supporter: Supporter) -> dict:
    """Everything held about one supporter (a data request): who they are, consents, subscriptions, reports, emails."""
    subscriptions = db.session.execute(
        select(Subscription, Case.slug, Case.headline)
        .join(Case, Case.id == Subscription.case_id)
        .where(Subscription.supporter_id == supporter.id)
        .order_by(Subscription.subscribed_at, Subscription.id)
    ).all()
    reports = db.session.execute(
        select(ActionReport, Case.slug)
        .join(Case, Case.id == ActionReport.case_id)
        .where(ActionReport.supporter_id == supporter.id)
        .order_by(ActionReport.created_at, ActionReport.id)
    ).all()
    emails = db.session.execute(
        select(DeliveryLedger, Reminder.kind, Case.slug)
        .join(Reminder, Reminder.id == DeliveryLedger.reminder_id)
        .join(Case, Case.id == Reminder.case_id)
        .where(DeliveryLedger.supporter_id == supporter.id)
        .order_by(DeliveryLedger.created_at, DeliveryLedger.id)
    ).all()
    return {
        "supporter": {
            "id": supporter.id,
            "email": supporter.email,
            "name": supporter.name,
            "country": supporter.country,
            "language": supporter.language,
            "created_at": _iso(supporter.created_at),
        },
        "consents": [
            {
                "purpose": "contact",
                "is_given": supporter.is_consenting_to_contact,
                "is_confirmed": supporter.is_confirmed,
                "confirmed_at": _iso(supporter.confirmed_at),
                "confirmation_sent_at": _iso(supporter.confirmation_sent_at),
            },
            *(
                {
                    "purpose": "reminders",
                    "case": slug,
                    "given_at": _iso(subscription.subscribed_at),
                    "withdrawn_at": _iso(subscription.unsubscribed_at),
                }
                for subscription, slug, _headline in subscriptions
            ),
        ],
        "subscriptions": [
            {
                "case": slug,
                "headline": headline,
                "subscribed_at": _iso(subscription.subscribed_at),
                "unsubscribed_at": _iso(subscription.unsubscribed_at),
            }
            for subscription, slug, headline in subscriptions
        ],
        "reports": [
            {
                "id": report.id,
                "case": slug,
                "action_type": report.action_type,
                "count": report.count,
                "country": report.country,
                "target_id": report.target_id,
                "name": report.supporter_name,
                "language": report.language,
                "source": report.source,
                "review_state": report.review_state,
                "acted_on": _iso(report.acted_on),
                "created_at": _iso(report.created_at),
            }
            for report, slug in reports
        ],
        "emails": [
            {"case": slug, "kind": kind, "state": row.state, "sent_at": _iso(row.sent_at)} for row, kind, slug in emails
        ],
        "exported_at": _iso(utcnow()),
    }


def supporters_past_retention(now: datetime, retention_days: int) -> list[int]:
    """Supporters every case of whom (subscribed to or reported on) closed more than ``retention_days`` ago."""
    links = union(
        select(Subscription.supporter_id.label("supporter_id"), Subscription.case_id.label("case_id")),
        select(ActionReport.supporter_id, ActionReport.case_id).where(ActionReport.supporter_id.is_not(None)),
    ).subquery("links")
    still_open = func.sum(sql_case((Case.status != CaseStatus.CLOSED, 1), else_=0))
    statement = (
        select(links.c.supporter_id)
        .join(Case, Case.id == links.c.case_id)
        .group_by(links.c.supporter_id)
        .having(still_open == 0, func.max(Case.closed_at) <= now - timedelta(days=retention_days))
        .order_by(links.c.supporter_id)
    )
    return list(db.session.scalars(statement))
