"""Console writes that are not a case's own: event tallies and hand-flagged reports."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from flask_babel import gettext as _

from campaign.actions.models import ActionReport, ReportSource, ReviewState
from campaign.actions.operations import CaseClosedToReports, record_report
from campaign.actions.review import change_review_state
from campaign.actions.validation import ReportInvalid, validate_report
from campaign.audit.operations import record_audit
from campaign.cases.models import Case
from campaign.cases.operations import Actor

#: An event tally may be recorded this long after the event.
OLDEST_EVENT = timedelta(days=366)


def record_event_tally(
    case: Case, raw: Mapping[str, object], held_on: date, *, actor: Actor, today: date
) -> ActionReport:
    """A group's tally from a letter-writing event, through the one report validation (source ``event``).

    The event's date becomes the report's ``acted_on``. Raises ``ReportInvalid`` or
    ``CaseClosedToReports`` having stored nothing; the caller commits.
    """
    report_input = validate_report(case, raw, source=ReportSource.EVENT)
    if held_on > today:
        raise ReportInvalid({"held_on": _("The event cannot be in the future.")})
    if held_on < today - OLDEST_EVENT:
        raise ReportInvalid({"held_on": _("The event must be within the last year.")})
    if not case.accepts_reports:
        raise CaseClosedToReports(case.slug)
    report = record_report(case, report_input, source=ReportSource.EVENT, address_fingerprint=None)
    report.acted_on = held_on
    record_audit(
        "event_tally.recorded",
        actor_label=actor.label,
        actor_id=actor.id,
        case_id=case.id,
        subject_type="action_report",
        subject_id=report.id,
        details={"count": report.count, "group": report.group_code, "held_on": held_on.isoformat()},
    )
    return report


def decide_report(report_id: int, decision: ReviewState, reason: str | None, *, actor: Actor) -> ActionReport:
    """Accept (count), reject or flag a report by hand, through the review module; the caller commits."""
    return change_review_state(report_id, decision, reason=reason, actor_label=actor.label, actor_id=actor.id)
