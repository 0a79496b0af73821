"""Scheduling deadline reminders: one per active case before its deadline, moved by extensions, cancelled on close."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError

from campaign.cases.models import Case, CaseStatus
from campaign.database import utc_today, utcnow
from campaign.extensions import db
from campaign.reminders.models import (
    DeliveryLedger,
    DeliveryState,
    Reminder,
    ReminderKind,
    ReminderState,
)

#: Automatic reminders go out at this time of day (UTC), REMINDER_DAYS_BEFORE days before the deadline.
AUTOMATIC_SEND_TIME = time(9, 0, tzinfo=UTC)


def automatic_send_at(deadline: date) -> datetime:
    """When the automatic reminder for this deadline is due."""
    days_before = current_app.config["REMINDER_DAYS_BEFORE"]
    return datetime.combine(deadline - timedelta(days=days_before), AUTOMATIC_SEND_TIME)


def _automatic_key(case_id: int, deadline: date) -> str:
    return f"{case_id}:{deadline.isoformat()}"


def _pending_automatic(case_id: int) -> list[Reminder]:
    return list(
        db.session.scalars(
            select(Reminder).where(
                Reminder.case_id == case_id,
                Reminder.automatic_key.is_not(None),
                Reminder.state == ReminderState.PENDING,
            )
        )
    )


def _ensure_automatic_reminder(case: Case, deadline: date) -> Reminder | None:
    key = _automatic_key(case.id, deadline)
    existing = db.session.scalar(select(Reminder).where(Reminder.automatic_key == key))
    if existing is not None:
        return existing
    if deadline < utc_today():
        return None
    reminder = Reminder(
        case_id=case.id,
        kind=ReminderKind.DEADLINE,
        state=ReminderState.PENDING,
        send_at=max(automatic_send_at(deadline), utcnow()),
        automatic_key=key,
        for_deadline_on=deadline,
    )
    try:
        with db.session.begin_nested():
            db.session.add(reminder)
    except IntegrityError:
        return db.session.scalar(select(Reminder).where(Reminder.automatic_key == key))
    return reminder


def schedule_case_reminders(case: Case) -> Reminder | None:
    """Give an active case its reminder REMINDER_DAYS_BEFORE days before its deadline (call when published or its deadline set).

    A reminder staff cancelled for this deadline is not made again; a pending one for an older
    deadline is moved instead.
    """
    if case.status != CaseStatus.ACTIVE or case.deadline_on is None:
        return None
    pending = [r for r in _pending_automatic(case.id) if r.for_deadline_on != case.deadline_on]
    if pending:
        moved = move_pending_reminders(case, case.deadline_on)
        return moved[0] if moved else None
    return _ensure_automatic_reminder(case, case.deadline_on)


def move_pending_reminders(case: Case, new_deadline: date) -> list[Reminder]:
    """Move the case's pending automatic reminders to a new deadline (an extension); make one if none is pending."""
    now = utcnow()
    moved = []
    for reminder in _pending_automatic(case.id):
        if reminder.for_deadline_on == new_deadline:
            moved.append(reminder)
            continue
        key = _automatic_key(case.id, new_deadline)
        if db.session.scalar(select(Reminder.id).where(Reminder.automatic_key == key)) is not None:
            reminder.state = ReminderState.CANCELLED
            reminder.cancelled_at = now
            continue
        reminder.automatic_key = key
        reminder.for_deadline_on = new_deadline
        reminder.send_at = max(automatic_send_at(new_deadline), now)
        moved.append(reminder)
    db.session.flush()
    if not moved and case.status == CaseStatus.ACTIVE:
        made = _ensure_automatic_reminder(case, new_deadline)
        if made is not None and made.state == ReminderState.PENDING:
            moved.append(made)
    return moved


def cancel_case_reminders(case: Case) -> int:
    """Cancel the case's deadline reminders not yet sent (call when the case closes); updates still go out."""
    now = utcnow()
    cancelled = db.session.scalars(
        update(Reminder)
        .where(
            Reminder.case_id == case.id,
            Reminder.kind == ReminderKind.DEADLINE,
            Reminder.state.in_([ReminderState.PENDING, ReminderState.SENDING]),
        )
        .values(state=ReminderState.CANCELLED, cancelled_at=now)
        .returning(Reminder.id)
        .execution_options(synchronize_session="fetch")
    ).all()
    cancel_unsent_deliveries(list(cancelled))
    return len(cancelled)


def cancel_unsent_deliveries(reminder_ids: list[int]) -> None:
    """Rows not yet claimed are cancelled now; a claimed one is cancelled by its batch before sending."""
    if reminder_ids:
        db.session.execute(
            update(DeliveryLedger)
            .where(DeliveryLedger.reminder_id.in_(reminder_ids), DeliveryLedger.state == DeliveryState.PENDING)
            .values(state=DeliveryState.CANCELLED)
            .execution_options(synchronize_session=False)
        )


def sync_automatic_reminders() -> tuple[int, int]:
    """Make missing automatic reminders for active cases, move moved deadlines, cancel those of closed cases.

    This is what keeps reminders right even if nobody calls ``schedule_case_reminders``.
    """
    created = 0
    today = utc_today()
    active = db.session.scalars(
        select(Case).where(Case.status == CaseStatus.ACTIVE, Case.deadline_on.is_not(None), Case.deadline_on >= today)
    )
    existing_keys = set(db.session.scalars(select(Reminder.automatic_key).where(Reminder.automatic_key.is_not(None))))
    for case in active:
        assert case.deadline_on is not None
        if _automatic_key(case.id, case.deadline_on) in existing_keys:
            continue
        if schedule_case_reminders(case) is not None:
            created += 1
    cancelled = 0
    for case in db.session.scalars(
        select(Case).where(
            Case.status == CaseStatus.CLOSED,
            exists().where(
                Reminder.case_id == Case.id,
                Reminder.kind == ReminderKind.DEADLINE,
                Reminder.state.in_([ReminderState.PENDING, ReminderState.SENDING]),
            ),
        )
    ):
        cancelled += cancel_case_reminders(case)
    return created, cancelled
