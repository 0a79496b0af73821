"""Event tallies: a group's count from a letter-writing event, recorded by an organiser as one report."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from campaign.actions.models import ReportSource
from campaign.actions.operations import CaseClosedToReports, StoredReport, record_report
from campaign.actions.validation import ReportInvalid, validate_report
from campaign.audit.operations import record_audit
from campaign.cases.models import Case
from campaign.cases.operations import Actor
from campaign.cases.queries import ReportingCase

#: An event tally may be recorded this long after the event.
OLDEST_EVENT = timedelta(days=366)


def record_event_tally(
    case: Case, raw: Mapping[str, object], held_on: date, *, actor: Actor, today: date
) -> StoredReport:
    """A group's tally from a letter-writing event, through the one report validation (source ``event``).

    The event's date becomes the report's ``acted_on``. Raises ``ReportInvalid`` or
    ``CaseClosedToReports`` having stored nothing; the caller commits.
    """
    reporting_case = ReportingCase.of(case)
    report_input = validate_report(reporting_case, raw, source=ReportSource.EVENT)
    if held_on > today:
        raise ReportInvalid({"held_on": _l("The event cannot be in the future.")})
    if held_on < today - OLDEST_EVENT:
        raise ReportInvalid({"held_on": _l("The event must be within the last year.")})
    if not case.accepts_reports:
        raise CaseClosedToReports(case.slug)
    report = record_report(
        reporting_case, report_input, source=ReportSource.EVENT, address_fingerprint=None, acted_on=held_on
    )
    record_audit(
        "event_tally.recorded",
        actor_label=actor.label,
        actor_id=actor.id,
        case_id=case.id,
        subject_type="action_report",
        subject_id=report.id,
        details={"count": report_input.count, "group": report_input.group_code, "held_on": held_on.isoformat()},
    )
    return report
