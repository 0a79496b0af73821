"""Case-change notices: an extension, a close with its outcome and an imported follow-up each tell the case's
confirmed subscribers once, in their language, after a hold in which staff can edit or stop the notice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from campaign.cases.importing import attach_follow_up
from campaign.cases.models import TimelineEntry, TimelineKind
from campaign.cases.operations import Actor, close_case, extend_deadline
from campaign.database import utcnow
from campaign.extensions import db as database
from campaign.reminders.fanout import run_scan
from campaign.reminders.models import Reminder, ReminderKind, ReminderState
from campaign.reminders.operations import cancel_reminder, set_reminder_text
from campaign.ua_import import ParsedUrgentAction
from tests.reminders.helpers import add_supporter, body_text, send_due

STAFF = Actor(label="staff@example.org")


def extend(case):
    extend_deadline(case, case.deadline_on + timedelta(days=14), "The authorities asked for more time.", actor=STAFF)


def close(case):
    close_case(case, "released", actor=STAFF)


def follow_up(case):
    attach_follow_up(
        case,
        ParsedUrgentAction(
            ua_number="1.26",
            headline="Nagyz Muhammed moved to a hospital",
            is_follow_up=True,
            follows_ua_number=case.ua_number,
        ),
        actor=STAFF,
    )


CHANGES = {
    "deadline_extended": (extend, "Deadline extended", "截止日期已延长", "The authorities asked for more time."),
    "closed": (close, "Case closed", "已结案", "was released"),
    "follow_up": (follow_up, "New information", "新信息", "moved to a hospital"),
}


def notices_of(case_id: int) -> list[Reminder]:
    database.session.expire_all()
    return list(
        database.session.scalars(
            select(Reminder).where(Reminder.case_id == case_id, Reminder.kind == ReminderKind.UPDATE)
        )
    )


def notices_sent(smtp_server) -> list[tuple[str, object]]:
    """Each (recipient, message) the SMTP server accepted, leaving out confirmation emails (they carry no List-Id)."""
    return [(recipients[0], message) for recipients, message in smtp_server.handler.snapshot() if message["List-Id"]]


def scan_after_the_hold() -> None:
    """The hold passes (held notices become due now), then the beat's scan runs."""
    database.session.execute(
        update(Reminder)
        .where(Reminder.timeline_entry_id.is_not(None), Reminder.state == ReminderState.PENDING)
        .values(send_at=utcnow())
    )
    database.session.commit()
    send_due()


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_each_case_change_reaches_confirmed_subscribers_once_in_their_language_after_the_hold(
    change, smtp_app, smtp_server, db, make_case
):
    make_change, english_subject, chinese_subject, english_words = CHANGES[change]
    case = make_case()
    english = add_supporter("aigerim@example.org", case.id, language="en")
    chinese = add_supporter("jana@example.org", case.id, language="zh")
    add_supporter("unconfirmed@example.org", case.id, is_confirmed=False)
    add_supporter("elsewhere@example.org", None)

    make_change(case)
    db.session.commit()
    [notice] = notices_of(case.id)
    assert notice.state == ReminderState.PENDING and notice.timeline_entry.kind == change
    send_due()
    assert notices_sent(smtp_server) == [], "the notice went out before staff could stop it"

    scan_after_the_hold()
    send_due()
    scan_after_the_hold()

    sent = notices_sent(smtp_server)
    assert sorted(recipient for recipient, _message in sent) == ["aigerim@example.org", "jana@example.org"]
    messages = dict(sent)
    assert messages["aigerim@example.org"]["Subject"].startswith(english_subject)
    assert english_words in body_text(messages["aigerim@example.org"])
    assert str(messages["jana@example.org"]["Subject"]).strip().startswith(chinese_subject)
    for supporter, message in ((english, messages["aigerim@example.org"]), (chinese, messages["jana@example.org"])):
        assert supporter.unsubscribe_token in message["List-Unsubscribe"]
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert f"/unsubscribe/{supporter.unsubscribe_token}" in body_text(message)
    assert notices_of(case.id)[0].state == ReminderState.SENT


def test_closing_a_case_cancels_its_pending_reminders_but_not_its_notice(db, make_case):
    case = make_case()
    run_scan()
    db.session.commit()
    close(case)
    db.session.commit()

    database.session.expire_all()
    states = {
        reminder.kind: reminder.state
        for reminder in db.session.scalars(select(Reminder).where(Reminder.case_id == case.id))
    }
    assert states == {ReminderKind.DEADLINE: ReminderState.CANCELLED, ReminderKind.UPDATE: ReminderState.PENDING}


def test_staff_can_stop_a_held_notice_and_nothing_is_sent(smtp_app, smtp_server, db, make_case):
    case = make_case()
    add_supporter("aigerim@example.org", case.id)
    extend(case)
    db.session.commit()

    cancel_reminder(notices_of(case.id)[0], actor_label=STAFF.label)
    db.session.commit()
    scan_after_the_hold()

    assert notices_sent(smtp_server) == []


def test_the_text_staff_edit_during_the_hold_is_the_text_sent(smtp_app, smtp_server, db, make_case):
    case = make_case()
    add_supporter("aigerim@example.org", case.id, language="en")
    close(case)
    db.session.commit()

    set_reminder_text(
        notices_of(case.id)[0],
        language="en",
        subject="He is home",
        body="Nagyz Muhammed is home with his family. Thank you.",
        actor_label=STAFF.label,
    )
    db.session.commit()
    scan_after_the_hold()

    [(_recipient, message)] = notices_sent(smtp_server)
    assert message["Subject"] == "He is home"
    assert "home with his family" in body_text(message)


def test_a_timeline_entry_makes_one_notice_however_often_the_session_flushes(db, make_case):
    case = make_case()
    extend(case)
    db.session.flush()
    db.session.flush()
    db.session.commit()
    assert [notice.timeline_entry.kind for notice in notices_of(case.id)] == [TimelineKind.DEADLINE_EXTENDED]


def test_a_change_to_a_draft_makes_no_notice(db, make_case):
    draft = make_case(status="draft")
    extend(draft)
    db.session.commit()
    assert notices_of(draft.id) == []


def test_history_recorded_with_an_old_date_makes_no_notice_but_an_old_dated_follow_up_does(db, make_case):
    case = make_case()
    long_ago = utcnow() - timedelta(days=40)
    case.timeline.append(TimelineEntry(kind=TimelineKind.DEADLINE_EXTENDED, text="Extended.", happened_at=long_ago))
    case.timeline.append(TimelineEntry(kind=TimelineKind.CLOSED, text="released", happened_at=long_ago))
    db.session.commit()
    assert notices_of(case.id) == []

    case.timeline.append(TimelineEntry(kind=TimelineKind.FOLLOW_UP, text="Moved to a hospital.", happened_at=long_ago))
    db.session.commit()
    assert [notice.timeline_entry.kind for notice in notices_of(case.id)] == [TimelineKind.FOLLOW_UP]
