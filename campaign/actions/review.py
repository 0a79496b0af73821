"""Which new reports are held for an organiser's review instead of counted at once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from campaign.actions.hold_reasons import COUNT_ABOVE_THRESHOLD, SAME_ADDRESS_AGAIN, SAME_EMAIL_AGAIN
from campaign.actions.models import ActionReport, ReportSource, ReviewState
from campaign.actions.repeats import PendingCount, Sender, start_repeat_count
from campaign.actions.rollup import record_review_change
from campaign.actions.validation import ReportInput
from campaign.audit.operations import record_audit
from campaign.database import utcnow
from campaign.errors import Refused
from campaign.extensions import db
from campaign.supporters.models import Supporter


@dataclass
class PendingReview:
    """Whether a new report is counted or held, begun before its transaction.

    The repeat count comes back from Redis (``campaign.actions.repeats``) while the worker checks out a
    connection and builds the insert, work it has to do anyway, instead of after a wait of its own.
    ``decided`` gives the outcome; ``close`` takes back a count never read (the report failed before its
    review), so it must be called whatever happens, as ``started_review`` does.
    """

    report: ReportInput
    case_id: int | None
    window_minutes: int
    flagged_reason: str | None = None
    senders: list[Sender] = field(default_factory=list)
    pending: PendingCount | None = None

    def decided(self) -> tuple[ReviewState, str | None]:
        """Counted, or flagged with a reason when one supporter's report claims an unusual count or repeats too
        often."""
        if self.flagged_reason:
            return ReviewState.FLAGGED, self.flagged_reason
        counts = self.pending.result() if self.pending is not None else None
        for index, sender in enumerate(self.senders):
            if counts is not None:
                repeated = counts[index] >= sender.limit
            else:
                repeated = _at_least(
                    sender.limit, _same_sender_reports(self.report, self.case_id, sender, self.window_minutes)
                )
            if repeated:
                sentence = SAME_EMAIL_AGAIN if sender.kind == "email" else SAME_ADDRESS_AGAIN
                return ReviewState.FLAGGED, sentence.format(times=sender.limit, minutes=self.window_minutes)
        return ReviewState.COUNTED, None

    def close(self) -> None:
        if self.pending is not None:
            self.pending.close()


def start_review(
    report: ReportInput,
    source: ReportSource,
    *,
    case_id: int | None = None,
    address_fingerprint: str | None = None,
) -> PendingReview:
    """The review of a report: held when its count is above ``REVIEW_FLAG_COUNT_ABOVE``, or when the same email
    or hashed address already reported the same case, type and target ``REVIEW_REPEAT_LIMIT`` (or
    ``REVIEW_REPEAT_ADDRESS_LIMIT``) times within ``REVIEW_REPEAT_WINDOW_MINUTES``.

    Redis counts the repeats when it can, the database otherwise. Event tallies are an organiser's, never
    repeats; without the case there is nothing to compare.
    """
    config = current_app.config
    threshold = config["REVIEW_FLAG_COUNT_ABOVE"]
    window_minutes = config["REVIEW_REPEAT_WINDOW_MINUTES"]
    if source != ReportSource.EVENT and report.count > threshold:
        reason = COUNT_ABOVE_THRESHOLD.format(count=report.count, threshold=threshold)
        return PendingReview(report, case_id, window_minutes, flagged_reason=reason)
    if source == ReportSource.EVENT or case_id is None or not (report.email or address_fingerprint):
        return PendingReview(report, case_id, window_minutes)
    senders = []
    if report.email:
        senders.append(Sender("email", report.email, config["REVIEW_REPEAT_LIMIT"]))
    if address_fingerprint:
        senders.append(Sender("address", address_fingerprint, config["REVIEW_REPEAT_ADDRESS_LIMIT"]))
    subject = f"{case_id}:{report.action_type}:{report.target_id or 'all'}"
    pending = start_repeat_count(subject, senders, window_minutes * 60)
    return PendingReview(report, case_id, window_minutes, senders=senders, pending=pending)


@contextmanager
def started_review(
    report: ReportInput, source: ReportSource, *, case_id: int | None, address_fingerprint: str | None
) -> Iterator[PendingReview]:
    """``start_review``, closed on the way out."""
    review = start_review(report, source, case_id=case_id, address_fingerprint=address_fingerprint)
    try:
        yield review
    finally:
        review.close()


def _same_sender_reports(report: ReportInput, case_id: int, sender: Sender, window_minutes: int) -> Select:
    """The sender's reports on the same case, type and target within the window, as the database knows them."""
    statement = select(ActionReport.id).where(
        ActionReport.case_id == case_id,
        ActionReport.action_type == report.action_type,
        ActionReport.target_id.is_(None) if report.target_id is None else ActionReport.target_id == report.target_id,
        ActionReport.created_at >= utcnow() - timedelta(minutes=window_minutes),
    )
    if sender.kind == "email":
        statement = statement.join(Supporter, Supporter.id == ActionReport.supporter_id)
        return statement.where(Supporter.email == sender.identity)
    return statement.where(ActionReport.address_fingerprint == sender.identity)


def _at_least(limit: int, matching: Select) -> bool:
    """Whether ``matching`` finds ``limit`` reports or more; the count stops there, however busy the window."""
    bounded = select(func.count()).select_from(matching.limit(limit).subquery())
    return (db.session.scalar(bounded) or 0) >= limit


def change_review_state(
    report_id: int, new_state: ReviewState, *, reason: str | None, actor_label: str, actor_id: int | None = None
) -> ActionReport:
    """An organiser's decision on a report: the state changes, the row and its count stay, the audit log records who.

    The caller commits. Totals follow the new state through the rollup, never a second computation:
    a report already rolled up gets a review adjustment that the rollup folds in like a report.
    """
    report = db.session.get(ActionReport, report_id, with_for_update=True)
    if report is None:
        raise LookupError(f"no report {report_id}")
    old_state = report.review_state
    record_review_change(report, old_state, new_state)
    report.review_state = new_state
    report.review_reason = reason
    record_audit(
        f"report.{new_state}",
        actor_label=actor_label,
        actor_id=actor_id,
        case_id=report.case_id,
        subject_type="action_report",
        subject_id=report.id,
        details={"from": old_state, "to": str(new_state), "reason": reason},
    )
    return report


#: What an organiser may decide about a held report.
DECISIONS = (ReviewState.COUNTED, ReviewState.REJECTED)


def decide_held_reports(
    report_ids: list[int], decision: ReviewState, reason: str | None, *, actor_label: str, actor_id: int | None
) -> int:
    """One decision on many held reports, each changed and audited on its own; how many were still held.

    A rejection needs a reason. A report someone else decided meanwhile is left as it is. The caller commits.
    """
    if decision not in DECISIONS:
        raise Refused({"decision": _l("Choose to accept or to reject.")})
    if decision == ReviewState.REJECTED and not reason:
        raise Refused({"reason": _l("Say why these reports are rejected.")})
    if not report_ids:
        raise Refused({"report_ids": _l("Select at least one report.")})
    held = db.session.scalars(
        select(ActionReport.id)
        .where(ActionReport.id.in_(report_ids), ActionReport.review_state == ReviewState.FLAGGED)
        .order_by(ActionReport.id)
        .with_for_update()
    ).all()
    for report_id in held:
        change_review_state(report_id, decision, reason=reason or None, actor_label=actor_label, actor_id=actor_id)
    return len(held)
