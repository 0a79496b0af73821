"""Change stamps: what lets a process answer a popular read again without asking the database.

Every commit that changes what a case's public figures show (a report stored, a review decision,
an adjustment, an edit of the case) replaces the case's stamp in Redis with a new random value,
after the commit. A process keeps an answer it built from the database together with the stamp
it read *before* building it, and serves the answer again while the stamp is unchanged: one
Redis GET instead of the case lookup, the totals read and the serialisation. A new report
therefore shows at once on every worker, as the live counter must.

A stamp lost with Redis (a restart, an eviction, a failed write after a commit) can only make an
answer look current when it is not, so no answer is kept longer than ``KEPT_ANSWER_SECONDS``.
Without Redis (the embedded default), or while Redis is unreachable, nothing is kept and every
read goes to the database; a report is stored whatever Redis does.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import redis
from flask import Flask, current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from campaign.actions.models import ActionReport
from campaign.actions.rollup_models import ReviewAdjustment
from campaign.cases.models import Case
from campaign.extensions import db

logger = logging.getLogger(__name__)

STAMP_KEY_PREFIX = "uat:totals-stamp:"
#: A stamp outlives any kept answer by far; old cases' stamps then leave Redis by themselves.
STAMP_TTL_SECONDS = 7 * 24 * 3600
#: How many answers a process keeps before dropping the oldest.
KEPT_ANSWERS = 1024
#: After a Redis error, how long a process reads from the database without trying Redis again.
REDIS_RETRY_SECONDS = 5.0

_CHANGED = "changed_case_ids"


@dataclass(frozen=True)
class KeptAnswer:
    case_id: int
    stamp: str | None
    body: bytes
    built_at: float


class _Stamps:
    """One app's Redis client for stamps and the answers kept under them in this process."""

    def __init__(self, client: redis.Redis, keep_seconds: float) -> None:
        self.client = client
        self.keep_seconds = keep_seconds
        self.answers: OrderedDict[object, KeptAnswer] = OrderedDict()
        self.unreachable_until = 0.0

    def _failed(self, what: str) -> None:
        self.unreachable_until = time.monotonic() + REDIS_RETRY_SECONDS
        logger.warning("Redis unreachable: %s", what)

    def read(self, case_id: int) -> tuple[bool, str | None]:
        """(whether Redis answered, the case's stamp or None when it has none)."""
        if time.monotonic() < self.unreachable_until:
            return False, None
        try:
            value = self.client.get(f"{STAMP_KEY_PREFIX}{case_id}")
        except redis.RedisError:
            self._failed("answers are read from the database")
            return False, None
        return True, value.decode() if value is not None else None

    def keep(self, key: object, answer: KeptAnswer) -> None:
        self.answers[key] = answer
        self.answers.move_to_end(key)
        while len(self.answers) > KEPT_ANSWERS:
            self.answers.popitem(last=False)

    def replace(self, case_ids: Iterable[int]) -> None:
        if time.monotonic() < self.unreachable_until:
            return
        try:
            with self.client.pipeline(transaction=False) as pipeline:
                for case_id in case_ids:
                    pipeline.set(f"{STAMP_KEY_PREFIX}{case_id}", secrets.token_hex(8), ex=STAMP_TTL_SECONDS)
                pipeline.execute()
        except redis.RedisError:
            self._failed(f"answers kept by other processes may lag for up to {self.keep_seconds:g} s")


def init_app(app: Flask) -> None:
    """Keep answers under stamps when the app has Redis; without it every read goes to the database."""
    if not app.config.get("REDIS_URL"):
        return
    client = redis.Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=0.5, socket_timeout=0.5)
    app.extensions["change_stamps"] = _Stamps(client, float(app.config["KEPT_ANSWER_SECONDS"]))


def _stamps() -> _Stamps | None:
    return current_app.extensions.get("change_stamps") if has_app_context() else None


def kept_answer(key: object, find_case: Callable[[], int | None], answer: Callable[[int], bytes]) -> bytes | None:
    """The answer kept under ``key`` while its case's stamp holds; else ``answer(find_case())``, kept for next time.

    ``find_case`` gives the case's id, or None when there is no such case (nothing is kept then).
    The stamp is read before the answer is built, so a kept answer is never older than its stamp.
    """
    stamps = _stamps()
    kept = stamps.answers.get(key) if stamps is not None else None
    stamp_read: tuple[bool, str | None] = (False, None)
    if kept is not None and time.monotonic() - kept.built_at < stamps.keep_seconds:  # type: ignore[union-attr]
        stamp_read = stamps.read(kept.case_id)  # type: ignore[union-attr]
        if stamp_read == (True, kept.stamp):
            return kept.body
    case_id = find_case()
    if stamps is None:
        return answer(case_id) if case_id is not None else None
    if case_id is None:
        stamps.answers.pop(key, None)
        return None
    if kept is None or kept.case_id != case_id or not stamp_read[0]:
        stamp_read = stamps.read(case_id)
    built_at = time.monotonic()
    body = answer(case_id)
    answered, stamp = stamp_read
    if answered:
        stamps.keep(key, KeptAnswer(case_id, stamp, body, built_at))
    return body


def _changed_cases(session: Session) -> set[int]:
    return session.info.setdefault(_CHANGED, set())


@event.listens_for(Session, "after_flush")
def _note_changed_cases(session: Session, flush_context) -> None:
    """Remember which cases this transaction changed: new reports and adjustments, review decisions, case edits."""
    changed = _changed_cases(session)
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, ReviewAdjustment) or (
            isinstance(instance, ActionReport)
            and (instance in session.new or inspect(instance).attrs.review_state.history.has_changes())
        ):
            changed.add(instance.case_id)
        elif isinstance(instance, Case) and instance.id is not None:
            changed.add(instance.id)


def mark_changed(case_ids: Iterable[int]) -> None:
    """For changes made without the ORM's unit of work (a repaired total): their cases get new stamps on commit."""
    _changed_cases(db.session()).update(case_ids)


@event.listens_for(Session, "after_commit")
def _replace_stamps(session: Session) -> None:
    changed = session.info.pop(_CHANGED, None)
    stamps = _stamps()
    if changed and stamps is not None:
        stamps.replace(changed)


@event.listens_for(Session, "after_rollback")
def _forget_changed_cases(session: Session) -> None:
    session.info.pop(_CHANGED, None)
