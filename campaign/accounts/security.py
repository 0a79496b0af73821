"""Flask-Security and Flask-Session set-up for the console: logins, two-factor, server-side sessions.

``init_sessions(app)`` runs before ``init_security(app)`` (Flask-Session must replace the session
interface first). Sessions live in Redis when ``REDIS_URL`` is set, else in files under
``instance/sessions``; either way logout, a password change or a disabled account ends them.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import timedelta

from flask import Flask, current_app, request, session
from flask_login import current_user, user_logged_out
from flask_login.utils import _user_context_processor
from flask_security import Security, SQLAlchemyUserDatastore, user_authenticated
from flask_security.utils import logout_user

from campaign.accounts.forms import ConsoleLoginForm, ConsoleTwoFactorRescueForm, ConsoleTwoFactorSetupForm
from campaign.accounts.models import Role, User
from campaign.accounts.passwords import ConsolePasswordUtil
from campaign.accounts.sessions import serves_console
from campaign.extensions import db, limiter

security = Security()
user_datastore = SQLAlchemyUserDatastore(db, User, Role)

CONSOLE_API_PREFIX = "/api/v1/console"
#: A console session ends after this long without a request.
IDLE_TIMEOUT = timedelta(minutes=30)
#: ... and this long after the login, whatever happens.
ABSOLUTE_TIMEOUT = timedelta(hours=12)
#: Per hashed address, on the login form, the two-factor step and the token API together.
DEFAULT_LOGIN_LIMIT = "20 per minute;200 per day"
LIMITED_ENDPOINTS = ("security.login", "security.two_factor_token_validation")


def _security_settings(app: Flask) -> dict:
    secret = app.config["SECRET_KEY"].encode()

    def derive(purpose: str) -> str:
        return hmac.new(secret, purpose.encode(), hashlib.sha256).hexdigest()

    return {
        "SECURITY_URL_PREFIX": "/console",
        "SECURITY_LOGIN_URL": "/login",
        "SECURITY_LOGOUT_URL": "/logout",
        "SECURITY_CHANGE_URL": "/change-password",
        "SECURITY_POST_LOGIN_VIEW": "/console/",
        "SECURITY_POST_LOGOUT_VIEW": "/console/login",
        "SECURITY_POST_CHANGE_VIEW": "/console/",
        "SECURITY_LOGIN_USER_TEMPLATE": "console/login.html",
        "SECURITY_PASSWORD_HASH": "argon2",
        "SECURITY_PASSWORD_SALT": derive("password-salt-v1"),
        "SECURITY_PASSWORD_LENGTH_MIN": 8,
        "SECURITY_PASSWORD_CHECK_BREACHED": False,
        "SECURITY_RETURN_GENERIC_RESPONSES": True,
        "SECURITY_TRACKABLE": False,
        "SECURITY_REGISTERABLE": False,
        "SECURITY_RECOVERABLE": False,
        "SECURITY_CONFIRMABLE": False,
        "SECURITY_CHANGEABLE": True,
        "SECURITY_SEND_PASSWORD_CHANGE_EMAIL": False,
        "SECURITY_DEFAULT_REMEMBER_ME": False,
        "SECURITY_API_ENABLED_METHODS": ["session"],
        "SECURITY_TOKEN_MAX_AGE": ABSOLUTE_TIMEOUT,
        "SECURITY_EMAIL_VALIDATOR_ARGS": {"check_deliverability": False},
        "SECURITY_TWO_FACTOR": True,
        "SECURITY_TWO_FACTOR_ENABLED_METHODS": ["authenticator"],
        "SECURITY_TWO_FACTOR_REQUIRED": bool(app.config.get("CONSOLE_REQUIRE_MFA", False)),
        "SECURITY_TWO_FACTOR_RESCUE_EMAIL": False,
        "SECURITY_TWO_FACTOR_ALWAYS_VALIDATE": True,
        "SECURITY_MULTI_FACTOR_RECOVERY_CODES": False,
        "SECURITY_TOTP_SECRETS": {"1": derive("totp-secrets-v1")},
        "SECURITY_TOTP_ISSUER": "Urgent Action tracker",
        "SECURITY_WEBAUTHN": False,
        "SECURITY_UNIFIED_SIGNIN": False,
        "SECURITY_OAUTH_ENABLE": False,
        "SECURITY_USERNAME_ENABLE": False,
        "SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS": False,
        "RATELIMIT_CONSOLE_LOGIN": DEFAULT_LOGIN_LIMIT,
    }


def init_sessions(app: Flask) -> None:
    """Server-side console sessions (Redis with ``REDIS_URL``, else files under ``instance/sessions``); signed
    cookie sessions for the public pages."""
    from flask_session import Session

    app.config["SESSION_PERMANENT"] = True
    app.config["SESSION_KEY_PREFIX"] = "uat:session:"
    app.config["PERMANENT_SESSION_LIFETIME"] = ABSOLUTE_TIMEOUT
    app.config["SESSION_COOKIE_NAME"] = "uat_session"
    if app.config.get("SESSION_TYPE") is None:
        if app.config.get("REDIS_URL"):
            import redis

            app.config["SESSION_TYPE"] = "redis"
            app.config["SESSION_REDIS"] = redis.Redis.from_url(
                app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=2
            )
        else:
            from cachelib import FileSystemCache

            app.config["SESSION_TYPE"] = "cachelib"
            app.config["SESSION_CACHELIB"] = FileSystemCache(
                str(app.config["INSTANCE_PATH"] / "sessions"), threshold=5000, mode=0o600
            )
    from campaign.accounts.sessions import install_resilient_redis_sessions, install_visitor_cookie_sessions

    Session(app)
    if app.config["SESSION_TYPE"] == "redis":
        install_resilient_redis_sessions(app)
    install_visitor_cookie_sessions(app)


def _login_limit() -> str:
    return current_app.config["RATELIMIT_CONSOLE_LOGIN"]


login_limit = limiter.shared_limit(_login_limit, scope="console-login", methods=["POST"])


def init_security(app: Flask) -> None:
    """Bind Flask-Security with the console's forms, password rules, limits and session hygiene."""
    from campaign.accounts.cli import users_cli

    for name, value in _security_settings(app).items():
        app.config.setdefault(name, value)
    security.init_app(
        app,
        user_datastore,
        login_form=ConsoleLoginForm,
        two_factor_setup_form=ConsoleTwoFactorSetupForm,
        two_factor_rescue_form=ConsoleTwoFactorRescueForm,
        password_util_cls=ConsolePasswordUtil,
    )
    for endpoint in LIMITED_ENDPOINTS:
        app.view_functions[endpoint] = login_limit(app.view_functions[endpoint])
    user_authenticated.connect(_on_login, app)
    user_logged_out.connect(_on_logout, app)
    app.before_request(enforce_session_limits)
    _load_identity_for_console_only(app)
    app.cli.add_command(users_cli)


def needs_identity(path: str) -> bool:
    """Whether a request may act as a console account: the console's pages and its token API, nothing public."""
    return serves_console(path) or path == CONSOLE_API_PREFIX or path.startswith(CONSOLE_API_PREFIX + "/")


def _load_identity_for_console_only(app: Flask) -> None:
    """Public pages and the public API never act as an account, so they skip Flask-Principal's identity loading
    on every request, and their templates get the lazy ``current_user`` proxy instead of a loaded user.

    A signed-in organiser reading an action page is then served as any visitor is, which is what the page
    shows anyway; every console route still loads and checks the identity as before.
    """
    principal = app.extensions["security"].principal
    hooks = app.before_request_funcs[None]
    load_identity = principal._on_before_request

    def load_identity_for_console() -> None:
        if needs_identity(request.path):
            load_identity()

    hooks[hooks.index(load_identity)] = load_identity_for_console
    processors = app.template_context_processors[None]
    processors[processors.index(_user_context_processor)] = lambda: {"current_user": current_user}


def _on_login(app: Flask, user: User, **_extra) -> None:
    """A new session id at login (no fixation), the times the limits count from, and an audit entry."""
    from campaign.accounts.operations import record_successful_login

    app.session_interface.regenerate(session)  # type: ignore[attr-defined]
    now = time.time()
    session["console_login_at"] = now
    session["console_seen_at"] = now
    record_successful_login(user)


def _on_logout(app: Flask, user: User | None = None, **_extra) -> None:
    """Drop the stored session itself, so a copy of the old cookie finds nothing."""
    from campaign.accounts.operations import record_logout

    if user is not None and getattr(user, "id", None) is not None:
        record_logout(user)
    for key in ("console_login_at", "console_seen_at"):
        session.pop(key, None)
    app.session_interface.regenerate(session)  # type: ignore[attr-defined]


def enforce_session_limits() -> None:
    """Log out a console session idle for 30 minutes or older than 12 hours."""
    if request.endpoint == "static" or "_user_id" not in session:
        return
    now = time.time()
    started = session.get("console_login_at")
    seen = session.get("console_seen_at", started)
    if started is None or now - started > ABSOLUTE_TIMEOUT.total_seconds() or now - seen > IDLE_TIMEOUT.total_seconds():
        logout_user()
        return
    session["console_seen_at"] = now
