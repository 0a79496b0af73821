"""Which new reports are held for an organiser's review instead of counted at once."""

from __future__ import annotations

from flask import current_app

from campaign.actions.models import ActionReport, ReportSource, ReviewState
from campaign.actions.validation import ReportInput
from campaign.audit.operations import record_audit
from campaign.extensions import db


def initial_review(report: ReportInput, source: ReportSource) -> tuple[ReviewState, str | None]:
    """Counted, or flagged with a reason when one supporter's report claims an unusual count."""
    threshold = current_app.config["REVIEW_FLAG_COUNT_ABOVE"]
    if source != ReportSource.EVENT and report.count > threshold:
        return ReviewState.FLAGGED, f"count {report.count} is above the review threshold of {threshold}"
    return ReviewState.COUNTED, None


def change_review_state(
    report_id: int, new_state: ReviewState, *, reason: str | None, actor_label: str, actor_id: int | None = None
) -> ActionReport:
    """An organiser's decision on a report: the state changes, the row and its count stay, the audit log records who.

    The caller commits. Totals follow the new state through the rollup, never a second computation.
    """
    report = db.session.get(ActionReport, report_id, with_for_update=True)
    if report is None:
        raise LookupError(f"no report {report_id}")
    old_state = report.review_state
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
