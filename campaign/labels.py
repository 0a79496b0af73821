"""What each stored code is called on a page: one table for every enum the pages show, each label translated.

Templates use the ``label`` filter with the table's name: ``{{ case.status|label('case_status') }}``; a code
without a label shows as it is stored.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from campaign.actions.models import ActionType, ReportSource, ReviewState
from campaign.cases.models import CaseStatus, TargetRole, TimelineKind

LABELS = {
    "case_status": {
        CaseStatus.DRAFT: _l("Draft"),
        CaseStatus.ACTIVE: _l("Active"),
        CaseStatus.CLOSED: _l("Closed"),
    },
    "target_role": {TargetRole.TARGET: _l("Target"), TargetRole.COPY: _l("Copy")},
    "timeline": {
        TimelineKind.PUBLISHED: _l("Published"),
        TimelineKind.FOLLOW_UP: _l("Follow-up"),
        TimelineKind.DEADLINE_EXTENDED: _l("Deadline extended"),
        TimelineKind.CLOSED: _l("Closed"),
    },
    "action_type": {
        ActionType.LETTER: _l("Letter"),
        ActionType.EMAIL: _l("Email"),
        ActionType.FAX: _l("Fax"),
        ActionType.CALL: _l("Call"),
        ActionType.TWEET: _l("Tweet"),
        ActionType.OTHER: _l("Other"),
    },
    "source": {ReportSource.WEB: _l("Web form"), ReportSource.API: _l("API"), ReportSource.EVENT: _l("Event tally")},
    "review_state": {
        ReviewState.COUNTED: _l("Counted"),
        ReviewState.FLAGGED: _l("Held for review"),
        ReviewState.REJECTED: _l("Rejected"),
    },
}


def label(code: object, table: str) -> str:
    """The label of ``code`` in ``table``; the code itself when it has none."""
    if code is None:
        return ""
    return str(LABELS[table].get(str(code), code))


def init_app(app: Flask) -> None:
    app.add_template_filter(label, "label")
