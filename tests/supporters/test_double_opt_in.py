"""Double opt-in: one confirmation email a day, a signed link valid 48 hours, and answers that reveal nothing."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from campaign.extensions import limiter
from campaign.supporters.models import Subscription, Supporter
from campaign.supporters.operations import CONFIRMATION_SALT
from tests.conftest import empty_every_table
from tests.reminders.helpers import add_supporter, body_html, body_text, outbox_emails, send_due

REPORT = {"action_type": "letter", "count": 1, "country": "KZ"}
#: Headers that count the client's own requests (and the clock), the same for any address.
CLIENT_COUNTING_HEADERS = {"Date", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After"}
CONFIRM_LINK = re.compile(r"http://[^\s\"<>]+/confirm/[A-Za-z0-9_.\-]+")


def report_with_reminder(client, slug: str, address: str):
    return client.post(f"/api/v1/cases/{slug}/actions", json={**REPORT, "email": address, "remind_me": True})


def confirm_link(message) -> str:
    links = CONFIRM_LINK.findall(body_text(message))
    assert len(links) == 1
    assert links[0] in body_html(message)
    return links[0].removeprefix("http://127.0.0.1:5000")


def test_report_with_remind_me_sends_one_confirmation_email_with_a_signed_link(client, make_case, outbox):
    case = make_case()

    answer = report_with_reminder(client, case.slug, "Aigerim@Example.org")

    assert answer.status_code == 201
    [message] = outbox_emails(outbox)
    assert message["To"] == "aigerim@example.org"
    assert "confirm" in message["Subject"].lower()
    assert case.headline in body_text(message)
    assert confirm_link(message).startswith("/confirm/")


def test_asking_again_the_same_day_sends_no_second_confirmation(client, make_case, outbox):
    first, second = make_case(), make_case()

    for slug in (first.slug, second.slug, first.slug):
        assert report_with_reminder(client, slug, "aigerim@example.org").status_code == 201

    assert len(outbox_emails(outbox)) == 1


def test_a_confirmation_is_sent_again_after_a_day(client, db, make_case, outbox):
    case = make_case()
    report_with_reminder(client, case.slug, "aigerim@example.org")
    supporter = db.session.scalar(select(Supporter))
    supporter.confirmation_sent_at -= timedelta(days=1, minutes=1)
    db.session.commit()

    report_with_reminder(client, case.slug, "aigerim@example.org")

    assert len(outbox_emails(outbox)) == 2


def test_a_confirmed_address_gets_no_confirmation_email(client, db, make_case, outbox):
    case = make_case()
    add_supporter("aigerim@example.org", None)

    assert report_with_reminder(client, case.slug, "aigerim@example.org").status_code == 201

    assert outbox_emails(outbox) == []
    assert db.session.scalar(select(Subscription.case_id)) == case.id


def test_subscription_answer_is_identical_byte_for_byte_whether_the_address_was_known_or_not(
    client, db, make_case, outbox
):
    answers = []
    for is_known in (False, True):
        case = make_case(slug="the-case")
        if is_known:
            add_supporter("aigerim@example.org", case.id)
        limiter.reset()
        answer = report_with_reminder(client, case.slug, "aigerim@example.org")
        headers = sorted((name, value) for name, value in answer.headers.items() if name not in CLIENT_COUNTING_HEADERS)
        answers.append((answer.status_code, headers, answer.get_data()))
        db.session.remove()
        empty_every_table()

    unknown, known = answers
    assert unknown == known


def test_confirmation_page_get_changes_nothing_and_post_confirms(client, db, make_case, outbox):
    case = make_case()
    report_with_reminder(client, case.slug, "aigerim@example.org")
    path = confirm_link(outbox_emails(outbox)[0])

    page = client.get(path)
    db.session.expire_all()

    assert page.status_code == 200
    assert b'method="post"' in page.data
    assert db.session.scalar(select(Supporter.is_confirmed)) is False

    confirmed = client.post(path)
    db.session.expire_all()

    assert confirmed.status_code == 200
    assert "Set-Cookie" not in confirmed.headers
    supporter = db.session.scalar(select(Supporter))
    assert supporter.is_confirmed is True
    assert supporter.confirmed_at is not None
    assert client.post(path).status_code == 200


def test_confirmation_link_older_than_48_hours_is_refused_and_confirms_nothing(client, db, app, outbox):
    supporter = add_supporter("aigerim@example.org", None, is_confirmed=False)

    class FiftyHoursAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - 50 * 3600

    old = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=CONFIRMATION_SALT, signer=FiftyHoursAgo)
    token = old.dumps({"s": supporter.id, "e": supporter_fingerprint(supporter.email)})

    answer = client.post(f"/confirm/{token}")
    db.session.expire_all()

    assert answer.status_code == 400
    assert b"48 hours" in answer.data
    assert db.session.get(Supporter, supporter.id).is_confirmed is False


def supporter_fingerprint(address: str) -> str:
    import hashlib

    return hashlib.sha256(address.encode()).hexdigest()[:16]


def test_tampered_or_foreign_confirmation_links_are_refused(client, db, app, outbox):
    supporter = add_supporter("aigerim@example.org", None, is_confirmed=False)
    forged = URLSafeTimedSerializer("another key", salt=CONFIRMATION_SALT).dumps({"s": supporter.id})
    other_address = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=CONFIRMATION_SALT).dumps(
        {"s": supporter.id, "e": supporter_fingerprint("someone@example.org")}
    )

    for token in (forged, other_address, "not-a-token", "x" * 5000):
        assert client.get(f"/confirm/{token}").status_code == 400
        assert client.post(f"/confirm/{token}").status_code == 400
    db.session.expire_all()
    assert db.session.get(Supporter, supporter.id).is_confirmed is False


def test_confirmation_email_goes_through_a_real_smtp_server(smtp_app, smtp_server, make_case):
    case = make_case()
    client = smtp_app.test_client()

    answer = report_with_reminder(client, case.slug, "aigerim@example.org")

    assert answer.status_code == 201
    [(recipients, message)] = smtp_server.handler.snapshot()
    assert recipients == ["aigerim@example.org"]
    assert "/confirm/" in body_text(message)


def test_confirmation_not_sent_while_the_server_is_down_can_be_sent_later(smtp_app, smtp_server, db, make_case):
    case = make_case()
    smtp_server.stop()
    client = smtp_app.test_client()

    assert report_with_reminder(client, case.slug, "aigerim@example.org").status_code == 201
    db.session.expire_all()
    assert db.session.scalar(select(Supporter.confirmation_sent_at)) is None

    smtp_server.start()

    send_due()

    assert smtp_server.handler.recipients() == {"aigerim@example.org": 1}
