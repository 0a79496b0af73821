"""How often a sender reported the same case, type and target lately, counted in Redis so a report costs no SQL for it.

The repeat rule (``campaign.actions.review``) holds a report when the same email, or the same day's address
fingerprint, already reported the same case, action type and target ``limit`` times within the window. The
database can always answer that, but asking costs a query per report. Redis answers it from one sorted set per
sender, case, type and target: the times of that sender's newest reports, at most ``limit`` of them, dropped
as they leave the window, the whole set gone a window after its last report. Keys name an HMAC of the email,
never the email. One script counts and records in one round trip, so of two reports sent at once the second
sees the first.

Redis's count is the database's count only while Redis has seen every report of the window. A marker holds
since when it has been counting without a gap; it is set again (the count starts afresh) when Redis was empty
(a restart, a flush, a new deployment) and when a process stored a report while Redis did not answer. Until
the marker is a whole window old, and whenever Redis does not answer, the database is asked as before. A report
recorded here whose transaction is rolled back (a repeated idempotency key, a failed insert) is taken out again.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import threading
import time
from dataclasses import dataclass

import redis
from flask import Flask, current_app, has_app_context
from redis.exceptions import NoScriptError
from sqlalchemy import event
from sqlalchemy.orm import Session

from campaign.extensions import db

logger = logging.getLogger(__name__)

KEY_PREFIX = "uat:repeat:"
MARKER_KEY = KEY_PREFIX + "counting-since"
#: After a Redis error, how long a process asks the database without trying Redis again.
REDIS_RETRY_SECONDS = 5.0
_RECORDED = "recorded_repeats"

#: KEYS: the marker, then one sorted set per sender. ARGV: window (ms), whether to restart the count,
#: this report's member, then each set's limit. Returns the marker's time (ms), then each set's count
#: of reports within the window before this one.
_COUNT_AND_RECORD = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local window = tonumber(ARGV[1])
if ARGV[2] == '1' then
  redis.call('SET', KEYS[1], now)
else
  redis.call('SET', KEYS[1], now, 'NX')
end
local answer = {tonumber(redis.call('GET', KEYS[1])) - now}
for index = 2, #KEYS do
  local key = KEYS[index]
  local limit = tonumber(ARGV[index + 2])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  answer[#answer + 1] = redis.call('ZCARD', key)
  redis.call('ZADD', key, now, ARGV[3])
  redis.call('ZREMRANGEBYRANK', key, 0, -(limit + 1))
  redis.call('PEXPIRE', key, window)
end
return answer
"""


@dataclass(frozen=True)
class Sender:
    """One way of recognising who sent a report (``kind`` ``email`` or ``address``) and its repeat limit."""

    kind: str
    identity: str
    limit: int


class _ScriptOnOwnConnection:
    """A Lua script run on one Redis connection of this process, called as redis-py's ``Script`` is.

    A report makes one Redis call; through the client's pool (checkout, retry wrapper, checkin) it cost the
    web worker about twice the CPU of the command itself. A sync worker serves one request at a time, so one
    connection is enough (a lock keeps the threads of a threaded server from sharing it at once): made with the
    pool's settings (address, database, timeouts), again in a forked process, and dropped after any error,
    since a reply may then be left unread on it.
    """

    def __init__(self, client: redis.Redis, source: str) -> None:
        self.pool = client.connection_pool
        self.source = source
        self.sha = client.register_script(source).sha
        self.connection: redis.Connection | None = None
        self.connection_pid = 0
        self.lock = threading.Lock()

    def __call__(self, *, keys: list[str], args: list) -> list:
        with self.lock:
            try:
                return self._run(keys, args)
            except redis.ConnectionError:
                return self._run(keys, args)

    def _run(self, keys: list[str], args: list) -> list:
        """Run the script once. A connection Redis closed while it sat idle (a restart, a client timeout) fails
        with ``ConnectionError`` and the caller tries once more on a new one, as redis-py's own retry would; only
        a Redis that died after running the command could then see this report twice, which at worst holds one
        of the sender's later reports for review."""
        if self.connection is None or self.connection_pid != os.getpid():
            self.connection = self.pool.connection_class(**self.pool.connection_kwargs)
            self.connection_pid = os.getpid()
        connection = self.connection
        try:
            try:
                connection.send_command("EVALSHA", self.sha, len(keys), *keys, *args)
                return connection.read_response()
            except NoScriptError:
                connection.send_command("EVAL", self.source, len(keys), *keys, *args)
                return connection.read_response()
        except BaseException:
            connection.disconnect()
            self.connection = None
            raise


class _RepeatCounter:
    def __init__(self, client: redis.Redis, secret: bytes) -> None:
        self.client = client
        self.script = _ScriptOnOwnConnection(client, _COUNT_AND_RECORD)
        self.secret = secret
        self.unreachable_until = 0.0
        #: Set when this process stored a report Redis did not see: the next count restarts the marker.
        self.missed_a_report = False

    def key(self, sender: Sender, subject: str) -> str:
        identity = sender.identity
        if sender.kind == "email":
            identity = hmac.new(self.secret, identity.encode(), hashlib.sha256).hexdigest()[:32]
        return f"{KEY_PREFIX}{subject}:{sender.kind}:{identity}"

    def count_and_record(self, subject: str, senders: list[Sender], window_seconds: int) -> list[int] | None:
        """Each sender's reports on ``subject`` within the window before this one; None when the database must say."""
        if time.monotonic() < self.unreachable_until:
            self.missed_a_report = True
            return None
        keys = [MARKER_KEY, *(self.key(sender, subject) for sender in senders)]
        arguments = [window_seconds * 1000, int(self.missed_a_report), secrets.token_hex(8)]
        try:
            marker_age_ms, *counts = self.script(keys=keys, args=[*arguments, *(s.limit for s in senders)])
        except redis.RedisError:
            self.unreachable_until = time.monotonic() + REDIS_RETRY_SECONDS
            self.missed_a_report = True
            logger.warning("Redis unreachable: repeat checks ask the database")
            return None
        self.missed_a_report = False
        db.session.info.setdefault(_RECORDED, []).append((keys[1:], arguments[2]))
        if -int(marker_age_ms) < window_seconds * 1000:
            return None
        return [int(count) for count in counts]

    def forget(self, recorded: list[tuple[list[str], str]]) -> None:
        try:
            with self.client.pipeline(transaction=False) as pipeline:
                for keys, member in recorded:
                    for key in keys:
                        pipeline.zrem(key, member)
                pipeline.execute()
        except redis.RedisError:
            logger.warning("Redis unreachable: a report rolled back still counts as a repeat for an hour")


def init_app(app: Flask) -> None:
    """Count repeats in Redis when the app has it; without it the database counts every time."""
    if not app.config.get("REDIS_URL"):
        return
    client = redis.Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=0.5, socket_timeout=0.5)
    secret = hmac.new(app.config["SECRET_KEY"].encode(), b"repeat-sender-v1", hashlib.sha256).digest()
    app.extensions["repeat_counter"] = _RepeatCounter(client, secret)


def recent_repeats(subject: str, senders: list[Sender], window_seconds: int) -> list[int] | None:
    """How many reports on ``subject`` each sender made within the window before this one, now recorded;
    None when only the database can say (no Redis, Redis away, or Redis not yet counting for a whole window).
    """
    counter = current_app.extensions.get("repeat_counter") if has_app_context() else None
    if counter is None or not senders:
        return None
    return counter.count_and_record(subject, senders, window_seconds)


@event.listens_for(Session, "after_commit")
def keep_recorded_repeats(session: Session) -> None:
    """The reports recorded in Redis during this request were committed: they stay counted.

    The recorded reports are held in the session's ``info`` whichever transaction stored them (a direct one,
    ``campaign.actions.report_transactions``, keeps and forgets them itself).
    """
    session.info.pop(_RECORDED, None)


@event.listens_for(Session, "after_rollback")
def forget_recorded_repeats(session: Session) -> None:
    """The reports recorded in Redis during this request were rolled back: they no longer count as repeats."""
    recorded = session.info.pop(_RECORDED, None)
    counter = current_app.extensions.get("repeat_counter") if has_app_context() else None
    if recorded and counter is not None:
        counter.forget(recorded)
