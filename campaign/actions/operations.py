"""Recording action reports."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import Insert, Integer, String, bindparam, delete, func, insert, literal, literal_column, select
from sqlalchemy.exc import IntegrityError

from campaign.actions.contributions import is_postgresql
from campaign.actions.models import ActionReport, IdempotencyRecord, ReportSource, ReviewState
from campaign.actions.report_transactions import ReportTransaction, SessionTransaction, report_transaction
from campaign.actions.review import PendingReview, start_review, started_review
from campaign.actions.totals import insert_with_case_total
from campaign.actions.validation import ReportInput, ReportInvalid, validate_report
from campaign.cases.queries import ReportingCase
from campaign.database import UTCDateTime, utcnow
from campaign.extensions import db
from campaign.supporters.operations import find_or_create_supporter, subscribe_to_case

#: Built once: the values go in as parameters, so a report costs no statement construction.
_INSERT_REPORT = insert(ActionReport.__table__).returning(ActionReport.__table__.c.id)
_INSERT_ANSWER = insert(IdempotencyRecord.__table__)


@dataclass(frozen=True)
class StoredReport:
    """A report just added to the transaction: its id and how many actions it added to the public total."""

    id: int
    counted: int
    #: The case's exact total with this report in it, when asked for.
    case_total: int | None = None
    #: Whether the answer was remembered under its idempotency key in the report's own statement.
    answer_remembered: bool = False


@dataclass(frozen=True)
class AnswerKey:
    """An idempotency key's row, as digests: the key, and the request it first answered."""

    key_digest: str
    request_digest: str


_REPORT_AND_ANSWER: dict[tuple[str, ...], Insert] = {}


def _report_and_answer(columns: tuple[str, ...]) -> Insert:
    """``WITH inserted AS (INSERT INTO action_report …) INSERT INTO idempotency_record …``: the report and the
    answer its key will replay, ``{"id", "counted"}``, in one statement; built once per set of columns."""
    if columns not in _REPORT_AND_ANSWER:
        reports = ActionReport.__table__
        inserted = (
            insert(reports)
            .values({column: bindparam(column) for column in columns})
            .returning(reports.c.id, reports.c.case_id)
            .cte("inserted")
        )
        answer = func.jsonb_build_object(
            literal_column("'id'"), inserted.c.id, literal_column("'counted'"), bindparam("counted", type_=Integer)
        )
        remembered = select(
            inserted.c.case_id,
            bindparam("key_digest", type_=String),
            bindparam("request_digest", type_=String),
            inserted.c.id,
            literal(201),
            answer,
            bindparam("answered_at", type_=UTCDateTime),
        )
        records = IdempotencyRecord.__table__
        _REPORT_AND_ANSWER[columns] = (
            insert(records)
            .from_select(
                [
                    "case_id",
                    "key_digest",
                    "request_digest",
                    "report_id",
                    "response_status",
                    "response_body",
                    "created_at",
                ],
                remembered,
            )
            .add_cte(inserted)
            .returning(records.c.report_id)
        )
    return _REPORT_AND_ANSWER[columns]


def record_report(
    case: ReportingCase,
    report: ReportInput,
    *,
    source: ReportSource,
    address_fingerprint: str | None,
    acted_on: date | None = None,
    with_total: bool = False,
    answer_key: AnswerKey | None = None,
    transaction: ReportTransaction | None = None,
    review: PendingReview | None = None,
) -> StoredReport:
    """Add a validated report (and its supporter and subscription) to the transaction; the caller commits.

    The report is one INSERT, not an object in the session's unit of work: a report is never changed by the
    request that stores it, and a viral case's reports are the hot path. ``transaction`` is the session's
    unless the caller gives a direct one (``report_transaction``; only for a report without an email).
    ``with_total`` reads the case's exact total with the report in it, in the insert's round trip where it can
    (``insert_with_case_total``). ``answer_key``, without the total and on PostgreSQL, remembers the answer
    ``{"id", "counted"}`` under its key in the insert's own statement (the report form's double click): the
    caller writes the key's row otherwise (``answer_remembered`` says which). ``review``, begun by the caller
    before the transaction (``started_review``), is the report's review; it is begun here otherwise.
    """
    transaction = transaction or SessionTransaction()
    supporter_id = None
    if report.email:
        supporter = find_or_create_supporter(
            report.email, name=report.name, country=report.country, language=report.language
        )
        if report.remind_me:
            subscribe_to_case(supporter, case.id)
        supporter_id = supporter.id
    received_at = utcnow()
    if review is None:
        review = start_review(report, source, case_id=case.id, address_fingerprint=address_fingerprint)
    review_state, review_reason = review.decided()
    values = {
        "case_id": case.id,
        "action_type": report.action_type,
        "target_id": report.target_id,
        "count": report.count,
        "country": report.country,
        "source": source,
        "group_code": report.group_code,
        "supporter_id": supporter_id,
        "supporter_name": report.name,
        "language": report.language,
        "review_state": review_state,
        "review_reason": review_reason,
        "address_fingerprint": address_fingerprint,
        "acted_on": acted_on or received_at.date(),
        "created_at": received_at,
    }
    counted = report.count if review_state == ReviewState.COUNTED else 0
    if with_total:
        report_id, total = insert_with_case_total(
            _INSERT_REPORT, values, case_id=case.id, counted=counted, transaction=transaction
        )
        return StoredReport(id=report_id, counted=counted, case_total=total)
    if answer_key is not None and is_postgresql():
        remembered = {
            "key_digest": answer_key.key_digest,
            "request_digest": answer_key.request_digest,
            "counted": counted,
            "answered_at": received_at,
        }
        report_id = transaction.execute(_report_and_answer(tuple(values)), {**values, **remembered})[0][0]
        return StoredReport(id=report_id, counted=counted, answer_remembered=True)
    report_id = transaction.execute(_INSERT_REPORT, values)[0][0]
    return StoredReport(id=report_id, counted=counted)


def digest(value: str | bytes) -> str:
    data = value.encode() if isinstance(value, str) else value
    return hashlib.sha256(data).hexdigest()


class CaseClosedToReports(ValueError):
    """The case no longer takes reports (closed)."""


class IdempotencyKeyReused(ValueError):
    """The idempotency key was used before for a different report."""


@dataclass(frozen=True)
class SubmittedReport:
    """The answer to a submitted report: ``{"id", "counted", "case_total"}`` (no total when not asked for);
    ``is_replay`` when repeated."""

    answer: dict
    is_replay: bool = False


def _stored_answer(case: ReportingCase, key: str, request_body: bytes) -> SubmittedReport | None:
    record = db.session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.case_id == case.id, IdempotencyRecord.key_digest == digest(key)
        )
    )
    if record is None:
        return None
    if record.request_digest != digest(request_body):
        raise IdempotencyKeyReused(key)
    return SubmittedReport(answer=record.response_body, is_replay=True)


def submit_report(
    case: ReportingCase,
    raw: dict,
    *,
    source: ReportSource,
    address_fingerprint: str | None,
    idempotency_key: str | None = None,
    request_body: bytes = b"",
    with_total: bool = True,
) -> SubmittedReport:
    """Validate, store and commit one report; a repeated idempotency key gets the first answer back.

    The answer's ``case_total`` is the case's exact total with this report in it, read in the report's own
    transaction: every report committed before it counts, so a client's reports one after another always
    see their own. It costs the one read of the path (the reports since the last rollup), so a caller that
    shows no total (the form, which redirects) leaves it out with ``with_total=False``.
    The key's row is written in the report's transaction under a unique constraint, so of ten
    identical requests sent at once exactly one stores a report and the others replay its answer. A new key,
    the common case, costs no look-up: the key is looked for only when its insert fails, or when the report is
    refused (the case may have closed since the first answer).
    A closed case is refused only after the input checks, so a malformed report always reads as such.
    Raises ``ReportInvalid``, ``CaseClosedToReports`` or ``IdempotencyKeyReused``, having stored nothing.
    """
    try:
        report_input = validate_report(case, raw, source=source)
        if not case.accepts_reports:
            raise CaseClosedToReports(case.slug)
    except (ReportInvalid, CaseClosedToReports):
        if idempotency_key is not None and (replay := _stored_answer(case, idempotency_key, request_body)):
            return replay
        raise
    answer_key = None
    if idempotency_key is not None:
        answer_key = AnswerKey(key_digest=digest(idempotency_key), request_digest=digest(request_body))
    with started_review(report_input, source, case_id=case.id, address_fingerprint=address_fingerprint) as review:
        transaction = report_transaction(
            needs_session=bool(report_input.email), writes_once=answer_key is None or not with_total
        )
        try:
            report = record_report(
                case,
                report_input,
                source=source,
                address_fingerprint=address_fingerprint,
                with_total=with_total,
                answer_key=answer_key,
                transaction=transaction,
                review=review,
            )
            answer = {"id": report.id, "counted": report.counted}
            if with_total:
                answer["case_total"] = report.case_total
            if answer_key is not None and not report.answer_remembered:
                _remember_answer(transaction, case, answer_key, report.id, answer)
            transaction.commit()
        except IntegrityError:
            transaction.rollback()
            if idempotency_key is not None and (replay := _stored_answer(case, idempotency_key, request_body)):
                return replay
            raise
        except BaseException:
            transaction.rollback()
            raise
    return SubmittedReport(answer=answer)


def _remember_answer(
    transaction: ReportTransaction, case: ReportingCase, answer_key: AnswerKey, report_id: int, answer: dict
) -> None:
    """The key's row, inserted at once: a key already used fails here, under the unique constraint."""
    record = {
        "case_id": case.id,
        "key_digest": answer_key.key_digest,
        "request_digest": answer_key.request_digest,
        "report_id": report_id,
        "response_status": 201,
        "response_body": answer,
        "created_at": utcnow(),
    }
    transaction.execute(_INSERT_ANSWER, record)


def purge_expired_idempotency_records() -> int:
    """Forget answers older than ``IDEMPOTENCY_KEY_TTL_HOURS``: a key is a retry window, not a record.

    The reports stay; only the remembered answers go. The caller commits.
    """
    cutoff = utcnow() - timedelta(hours=current_app.config["IDEMPOTENCY_KEY_TTL_HOURS"])
    result = db.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < cutoff))
    return result.rowcount or 0
