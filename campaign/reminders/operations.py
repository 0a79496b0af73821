"""Writes for reminders: scheduling before deadlines, staff edits, the scan, claims and deliveries.

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
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Interval, and_, bindparam, exists, false, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from campaign.actions.models import ActionReport
from campaign.actions.validation import LANGUAGE_TAG
from campaign.audit.operations import record_audit
from campaign.cases.models import Case, CaseStatus
from campaign.database import UTCDateTime, utc_today, utcnow
from campaign.extensions import db
from campaign.mail import (
    MailFailure,
    MailSession,
    PermanentMailFailure,
    PreparedEmail,
    TemporaryMailFailure,
    build_email,
    mail_domain,
    public_url,
)
from campaign.reminders.models import (
    DeliveryLedger,
    DeliveryState,
    Reminder,
    ReminderKind,
    ReminderState,
    ReminderText,
)
from campaign.supporters.models import Subscription, Supporter

#: Automatic reminders go out at this time of day (UTC), REMINDER_DAYS_BEFORE days before the deadline.
AUTOMATIC_SEND_TIME = time(9, 0, tzinfo=UTC)
#: A report within this long after subscribing is the one that subscribed, not a later action.
REPORTED_SINCE_SUBSCRIBING_GRACE = timedelta(minutes=1)
#: Backoff after temporary SMTP failures never waits longer than this.
MAX_RETRY_DELAY = timedelta(hours=6)
MAX_SUBJECT_LENGTH = 200
MAX_BODY_LENGTH = 20_000
#: Stand-ins put in a rendered reminder, replaced by each supporter's own unsubscribe link.
UNSUBSCRIBE_PLACEHOLDER = "UNSUBSCRIBE-URL-PLACEHOLDER"
MESSAGE_ID_PLACEHOLDER = "<message-id-placeholder@invalid>"
#: First key of the PostgreSQL advisory locks that say a batch's worker is alive ("REMI").
CLAIM_LOCK_CLASS = 0x52454D49
TOKEN_PLACEHOLDER = "TOKEN-PLACEHOLDER"  # noqa: S105 (a stand-in, not a secret)


class ReminderInvalid(ValueError):
    """A staff change cannot be made; ``fields`` maps each bad field to what is wrong with it."""

    def __init__(self, fields: Mapping[str, str]):
        self.fields = dict(fields)
        super().__init__("The reminder is not valid: " + ", ".join(sorted(self.fields)))


# Scheduling -----------------------------------------------------------------------------------


def automatic_send_at(deadline: date) -> datetime:
    """When the automatic reminder for this deadline is due."""
    days_before = current_app.config["REMINDER_DAYS_BEFORE"]
    return datetime.combine(deadline - timedelta(days=days_before), AUTOMATIC_SEND_TIME)


def _automatic_key(case_id: int, deadline: date) -> str:
    return f"{case_id}:{deadline.isoformat()}"


def _pending_automatic(case_id: int) -> list[Reminder]:
    return list(
        db.session.scalars(
            select(Reminder).where(
                Reminder.case_id == case_id,
                Reminder.automatic_key.is_not(None),
                Reminder.state == ReminderState.PENDING,
            )
        )
    )


def _ensure_automatic_reminder(case: Case, deadline: date) -> Reminder | None:
    key = _automatic_key(case.id, deadline)
    existing = db.session.scalar(select(Reminder).where(Reminder.automatic_key == key))
    if existing is not None:
        return existing
    if deadline < utc_today():
        return None
    reminder = Reminder(
        case_id=case.id,
        kind=ReminderKind.DEADLINE,
        state=ReminderState.PENDING,
        send_at=max(automatic_send_at(deadline), utcnow()),
        automatic_key=key,
        for_deadline_on=deadline,
    )
    try:
        with db.session.begin_nested():
            db.session.add(reminder)
    except IntegrityError:
        return db.session.scalar(select(Reminder).where(Reminder.automatic_key == key))
    return reminder


def schedule_case_reminders(case: Case) -> Reminder | None:
    """Give an active case its reminder REMINDER_DAYS_BEFORE days before its deadline (call when published or its deadline set).

    A reminder staff cancelled for this deadline is not made again; a pending one for an older
    deadline is moved instead.
    """
    if case.status != CaseStatus.ACTIVE or case.deadline_on is None:
        return None
    pending = [r for r in _pending_automatic(case.id) if r.for_deadline_on != case.deadline_on]
    if pending:
        moved = move_pending_reminders(case, case.deadline_on)
        return moved[0] if moved else None
    return _ensure_automatic_reminder(case, case.deadline_on)


def move_pending_reminders(case: Case, new_deadline: date) -> list[Reminder]:
    """Move the case's pending automatic reminders to a new deadline (an extension); make one if none is pending."""
    now = utcnow()
    moved = []
    for reminder in _pending_automatic(case.id):
        if reminder.for_deadline_on == new_deadline:
            moved.append(reminder)
            continue
        key = _automatic_key(case.id, new_deadline)
        if db.session.scalar(select(Reminder.id).where(Reminder.automatic_key == key)) is not None:
            reminder.state = ReminderState.CANCELLED
            reminder.cancelled_at = now
            continue
        reminder.automatic_key = key
        reminder.for_deadline_on = new_deadline
        reminder.send_at = max(automatic_send_at(new_deadline), now)
        moved.append(reminder)
    db.session.flush()
    if not moved and case.status == CaseStatus.ACTIVE:
        made = _ensure_automatic_reminder(case, new_deadline)
        if made is not None and made.state == ReminderState.PENDING:
            moved.append(made)
    return moved


def cancel_case_reminders(case: Case) -> int:
    """Cancel the case's deadline reminders not yet sent (call when the case closes); updates still go out."""
    now = utcnow()
    cancelled = db.session.scalars(
        update(Reminder)
        .where(
            Reminder.case_id == case.id,
            Reminder.kind == ReminderKind.DEADLINE,
            Reminder.state.in_([ReminderState.PENDING, ReminderState.SENDING]),
        )
        .values(state=ReminderState.CANCELLED, cancelled_at=now)
        .returning(Reminder.id)
        .execution_options(synchronize_session="fetch")
    ).all()
    _cancel_unsent_deliveries(list(cancelled))
    return len(cancelled)


# Staff changes --------------------------------------------------------------------------------


def _checked_text(language: str, subject: str, body: str) -> tuple[str, str, str]:
    errors: dict[str, str] = {}
    language = (language or "").strip()
    subject = " ".join((subject or "").split())
    body = (body or "").replace("\r\n", "\n").strip()
    if not LANGUAGE_TAG.match(language):
        errors["language"] = _l("Must be a language code such as en or zh.")
    if not 1 <= len(subject) <= MAX_SUBJECT_LENGTH:
        errors["subject"] = _l("Must be 1 to %(max)d characters.", max=MAX_SUBJECT_LENGTH)
    if not 1 <= len(body) <= MAX_BODY_LENGTH:
        errors["body"] = _l("Must be 1 to %(max)d characters.", max=MAX_BODY_LENGTH)
    if errors:
        raise ReminderInvalid(errors)
    return language, subject, body


def _checked_send_at(send_at: datetime) -> datetime:
    if not isinstance(send_at, datetime) or send_at.tzinfo is None:
        raise ReminderInvalid({"send_at": _l("Give a date and time.")})
    return send_at.astimezone(UTC)


def create_reminder(
    case: Case,
    *,
    send_at: datetime,
    is_skipping_reporters: bool = False,
    texts: Mapping[str, tuple[str, str]] | None = None,
    actor_label: str,
    actor_id: int | None = None,
) -> Reminder:
    """A deadline reminder staff add by hand; ``texts`` maps a language to (subject, body)."""
    if case.status == CaseStatus.CLOSED:
        raise ReminderInvalid({"case": _l("The case is closed: send an update instead.")})
    checked = [_checked_text(language, *pair) for language, pair in (texts or {}).items()]
    reminder = Reminder(
        case_id=case.id,
        kind=ReminderKind.DEADLINE,
        send_at=_checked_send_at(send_at),
        is_skipping_reporters=is_skipping_reporters,
    )
    db.session.add(reminder)
    db.session.flush()
    for language, subject, body in checked:
        _add_text_version(reminder, language, subject, body)
    _audit("reminder.created", reminder, actor_label, actor_id)
    return reminder


def edit_reminder(
    reminder: Reminder,
    *,
    send_at: datetime | None = None,
    is_skipping_reporters: bool | None = None,
    actor_label: str,
    actor_id: int | None = None,
) -> Reminder:
    """Change a pending reminder's send time or whether it skips supporters who already reported."""
    if reminder.state != ReminderState.PENDING:
        raise ReminderInvalid({"state": _l("Only a reminder that has not started sending can be changed.")})
    if send_at is not None:
        reminder.send_at = _checked_send_at(send_at)
    if is_skipping_reporters is not None:
        reminder.is_skipping_reporters = is_skipping_reporters
    _audit("reminder.edited", reminder, actor_label, actor_id)
    return reminder


def _add_text_version(reminder: Reminder, language: str, subject: str, body: str) -> ReminderText:
    latest = db.session.scalar(
        select(func.max(ReminderText.version)).where(
            ReminderText.reminder_id == reminder.id, ReminderText.language == language
        )
    )
    text = ReminderText(
        reminder_id=reminder.id, language=language, version=(latest or 0) + 1, subject=subject, body=body
    )
    db.session.add(text)
    db.session.flush()
    return text


def set_reminder_text(
    reminder: Reminder, *, language: str, subject: str, body: str, actor_label: str, actor_id: int | None = None
) -> ReminderText:
    """Add a new version of the reminder's text in one language (earlier versions are kept)."""
    if reminder.state != ReminderState.PENDING:
        raise ReminderInvalid({"state": _l("Only a reminder that has not started sending can be changed.")})
    language, subject, body = _checked_text(language, subject, body)
    text = _add_text_version(reminder, language, subject, body)
    _audit("reminder.text_set", reminder, actor_label, actor_id, language=language, version=text.version)
    return text


def cancel_reminder(reminder: Reminder, *, actor_label: str, actor_id: int | None = None) -> Reminder:
    """Stop a reminder; rows of a batch already running are not sent (checked before each send)."""
    if reminder.state not in {ReminderState.PENDING, ReminderState.SENDING}:
        raise ReminderInvalid({"state": _l("This reminder was already sent or cancelled.")})
    reminder.state = ReminderState.CANCELLED
    reminder.cancelled_at = utcnow()
    _cancel_unsent_deliveries([reminder.id])
    _audit("reminder.cancelled", reminder, actor_label, actor_id)
    return reminder


def _cancel_unsent_deliveries(reminder_ids: list[int]) -> None:
    """Rows not yet claimed are cancelled now; a claimed one is cancelled by its batch before sending."""
    if reminder_ids:
        db.session.execute(
            update(DeliveryLedger)
            .where(DeliveryLedger.reminder_id.in_(reminder_ids), DeliveryLedger.state == DeliveryState.PENDING)
            .values(state=DeliveryState.CANCELLED)
            .execution_options(synchronize_session=False)
        )


def send_case_update(
    case: Case,
    *,
    texts: Mapping[str, tuple[str, str]],
    actor_label: str,
    actor_id: int | None = None,
) -> Reminder:
    """Send a case update (a follow-up, an extension, an outcome) to its subscribers through the once-only fan-out."""
    if case.status == CaseStatus.DRAFT:
        raise ReminderInvalid({"case": _l("A draft case has no subscribers.")})
    checked = [_checked_text(language, *pair) for language, pair in texts.items()]
    if not checked:
        raise ReminderInvalid({"body": _l("Write the update.")})
    reminder = Reminder(case_id=case.id, kind=ReminderKind.UPDATE, send_at=utcnow(), is_skipping_reporters=False)
    db.session.add(reminder)
    db.session.flush()
    for language, subject, body in checked:
        _add_text_version(reminder, language, subject, body)
    _audit("reminder.update_sent", reminder, actor_label, actor_id)
    return reminder


def _audit(action: str, reminder: Reminder, actor_label: str, actor_id: int | None, **details: object) -> None:
    record_audit(
        action,
        actor_label=actor_label,
        actor_id=actor_id,
        case_id=reminder.case_id,
        subject_type="reminder",
        subject_id=reminder.id,
        details={"send_at": reminder.send_at.isoformat(), "kind": reminder.kind, **details},
    )


# Who may be emailed ---------------------------------------------------------------------------


def _is_later_than(later: ColumnElement, earlier: ColumnElement, margin: timedelta) -> ColumnElement:
    if db.engine.dialect.name == "postgresql":
        return later > earlier + literal(margin, Interval())
    return func.julianday(later) > func.julianday(earlier) + margin.total_seconds() / 86400


def eligibility_conditions(case_id: int, is_skipping_reporters: bool) -> list[ColumnElement]:
    """Conditions on ``Supporter`` and ``Subscription`` (joined on the case) for being emailed now."""
    conditions: list[ColumnElement] = [
        Subscription.id.is_not(None),
        Supporter.is_confirmed.is_(True),
        Supporter.is_consenting_to_contact.is_(True),
        Subscription.unsubscribed_at.is_(None),
    ]
    if is_skipping_reporters:
        conditions.append(
            ~exists().where(
                ActionReport.supporter_id == Supporter.id,
                ActionReport.case_id == case_id,
                _is_later_than(ActionReport.created_at, Subscription.subscribed_at, REPORTED_SINCE_SUBSCRIBING_GRACE),
            )
        )
    return conditions


def _subscription_join(case_id: int) -> ColumnElement:
    return and_(Subscription.supporter_id == Supporter.id, Subscription.case_id == case_id)


def eligible_supporter_count(reminder: Reminder) -> int:
    """How many supporters would get this reminder if it went out now."""
    statement = (
        select(func.count())
        .select_from(Supporter)
        .join(Subscription, _subscription_join(reminder.case_id))
        .where(*eligibility_conditions(reminder.case_id, reminder.is_skipping_reporters))
    )
    return db.session.scalar(statement) or 0


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


def sync_automatic_reminders() -> tuple[int, int]:
    """Make missing automatic reminders for active cases, move moved deadlines, cancel those of closed cases.

    This is what keeps reminders right even if nobody calls ``schedule_case_reminders``.
    """
    created = 0
    today = utc_today()
    active = db.session.scalars(
        select(Case).where(Case.status == CaseStatus.ACTIVE, Case.deadline_on.is_not(None), Case.deadline_on >= today)
    )
    existing_keys = set(db.session.scalars(select(Reminder.automatic_key).where(Reminder.automatic_key.is_not(None))))
    for case in active:
        assert case.deadline_on is not None
        if _automatic_key(case.id, case.deadline_on) in existing_keys:
            continue
        if schedule_case_reminders(case) is not None:
            created += 1
    cancelled = 0
    for case in db.session.scalars(
        select(Case).where(
            Case.status == CaseStatus.CLOSED,
            exists().where(
                Reminder.case_id == Case.id,
                Reminder.kind == ReminderKind.DEADLINE,
                Reminder.state.in_([ReminderState.PENDING, ReminderState.SENDING]),
            ),
        )
    ):
        cancelled += cancel_case_reminders(case)
    return created, cancelled


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
        .join(Subscription, _subscription_join(reminder.case_id))
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
    """
    now = now or utcnow()
    result = ScanResult()
    result.reminders_created, result.reminders_cancelled = sync_automatic_reminders()
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


class _ReminderRenderer:
    """Renders a reminder once per language; each supporter's link and Message-ID are put in when sending."""

    def __init__(self, reminder: Reminder, case: Case):
        self.reminder = reminder
        self.case = case
        #: Kept as plain values: each row's commit expires the ORM objects, and reloading them per message is waste.
        self.reminder_id = reminder.id
        self.domain = mail_domain()
        self.action_url = public_url("cases.action_page", slug=case.slug)
        self.unsubscribe_base = public_url("supporters.unsubscribe_page", token=TOKEN_PLACEHOLDER, case=case.slug)
        latest: dict[str, ReminderText] = {}
        for text in reminder.texts:
            latest[text.language] = text
        self.texts = latest
        self._prepared: dict[str | None, tuple[PreparedEmail, int | None]] = {}
        safe_headline = re.sub(r'[\r\n"\\<>]', " ", case.headline)[:120]
        self.list_id = f'"{safe_headline}" <{case.slug}.cases.{self.domain}>'

    def _text_for(self, language: str | None) -> ReminderText | None:
        default = current_app.config["BABEL_DEFAULT_LOCALE"]
        return self.texts.get(language or default) or self.texts.get(default) or next(iter(self.texts.values()), None)

    def _prepare(self, language: str | None) -> tuple[PreparedEmail, int | None]:
        text = self._text_for(language)
        languages = current_app.config["LANGUAGES"]
        locale = (text.language if text else language) or ""
        if locale not in languages:
            locale = current_app.config["BABEL_DEFAULT_LOCALE"]
        with force_locale(locale):
            is_update = self.reminder.kind == ReminderKind.UPDATE
            if text is not None:
                subject = text.subject
            elif is_update:
                subject = _("Update: %(headline)s", headline=self.case.headline)
            else:
                subject = _("Reminder: %(headline)s", headline=self.case.headline)
            email = build_email(
                "case_update" if is_update else "reminder",
                to="",
                subject=subject,
                headers={
                    "Message-ID": MESSAGE_ID_PLACEHOLDER,
                    "List-Id": self.list_id,
                    "List-Unsubscribe": f"<{UNSUBSCRIBE_PLACEHOLDER}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                    "Auto-Submitted": "auto-generated",
                },
                case=self.case,
                body=text.body if text else "",
                deadline=self.case.deadline_on,
                action_url=self.action_url,
                unsubscribe_url=UNSUBSCRIBE_PLACEHOLDER,
            )
        stand_ins = {"unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER, "message_id": MESSAGE_ID_PLACEHOLDER}
        return PreparedEmail(email, stand_ins), text.id if text else None

    def prepared_for(self, language: str | None) -> tuple[PreparedEmail, int | None]:
        if language not in self._prepared:
            self._prepared[language] = self._prepare(language)
        return self._prepared[language]

    def values_for(self, ledger_id: int, unsubscribe_token: str) -> dict[str, str]:
        """The stable Message-ID of this delivery and the supporter's own unsubscribe link."""
        return {
            "message_id": f"<reminder-{self.reminder_id}.delivery-{ledger_id}@{self.domain}>",
            "unsubscribe_url": self.unsubscribe_base.replace(f"/{TOKEN_PLACEHOLDER}", f"/{unsubscribe_token}", 1),
        }


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
    renderer = _ReminderRenderer(reminder, case)
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
        .outerjoin(Subscription, _subscription_join(case_id))
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
