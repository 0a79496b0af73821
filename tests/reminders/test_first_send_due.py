"""A reminder that is already due when ``reminders send-due`` first runs is sent on that run (issue 16)."""

from __future__ import annotations

from datetime import timedelta

from campaign.database import utc_today
from tests.reminders.helpers import add_supporter, outbox_emails


def test_a_reminder_due_at_the_first_send_due_is_sent_by_that_run(app, db, make_case, outbox):
    case = make_case(deadline_on=utc_today() + timedelta(days=2))
    add_supporter("aigerim@example.org", case.id)

    result = app.test_cli_runner().invoke(args=["reminders", "send-due"])

    assert result.exit_code == 0, result.output
    assert "1 reminders started (1 deliveries)" in result.output
    [message] = outbox_emails(outbox)
    assert message["To"] == "aigerim@example.org"
    assert case.headline in str(message["Subject"])
