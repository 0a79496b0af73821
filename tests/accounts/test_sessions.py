"""Server-side console sessions: a new id at login, and logout, password change, disabling, idle and age end them."""

from __future__ import annotations

import time

import pytest
import redis

from campaign.accounts.models import User
from campaign.accounts.operations import set_account_active
from campaign.accounts.sessions import VISITOR_SESSION_COOKIE
from campaign.extensions import dispose_engines
from tests.accounts.helpers import (
    PASSWORD,
    FreshContextClient,
    csrf_token,
    log_in,
    log_out,
    make_account,
    session_cookie,
)
from tests.conftest import make_test_config, migrated_app, require_service
from tests.public.forms import report_form_data

REDIS_SESSIONS_URL = "redis://127.0.0.1:6379/13"


def _replay(app, cookie: str, path: str = "/console/"):
    """A request from another browser carrying a copy of the cookie."""
    thief = FreshContextClient(app, app.response_class, use_cookies=True)
    thief.set_cookie("uat_session", cookie)
    return thief.get(path)


def test_session_id_changes_at_login(client, organiser):
    csrf_token(client)
    before = session_cookie(client)
    assert before
    log_in(client, organiser.email)
    assert session_cookie(client) not in (None, before)


def test_cookie_captured_before_logout_is_refused_after_it(client, organiser, app):
    log_in(client, organiser.email)
    captured = session_cookie(client)
    assert _replay(app, captured).status_code == 200
    assert log_out(client).status_code == 302
    refused = _replay(app, captured)
    assert refused.status_code == 302
    assert "/console/login" in refused.headers["Location"]


def test_logout_is_post_only(client, organiser):
    log_in(client, organiser.email)
    assert client.get("/console/logout").status_code == 405
    assert client.get("/console/").status_code == 200


def test_password_change_ends_the_other_sessions(client, organiser, app):
    log_in(client, organiser.email)
    other = FreshContextClient(app, app.response_class, use_cookies=True)
    log_in(other, organiser.email)
    assert other.get("/console/").status_code == 200
    response = client.post(
        "/console/change-password",
        data={
            "password": PASSWORD,
            "new_password": "a different passphrase 2",
            "new_password_confirm": "a different passphrase 2",
            "csrf_token": csrf_token(client, "/console/change-password"),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert other.get("/console/").status_code == 302
    assert client.get("/console/").status_code == 200


def test_disabling_an_account_ends_its_sessions(client, organiser, admin, app, db):
    log_in(client, organiser.email)
    assert client.get("/console/").status_code == 200
    account = db.session.get(User, organiser.id)
    set_account_active(account, False, actor_label=admin.email, actor_id=admin.id)
    db.session.commit()
    assert client.get("/console/").status_code == 302
    assert log_in(client, organiser.email).status_code == 200


@pytest.mark.parametrize(("key", "age_seconds"), [("console_seen_at", 31 * 60), ("console_login_at", 12 * 3600 + 60)])
def test_idle_and_old_sessions_end(client, organiser, key, age_seconds):
    log_in(client, organiser.email)
    with client.session_transaction("/console/") as session:
        session[key] = time.time() - age_seconds
    assert client.get("/console/").status_code == 302


def test_session_cookie_is_httponly_and_samesite(client, organiser):
    response = log_in(client, organiser.email)
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("uat_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def _redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_SESSIONS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.mark.redis
def test_redis_sessions_end_at_logout(database_url, tmp_path, db):
    require_service("Redis", _redis_available())
    store = redis.Redis.from_url(REDIS_SESSIONS_URL)
    store.flushdb()
    redis_app = migrated_app(make_test_config(database_url, tmp_path, REDIS_URL=REDIS_SESSIONS_URL))
    try:
        assert redis_app.config["SESSION_TYPE"] == "redis"
        with redis_app.app_context():
            make_account("redis-organiser@example.org", "organiser")
        client = FreshContextClient(redis_app, redis_app.response_class, use_cookies=True)
        log_in(client, "redis-organiser@example.org")
        captured = session_cookie(client)
        assert store.exists(f"uat:session:{captured}")
        assert _replay(redis_app, captured).status_code == 200
        log_out(client)
        assert not store.exists(f"uat:session:{captured}")
        assert _replay(redis_app, captured).status_code == 302
    finally:
        store.flushdb()
        with redis_app.app_context():
            dispose_engines()


def test_pages_render_when_the_session_store_is_unreachable(database_url, tmp_path, db, make_case):
    """A Redis outage must not turn public pages (which carry a CSRF token) or the login page into errors."""
    case = make_case()
    down_app = migrated_app(make_test_config(database_url, tmp_path, REDIS_URL="redis://127.0.0.1:1/13"))
    try:
        client = FreshContextClient(down_app, down_app.response_class, use_cookies=True)
        assert client.get(f"/cases/{case.slug}").status_code == 200
        assert client.get("/console/login").status_code == 200
        assert client.get("/console/").status_code == 302
    finally:
        with down_app.app_context():
            dispose_engines()


@pytest.mark.redis
def test_a_visitor_who_views_and_reports_gets_no_session_at_all(database_url, tmp_path, db, make_case):
    """The report form carries no token, so a viral case leaves neither a Redis key nor a cookie per visitor."""
    require_service("Redis", _redis_available())
    store = redis.Redis.from_url(REDIS_SESSIONS_URL)
    store.flushdb()
    slug = make_case().slug
    redis_app = migrated_app(make_test_config(database_url, tmp_path, REDIS_URL=REDIS_SESSIONS_URL))
    try:
        visitor = FreshContextClient(redis_app, redis_app.response_class, use_cookies=True)
        data = report_form_data(visitor, slug, action_type="email", count=2, country="DE")

        answer = visitor.post(f"/cases/{slug}/report", data=data)

        assert answer.status_code == 303
        assert visitor.get_cookie(VISITOR_SESSION_COOKIE) is None
        assert visitor.get_cookie("uat_session") is None
        assert store.keys("uat:session:*") == []
    finally:
        store.flushdb()
        with redis_app.app_context():
            dispose_engines()
