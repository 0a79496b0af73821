"""The fan-out: each confirmed, consenting subscriber gets a due reminder once, with one-click unsubscribe headers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, select, update

from campaign.actions.models import ActionReport, ReportSource
from campaign.cases.models import CaseStatus
from campaign.reminders.fanout import claim_batch, return_stale_claims, run_scan, send_batch, start_reminder
from campaign.reminders.models import DeliveryLedger, DeliveryState, Reminder, ReminderState
from campaign.reminders.operations import (
    ReminderInvalid,
    cancel_reminder,
    create_reminder,
    edit_reminder,
    send_case_update,
    set_reminder_text,
)
from campaign.reminders.queries import eligible_supporter_count, reminder_counts
from campaign.supporters.models import Supporter
from campaign.supporters.operations import unsubscribe
from tests.reminders.helpers import add_supporter, body_html, body_text, outbox_emails, send_due

STAFF = "staff@example.org"


def due_reminder(case, **overrides) -> Reminder:
    return create_reminder(case, send_at=datetime.now(UTC) - timedelta(minutes=1), actor_label=STAFF, **overrides)


def sending_to_two_supporters(db, case) -> Reminder:
    """A due reminder of ``case``, started, with a pending delivery for each of two confirmed subscribers."""
    add_supporter("aigerim@example.org", case.id)
    add_supporter("nurlan@example.org", case.id)
    reminder = due_reminder(case)
    db.session.commit()
    start_reminder(reminder.id, datetime.now(UTC))
    db.session.commit()
    return reminder


def ledger_states(db, reminder_id: int) -> dict[str, int]:
    db.session.expire_all()
    rows = db.session.execute(
        select(DeliveryLedger.state, func.count())
        .where(DeliveryLedger.reminder_id == reminder_id)
        .group_by(DeliveryLedger.state)
    )
    return dict(rows.all())


def test_due_reminder_reaches_each_confirmed_subscriber_once_with_unsubscribe_headers(db, make_case, outbox):
    case = make_case()
    add_supporter("aigerim@example.org", case.id)
    add_supporter("nurlan@example.org", case.id)
    reminder = due_reminder(case)
    db.session.commit()

    for _ in range(3):
        send_due()

    messages = outbox_emails(outbox)
    assert sorted(message["To"] for message in messages) == ["aigerim@example.org", "nurlan@example.org"]
    assert len({message["Message-ID"] for message in messages}) == 2
    for message in messages:
        unsubscribe_url = str(message["List-Unsubscribe"]).strip().strip("<>")
        assert "/unsubscribe/" in unsubscribe_url and f"case={case.slug}" in unsubscribe_url
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert f"<{case.slug}.cases." in message["List-Id"]
        assert message["Message-ID"].startswith(f"<reminder-{reminder.id}.delivery-")
        assert unsubscribe_url in body_text(message)
        assert unsubscribe_url in body_html(message)
        assert case.headline in message["Subject"]
    db.session.expire_all()
    assert db.session.get(Reminder, reminder.id).state == ReminderState.SENT
    assert ledger_states(db, reminder.id) == {DeliveryState.SENT: 2}


def test_unconfirmed_unconsenting_and_unsubscribed_supporters_get_nothing(db, make_case, outbox):
    case, other = make_case(), make_case()
    add_supporter("confirmed@example.org", case.id)
    add_supporter("unconfirmed@example.org", case.id, is_confirmed=False)
    add_supporter("unconsenting@example.org", case.id, is_consenting=False)
    add_supporter("unsubscribed@example.org", case.id, is_unsubscribed=True)
    add_supporter("elsewhere@example.org", other.id)
    due_reminder(case)
    db.session.commit()

    send_due()

    reminders = [message for message in outbox_emails(outbox) if message["List-Id"]]
    assert [message["To"] for message in reminders] == ["confirmed@example.org"]


def test_unsubscribing_stops_a_batch_that_is_already_running(db, make_case, outbox):
    case = make_case()
    leaving = add_supporter("leaving@example.org", case.id)
    add_supporter("staying@example.org", case.id)
    reminder = due_reminder(case)
    db.session.commit()
    start_reminder(reminder.id, datetime.now(UTC))
    db.session.commit()
    token, claimed = claim_batch(reminder.id, datetime.now(UTC))
    db.session.commit()
    assert len(claimed) == 2

    unsubscribe(leaving.unsubscribe_token, case_id=case.id)
    db.session.commit()
    db.session.execute(
        update(DeliveryLedger)
        .where(DeliveryLedger.claim_token == token)
        .values(state=DeliveryState.PENDING, claim_token=None)
    )
    db.session.commit()
    send_batch(reminder.id)

    assert [message["To"] for message in outbox_emails(outbox)] == ["staying@example.org"]
    assert ledger_states(db, reminder.id) == {DeliveryState.SENT: 1, DeliveryState.SKIPPED: 1}


def test_staff_can_skip_supporters_who_reported_since_subscribing(db, make_case, outbox):
    case = make_case()
    reporter = add_supporter("reporter@example.org", case.id)
    add_supporter("waiting@example.org", case.id)
    db.session.add(
        ActionReport(
            case_id=case.id,
            action_type="letter",
            count=1,
            country="KZ",
            source=ReportSource.WEB,
            supporter_id=reporter.id,
            review_state="counted",
            created_at=datetime.now(UTC) + timedelta(hours=1),
        )
    )
    db.session.commit()
    skipping = due_reminder(case, is_skipping_reporters=True)
    db.session.commit()
    assert eligible_supporter_count(skipping) == 1

    send_due()

    assert [message["To"] for message in outbox_emails(outbox)] == ["waiting@example.org"]


def test_the_report_that_subscribed_does_not_count_as_reporting_since(client, db, make_case, outbox):
    case = make_case()
    client.post(
        f"/api/v1/cases/{case.slug}/actions",
        json={"action_type": "letter", "count": 1, "country": "KZ", "email": "a@example.org", "remind_me": True},
    )
    db.session.execute(update(Supporter).values(is_confirmed=True))
    db.session.commit()

    assert eligible_supporter_count(due_reminder(case, is_skipping_reporters=True)) == 1


def test_each_supporter_gets_the_latest_text_in_their_language_or_english(db, make_case, outbox):
    case = make_case()
    add_supporter("english@example.org", case.id, language="en")
    add_supporter("chinese@example.org", case.id, language="zh")
    add_supporter("kazakh@example.org", case.id, language="kk")
    reminder = due_reminder(case, texts={"en": ("Three days left", "Please write today.")})
    set_reminder_text(
        reminder, language="en", subject="Three days left!", body="Please write today!", actor_label=STAFF
    )
    set_reminder_text(reminder, language="zh", subject="还有三天", body="请今天写信。", actor_label=STAFF)
    db.session.commit()

    send_due()

    subjects = {message["To"]: message["Subject"] for message in outbox_emails(outbox)}
    assert subjects == {
        "english@example.org": "Three days left!",
        "chinese@example.org": "还有三天",
        "kazakh@example.org": "Three days left!",
    }
    bodies = {message["To"]: body_text(message) for message in outbox_emails(outbox)}
    assert "请今天写信。" in bodies["chinese@example.org"]


def test_case_update_reaches_the_subscribers_of_a_closed_case_once(db, make_case, outbox):
    case = make_case()
    add_supporter("aigerim@example.org", case.id)
    case.status = CaseStatus.CLOSED
    case.outcome = "released"
    db.session.commit()

    update_reminder = send_case_update(
        case, texts={"en": ("He is free", "Nagyz Muhammed was released today. Thank you.")}, actor_label=STAFF
    )
    db.session.commit()
    send_due()
    send_due()

    [message] = outbox_emails(outbox)
    assert message["Subject"] == "He is free"
    assert "was released today" in body_text(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert reminder_counts([update_reminder.id])[update_reminder.id].sent == 1


def test_two_scans_start_a_reminder_once(db, make_case):
    case = make_case()
    add_supporter("aigerim@example.org", case.id)
    reminder = due_reminder(case)
    db.session.commit()
    now = datetime.now(UTC)

    assert start_reminder(reminder.id, now) == 1
    assert start_reminder(reminder.id, now) is None
    db.session.commit()

    assert ledger_states(db, reminder.id) == {DeliveryState.PENDING: 1}


def test_a_row_claimed_by_a_dead_worker_is_returned_and_sent_once(app, db, make_case, outbox):
    case = make_case()
    add_supporter("aigerim@example.org", case.id)
    reminder = due_reminder(case)
    db.session.commit()
    start_reminder(reminder.id, datetime.now(UTC))
    db.session.commit()
    _dead_token, claimed = claim_batch(reminder.id, datetime.now(UTC))
    assert len(claimed) == 1
    db.session.commit()

    later = datetime.now(UTC) + timedelta(seconds=app.config["REMINDER_CLAIM_TIMEOUT_SECONDS"] + 1)
    assert return_stale_claims(later) == 1
    db.session.commit()
    send_batch(reminder.id)

    assert len(outbox_emails(outbox)) == 1
    assert ledger_states(db, reminder.id) == {DeliveryState.SENT: 1}
    db.session.expire_all()
    assert db.session.scalar(select(DeliveryLedger.claim_token)) is None


def test_staff_cannot_edit_a_reminder_that_started_and_bad_text_stores_nothing(db, make_case):
    case = make_case()
    reminder = due_reminder(case)
    db.session.commit()

    with pytest.raises(ReminderInvalid) as refusal:
        set_reminder_text(reminder, language="english!", subject="", body="x" * 30_000, actor_label=STAFF)
    assert set(refusal.value.fields) == {"language", "subject", "body"}

    run_scan()
    db.session.commit()
    with pytest.raises(ReminderInvalid):
        edit_reminder(reminder, send_at=datetime.now(UTC), actor_label=STAFF)


def test_cancelling_a_reminder_that_is_sending_stops_its_unsent_deliveries(db, make_case, outbox):
    reminder = sending_to_two_supporters(db, make_case())

    cancel_reminder(reminder, actor_label=STAFF)
    db.session.commit()
    send_due()

    assert [m for m in outbox_emails(outbox) if m["List-Id"]] == []
    assert ledger_states(db, reminder.id) == {DeliveryState.CANCELLED: 2}


def test_smtp_refusals_are_recorded_as_permanent_or_retried_later(smtp_app, smtp_server, db, make_case):
    case = make_case()
    for address in ("ok@example.org", "gone@example.org", "busy@example.org"):
        add_supporter(address, case.id)
    smtp_server.handler.refusals = {
        "gone@example.org": "550 5.1.1 No such mailbox",
        "busy@example.org": "451 4.3.2 Try again later",
    }
    reminder = due_reminder(case)
    db.session.commit()

    send_due()

    assert smtp_server.handler.recipients() == {"ok@example.org": 1}
    db.session.expire_all()
    rows = {
        supporter_email: (state, attempts, last_error, next_attempt_at)
        for supporter_email, state, attempts, last_error, next_attempt_at in db.session.execute(
            select(
                Supporter.email,
                DeliveryLedger.state,
                DeliveryLedger.attempts,
                DeliveryLedger.last_error,
                DeliveryLedger.next_attempt_at,
            ).join(Supporter, Supporter.id == DeliveryLedger.supporter_id)
        )
    }
    assert rows["gone@example.org"][:3] == (DeliveryState.FAILED, 0, "recipient refused (550)")
    state, attempts, last_error, next_attempt_at = rows["busy@example.org"]
    assert (state, attempts, last_error) == (DeliveryState.PENDING, 1, "recipient refused (451)")
    assert next_attempt_at > datetime.now(UTC)
    assert "@" not in last_error
    counts = reminder_counts([reminder.id])[reminder.id]
    assert (counts.due, counts.sent, counts.failed, counts.pending) == (3, 1, 1, 1)

    smtp_server.handler.refusals = {}
    db.session.execute(update(DeliveryLedger).values(next_attempt_at=datetime.now(UTC)))
    db.session.execute(update(Reminder).values(last_activity_at=None))
    db.session.commit()
    send_due()

    assert smtp_server.handler.recipients() == {"ok@example.org": 1, "busy@example.org": 1}


def test_the_sweeper_leaves_the_claim_of_a_slow_but_living_batch_alone(app, db, make_case):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("claims are held by PostgreSQL advisory locks")
    case = make_case()
    add_supporter("aigerim@example.org", case.id)
    reminder = due_reminder(case)
    db.session.commit()
    start_reminder(reminder.id, datetime.now(UTC))
    db.session.commit()
    later = datetime.now(UTC) + timedelta(seconds=app.config["REMINDER_CLAIM_TIMEOUT_SECONDS"] + 1)

    with db.engine.connect() as living_batch:
        _token, claimed = claim_batch(
            reminder.id, datetime.now(UTC), living_batch.execution_options(isolation_level="AUTOCOMMIT")
        )
        assert len(claimed) == 1
        assert return_stale_claims(later) == 0
        db.session.commit()
        living_batch.invalidate()

    assert return_stale_claims(later) == 1
    db.session.commit()


def test_the_batch_marks_rows_without_waiting_for_the_disk_and_pools_no_connection_left_so(db, make_case, outbox):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("synchronous_commit is a PostgreSQL setting")
    reminder = sending_to_two_supporters(db, make_case())
    while_marking: list[str] = []
    pooled: list[str] = []

    def after_ledger_update(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.startswith("UPDATE delivery_ledger"):
            while_marking.append(cursor.connection.execute("SHOW synchronous_commit").fetchone()[0])

    def on_checkin(dbapi_connection, connection_record) -> None:
        if dbapi_connection is not None:
            pooled.append(dbapi_connection.execute("SHOW synchronous_commit").fetchone()[0])
            dbapi_connection.rollback()

    event.listen(db.engine, "after_cursor_execute", after_ledger_update)
    event.listen(db.engine.pool, "checkin", on_checkin)
    try:
        outcome = send_batch(reminder.id)
    finally:
        event.remove(db.engine, "after_cursor_execute", after_ledger_update)
        event.remove(db.engine.pool, "checkin", on_checkin)

    assert outcome.sent == 2
    assert while_marking and set(while_marking) == {"off"}
    assert pooled and set(pooled) == {"on"}
