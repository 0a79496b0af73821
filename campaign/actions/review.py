"""Which new reports are held for an organiser's review instead of counted at once."""

from __future__ import annotations

from flask import current_app

from campaign.actions.models import ReportSource, ReviewState
from campaign.actions.validation import ReportInput


def initial_review(report: ReportInput, source: ReportSource) -> tuple[ReviewState, str | None]:
    """Counted, or flagged with a reason when one supporter's report claims an unusual count."""
    threshold = current_app.config["REVIEW_FLAG_COUNT_ABOVE"]
    if source != ReportSource.EVENT and report.count > threshold:
        return ReviewState.FLAGGED, f"count {report.count} is above the review threshold of {threshold}"
    return ReviewState.COUNTED, None
