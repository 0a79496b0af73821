"""Accounts: password rules, the users command, the MFA setting, and the token API."""

from __future__ import annotations

import pytest

from campaign.accounts.models import User
from campaign.accounts.passwords import common_passwords, password_problems
from campaign.extensions import dispose_engines
from config import Config
from tests.accounts.helpers import PASSWORD, make_account


def test_passwords_from_8_to_128_characters_of_any_script_are_accepted():
    assert password_problems("пароль-для-консоли") == []
    assert password_problems("密码很长很安全吧") == []
    assert password_problems("x" * 64 + "y" * 64) == []


@pytest.mark.parametrize("password", ["short", "x" * 129, "password123", "Qwerty123", "iloveyou1"])
def test_short_long_and_common_passwords_are_refused(password):
    assert password_problems(password)


def test_the_shipped_common_password_list_is_substantial():
    assert len(common_passwords()) >= 500


def test_users_create_prompts_twice_and_stores_the_account(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "New@Example.org", "--role", "organiser"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("assword") >= 2
    account = db.session.scalar(db.select(User).where(User.email == "new@example.org"))
    assert account.role_names == ["organiser"]
    assert account.password.startswith("$argon2id$")


def test_users_create_refuses_mismatched_and_common_passwords(app, db):
    runner = app.test_cli_runner()
    mismatched = runner.invoke(
        args=["users", "create", "a@example.org", "--role", "staff"], input=f"{PASSWORD}\nother one 1\n" * 3
    )
    assert mismatched.exit_code != 0
    common = runner.invoke(
        args=["users", "create", "a@example.org", "--role", "staff"], input="password123\npassword123\n"
    )
    assert common.exit_code == 1
    assert "common" in common.output
    assert db.session.scalar(db.select(User).where(User.email == "a@example.org")) is None


def test_console_requires_mfa_outside_the_embedded_default(monkeypatch, tmp_path):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("CONSOLE_REQUIRE_MFA", raising=False)
    assert Config.from_environment().CONSOLE_REQUIRE_MFA is False
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/x")
    monkeypatch.setenv("SECRET_KEY", "k" * 32)
    assert Config.from_environment().CONSOLE_REQUIRE_MFA is True


def test_mfa_required_sends_a_password_login_to_totp_setup(database_url, tmp_path, db):
    from tests.accounts.helpers import FreshContextClient, log_in
    from tests.conftest import make_test_config, migrated_app

    mfa_app = migrated_app(make_test_config(database_url, tmp_path, CONSOLE_REQUIRE_MFA=True))
    try:
        assert mfa_app.config["SECURITY_TWO_FACTOR_REQUIRED"] is True
        assert mfa_app.config["SECURITY_TWO_FACTOR_ENABLED_METHODS"] == ["authenticator"]
        with mfa_app.app_context():
            make_account("mfa@example.org", "organiser")
        client = FreshContextClient(mfa_app, mfa_app.response_class, use_cookies=True)
        response = log_in(client, "mfa@example.org")
        assert response.status_code == 302
        assert "/console/tf-setup" in response.headers["Location"]
        assert client.get("/console/").status_code == 302
    finally:
        with mfa_app.app_context():
            dispose_engines()


def _token(client, email: str, password: str = PASSWORD):
    return client.post("/api/v1/console/tokens", json={"email": email, "password": password})


def test_token_api_gives_a_token_for_the_right_password_only(client, organiser):
    created = _token(client, organiser.email)
    assert created.status_code == 201
    assert created.get_json()["token"]
    wrong = _token(client, organiser.email, "not the password")
    unknown = _token(client, "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()
    assert set(wrong.get_json()["error"]) == {"code", "message", "fields"}


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("[]", "application/json", 400),
        ("{", "application/json", 400),
        ('{"email": 1}', "application/json", 400),
        ("email=a", "application/x-www-form-urlencoded", 415),
    ],
)
def test_token_api_refuses_malformed_requests_in_json(client, body, content_type, status):
    response = client.post("/api/v1/console/tokens", data=body, content_type=content_type)
    assert response.status_code == status
    assert response.get_json()["error"]["code"]


def test_accounts_api_is_for_admins_with_a_bearer_token(client, organiser, admin):
    assert client.get("/api/v1/console/accounts").status_code == 401
    bad = client.get("/api/v1/console/accounts", headers={"Authorization": "Bearer nonsense"})
    assert bad.status_code == 401
    organiser_token = _token(client, organiser.email).get_json()["token"]
    assert (
        client.get("/api/v1/console/accounts", headers={"Authorization": f"Bearer {organiser_token}"}).status_code
        == 403
    )
    admin_token = _token(client, admin.email).get_json()["token"]
    listed = client.get("/api/v1/console/accounts", headers={"Authorization": f"Bearer {admin_token}"})
    assert listed.status_code == 200
    emails = {account["email"] for account in listed.get_json()["accounts"]}
    assert emails == {organiser.email, admin.email}
    assert all("password" not in account for account in listed.get_json()["accounts"])


def test_a_disabled_accounts_token_stops_working(client, admin, organiser, db):
    from campaign.accounts.operations import set_account_active

    admin_token = _token(client, admin.email).get_json()["token"]
    other_admin = make_account("second-admin@example.org", "admin")
    set_account_active(db.session.get(User, admin.id), False, actor_label=other_admin.email, actor_id=other_admin.id)
    db.session.commit()
    assert client.get("/api/v1/console/accounts", headers={"Authorization": f"Bearer {admin_token}"}).status_code == 401
