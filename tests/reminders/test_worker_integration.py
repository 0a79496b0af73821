"""The whole path on real components: aiosmtpd on loopback, a Celery worker process, Redis db 14, PostgreSQL.

Report with remind-me → confirmation email → confirm → the reminder is due → one email per
confirmed supporter; then a batch of 2,000 survives three SIGKILLs of the worker, a flush of
its Redis db, and its SMTP server going away for a while.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import redis
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.reminders.models import DeliveryLedger, DeliveryState, Reminder, ReminderState
from campaign.reminders.operations import create_reminder, edit_reminder
from campaign.reminders.scheduling import schedule_case_reminders
from campaign.supporters.models import Supporter
from tests.reminders.conftest import send_due_command, wait_until
from tests.reminders.helpers import add_confirmed_subscribers, body_html, body_text, send_due

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

STAFF = "staff@example.org"
CONFIRM_PATH = re.compile(r"/confirm/[A-Za-z0-9_.\-]+")


def reminder_messages(smtp_server, reminder_id: int) -> list:
    prefix = f"<reminder-{reminder_id}."
    return [
        (recipients, message)
        for recipients, message in smtp_server.handler.snapshot()
        if str(message["Message-ID"]).startswith(prefix)
    ]


def ledger_states(reminder_id: int) -> dict[str, int]:
    db.session.rollback()
    rows = db.session.execute(
        select(DeliveryLedger.state, func.count())
        .where(DeliveryLedger.reminder_id == reminder_id)
        .group_by(DeliveryLedger.state)
    )
    return dict(rows.all())


def stack_state(worker, reminder_id: int) -> str:
    """What the broker, the ledger and the worker's log say, for a failure message."""
    broker = redis.Redis.from_url(worker.env["REDIS_URL"])
    queued, unacked = broker.llen("celery"), broker.hlen("unacked")
    broker.close()
    return (
        f"queue {queued}, unacked {unacked}, ledger {ledger_states(reminder_id)}\n"
        f"worker log (end):\n{worker.log()[-3000:]}"
    )


def drive_until_done(reminder_id: int, expected: int, smtp_server, *, timeout: float, worker=None) -> None:
    """Run the scan (as beat would, every second here) until every delivery is sent and has arrived."""

    def done() -> bool:
        send_due()
        arrived = {address for recipients, _m in reminder_messages(smtp_server, reminder_id) for address in recipients}
        return ledger_states(reminder_id) == {DeliveryState.SENT: expected} and len(arrived) == expected

    wait_until(
        done,
        timeout=timeout,
        interval=1.0,
        what=f"reminder {reminder_id} to reach {expected} supporters",
        explain=(lambda: stack_state(worker, reminder_id)) if worker else None,
    )


def due_reminder_for(case, **values) -> Reminder:
    reminder = create_reminder(case, send_at=datetime.now(UTC) - timedelta(seconds=1), actor_label=STAFF, **values)
    db.session.commit()
    return reminder


def duplicates_of(smtp_server, reminder_id: int) -> Counter[str]:
    received = Counter(
        address for recipients, _message in reminder_messages(smtp_server, reminder_id) for address in recipients
    )
    return Counter({address: count - 1 for address, count in received.items() if count > 1})


def test_report_confirm_and_three_send_due_runs_give_one_email_per_confirmed_supporter(
    stack_app, stack_env, worker, smtp_server, make_case
):
    case = make_case()
    client = stack_app.test_client()
    for address in ("aigerim@example.org", "nurlan@example.org", "silent@example.org", "leaving@example.org"):
        answer = client.post(
            f"/api/v1/cases/{case.slug}/actions",
            json={"action_type": "letter", "count": 1, "country": "KZ", "email": address, "remind_me": True},
        )
        assert answer.status_code == 201

    wait_until(lambda: smtp_server.handler.count() == 4, timeout=30, what="four confirmation emails")
    confirmations = {recipients[0]: message for recipients, message in smtp_server.handler.snapshot()}
    for address in ("aigerim@example.org", "nurlan@example.org", "leaving@example.org"):
        path = CONFIRM_PATH.search(body_text(confirmations[address])).group(0)
        assert client.post(path).status_code == 200
    leaving_token = db.session.scalar(
        select(Supporter.unsubscribe_token).where(Supporter.email == "leaving@example.org")
    )
    one_click = client.post(f"/unsubscribe/{leaving_token}?case={case.slug}", data={"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200 and "Set-Cookie" not in one_click.headers

    reminder = schedule_case_reminders(case)
    edit_reminder(reminder, send_at=datetime.now(UTC) - timedelta(seconds=1), actor_label=STAFF)
    db.session.commit()

    outputs = [send_due_command(stack_env) for _run in range(3)]
    print("send-due said:", *outputs, sep="\n  ")
    wait_until(
        lambda: ledger_states(reminder.id) == {DeliveryState.SENT: 2},
        timeout=60,
        what="the reminder to be sent",
        explain=lambda: stack_state(worker, reminder.id),
    )
    time.sleep(1.0)

    messages = reminder_messages(smtp_server, reminder.id)
    assert Counter(recipients[0] for recipients, _message in messages) == {
        "aigerim@example.org": 1,
        "nurlan@example.org": 1,
    }, "an unconfirmed or unsubscribed supporter got a reminder, or someone got two"
    for _recipients, message in messages:
        unsubscribe_url = str(message["List-Unsubscribe"]).strip().strip("<>")
        assert re.fullmatch(r"http://127\.0\.0\.1:5000/unsubscribe/[\w-]+\?case=" + case.slug, unsubscribe_url)
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert str(message["List-Id"]).endswith(f"<{case.slug}.cases.localhost>")
        assert unsubscribe_url in body_text(message) and unsubscribe_url in body_html(message)
        assert re.fullmatch(rf"<reminder-{reminder.id}\.delivery-\d+@localhost>", str(message["Message-ID"]))

    [to_aigerim] = [m for r, m in messages if r == ["aigerim@example.org"]]
    header_url = str(to_aigerim["List-Unsubscribe"]).strip().strip("<>").removeprefix("http://127.0.0.1:5000")
    assert client.post(header_url, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    update = due_reminder_for(case, texts={"en": ("Still time", "Please write today.")})
    send_due()
    wait_until(
        lambda: ledger_states(update.id) == {DeliveryState.SENT: 1},
        timeout=60,
        what="the second reminder",
        explain=lambda: stack_state(worker, update.id),
    )
    assert [r for r, _m in reminder_messages(smtp_server, update.id)] == [["nurlan@example.org"]]


def test_batch_of_2000_survives_three_sigkills_of_the_worker_with_at_most_one_duplicate_each(
    stack_app, worker, smtp_server, make_case
):
    case = make_case()
    addresses = add_confirmed_subscribers(case.id, 2000)
    reminder = due_reminder_for(case)
    started = time.monotonic()
    send_due()

    kills = 0
    for threshold in (400, 900, 1400):
        wait_until(
            lambda t=threshold: smtp_server.handler.count() >= t,
            timeout=90,
            what=f"{threshold} emails",
            explain=lambda: stack_state(worker, reminder.id),
        )
        worker.kill()
        kills += 1
        worker.start()
    drive_until_done(reminder.id, len(addresses), smtp_server, timeout=120, worker=worker)

    duplicates = duplicates_of(smtp_server, reminder.id)
    received = {a for recipients, _m in reminder_messages(smtp_server, reminder.id) for a in recipients}
    print(
        f"\n2,000 deliveries with {kills} SIGKILLs in {time.monotonic() - started:.1f} s: "
        f"{sum(duplicates.values())} duplicate(s) {dict(duplicates)}"
    )
    assert received == set(addresses), "a delivery was lost"
    assert sum(duplicates.values()) <= kills
    assert all(count == 1 for count in duplicates.values())
    db.session.rollback()
    assert db.session.get(Reminder, reminder.id).state == ReminderState.SENT


def test_redis_flushed_mid_batch_loses_no_delivery(stack_app, worker, smtp_server, broker_url, make_case):
    case = make_case()
    addresses = add_confirmed_subscribers(case.id, 600)
    reminder = due_reminder_for(case)
    send_due()

    wait_until(lambda: smtp_server.handler.count() >= 150, timeout=60, what="150 emails")
    redis.Redis.from_url(broker_url).flushdb()
    drive_until_done(reminder.id, len(addresses), smtp_server, timeout=120, worker=worker)

    duplicates = duplicates_of(smtp_server, reminder.id)
    print(f"\nRedis db flushed after 150 of 600 deliveries: {sum(duplicates.values())} duplicate(s)")
    assert {a for recipients, _m in reminder_messages(smtp_server, reminder.id) for a in recipients} == set(addresses)
    assert sum(duplicates.values()) == 0


def test_smtp_server_down_while_a_batch_runs_is_retried_and_delivered_once_back(
    stack_app, worker, smtp_server, make_case
):
    case = make_case()
    addresses = add_confirmed_subscribers(case.id, 300)
    reminder = due_reminder_for(case)
    send_due()

    wait_until(lambda: smtp_server.handler.count() >= 80, timeout=60, what="80 emails")
    smtp_server.stop()
    wait_until(
        lambda: (
            (db.session.rollback() or True)
            and db.session.scalar(
                select(func.count()).where(DeliveryLedger.reminder_id == reminder.id, DeliveryLedger.attempts > 0)
            )
            > 0
        ),
        timeout=30,
        what="a delivery to fail for want of a server",
    )
    time.sleep(2)
    smtp_server.start()
    drive_until_done(reminder.id, len(addresses), smtp_server, timeout=90, worker=worker)

    duplicates = duplicates_of(smtp_server, reminder.id)
    print(f"\nSMTP server down mid-batch: {sum(duplicates.values())} duplicate(s)")
    assert {a for recipients, _m in reminder_messages(smtp_server, reminder.id) for a in recipients} == set(addresses)
    assert sum(duplicates.values()) <= 1
