"""Every active case gets a reminder REMINDER_DAYS_BEFORE days before its deadline; extensions move it, closing cancels it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from campaign.cases.models import CaseStatus
from campaign.reminders.fanout import run_scan
from campaign.reminders.models import Reminder, ReminderKind, ReminderState
from campaign.reminders.operations import cancel_reminder
from campaign.reminders.scheduling import cancel_case_reminders, move_pending_reminders, schedule_case_reminders


def reminders_of(db, case_id: int) -> list[Reminder]:
    db.session.expire_all()
    return list(db.session.scalars(select(Reminder).where(Reminder.case_id == case_id).order_by(Reminder.id)))


def nine_utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def test_scan_gives_each_active_case_one_reminder_three_days_before_its_deadline(app, db, make_case):
    deadline = date.today() + timedelta(days=10)
    case = make_case(deadline_on=deadline)
    draft = make_case(status=CaseStatus.DRAFT)
    closed = make_case(status=CaseStatus.CLOSED, outcome="released")

    run_scan()
    run_scan()
    db.session.commit()

    [reminder] = reminders_of(db, case.id)
    assert reminder.kind == ReminderKind.DEADLINE
    assert reminder.state == ReminderState.PENDING
    assert reminder.send_at == nine_utc(deadline - timedelta(days=app.config["REMINDER_DAYS_BEFORE"]))
    assert reminders_of(db, draft.id) == [] and reminders_of(db, closed.id) == []


def test_publishing_with_a_near_deadline_schedules_the_reminder_at_once(db, make_case):
    case = make_case(deadline_on=date.today() + timedelta(days=1))

    reminder = schedule_case_reminders(case)
    db.session.commit()

    assert reminder is not None
    assert reminder.send_at <= datetime.now(UTC)


def test_deadline_extension_moves_the_pending_reminder(db, make_case):
    case = make_case(deadline_on=date.today() + timedelta(days=10))
    schedule_case_reminders(case)
    db.session.commit()
    new_deadline = date.today() + timedelta(days=30)

    move_pending_reminders(case, new_deadline)
    db.session.commit()

    [reminder] = reminders_of(db, case.id)
    assert reminder.for_deadline_on == new_deadline
    assert reminder.send_at == nine_utc(new_deadline - timedelta(days=3))


def test_scan_moves_the_reminder_when_the_deadline_was_changed_without_telling_it(db, make_case):
    case = make_case(deadline_on=date.today() + timedelta(days=10))
    run_scan()
    db.session.commit()
    case.deadline_on = date.today() + timedelta(days=20)
    db.session.commit()

    run_scan()
    db.session.commit()

    [reminder] = reminders_of(db, case.id)
    assert reminder.for_deadline_on == case.deadline_on


def test_closing_the_case_cancels_its_pending_reminders(db, make_case):
    case = make_case()
    schedule_case_reminders(case)
    db.session.commit()

    case.status = CaseStatus.CLOSED
    cancel_case_reminders(case)
    db.session.commit()

    assert [r.state for r in reminders_of(db, case.id)] == [ReminderState.CANCELLED]


def test_scan_cancels_reminders_of_a_case_closed_without_telling_it(db, make_case):
    case = make_case()
    run_scan()
    db.session.commit()
    case.status = CaseStatus.CLOSED
    db.session.commit()

    run_scan()
    db.session.commit()

    assert [r.state for r in reminders_of(db, case.id)] == [ReminderState.CANCELLED]


def test_a_reminder_staff_cancelled_is_not_made_again_by_the_scan(db, make_case):
    case = make_case()
    reminder = schedule_case_reminders(case)
    cancel_reminder(reminder, actor_label="staff@example.org")
    db.session.commit()

    run_scan()
    db.session.commit()

    assert [r.state for r in reminders_of(db, case.id)] == [ReminderState.CANCELLED]
