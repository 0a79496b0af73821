"""Reads about reminders for staff: the list with its counts, one reminder with its texts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from campaign.cases.models import Case
from campaign.extensions import db
from campaign.reminders.models import DeliveryLedger, DeliveryState, Reminder, ReminderState, ReminderText


@dataclass(frozen=True)
class ReminderCounts:
    """Deliveries of one reminder: ``due`` is everyone it goes to (before it starts: who would get it now)."""

    due: int = 0
    sent: int = 0
    failed: int = 0
    pending: int = 0
    skipped: int = 0


def reminder_counts(reminder_ids: Iterable[int]) -> dict[int, ReminderCounts]:
    """Due, sent, failed and pending deliveries per reminder, from the ledger."""
    ids = list(reminder_ids)
    counts: dict[int, dict[str, int]] = {reminder_id: {} for reminder_id in ids}
    if ids:
        rows = db.session.execute(
            select(DeliveryLedger.reminder_id, DeliveryLedger.state, func.count())
            .where(DeliveryLedger.reminder_id.in_(ids))
            .group_by(DeliveryLedger.reminder_id, DeliveryLedger.state)
        )
        for reminder_id, state, number in rows:
            counts[reminder_id][state] = number
    result = {}
    for reminder_id, by_state in counts.items():
        pending = by_state.get(DeliveryState.PENDING, 0) + by_state.get(DeliveryState.CLAIMED, 0)
        result[reminder_id] = ReminderCounts(
            due=sum(by_state.values()),
            sent=by_state.get(DeliveryState.SENT, 0),
            failed=by_state.get(DeliveryState.FAILED, 0),
            pending=pending,
            skipped=by_state.get(DeliveryState.SKIPPED, 0) + by_state.get(DeliveryState.CANCELLED, 0),
        )
    return result


@dataclass(frozen=True)
class ReminderRow:
    """A reminder as the staff list shows it."""

    reminder: Reminder
    case: Case
    counts: ReminderCounts


def reminders_for_staff(*, case_id: int | None = None, limit: int = 200) -> list[ReminderRow]:
    """Reminders, soonest first, with their case and delivery counts; not-yet-started ones count who would get them."""
    from campaign.reminders.operations import eligible_supporter_count

    statement = select(Reminder, Case).join(Case, Case.id == Reminder.case_id).order_by(Reminder.send_at.desc())
    if case_id is not None:
        statement = statement.where(Reminder.case_id == case_id)
    rows = db.session.execute(statement.limit(limit)).all()
    counts = reminder_counts(reminder.id for reminder, _case in rows)
    result = []
    for reminder, case in rows:
        reminder_count = counts[reminder.id]
        if reminder.state == ReminderState.PENDING:
            reminder_count = ReminderCounts(due=eligible_supporter_count(reminder))
        result.append(ReminderRow(reminder=reminder, case=case, counts=reminder_count))
    return result


def reminder_with_texts(reminder_id: int) -> Reminder | None:
    return db.session.scalar(select(Reminder).where(Reminder.id == reminder_id).options(selectinload(Reminder.texts)))


def latest_texts(reminder: Reminder) -> dict[str, ReminderText]:
    """The newest version of the reminder's text in each language."""
    latest: dict[str, ReminderText] = {}
    for text in reminder.texts:
        if text.language not in latest or text.version > latest[text.language].version:
            latest[text.language] = text
    return latest
