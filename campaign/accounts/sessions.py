"""Sessions: server-side for the console (Redis, degrading instead of failing when it is unreachable), signed
cookies for the public pages.

While Redis is down a console request gets a fresh, unsaved session: the login page renders and
console logins wait for Redis to come back. Public pages and the JSON API never need Redis for a
session.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import redis
from flask import Flask, Request, Response, request
from flask.sessions import SecureCookieSessionInterface, SessionInterface
from flask_session.defaults import Defaults
from flask_session.redis import RedisSessionInterface

logger = logging.getLogger(__name__)


class ResilientRedisSessionInterface(RedisSessionInterface):
    """Flask-Session's Redis interface; a Redis error reads as "no stored session" and skips the save."""

    def _retrieve_session_data(self, store_id: str) -> dict | None:
        try:
            return super()._retrieve_session_data(store_id)
        except redis.RedisError:
            logger.warning("Session store unreachable: serving a fresh session")
            return None

    def _delete_session(self, store_id: str) -> None:
        try:
            super()._delete_session(store_id)
        except redis.RedisError:
            logger.warning("Session store unreachable: a session could not be deleted")

    def _upsert_session(self, session_lifetime: timedelta, session, store_id: str) -> None:
        try:
            super()._upsert_session(session_lifetime, session, store_id)
        except redis.RedisError:
            logger.warning("Session store unreachable: a session was not saved")


#: The cookie of a public visitor's session (a form's CSRF token), beside the console's server-side ``uat_session``.
VISITOR_SESSION_COOKIE = "uat_visit"


def serves_console(path: str) -> bool:
    return path == "/console" or path.startswith("/console/")


def serves_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


class VisitorCookieSessions(SecureCookieSessionInterface):
    """A public visitor's session, signed with ``SECRET_KEY`` in a cookie of its own: it holds a form's CSRF token."""

    def get_cookie_name(self, app: Flask) -> str:
        return VISITOR_SESSION_COOKIE


class ConsoleOrVisitorSessions(SessionInterface):
    """Server-side sessions for the console, signed cookies for the public pages.

    A server-side session per visitor would leave a Redis key for 12 hours behind every first view
    of an action page, only to hold its form's CSRF token: tens of millions of keys on a viral
    case. The public pages keep nothing else in a session, so a signed cookie (Flask's own session,
    which Flask-WTF checks the same way) holds it instead, and Redis keeps console sessions only,
    where logout and idle limits need the server to forget a session. The JSON API keeps no session at
    all: its clients send no cookie worth reading, and it sets none.
    """

    def __init__(self, console: SessionInterface, visitors: SessionInterface) -> None:
        self.console = console
        self.visitors = visitors

    def _for(self, path: str) -> SessionInterface:
        return self.console if serves_console(path) else self.visitors

    def open_session(self, app: Flask, request: Request):
        if serves_api(request.path):
            return self.visitors.make_null_session(app)
        return self._for(request.path).open_session(app, request)

    def save_session(self, app: Flask, session, response: Response) -> None:
        self._for(request.path).save_session(app, session, response)

    def regenerate(self, session) -> None:
        """A new console session id (login, logout): only console sessions are regenerated."""
        self.console.regenerate(session)  # type: ignore[attr-defined]


def install_visitor_cookie_sessions(app: Flask) -> None:
    """Keep the server-side interface for the console; give the public pages signed cookie sessions."""
    app.session_interface = ConsoleOrVisitorSessions(app.session_interface, VisitorCookieSessions())


def install_resilient_redis_sessions(app: Flask) -> None:
    """Replace the Redis session interface Flask-Session installed by the resilient one, same settings."""
    current = app.session_interface
    app.session_interface = ResilientRedisSessionInterface(
        app,
        client=current.client,
        key_prefix=current.key_prefix,
        permanent=current.permanent,
        sid_length=current.sid_length,
        serialization_format=app.config.get("SESSION_SERIALIZATION_FORMAT", Defaults.SESSION_SERIALIZATION_FORMAT),
    )
