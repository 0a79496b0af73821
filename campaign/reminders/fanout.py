"""The fan-out of reminders and case updates: the scan, claims and once-only deliveries.

How a reminder reaches each supporter once (docs/reminders.md says it at length):
1. When a reminder is due, one conditional UPDATE moves it from ``pending`` to ``sending`` and
   the same transaction writes one ``delivery_ledger`` row per eligible supporter; the unique
   (reminder, supporter) constraint makes a second writer add nothing.
2. A batch task, on a connection of its own that holds an advisory lock named by its claim
   token, claims rows with ``FOR UPDATE SKIP LOCKED`` (state ``claimed``, that token), so
   parallel batches never share a row.
3. For each row it checks that the claim is still its own and that the supporter may still be
   emailed, sends, and marks the row ``sent`` before the next send.
4. The scan hands back rows claimed too long ago whose batch's lock is free (its worker died),
   and queues batches again for a reminder nobody works on.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, bindparam, exists, false, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from campaign.cases.models import Case, CaseStatus
from campaign.database import UTCDateTime, utcnow
from campaign.extensions import db
from campaign.mail import (
    MailFailure,
    MailSession,
    PermanentMailFailure,
    TemporaryMailFailure,
)
from campaign.reminders.models import (
    DeliveryLedger,
    DeliveryState,
    Reminder,
    ReminderState,
)
from campaign.reminders.queries import eligibility_conditions, subscription_join
from campaign.reminders.rendering import ReminderRenderer
from campaign.reminders.scheduling import sync_automatic_reminders
from campaign.supporters.models import Subscription, Supporter

#: Backoff after temporary SMTP failures never waits longer than this.
MAX_RETRY_DELAY = timedelta(hours=6)
#: First key of the PostgreSQL advisory locks that say a batch's worker is alive ("REMI").
CLAIM_LOCK_CLASS = 0x52454D49


# The scan -------------------------------------------------------------------------------------


@dataclass
class ScanResult:
    """What one scan did, and the batches and confirmation emails to queue once it commits."""

    reminders_created: int = 0
    reminders_cancelled: int = 0
    reminders_started: int = 0
    reminders_completed: int = 0
    deliveries_added: int = 0
    claims_returned: int = 0
    #: Reminder id → number of batch tasks to queue.
    batches: dict[int, int] = field(default_factory=dict)
    #: Supporters whose never-queued confirmation email to queue.
    confirmations: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.reminders_started} reminders started ({self.deliveries_added} deliveries), "
            f"{sum(self.batches.values())} batches queued, {self.claims_returned} stale claims returned, "
            f"{self.reminders_completed} completed, {self.reminders_created} scheduled, "
            f"{self.reminders_cancelled} cancelled, {len(self.confirmations)} confirmations queued"
        )


def _claim_lock_key(token: str) -> int:
    """The claim token as the second key of a PostgreSQL advisory lock (the first is CLAIM_LOCK_CLASS)."""
    return int.from_bytes(bytes.fromhex(token)[:4], "big", signed=True)


def _is_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def return_stale_claims(now: datetime) -> int:
    """Hand rows claimed longer than REMINDER_CLAIM_TIMEOUT_SECONDS ago back to ``pending``, if their worker is gone.

    On PostgreSQL a batch holds an advisory lock named by its claim token on its own connection
    for as long as it runs; the lock ends with the connection, so a claim whose lock can be taken
    here belongs to a dead worker. A live batch, however slow, keeps its rows.
    """
    cutoff = now - timedelta(seconds=current_app.config["REMINDER_CLAIM_TIMEOUT_SECONDS"])
    stale_tokens = db.session.scalars(
        select(DeliveryLedger.claim_token)
        .where(DeliveryLedger.state == DeliveryState.CLAIMED, DeliveryLedger.claimed_at < cutoff)
        .distinct()
    ).all()
    returned = 0
    for token in stale_tokens:
        if token is None:
            continue
        if _is_postgresql() and not db.session.scalar(
            select(func.pg_try_advisory_xact_lock(CLAIM_LOCK_CLASS, _claim_lock_key(token)))
        ):
            continue
        result = db.session.execute(
            update(DeliveryLedger)
            .where(DeliveryLedger.claim_token == token, DeliveryLedger.state == DeliveryState.CLAIMED)
            .values(state=DeliveryState.PENDING, claim_token=None, claimed_at=None)
            .execution_options(synchronize_session=False)
        )
        returned += result.rowcount
    return returned


def _batches_for(rows: int) -> int:
    return math.ceil(rows / current_app.config["REMINDER_BATCH_SIZE"]) if rows else 0


def start_reminder(reminder_id: int, now: datetime) -> int | None:
    """Move a due reminder to ``sending`` and write its ledger rows; None when another scan did it first."""
    started = db.session.execute(
        update(Reminder)
        .where(Reminder.id == reminder_id, Reminder.state == ReminderState.PENDING)
        .values(state=ReminderState.SENDING, started_at=now, last_activity_at=now)
        .execution_options(synchronize_session=False)
    )
    if started.rowcount != 1:
        return None
    reminder = db.session.get(Reminder, reminder_id)
    assert reminder is not None
    rows = (
        select(
            literal(reminder.id),
            Supporter.id,
            literal(DeliveryState.PENDING.value),
            literal(0),
            literal(now, UTCDateTime),
            literal(now, UTCDateTime),
        )
        .select_from(Supporter)
        .join(Subscription, subscription_join(reminder.case_id))
        .where(*eligibility_conditions(reminder.case_id, reminder.is_skipping_reporters))
    )
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(DeliveryLedger)
        .from_select(["reminder_id", "supporter_id", "state", "attempts", "next_attempt_at", "created_at"], rows)
        .on_conflict_do_nothing()
    )
    db.session.execute(statement)
    return db.session.scalar(select(func.count()).where(DeliveryLedger.reminder_id == reminder.id)) or 0


def complete_if_done(reminder_id: int, now: datetime) -> bool:
    """Mark a sending reminder ``sent`` once no row of it is pending or claimed."""
    unfinished = exists().where(
        DeliveryLedger.reminder_id == reminder_id,
        DeliveryLedger.state.in_([DeliveryState.PENDING, DeliveryState.CLAIMED]),
    )
    result = db.session.execute(
        update(Reminder)
        .where(Reminder.id == reminder_id, Reminder.state == ReminderState.SENDING, ~unfinished)
        .values(state=ReminderState.SENT, completed_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def run_scan(now: datetime | None = None) -> ScanResult:
    """One pass of the beat (and of ``reminders send-due``): schedule, sweep, start due reminders, re-queue stalled ones.

    Safe to run any number of times and in parallel; the caller commits, then queues ``batches``.
    The scan's time is taken after scheduling, so a reminder it schedules as already due (a
    deadline nearer than REMINDER_DAYS_BEFORE) is started by this same run.
    """
    result = ScanResult()
    result.reminders_created, result.reminders_cancelled = sync_automatic_reminders()
    now = now or utcnow()
    result.claims_returned = return_stale_claims(now)

    due = db.session.scalars(
        select(Reminder.id)
        .join(Case, Case.id == Reminder.case_id)
        .where(Reminder.state == ReminderState.PENDING, Reminder.send_at <= now, Case.status != CaseStatus.DRAFT)
        .order_by(Reminder.send_at, Reminder.id)
    ).all()
    for reminder_id in due:
        added = start_reminder(reminder_id, now)
        if added is None:
            continue
        result.reminders_started += 1
        result.deliveries_added += added
        if added:
            result.batches[reminder_id] = _batches_for(added)
        elif complete_if_done(reminder_id, now):
            result.reminders_completed += 1

    stall_cutoff = now - timedelta(seconds=current_app.config["REMINDER_STALL_SECONDS"])
    sending = db.session.scalars(
        select(Reminder).where(Reminder.state == ReminderState.SENDING, Reminder.id.not_in(list(result.batches)))
    ).all()
    for reminder in sending:
        if complete_if_done(reminder.id, now):
            result.reminders_completed += 1
            continue
        if reminder.last_activity_at is not None and reminder.last_activity_at >= stall_cutoff:
            continue
        waiting = db.session.scalar(
            select(func.count()).where(
                DeliveryLedger.reminder_id == reminder.id,
                DeliveryLedger.state == DeliveryState.PENDING,
                DeliveryLedger.next_attempt_at <= now,
            )
        )
        if waiting:
            reminder.last_activity_at = now
            result.batches[reminder.id] = _batches_for(waiting)

    from campaign.supporters.queries import supporters_owed_a_confirmation

    result.confirmations = supporters_owed_a_confirmation()
    return result


# Sending --------------------------------------------------------------------------------------


def claim_batch(reminder_id: int, now: datetime, connection: Connection | None = None) -> tuple[str, list[int]]:
    """Claim up to REMINDER_BATCH_SIZE due rows of a sending reminder; parallel claimers skip each other's rows."""
    token = secrets.token_hex(16)
    execute = connection.execute if connection is not None else db.session.execute
    if connection is not None and _is_postgresql():
        connection.execute(select(func.pg_advisory_lock(CLAIM_LOCK_CLASS, _claim_lock_key(token))))
    candidates = (
        select(DeliveryLedger.id)
        .join(Reminder, Reminder.id == DeliveryLedger.reminder_id)
        .where(
            DeliveryLedger.reminder_id == reminder_id,
            DeliveryLedger.state == DeliveryState.PENDING,
            DeliveryLedger.next_attempt_at <= now,
            Reminder.state == ReminderState.SENDING,
        )
        # The index's own order: the claim reads only the rows it takes. Ordering by id sorted every
        # pending row of the reminder at each claim (220 ms with 73,000 pending).
        .order_by(DeliveryLedger.next_attempt_at)
        .limit(current_app.config["REMINDER_BATCH_SIZE"])
        .with_for_update(of=DeliveryLedger, skip_locked=True)
    )
    claimed = (
        execute(
            update(DeliveryLedger)
            .where(DeliveryLedger.id.in_(candidates.scalar_subquery()))
            .values(state=DeliveryState.CLAIMED, claimed_at=now, claim_token=token)
            .returning(DeliveryLedger.id)
            .execution_options(synchronize_session=False)
        )
        .scalars()
        .all()
    )
    if claimed:
        execute(
            update(Reminder)
            .where(Reminder.id == reminder_id)
            .values(last_activity_at=now)
            .execution_options(synchronize_session=False)
        )
    return token, sorted(claimed)


@dataclass
class BatchOutcome:
    """What a batch did; ``retry_in`` is set when the server was unreachable and the rest must wait."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    deferred: int = 0
    retry_in: float | None = None


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the given number of temporary failures."""
    base = current_app.config["REMINDER_RETRY_BASE_SECONDS"]
    return min(timedelta(seconds=base * 2 ** max(attempts - 1, 0)), MAX_RETRY_DELAY)


def _set_row(ledger_id: int, token: str, **values: object) -> None:
    """Settle a row this claim holds: it leaves the claim (token cleared) in the state given."""
    db.session.connection().execute(
        update(DeliveryLedger)
        .where(DeliveryLedger.id == ledger_id, DeliveryLedger.claim_token == token)
        .values(claim_token=None, **values)
    )


def _release(ledger_ids: Iterable[int], token: str, now: datetime, failure: MailFailure) -> float:
    """Hand unsent rows back with one more attempt counted; those out of attempts are failed."""
    max_attempts = current_app.config["REMINDER_MAX_ATTEMPTS"]
    longest = 0.0
    for ledger_id in ledger_ids:
        attempts = db.session.scalar(
            select(DeliveryLedger.attempts).where(DeliveryLedger.id == ledger_id, DeliveryLedger.claim_token == token)
        )
        if attempts is None:
            continue
        attempts += 1
        if attempts >= max_attempts:
            _set_row(ledger_id, token, state=DeliveryState.FAILED, attempts=attempts, last_error=failure.reason[:300])
            continue
        delay = retry_delay(attempts)
        longest = max(longest, delay.total_seconds())
        _set_row(
            ledger_id,
            token,
            state=DeliveryState.PENDING,
            attempts=attempts,
            claimed_at=None,
            next_attempt_at=now + delay,
            last_error=failure.reason[:300],
        )
    db.session.commit()
    return longest


def send_batch(reminder_id: int) -> BatchOutcome:
    """Claim a batch of a reminder's deliveries and send them, each once.

    Unlike other operations this one writes as it goes, on a connection of its own in autocommit:
    the claim before sending, then per row a check that the claim is still this batch's and the
    supporter may still be emailed, the send, and the row marked ``sent`` at once, so a worker
    killed at any moment leaves at most the message in flight unrecorded. The connection holds
    the claim's advisory lock while the batch runs (see ``return_stale_claims``).

    On PostgreSQL that connection commits without waiting for the WAL flush (``synchronous_commit
    off``): a commit is the server's once it returns, so a killed worker loses none, and only a
    crash of the database server itself can lose the last marks (docs/reminders.md says what that
    re-sends). It is reset before the connection goes back to the pool.
    """
    outcome = BatchOutcome()
    db.session.commit()
    with db.engine.connect() as pinned:
        connection = pinned.execution_options(isolation_level="AUTOCOMMIT")
        try:
            if _is_postgresql():
                connection.exec_driver_sql("SET synchronous_commit TO off")
            token, ledger_ids = claim_batch(reminder_id, utcnow(), connection)
            if ledger_ids:
                _send_claimed(reminder_id, token, ledger_ids, connection, outcome)
            if _is_postgresql():
                connection.execute(select(func.pg_advisory_unlock(CLAIM_LOCK_CLASS, _claim_lock_key(token))))
                connection.exec_driver_sql("RESET synchronous_commit")
        except BaseException:
            pinned.invalidate()
            raise
    complete_if_done(reminder_id, utcnow())
    db.session.commit()
    return outcome


def _send_claimed(
    reminder_id: int, token: str, ledger_ids: list[int], connection: Connection, outcome: BatchOutcome
) -> None:
    reminder = db.session.get(Reminder, reminder_id)
    assert reminder is not None
    case = db.session.get(Case, reminder.case_id)
    assert case is not None
    renderer = ReminderRenderer(reminder, case)
    case_id, is_skipping = reminder.case_id, reminder.is_skipping_reporters
    db.session.commit()
    is_eligible = and_(*eligibility_conditions(case_id, is_skipping))
    check = (
        select(
            Supporter.email,
            Supporter.language,
            Supporter.unsubscribe_token,
            Reminder.state,
            func.coalesce(is_eligible, false()).label("is_eligible"),
        )
        .select_from(DeliveryLedger)
        .join(Supporter, Supporter.id == DeliveryLedger.supporter_id)
        .join(Reminder, Reminder.id == DeliveryLedger.reminder_id)
        .outerjoin(Subscription, subscription_join(case_id))
        .where(
            DeliveryLedger.id == bindparam("ledger_id"),
            DeliveryLedger.state == DeliveryState.CLAIMED,
            DeliveryLedger.claim_token == token,
        )
    )
    mark_sent = (
        update(DeliveryLedger)
        .where(DeliveryLedger.id == bindparam("ledger_id"), DeliveryLedger.claim_token == token)
        .values(
            state=DeliveryState.SENT,
            claim_token=None,
            sent_at=bindparam("sent_at", type_=UTCDateTime()),
            reminder_text_id=bindparam("text_id"),
        )
    )

    def settle(ledger_id: int, **values: object) -> None:
        connection.execute(
            update(DeliveryLedger)
            .where(DeliveryLedger.id == ledger_id, DeliveryLedger.claim_token == token)
            .values(claim_token=None, **values)
        )

    with MailSession() as session:
        for position, ledger_id in enumerate(ledger_ids):
            row = connection.execute(check, {"ledger_id": ledger_id}).one_or_none()
            if row is None:
                continue
            if row.state == ReminderState.CANCELLED or not row.is_eligible:
                is_cancelled = row.state == ReminderState.CANCELLED
                settle(ledger_id, state=DeliveryState.CANCELLED if is_cancelled else DeliveryState.SKIPPED)
                outcome.skipped += 1
                continue
            prepared, text_id = renderer.prepared_for(row.language)
            try:
                session.send_prepared(prepared, row.email, renderer.values_for(ledger_id, row.unsubscribe_token))
            except PermanentMailFailure as failure:
                settle(ledger_id, state=DeliveryState.FAILED, last_error=failure.reason[:300])
                outcome.failed += 1
                continue
            except TemporaryMailFailure as failure:
                if not failure.is_connection_failure:
                    _release([ledger_id], token, utcnow(), failure)
                    outcome.deferred += 1
                    continue
                rest = ledger_ids[position:]
                outcome.deferred += len(rest)
                outcome.retry_in = _release(rest, token, utcnow(), failure) or None
                current_app.logger.warning(
                    "Reminder %s: %d deliveries deferred after a temporary failure: %s",
                    reminder_id,
                    len(rest),
                    failure.reason,
                )
                break
            connection.execute(mark_sent, {"ledger_id": ledger_id, "sent_at": utcnow(), "text_id": text_id})
            outcome.sent += 1
