"""The one place that computes totals: counted reports only, grouped by what the figures show."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from campaign.actions.models import ActionReport, ReviewState
from campaign.database import utcnow
from campaign.extensions import db


@dataclass
class CaseTotals:
    total: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    by_country: dict[str, int] = field(default_factory=dict)
    by_target: dict[int, int] = field(default_factory=dict)
    #: Actions addressed to all of the case's targets rather than one.
    to_all_targets: int = 0
    as_of: datetime = field(default_factory=utcnow)

    @property
    def countries(self) -> int:
        return len(self.by_country)


def _counted():
    return ActionReport.review_state == ReviewState.COUNTED


def case_total(case_id: int) -> int:
    """The public total of one case."""
    return totals_for_cases([case_id]).get(case_id, 0)


def totals_for_cases(case_ids: Iterable[int]) -> dict[int, int]:
    """Public totals of several cases in one query."""
    ids = list(case_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(ActionReport.case_id, func.sum(ActionReport.count))
        .where(ActionReport.case_id.in_(ids), _counted())
        .group_by(ActionReport.case_id)
    )
    return {case_id: int(total) for case_id, total in rows}


def case_totals(case_id: int) -> CaseTotals:
    """A case's total with its breakdowns by action type, country and target."""
    totals = CaseTotals()
    rows = db.session.execute(
        select(
            ActionReport.action_type,
            ActionReport.country,
            ActionReport.target_id,
            func.sum(ActionReport.count),
        )
        .where(ActionReport.case_id == case_id, _counted())
        .group_by(ActionReport.action_type, ActionReport.country, ActionReport.target_id)
    )
    for action_type, country, target_id, count in rows:
        count = int(count)
        totals.total += count
        totals.by_type[action_type] = totals.by_type.get(action_type, 0) + count
        totals.by_country[country] = totals.by_country.get(country, 0) + count
        if target_id is None:
            totals.to_all_targets += count
        else:
            totals.by_target[target_id] = totals.by_target.get(target_id, 0) + count
    totals.by_type = dict(sorted(totals.by_type.items(), key=lambda item: (-item[1], item[0])))
    totals.by_country = dict(sorted(totals.by_country.items(), key=lambda item: (-item[1], item[0])))
    return totals
