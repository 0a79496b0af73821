"""Kept answers: what lets a process answer a popular read again without asking the database.

A process keeps an answer it built from the database and serves it again for a while; two kinds of
answer are kept differently, because they change at very different rates.

``CONTENT`` (what a case's page shows besides its figures: the case row, its people, asks, letters,
targets, updates, translations) changes when an organiser edits it. Each case has a content stamp in
Redis, a random value replaced after every commit that edits any of it. An answer is kept with the
stamp read *before* it was built and served again while that stamp holds: at most once every
``KEPT_ANSWER_RECHECK_SECONDS`` a process asks Redis (one GET) whether it still does.

``FIGURES`` (totals, the recent totals, the page's counter) change with every report: on a viral
case, hundreds of times a second. A stamp replaced on each would cost every report a Redis write after
its commit and every read a rebuild. So figures have no stamp: a process keeps a case's figures answer
for ``KEPT_ANSWER_RECHECK_SECONDS`` after building it, then builds it again from the database (the
rolled-up part, itself kept per watermark, and the few reports since). Each process thus reads a busy
case's figures at most once in that time, whatever the rate of reports, and what it serves is exact as
of when it was built: a report shows on every worker within that time. A report's own answer counts it.

A content stamp lost with Redis (a restart, an eviction, a failed write after a commit) can only make
an answer look current when it is not, so no answer is kept longer than ``KEPT_ANSWER_SECONDS``.
Without Redis (the embedded default), or while Redis is unreachable, nothing is kept and every read
goes to the database; a report is stored whatever Redis does.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TypeVar

import redis
from flask import Flask, current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from campaign.cases.models import Ask, Case, CaseTarget, CaseTranslation, ModelLetter, Person, Target, TimelineEntry

logger = logging.getLogger(__name__)

STAMP_KEY_PREFIX = "uat:stamp:"
#: A stamp outlives any kept answer by far; old cases' stamps then leave Redis by themselves.
STAMP_TTL_SECONDS = 7 * 24 * 3600
#: How many answers a process keeps before dropping the oldest.
KEPT_ANSWERS = 1024
#: After a Redis error, how long a process reads from the database without trying Redis again.
REDIS_RETRY_SECONDS = 5.0

_CHANGED = "changed_stamps"

#: Answers from a case's figures: kept for the recheck time, then built again.
FIGURES = "figures"
#: Answers from what the action page shows of a case besides its figures: kept while its stamp holds.
CONTENT = "content"

T = TypeVar("T")


@dataclass(frozen=True)
class KeptAnswer:
    #: The content stamp's key and value it was built under; None for figures.
    stamp_key: str | None
    stamp: str | None
    value: object
    built_at: float
    #: When the stamp was last found to hold (the build, or a later check).
    checked_at: float


class _Stamps:
    """One app's Redis client for stamps and the answers kept under them in this process."""

    def __init__(self, client: redis.Redis, keep_seconds: float, recheck_seconds: float) -> None:
        self.client = client
        self.keep_seconds = keep_seconds
        self.recheck_seconds = recheck_seconds
        self.answers: OrderedDict[object, KeptAnswer] = OrderedDict()
        self.unreachable_until = 0.0

    def _failed(self, what: str) -> None:
        self.unreachable_until = time.monotonic() + REDIS_RETRY_SECONDS
        logger.warning("Redis unreachable: %s", what)

    def read(self, stamp_key: str) -> tuple[bool, str | None]:
        """(whether Redis answered, the stamp or None when there is none)."""
        if time.monotonic() < self.unreachable_until:
            return False, None
        try:
            value = self.client.get(stamp_key)
        except redis.RedisError:
            self._failed("answers are read from the database")
            return False, None
        return True, value.decode() if value is not None else None

    def keep(self, key: object, answer: KeptAnswer) -> None:
        self.answers[key] = answer
        self.answers.move_to_end(key)
        while len(self.answers) > KEPT_ANSWERS:
            self.answers.popitem(last=False)

    def replace(self, stamp_keys: Iterable[str]) -> None:
        if time.monotonic() < self.unreachable_until:
            return
        try:
            with self.client.pipeline(transaction=False) as pipeline:
                for stamp_key in stamp_keys:
                    pipeline.set(stamp_key, secrets.token_hex(8), ex=STAMP_TTL_SECONDS)
                pipeline.execute()
        except redis.RedisError:
            self._failed(f"answers kept by other processes may lag for up to {self.keep_seconds:g} s")


def init_app(app: Flask) -> None:
    """Keep answers under stamps when the app has Redis; without it every read goes to the database."""
    if not app.config.get("REDIS_URL"):
        return
    client = redis.Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=0.5, socket_timeout=0.5)
    app.extensions["change_stamps"] = _Stamps(
        client, float(app.config["KEPT_ANSWER_SECONDS"]), float(app.config["KEPT_ANSWER_RECHECK_SECONDS"])
    )


def _stamps() -> _Stamps | None:
    return current_app.extensions.get("change_stamps") if has_app_context() else None


def stamp_key(case_id: int) -> str:
    """The Redis key of a case's content stamp."""
    return f"{STAMP_KEY_PREFIX}{CONTENT}:{case_id}"


def kept_answer(kind: str, key: object, find_case: Callable[[], int | None], answer: Callable[[int], T]) -> T | None:
    """The answer kept under ``key`` while it is current (see the module); else ``answer(find_case())``, kept.

    ``find_case`` gives the case's id, or None when there is no such case (nothing is kept then).
    A content stamp is read before the answer is built, so a kept answer is never older than its stamp.
    """
    stamps = _stamps()
    kept = stamps.answers.get(key) if stamps is not None else None
    stamp_read: tuple[bool, str | None] = (False, None)
    now = time.monotonic()
    if kept is not None and now - kept.checked_at < stamps.recheck_seconds:  # type: ignore[union-attr]
        return kept.value  # type: ignore[return-value]
    if kind == CONTENT and kept is not None and now - kept.built_at < stamps.keep_seconds:  # type: ignore[union-attr]
        stamp_read = stamps.read(kept.stamp_key)  # type: ignore[union-attr]
        if stamp_read == (True, kept.stamp):
            stamps.answers[key] = replace(kept, checked_at=now)  # type: ignore[union-attr]
            return kept.value  # type: ignore[return-value]
    case_id = find_case()
    if stamps is None:
        return answer(case_id) if case_id is not None else None
    if case_id is None:
        stamps.answers.pop(key, None)
        return None
    if kind == FIGURES:
        built_at = time.monotonic()
        value = answer(case_id)
        stamps.keep(key, KeptAnswer(None, None, value, built_at, built_at))
        return value
    key_of_stamp = stamp_key(case_id)
    if kept is None or kept.stamp_key != key_of_stamp or not stamp_read[0]:
        stamp_read = stamps.read(key_of_stamp)
    built_at = time.monotonic()
    value = answer(case_id)
    answered, stamp = stamp_read
    if answered:
        stamps.keep(key, KeptAnswer(key_of_stamp, stamp, value, built_at, built_at))
    return value


def _changed_stamps(session: Session) -> set[str]:
    return session.info.setdefault(_CHANGED, set())


#: What an action page shows of a case besides the case row: an edit of any of these changes its stamp.
CASE_CONTENT = (Person, Ask, ModelLetter, CaseTarget, TimelineEntry, CaseTranslation)


@event.listens_for(Session, "after_flush")
def _note_changed_cases(session: Session, flush_context) -> None:
    """Remember which cases' content this transaction changes: the case row (its status decides whether its
    figures are public at all) and everything its page shows. Reports and review decisions change no stamp.

    A target is shared by cases, so an edit of one changes the content of every case that links it.
    """
    changed = _changed_stamps(session)
    edited_targets = []
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, CASE_CONTENT):
            changed.add(stamp_key(instance.case_id))
        elif isinstance(instance, Case) and instance.id is not None:
            changed.add(stamp_key(instance.id))
        elif isinstance(instance, Target) and instance.id is not None:
            edited_targets.append(instance.id)
    if edited_targets:
        linking = select(CaseTarget.case_id).where(CaseTarget.target_id.in_(edited_targets))
        changed.update(stamp_key(case_id) for case_id in session.execute(linking).scalars())


@event.listens_for(Session, "after_commit")
def _replace_stamps(session: Session) -> None:
    changed = session.info.pop(_CHANGED, None)
    stamps = _stamps()
    if changed and stamps is not None:
        stamps.replace(changed)


@event.listens_for(Session, "after_rollback")
def _forget_changed_cases(session: Session) -> None:
    session.info.pop(_CHANGED, None)
