"""Staff pages: reminders with their counts, adding and editing them and their text, case updates, the outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from campaign.reminders.fanout import run_scan
from campaign.reminders.models import Reminder, ReminderKind, ReminderState, ReminderText
from campaign.reminders.operations import create_reminder
from tests.accounts.helpers import FreshContextClient, csrf_token, log_in, make_account
from tests.reminders.helpers import add_supporter, outbox_emails


def fresh_client(client, app) -> FreshContextClient:
    """A client whose requests each get their own app context, as the console tests use."""
    fresh = FreshContextClient(app, app.response_class, use_cookies=True)
    fresh.environ_base.update(client.environ_base)
    return fresh


@pytest.fixture
def staff_client(client, app, db):
    staff = fresh_client(client, app)
    make_account("staff@example.org", "staff")
    assert log_in(staff, "staff@example.org").status_code == 302
    return staff


def count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_staff_see_each_reminder_with_due_sent_failed_and_pending_counts(staff_client, db, make_case, outbox):
    case = make_case()
    add_supporter("aigerim@example.org", case.id)
    create_reminder(case, send_at=datetime.now(UTC) - timedelta(minutes=1), actor_label="test")
    db.session.commit()
    run_scan()
    db.session.commit()

    page = staff_client.get("/console/reminders/")

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert case.headline in text
    for heading in ("Due", "Sent", "Failed", "Pending"):
        assert f">{heading}<" in text


def test_organisers_cannot_open_the_reminder_pages(client, app, db):
    organiser = fresh_client(client, app)
    make_account("organiser@example.org", "organiser")
    log_in(organiser, "organiser@example.org")

    assert organiser.get("/console/reminders/").status_code == 403


def test_staff_add_a_reminder_with_its_text_then_edit_and_cancel_it(staff_client, db, make_case):
    case = make_case()
    token = csrf_token(staff_client, "/console/reminders/")
    send_at = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")

    added = staff_client.post(
        "/console/reminders/new",
        data={
            "csrf_token": token,
            "case_id": case.id,
            "send_at": send_at,
            "is_skipping_reporters": "y",
            "language": "en",
            "subject": "Two days left",
            "body": "Please write today.",
        },
    )

    assert added.status_code == 303
    reminder = db.session.scalar(select(Reminder).where(Reminder.automatic_key.is_(None)))
    assert reminder.is_skipping_reporters is True
    detail = f"/console/reminders/{reminder.id}"
    assert "Two days left" in staff_client.get(detail).get_data(as_text=True)

    staff_client.post(
        f"{detail}/text",
        data={"csrf_token": token, "language": "zh", "subject": "还有两天", "body": "请今天写信。"},
    )
    staff_client.post(f"{detail}/edit", data={"csrf_token": token, "send_at": send_at})
    staff_client.post(f"{detail}/cancel", data={"csrf_token": token})

    db.session.expire_all()
    reminder = db.session.get(Reminder, reminder.id)
    assert reminder.is_skipping_reporters is False
    assert reminder.state == ReminderState.CANCELLED
    assert count(db, ReminderText) == 2


def test_bad_reminder_input_is_refused_and_stores_nothing(staff_client, db, make_case):
    case = make_case()
    token = csrf_token(staff_client, "/console/reminders/")

    for data in (
        {"case_id": case.id, "send_at": "not a date", "language": "en"},
        {"case_id": case.id, "send_at": "2030-01-01T09:00", "language": "<script>"},
        {"case_id": 999_999, "send_at": "2030-01-01T09:00", "language": "en"},
        {"case_id": "x", "send_at": "2030-01-01T09:00", "language": "en", "subject": "s" * 500},
    ):
        answer = staff_client.post("/console/reminders/new", data={"csrf_token": token, **data})
        assert answer.status_code in {400, 404}
    assert count(db, Reminder) == 0


def test_staff_send_a_case_update_to_subscribers_at_once(staff_client, db, make_case, outbox):
    case = make_case()
    add_supporter("aigerim@example.org", case.id)
    token = csrf_token(staff_client, "/console/reminders/update")

    answer = staff_client.post(
        "/console/reminders/update",
        data={
            "csrf_token": token,
            "case_id": case.id,
            "language": "en",
            "subject": "Deadline extended",
            "body": "The deadline is now a month later.",
        },
    )

    assert answer.status_code == 303
    assert db.session.scalar(select(func.count()).where(Reminder.kind == ReminderKind.UPDATE)) == 1
    [message] = [m for m in outbox_emails(outbox) if m["List-Id"]]
    assert message["Subject"] == "Deadline extended"


def test_the_development_outbox_lists_written_emails(staff_client, db, make_case, outbox):
    case = make_case()
    staff_client.post(
        f"/api/v1/cases/{case.slug}/actions",
        json={"action_type": "letter", "count": 1, "country": "KZ", "email": "a@example.org", "remind_me": True},
    )
    assert len(outbox_emails(outbox)) == 1

    page = staff_client.get("/console/reminders/outbox")

    assert page.status_code == 200
    assert "a@example.org" in page.get_data(as_text=True)
