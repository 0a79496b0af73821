"""Logging in to the console: labels, generic answers, the temporary lock, the per-address limit, the hash."""

from __future__ import annotations

import re
from datetime import timedelta

from flask_security import hash_password

from campaign.accounts.models import User
from campaign.accounts.operations import LOCK_AFTER_FAILURES
from campaign.audit.models import AuditEntry
from campaign.database import utcnow
from tests.accounts.helpers import PASSWORD, csrf_token, log_in


def test_login_page_has_fields_labelled_email_and_password(client):
    page = client.get("/console/login").get_data(as_text=True)
    labels = dict(
        (text.strip(), for_id)
        for for_id, text in re.findall(r'<label class="field__label" for="([^"]+)">([^<]+)</label>', page)
    )
    assert labels.keys() >= {"Email", "Password"}
    assert 'name="remember"' not in page


def test_organiser_logs_in_and_reaches_the_dashboard(client, organiser):
    response = log_in(client, organiser.email)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/console/")
    assert client.get("/console/").status_code == 200


def _normalised(html: str) -> str:
    return CSRF_VALUE.sub("", html)


CSRF_VALUE = re.compile(r'value="[^"]{40,}"')


def test_login_answers_the_same_for_a_known_and_an_unknown_email(client, organiser, app):
    known = log_in(client, organiser.email, "wrong password entirely")
    app_client = app.test_client()
    unknown = log_in(app_client, "nobody@example.org", "wrong password entirely")
    assert known.status_code == unknown.status_code == 200
    known_page = _normalised(known.get_data(as_text=True)).replace(organiser.email, "EMAIL")
    unknown_page = _normalised(unknown.get_data(as_text=True)).replace("nobody@example.org", "EMAIL")
    assert known_page == unknown_page


def test_ten_failed_logins_lock_the_account_for_fifteen_minutes_only(client, organiser, db):
    for _attempt in range(LOCK_AFTER_FAILURES):
        assert log_in(client, organiser.email, "not the password").status_code == 200
    account = db.session.get(User, organiser.id)
    db.session.refresh(account)
    assert account.locked_until is not None
    lock = account.locked_until - utcnow()
    assert timedelta(minutes=14) < lock <= timedelta(minutes=15)

    refused = log_in(client, organiser.email, PASSWORD)
    assert refused.status_code == 200, "the right password is refused while locked"

    account.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert log_in(client, organiser.email, PASSWORD).status_code == 302
    db.session.refresh(account)
    assert account.failed_login_count == 0 and account.locked_until is None


def test_failed_and_successful_logins_are_in_the_audit_log(client, organiser, db):
    log_in(client, organiser.email, "not the password")
    log_in(client, "nobody@example.org", "not the password")
    log_in(client, organiser.email)
    entries = [(entry.action, entry.actor_label) for entry in db.session.scalars(db.select(AuditEntry))]
    assert ("login.failed", organiser.email) in entries
    assert ("login.failed", "unknown account") in entries
    assert ("login.succeeded", organiser.email) in entries
    assert not any("not the password" in str(entry.details) for entry in db.session.scalars(db.select(AuditEntry)))


def test_logins_from_one_address_are_rate_limited(client, app):
    limit = int(app.config["RATELIMIT_CONSOLE_LOGIN"].split(" per minute")[0])
    token = csrf_token(client)
    answers = []
    # A fixed one-minute window may end mid-way: then a second full window is needed to reach the limit.
    while 429 not in answers and len(answers) <= 2 * limit + 1:
        data = {"email": f"not-an-email-{len(answers)}", "password": "x", "csrf_token": token}
        answers.append(client.post("/console/login", data=data).status_code)
    assert answers[-1] == 429
    assert answers.count(200) >= limit // 2, "the limit is per minute, not per few requests"


def test_login_without_csrf_token_is_refused(client, organiser):
    response = client.post("/console/login", data={"email": organiser.email, "password": PASSWORD})
    assert response.status_code != 302
    assert client.get("/console/").status_code == 302


def test_password_hash_is_argon2id_at_or_above_owasp_floor(app):
    with app.test_request_context():
        assert app.config["SECURITY_PASSWORD_HASH"] == "argon2"
        assert app.config["SECURITY_PASSWORD_CHECK_BREACHED"] is False
        hashed = hash_password("a long enough passphrase")
    match = re.match(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$", hashed)
    assert match, hashed
    memory_kib, passes, _lanes = map(int, match.groups())
    assert memory_kib >= 19 * 1024
    assert passes >= 2
