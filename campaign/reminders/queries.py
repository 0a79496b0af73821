"""Reads about reminders for staff: the list with its counts, one reminder with its texts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Interval, and_, exists, func, literal, select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from campaign.actions.models import ActionReport
from campaign.cases.models import Case
from campaign.extensions import db
from campaign.reminders.models import DeliveryLedger, DeliveryState, Reminder, ReminderState, ReminderText
from campaign.supporters.models import Subscription, Supporter


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


# Who may be emailed ---------------------------------------------------------------------------

#: A report within this long after subscribing is the one that subscribed, not a later action.
REPORTED_SINCE_SUBSCRIBING_GRACE = timedelta(minutes=1)


def _is_later_than(later: ColumnElement, earlier: ColumnElement, margin: timedelta) -> ColumnElement:
    if db.engine.dialect.name == "postgresql":
        return later > earlier + literal(margin, Interval())
    return func.julianday(later) > func.julianday(earlier) + margin.total_seconds() / 86400


def eligibility_conditions(case_id: int, is_skipping_reporters: bool) -> list[ColumnElement]:
    """Conditions on ``Supporter`` and ``Subscription`` (joined on the case) for being emailed now."""
    conditions: list[ColumnElement] = [
        Subscription.id.is_not(None),
        Supporter.is_confirmed.is_(True),
        Supporter.is_consenting_to_contact.is_(True),
        Subscription.unsubscribed_at.is_(None),
    ]
    if is_skipping_reporters:
        conditions.append(
            ~exists().where(
                ActionReport.supporter_id == Supporter.id,
                ActionReport.case_id == case_id,
                _is_later_than(ActionReport.created_at, Subscription.subscribed_at, REPORTED_SINCE_SUBSCRIBING_GRACE),
            )
        )
    return conditions


def subscription_join(case_id: int) -> ColumnElement:
    return and_(Subscription.supporter_id == Supporter.id, Subscription.case_id == case_id)


def eligible_supporter_count(reminder: Reminder) -> int:
    """How many supporters would get this reminder if it went out now."""
    statement = (
        select(func.count())
        .select_from(Supporter)
        .join(Subscription, subscription_join(reminder.case_id))
        .where(*eligibility_conditions(reminder.case_id, reminder.is_skipping_reporters))
    )
    return db.session.scalar(statement) or 0
