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
from flask import Flask, current_app, g, has_app_context
from redis.exceptions import NoScriptError
from sqlalchemy import event
from sqlalchemy.orm import Session

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
    """A Lua script sent on this thread's own Redis connection, its reply read later.

    A report makes one Redis call; through the client's pool (checkout, retry wrapper, checkin) it cost the
    web worker about twice the CPU of the command itself. So each thread (a sync worker has one) keeps one
    connection, made with the pool's settings (address, database, timeouts), again in a forked process, and
    dropped after any error, since a reply may then be left unread on it. Sending and reading apart lets the
    worker do the rest of a report's work while Redis runs the script (``PendingCount``).
    """

    def __init__(self, client: redis.Redis, source: str) -> None:
        self.pool = client.connection_pool
        self.source = source
        self.sha = client.register_script(source).sha
        self.local = threading.local()

    def send(self, keys: list[str], args: list) -> None:
        """Send the script; a connection Redis closed while it sat idle is replaced once, as redis-py's own
        retry would."""
        try:
            try:
                self._send(keys, args)
            except redis.ConnectionError:
                self.drop()
                self._send(keys, args)
        except BaseException:
            self.drop()
            raise

    def receive(self, keys: list[str], args: list) -> list:
        """The reply to ``send``. Redis may have closed the connection before reading the script (a restart, a
        client timeout): it is sent once more on a new one; only a Redis that died after running it could then
        see this report twice, which at worst holds one of the sender's later reports for review."""
        try:
            try:
                return self._reply(keys, args)
            except redis.ConnectionError:
                self.drop()
                self._send(keys, args)
                return self._reply(keys, args)
        except BaseException:
            self.drop()
            raise

    def drop(self) -> None:
        """Close this thread's connection (a reply left unread on it goes with it)."""
        connection = getattr(self.local, "connection", None)
        self.local.connection = None
        if connection is not None:
            connection.disconnect()

    def _connection(self) -> redis.Connection:
        if getattr(self.local, "connection", None) is None or self.local.pid != os.getpid():
            self.local.connection = self.pool.connection_class(**self.pool.connection_kwargs)
            self.local.pid = os.getpid()
        return self.local.connection

    def _send(self, keys: list[str], args: list) -> None:
        self._connection().send_command("EVALSHA", self.sha, len(keys), *keys, *args)

    def _reply(self, keys: list[str], args: list) -> list:
        connection = self._connection()
        try:
            return connection.read_response()
        except NoScriptError:
            connection.send_command("EVAL", self.source, len(keys), *keys, *args)
            return connection.read_response()


class PendingCount:
    """The repeat counts of one report, sent to Redis and not yet read.

    ``result`` reads them (once); a count never read is taken back by ``close``, which the report's code calls
    whatever happened, so a report that failed before its review does not count as a repeat.
    """

    def __init__(self, counter: _RepeatCounter, keys: list[str], arguments: list, window_seconds: int) -> None:
        self.counter = counter
        self.keys = keys
        self.arguments = arguments
        self.window_seconds = window_seconds
        self.sent = False
        self.read = False

    def send(self) -> PendingCount:
        try:
            self.counter.script.send(self.keys, self.arguments)
        except redis.RedisError:
            self.counter.unreachable()
        else:
            self.sent = True
        return self

    def result(self) -> list[int] | None:
        """Each sender's reports on the subject within the window before this one; None when the database must
        say (Redis did not answer, or has not counted for a whole window yet)."""
        if not self.sent or self.read:
            return None
        self.read = True
        try:
            marker_age_ms, *counts = self.counter.script.receive(self.keys, self.arguments)
        except redis.RedisError:
            self.counter.unreachable()
            return None
        self.counter.missed_a_report = False
        g.setdefault(_RECORDED, []).append((self.keys[1:], self.arguments[2]))
        if -int(marker_age_ms) < self.window_seconds * 1000:
            return None
        return [int(count) for count in counts]

    def close(self) -> None:
        if self.sent and not self.read:
            self.read = True
            self.counter.script.drop()
            self.counter.forget([(self.keys[1:], self.arguments[2])])


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

    def count_and_record(self, subject: str, senders: list[Sender], window_seconds: int) -> PendingCount | None:
        """Send this report's count and record to Redis; None when Redis is known to be away."""
        if time.monotonic() < self.unreachable_until:
            self.missed_a_report = True
            return None
        keys = [MARKER_KEY, *(self.key(sender, subject) for sender in senders)]
        arguments = [window_seconds * 1000, int(self.missed_a_report), secrets.token_hex(8)]
        return PendingCount(self, keys, [*arguments, *(sender.limit for sender in senders)], window_seconds).send()

    def unreachable(self) -> None:
        self.unreachable_until = time.monotonic() + REDIS_RETRY_SECONDS
        self.missed_a_report = True
        logger.warning("Redis unreachable: repeat checks ask the database")

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


def start_repeat_count(subject: str, senders: list[Sender], window_seconds: int) -> PendingCount | None:
    """Start counting how many reports on ``subject`` each sender made within the window before this one (and
    record this one); None when only the database can say (no Redis, or Redis known to be away)."""
    counter = current_app.extensions.get("repeat_counter") if has_app_context() else None
    if counter is None or not senders:
        return None
    return counter.count_and_record(subject, senders, window_seconds)


@event.listens_for(Session, "after_commit")
def keep_recorded_repeats(session: Session | None = None) -> None:
    """The reports recorded in Redis in this app context were committed: they stay counted.

    They are held in ``g``, as the app's session is (one per app context), whichever transaction stores them:
    an anonymous report's direct one (``campaign.actions.report_transactions``) opens no session and calls this
    and ``forget_recorded_repeats`` itself.
    """
    if has_app_context():
        g.pop(_RECORDED, None)


@event.listens_for(Session, "after_rollback")
def forget_recorded_repeats(session: Session | None = None) -> None:
    """The reports recorded in Redis in this app context were rolled back: they no longer count as repeats."""
    if not has_app_context():
        return
    recorded = g.pop(_RECORDED, None)
    counter = current_app.extensions.get("repeat_counter")
    if recorded and counter is not None:
        counter.forget(recorded)
