"""Background work for supporters: the double opt-in email and the daily retention run."""

from __future__ import annotations

from celery import shared_task
from flask import current_app

from campaign.extensions import db
from campaign.mail import MailFailure, PermanentMailFailure, send_email
from campaign.supporters.models import Supporter
from campaign.supporters.operations import (
    confirmation_email,
    purge_expired,
    release_confirmation_slot,
    take_confirmation_slot,
)

#: Delays before retrying a confirmation that met a temporary SMTP failure.
CONFIRMATION_RETRY_SECONDS = (30, 120, 600, 1800)


@shared_task(
    name="supporters.send_confirmation", bind=True, ignore_result=True, max_retries=len(CONFIRMATION_RETRY_SECONDS)
)
def send_confirmation_email(self, supporter_id: int) -> None:
    """Send the confirmation email unless the address is confirmed or already got one today."""
    if not take_confirmation_slot(supporter_id):
        db.session.commit()
        return
    db.session.commit()
    supporter = db.session.get(Supporter, supporter_id)
    assert supporter is not None
    try:
        send_email(confirmation_email(supporter))
    except MailFailure as failure:
        release_confirmation_slot(supporter_id)
        db.session.commit()
        current_app.logger.warning("Confirmation email to supporter %s not sent: %s", supporter_id, failure.reason)
        is_eager = bool(self.app.conf.task_always_eager)
        if isinstance(failure, PermanentMailFailure) or is_eager or self.request.retries >= self.max_retries:
            return
        raise self.retry(countdown=CONFIRMATION_RETRY_SECONDS[self.request.retries]) from None


@shared_task(name="supporters.purge_expired", ignore_result=True)
def purge_expired_supporters() -> str:
    """The daily retention run: personal data past SUPPORTER_RETENTION_DAYS after its last case closed is deleted."""
    result = purge_expired()
    db.session.commit()
    return f"{result.supporters_erased} supporters erased, {result.report_names_removed} report names removed"
