"""Staff writes to reminders: hand-made reminders, their texts, cancelling, and case updates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from campaign.actions.validation import LANGUAGE_TAG
from campaign.audit.operations import record_audit
from campaign.cases.models import Case, CaseStatus
from campaign.database import utcnow
from campaign.errors import Refused
from campaign.extensions import db
from campaign.reminders.models import (
    Reminder,
    ReminderKind,
    ReminderState,
    ReminderText,
)
from campaign.reminders.scheduling import cancel_unsent_deliveries

MAX_SUBJECT_LENGTH = 200
MAX_BODY_LENGTH = 20_000


class ReminderInvalid(Refused):
    """A staff change to a reminder cannot be made; ``fields`` maps each bad field to what is wrong with it."""


def _checked_text(language: str, subject: str, body: str) -> tuple[str, str, str]:
    errors: dict[str, str] = {}
    language = (language or "").strip()
    subject = " ".join((subject or "").split())
    body = (body or "").replace("\r\n", "\n").strip()
    if not LANGUAGE_TAG.match(language):
        errors["language"] = _l("Must be a language code such as en or zh.")
    if not 1 <= len(subject) <= MAX_SUBJECT_LENGTH:
        errors["subject"] = _l("Must be 1 to %(max)d characters.", max=MAX_SUBJECT_LENGTH)
    if not 1 <= len(body) <= MAX_BODY_LENGTH:
        errors["body"] = _l("Must be 1 to %(max)d characters.", max=MAX_BODY_LENGTH)
    if errors:
        raise ReminderInvalid(errors)
    return language, subject, body


def _checked_send_at(send_at: datetime) -> datetime:
    if not isinstance(send_at, datetime) or send_at.tzinfo is None:
        raise ReminderInvalid({"send_at": _l("Give a date and time.")})
    return send_at.astimezone(UTC)


def create_reminder(
    case: Case,
    *,
    send_at: datetime,
    is_skipping_reporters: bool = False,
    texts: Mapping[str, tuple[str, str]] | None = None,
    actor_label: str,
    actor_id: int | None = None,
) -> Reminder:
    """A deadline reminder staff add by hand; ``texts`` maps a language to (subject, body)."""
    if case.status == CaseStatus.CLOSED:
        raise ReminderInvalid({"case": _l("The case is closed: send an update instead.")})
    checked = [_checked_text(language, *pair) for language, pair in (texts or {}).items()]
    reminder = Reminder(
        case_id=case.id,
        kind=ReminderKind.DEADLINE,
        send_at=_checked_send_at(send_at),
        is_skipping_reporters=is_skipping_reporters,
    )
    db.session.add(reminder)
    db.session.flush()
    for language, subject, body in checked:
        _add_text_version(reminder, language, subject, body)
    _audit("reminder.created", reminder, actor_label, actor_id)
    return reminder


def edit_reminder(
    reminder: Reminder,
    *,
    send_at: datetime | None = None,
    is_skipping_reporters: bool | None = None,
    actor_label: str,
    actor_id: int | None = None,
) -> Reminder:
    """Change a pending reminder's send time or whether it skips supporters who already reported."""
    if reminder.state != ReminderState.PENDING:
        raise ReminderInvalid({"state": _l("Only a reminder that has not started sending can be changed.")})
    if send_at is not None:
        reminder.send_at = _checked_send_at(send_at)
    if is_skipping_reporters is not None:
        reminder.is_skipping_reporters = is_skipping_reporters
    _audit("reminder.edited", reminder, actor_label, actor_id)
    return reminder


def _add_text_version(reminder: Reminder, language: str, subject: str, body: str) -> ReminderText:
    latest = db.session.scalar(
        select(func.max(ReminderText.version)).where(
            ReminderText.reminder_id == reminder.id, ReminderText.language == language
        )
    )
    text = ReminderText(
        reminder_id=reminder.id, language=language, version=(latest or 0) + 1, subject=subject, body=body
    )
    db.session.add(text)
    db.session.flush()
    return text


def set_reminder_text(
    reminder: Reminder, *, language: str, subject: str, body: str, actor_label: str, actor_id: int | None = None
) -> ReminderText:
    """Add a new version of the reminder's text in one language (earlier versions are kept)."""
    if reminder.state != ReminderState.PENDING:
        raise ReminderInvalid({"state": _l("Only a reminder that has not started sending can be changed.")})
    language, subject, body = _checked_text(language, subject, body)
    text = _add_text_version(reminder, language, subject, body)
    _audit("reminder.text_set", reminder, actor_label, actor_id, language=language, version=text.version)
    return text


def cancel_reminder(reminder: Reminder, *, actor_label: str, actor_id: int | None = None) -> Reminder:
    """Stop a reminder; rows of a batch already running are not sent (checked before each send)."""
    if reminder.state not in {ReminderState.PENDING, ReminderState.SENDING}:
        raise ReminderInvalid({"state": _l("This reminder was already sent or cancelled.")})
    reminder.state = ReminderState.CANCELLED
    reminder.cancelled_at = utcnow()
    cancel_unsent_deliveries([reminder.id])
    _audit("reminder.cancelled", reminder, actor_label, actor_id)
    return reminder


def send_case_update(
    case: Case,
    *,
    texts: Mapping[str, tuple[str, str]],
    actor_label: str,
    actor_id: int | None = None,
) -> Reminder:
    """Send a case update (a follow-up, an extension, an outcome) to its subscribers through the once-only fan-out."""
    if case.status == CaseStatus.DRAFT:
        raise ReminderInvalid({"case": _l("A draft case has no subscribers.")})
    checked = [_checked_text(language, *pair) for language, pair in texts.items()]
    if not checked:
        raise ReminderInvalid({"body": _l("Write the update.")})
    reminder = Reminder(case_id=case.id, kind=ReminderKind.UPDATE, send_at=utcnow(), is_skipping_reporters=False)
    db.session.add(reminder)
    db.session.flush()
    for language, subject, body in checked:
        _add_text_version(reminder, language, subject, body)
    _audit("reminder.update_sent", reminder, actor_label, actor_id)
    return reminder


def _audit(action: str, reminder: Reminder, actor_label: str, actor_id: int | None, **details: object) -> None:
    record_audit(
        action,
        actor_label=actor_label,
        actor_id=actor_id,
        case_id=reminder.case_id,
        subject_type="reminder",
        subject_id=reminder.id,
        details={"send_at": reminder.send_at.isoformat(), "kind": reminder.kind, **details},
    )
