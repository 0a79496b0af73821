"""The small promises of issue 16: what the thank-you page says after "Remind me", a confirmation link opened
again, and links in emails that point to where the site is really served."""

from __future__ import annotations

import subprocess
from pathlib import Path

from sqlalchemy import select

from campaign import create_app
from campaign.mail import public_url
from campaign.supporters.models import Supporter
from campaign.supporters.operations import confirmation_token
from config import Config
from tests.reminders.helpers import body_text, outbox_emails

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CONFIRMATION_PROMISE = "A confirmation email is on its way"


def report_form(client, case, **fields):
    data = {"action_type": "letter", "target_id": "all", "count": "1", "country": "KZ", **fields}
    return client.post(f"/cases/{case.slug}/report", data=data)


def test_after_remind_me_the_thank_you_page_says_a_confirmation_is_coming_and_nothing_is_sent_without_it(
    client, make_case, outbox
):
    case = make_case()

    answer = report_form(client, case, email="aigerim@example.org", remind_me="y")
    assert answer.status_code == 303
    page = client.get(answer.headers["Location"]).get_data(as_text=True)

    assert CONFIRMATION_PROMISE in page
    assert "We send you no reminder until you confirm it" in page
    assert len(outbox_emails(outbox)) == 1


def test_without_remind_me_the_thank_you_page_promises_no_email(client, make_case, outbox):
    case = make_case()

    answer = report_form(client, case, email="aigerim@example.org")
    page = client.get(answer.headers["Location"]).get_data(as_text=True)

    assert CONFIRMATION_PROMISE not in page
    assert outbox_emails(outbox) == []


def test_a_confirmation_link_used_again_says_the_address_is_already_confirmed(client, db, make_case, outbox):
    case = make_case()
    report_form(client, case, email="aigerim@example.org", remind_me="y")
    token = confirmation_token(db.session.scalar(select(Supporter)))

    first = client.post(f"/confirm/{token}").get_data(as_text=True)
    again = client.post(f"/confirm/{token}").get_data(as_text=True)
    opened_again = client.get(f"/confirm/{token}").get_data(as_text=True)

    assert "Thank you, your address is confirmed" in first
    assert "Your address is already confirmed" in again
    assert "already confirmed" in opened_again
    db.session.expire_all()
    assert db.session.scalar(select(Supporter.is_confirmed)) is True


def served_config(monkeypatch, tmp_path, **variables):
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "MAIL_URL", "PUBLIC_URL", "HOST", "PORT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("FLASK_RUN_HOST", raising=False)
    monkeypatch.delenv("FLASK_RUN_PORT", raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return Config.from_environment()


def test_links_in_emails_point_to_the_port_make_run_serves_on(monkeypatch, tmp_path):
    config = served_config(monkeypatch, tmp_path, HOST="0.0.0.0", PORT="5051")  # noqa: S104 (what make run may get)

    with create_app(config).app_context():
        assert public_url("supporters.confirm", token="abc") == "http://127.0.0.1:5051/confirm/abc"


def test_public_url_wins_for_production_and_the_default_is_make_runs_own(monkeypatch, tmp_path):
    production = served_config(monkeypatch, tmp_path, PUBLIC_URL="https://ua.example.org/", PORT="8000")
    assert production.PUBLIC_URL == "https://ua.example.org"
    assert served_config(monkeypatch, tmp_path).PUBLIC_URL is None  # mail falls back to http://127.0.0.1:5000


def test_make_run_hands_its_host_and_port_to_the_app():
    dry_run = subprocess.run(
        ["make", "-n", "run", "HOST=127.0.0.1", "PORT=5051"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    [serve] = [line for line in dry_run.splitlines() if " run --host " in line]
    assert serve.startswith("HOST=127.0.0.1 PORT=5051 ")


def test_the_confirmation_email_link_uses_the_configured_address(client, app, make_case, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://ua.example.org")
    case = make_case()

    report_form(client, case, email="aigerim@example.org", remind_me="y")

    [message] = outbox_emails(outbox)
    assert "https://ua.example.org/confirm/" in body_text(message)
