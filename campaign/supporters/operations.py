"""Writes to supporters and their subscriptions: subscribe, double opt-in, unsubscribe, erasure and retention."""

from __future__ import annotations

import email
import email.policy
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import getaddresses
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, event, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from campaign.actions.models import ActionReport
from campaign.audit.operations import record_audit
from campaign.cases.models import Case, CaseStatus
from campaign.cases.translations import localised_case
from campaign.database import utcnow
from campaign.extensions import db
from campaign.mail import OutgoingEmail, build_email, public_url
from campaign.reminders.models import DeliveryLedger
from campaign.supporters.models import Subscription, Supporter
from campaign.supporters.queries import supporters_past_retention

#: A confirmation link works this long.
CONFIRMATION_MAX_AGE = timedelta(hours=48)
#: At most one confirmation email goes to an address in this time.
CONFIRMATION_INTERVAL = timedelta(days=1)
#: Supporters whose confirmation email is owed, sent once the report's transaction commits.
PENDING_CONFIRMATIONS = "supporters_to_confirm"
#: Keeps confirmation tokens from being valid as any other signed value.
CONFIRMATION_SALT = "supporter-confirmation-v1"


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
    """Record the supporter's wish to be reminded about this case; an unconfirmed address is sent a confirmation after commit."""
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
    if not supporter.is_confirmed:
        db.session.info.setdefault(PENDING_CONFIRMATIONS, set()).add(supporter.id)
    return subscription


def _queue_pending_confirmations(session: Session) -> None:
    """After the commit that stored a subscription, queue its confirmation email (never failing the commit)."""
    supporter_ids = session.info.pop(PENDING_CONFIRMATIONS, None)
    if not supporter_ids:
        return
    from campaign.reminders.tasks import CONFIRMATION_TASK
    from campaign.tasks import app_task

    for supporter_id in sorted(supporter_ids):
        try:
            app_task(CONFIRMATION_TASK).delay(supporter_id)
        except Exception:
            current_app.logger.warning(
                "Could not queue a confirmation email (supporter %s); the reminder scan sends it.",
                supporter_id,
                exc_info=True,
            )


def _forget_pending_confirmations(session: Session, *args: object) -> None:
    session.info.pop(PENDING_CONFIRMATIONS, None)


if not event.contains(db.session, "after_commit", _queue_pending_confirmations):
    event.listen(db.session, "after_commit", _queue_pending_confirmations)
    event.listen(db.session, "after_soft_rollback", _forget_pending_confirmations)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CONFIRMATION_SALT)


def _email_fingerprint(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()[:16]


def confirmation_token(supporter: Supporter) -> str:
    """A signed token naming the supporter and their address; it expires after 48 hours."""
    return _serializer().dumps({"s": supporter.id, "e": _email_fingerprint(supporter.email)})


class ConfirmationLinkInvalid(ValueError):
    """The confirmation link was altered, belongs to no supporter, or has expired (``is_expired``)."""

    def __init__(self, *, is_expired: bool = False):
        super().__init__("expired" if is_expired else "invalid")
        self.is_expired = is_expired


def supporter_for_confirmation(token: str) -> Supporter:
    """The supporter a confirmation token names, or ``ConfirmationLinkInvalid``."""
    try:
        payload = _serializer().loads(token, max_age=int(CONFIRMATION_MAX_AGE.total_seconds()))
    except SignatureExpired:
        raise ConfirmationLinkInvalid(is_expired=True) from None
    except BadSignature:
        raise ConfirmationLinkInvalid() from None
    if not isinstance(payload, dict) or not isinstance(payload.get("s"), int):
        raise ConfirmationLinkInvalid()
    supporter = db.session.get(Supporter, payload["s"])
    if supporter is None or _email_fingerprint(supporter.email) != payload.get("e"):
        raise ConfirmationLinkInvalid()
    return supporter


def confirm_supporter(token: str) -> Supporter:
    """Confirm the address a token names (double opt-in); confirming twice changes nothing."""
    supporter = supporter_for_confirmation(token)
    if not supporter.is_confirmed:
        supporter.is_confirmed = True
        supporter.confirmed_at = utcnow()
    return supporter


def take_confirmation_slot(supporter_id: int) -> bool:
    """Reserve today's one confirmation email for an unconfirmed supporter; False when one went out within a day.

    One conditional UPDATE decides, so two workers or two requests cannot both send.
    """
    now = utcnow()
    result = db.session.execute(
        update(Supporter)
        .where(
            Supporter.id == supporter_id,
            Supporter.is_confirmed.is_(False),
            or_(
                Supporter.confirmation_sent_at.is_(None), Supporter.confirmation_sent_at <= now - CONFIRMATION_INTERVAL
            ),
        )
        .values(confirmation_sent_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def release_confirmation_slot(supporter_id: int) -> None:
    """Give back the slot taken for an email that could not be sent, so a retry may send it."""
    db.session.execute(
        update(Supporter)
        .where(Supporter.id == supporter_id, Supporter.is_confirmed.is_(False))
        .values(confirmation_sent_at=None)
        .execution_options(synchronize_session=False)
    )


class UnsubscribeLinkInvalid(ValueError):
    """No supporter has this unsubscribe token."""


def unsubscribe(token: str, *, case_id: int | None) -> Supporter:
    """Stop emails at once: about one case, or (``case_id`` None) about every case, withdrawing consent."""
    supporter = db.session.scalar(select(Supporter).where(Supporter.unsubscribe_token == token))
    if supporter is None:
        raise UnsubscribeLinkInvalid(token)
    now = utcnow()
    conditions = [Subscription.supporter_id == supporter.id, Subscription.unsubscribed_at.is_(None)]
    if case_id is not None:
        conditions.append(Subscription.case_id == case_id)
    else:
        supporter.is_consenting_to_contact = False
        supporter.is_confirmed = False
    db.session.execute(
        update(Subscription).where(*conditions).values(unsubscribed_at=now).execution_options(synchronize_session=False)
    )
    return supporter


def confirmation_email(supporter: Supporter) -> OutgoingEmail:
    """The double opt-in email: the cases asked about and the signed link that confirms."""
    cases = list(
        db.session.scalars(
            select(Case)
            .join(Subscription, Subscription.case_id == Case.id)
            .where(Subscription.supporter_id == supporter.id, Subscription.unsubscribed_at.is_(None))
            .order_by(Subscription.subscribed_at)
        )
    )
    languages = current_app.config["LANGUAGES"]
    locale = supporter.language if supporter.language in languages else current_app.config["BABEL_DEFAULT_LOCALE"]
    headlines = [localised_case(case, locale).headline for case in cases]
    with force_locale(locale):
        return build_email(
            "confirmation",
            to=supporter.email,
            subject=_("Please confirm that you want reminders"),
            headlines=headlines,
            confirm_url=public_url("supporters.confirm", token=confirmation_token(supporter)),
            valid_hours=int(CONFIRMATION_MAX_AGE.total_seconds() // 3600),
        )


# Data requests and retention ------------------------------------------------------------------


@dataclass(frozen=True)
class Erasure:
    """What erasing one supporter removed; the counts hold no personal data."""

    reports_anonymised: int
    subscriptions_removed: int
    deliveries_removed: int


def _erase(supporter_id: int) -> Erasure:
    """Remove a supporter's row, subscriptions, delivery records and the name on their reports; reports and counts stay."""
    reports = db.session.execute(
        update(ActionReport)
        .where(ActionReport.supporter_id == supporter_id)
        .values(supporter_id=None, supporter_name=None)
        .execution_options(synchronize_session=False)
    )
    subscriptions = db.session.execute(delete(Subscription).where(Subscription.supporter_id == supporter_id))
    deliveries = db.session.execute(delete(DeliveryLedger).where(DeliveryLedger.supporter_id == supporter_id))
    db.session.execute(delete(Supporter).where(Supporter.id == supporter_id))
    db.session.expire_all()
    return Erasure(reports.rowcount, subscriptions.rowcount, deliveries.rowcount)


def erase_supporter(supporter: Supporter, *, actor_label: str, actor_id: int | None = None) -> Erasure:
    """Erase one supporter on request, keeping every count; the audit entry names the row, never the address."""
    supporter_id = supporter.id
    erasure = _erase(supporter_id)
    record_audit(
        "supporter.erased",
        actor_label=actor_label,
        actor_id=actor_id,
        subject_type="supporter",
        subject_id=supporter_id,
        details={
            "reports_anonymised": erasure.reports_anonymised,
            "subscriptions_removed": erasure.subscriptions_removed,
        },
    )
    return erasure


def record_export(supporter: Supporter, *, actor_label: str, actor_id: int | None = None) -> None:
    """Audit an export of a supporter's data (by row id: the entry keeps no address)."""
    record_audit(
        "supporter.exported",
        actor_label=actor_label,
        actor_id=actor_id,
        subject_type="supporter",
        subject_id=supporter.id,
    )


@dataclass(frozen=True)
class Purge:
    """What one run of the retention rule deleted."""

    supporters_erased: int
    report_names_removed: int


def purge_expired(now: datetime | None = None, *, actor_label: str = "system") -> Purge:
    """The retention rule (SPEC §5): personal data goes SUPPORTER_RETENTION_DAYS after the last linked case closes.

    Supporters all of whose cases closed that long ago are erased, and the names typed on reports
    of such cases (with or without an email) are removed. Counts and totals stay as they are.
    """
    now = now or utcnow()
    days = current_app.config["SUPPORTER_RETENTION_DAYS"]
    supporter_ids = supporters_past_retention(now, days)
    for supporter_id in supporter_ids:
        _erase(supporter_id)
    expired_cases = select(Case.id).where(
        Case.status == CaseStatus.CLOSED, Case.closed_at <= now - timedelta(days=days)
    )
    names = db.session.execute(
        update(ActionReport)
        .where(ActionReport.supporter_name.is_not(None), ActionReport.case_id.in_(expired_cases))
        .values(supporter_name=None)
        .execution_options(synchronize_session=False)
    )
    purge = Purge(len(supporter_ids), names.rowcount)
    if purge.supporters_erased or purge.report_names_removed:
        record_audit(
            "supporters.purged",
            actor_label=actor_label,
            details={"supporters_erased": purge.supporters_erased, "report_names_removed": purge.report_names_removed},
        )
    return purge


def forget_outbox_copies(address: str) -> int:
    """Delete the embedded default's ``.eml`` files sent to this address (call after the erasure commits)."""
    if current_app.config.get("MAIL_URL"):
        return 0
    outbox = Path(current_app.config["OUTBOX_PATH"])
    removed = 0
    for path in outbox.glob("*.eml") if outbox.is_dir() else []:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        recipients = {parsed.lower() for _name, parsed in getaddresses(message.get_all("To", []))}
        if address.lower() in recipients:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
