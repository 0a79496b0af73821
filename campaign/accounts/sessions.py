"""Redis-backed sessions that degrade instead of failing when Redis is unreachable.

Public pages put a CSRF token in the session; without this, a Redis outage would turn every
page into a 500. While Redis is down a visitor gets a fresh, unsaved session: pages render and
the JSON API works, console logins wait for Redis to come back.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import redis
from flask import Flask
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
