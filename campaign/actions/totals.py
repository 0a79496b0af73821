"""The one place that computes totals: the rolled-up totals plus what was committed since the watermark.

Live and exact in one statement: the rollup's tables hold everything below the watermark, and
the counted reports and review adjustments at or above it are read through an index on their
position (a few seconds of reports, however many millions are rolled up). The watermark, the
rolled-up rows and the recent rows come from the same snapshot, and the rollup moves the
watermark and the totals in one transaction, so no report is ever counted twice or missed. Redis
plays no part, so the figures stay right while Redis is down.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, literal_column, select, union_all

from campaign.actions.rollup import contribution_parts, watermark_values
from campaign.actions.rollup_models import ALL_TARGETS_KEY, ROLLUP_STATE_ID, ActionTotal, ActionTotalDaily, RollupState
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


#: Reads retried when a rollup commits between reading the watermark and reading the totals.
READ_ATTEMPTS = 5


def _watermark() -> tuple[int, int]:
    state = db.session.execute(
        select(RollupState.reports_below, RollupState.adjustments_below).where(RollupState.id == ROLLUP_STATE_ID)
    ).first()
    return (state[0], state[1]) if state else (0, 0)


def _live(case_ids: list[int], watermark: tuple[int, int] | None, *, by_day: bool = False):
    """Rolled-up rows and rows since the watermark of these cases, in one shape, as a subquery.

    With the watermark's positions as plain values the planner sees how few recent rows there
    are and reads them through the position index; ``None`` reads them inside the statement.
    """
    if by_day:
        rolled_up = select(
            ActionTotalDaily.case_id,
            ActionTotalDaily.action_type,
            ActionTotalDaily.target_key,
            ActionTotalDaily.country,
            ActionTotalDaily.acted_on,
            ActionTotalDaily.count,
        ).where(ActionTotalDaily.case_id.in_(case_ids))
    else:
        rolled_up = select(
            ActionTotal.case_id,
            ActionTotal.action_type,
            ActionTotal.target_key,
            ActionTotal.country,
            literal_column("NULL").label("acted_on"),
            ActionTotal.count,
        ).where(ActionTotal.case_id.in_(case_ids))
    reports_below, adjustments_below = watermark if watermark is not None else watermark_values()
    since_watermark = contribution_parts(
        reports_from=reports_below,
        reports_below=None,
        adjustments_from=adjustments_below,
        adjustments_below=None,
        case_ids=case_ids,
    )
    return union_all(rolled_up, *since_watermark).subquery("live")


def _read_live(
    case_ids: list[int], columns: Callable, group_by: Callable, *, by_day: bool = False, where: Callable | None = None
) -> list:
    """Rows of a grouped read of the live totals, all from one snapshot of the watermark and the totals.

    The statement also returns the watermark it saw; when a rollup moved it after it was read,
    the read is repeated (rows from the moved range would otherwise count twice).
    """
    reports_below, adjustments_below = watermark_values()
    for _ in range(READ_ATTEMPTS):
        watermark = _watermark()
        live = _live(case_ids, watermark, by_day=by_day)
        statement = select(
            *columns(live), reports_below.label("seen_reports"), adjustments_below.label("seen_adjustments")
        )
        if where is not None:
            statement = statement.where(*where(live))
        rows = db.session.execute(statement.group_by(*group_by(live))).all()
        if all((row.seen_reports, row.seen_adjustments) == watermark for row in rows):
            return rows
    live = _live(case_ids, None, by_day=by_day)
    statement = select(*columns(live))
    if where is not None:
        statement = statement.where(*where(live))
    return db.session.execute(statement.group_by(*group_by(live))).all()


def case_total(case_id: int) -> int:
    """The public total of one case."""
    return totals_for_cases([case_id]).get(case_id, 0)


def totals_for_cases(case_ids: Iterable[int]) -> dict[int, int]:
    """Public totals of several cases in one query."""
    ids = list(case_ids)
    if not ids:
        return {}
    rows = _read_live(ids, lambda live: [live.c.case_id, func.sum(live.c.count)], lambda live: [live.c.case_id])
    return {row[0]: int(row[1]) for row in rows if row[1]}


def case_totals(case_id: int) -> CaseTotals:
    """A case's total with its breakdowns by action type, country and target."""
    totals = CaseTotals()
    rows = _read_live(
        [case_id],
        lambda live: [live.c.action_type, live.c.country, live.c.target_key, func.sum(live.c.count)],
        lambda live: [live.c.action_type, live.c.country, live.c.target_key],
    )
    for action_type, country, target_key, count, *_ in rows:
        count = int(count)
        if count == 0:
            continue
        totals.total += count
        totals.by_type[action_type] = totals.by_type.get(action_type, 0) + count
        totals.by_country[country] = totals.by_country.get(country, 0) + count
        if target_key == ALL_TARGETS_KEY:
            totals.to_all_targets += count
        else:
            totals.by_target[target_key] = totals.by_target.get(target_key, 0) + count
    totals.by_type = dict(sorted(totals.by_type.items(), key=lambda item: (-item[1], item[0])))
    totals.by_country = dict(sorted(totals.by_country.items(), key=lambda item: (-item[1], item[0])))
    return totals


def case_totals_by_day(case_id: int, since: date | None = None) -> dict[date, int]:
    """A case's total per day the actions were taken, oldest first (for charts and figures); from ``since`` on if given."""
    rows = _read_live(
        [case_id],
        lambda live: [live.c.acted_on, func.sum(live.c.count)],
        lambda live: [live.c.acted_on],
        by_day=True,
        where=None if since is None else lambda live: [live.c.acted_on >= since],
    )
    return {row[0]: int(row[1]) for row in sorted(rows, key=lambda row: row[0]) if row[1]}
