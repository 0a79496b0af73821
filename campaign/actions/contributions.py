"""What the totals count, read by position: counted reports and review adjustments, on either database.

A report's *position* orders it for the rollup (see ``campaign.actions.rollup_models``): on
PostgreSQL the transaction that inserted it, on SQLite its row id. The rollup, the live totals and
the recount all read what counts through ``contribution_parts``, so there is one definition of a
counted action.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    CompoundSelect,
    Select,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)

from campaign.actions.models import ActionReport, ReviewState
from campaign.actions.recent import received_hour_of
from campaign.actions.rollup_models import ALL_TARGETS_KEY, ReviewAdjustment
from campaign.database import UTCDateTime
from campaign.extensions import db


def is_postgresql() -> bool:
    """Asked of the engine, not the session: an anonymous report never opens a session (``report_transactions``)."""
    return db.engine.dialect.name == "postgresql"


def report_position() -> ColumnElement[int]:
    """The column the rollup orders reports by: the inserting transaction on PostgreSQL, the row id on SQLite."""
    if is_postgresql():
        return literal_column("action_report.commit_xid", BigInteger)
    return ActionReport.id


def adjustment_position() -> ColumnElement[int]:
    """Likewise for review adjustments."""
    if is_postgresql():
        return ReviewAdjustment.commit_xid
    return ReviewAdjustment.id


def target_key(column: ColumnElement) -> ColumnElement[int]:
    return func.coalesce(column, ALL_TARGETS_KEY)


def contributions(**ranges) -> CompoundSelect:
    """Counted reports and review adjustments in a range of positions, as one UNION ALL (see ``contribution_parts``)."""
    return union_all(*contribution_parts(**ranges))


def contribution_parts(
    *,
    reports_from: ColumnElement[int] | int,
    reports_below: ColumnElement[int] | int | None,
    adjustments_from: ColumnElement[int] | int,
    adjustments_below: ColumnElement[int] | int | None,
    case_ids: list[int] | None = None,
    received_from: datetime | None = None,
    with_hours: bool = True,
) -> tuple[Select, Select]:
    """Counted reports and review adjustments in a range of positions, as two selects of one shape.

    Columns: case_id, action_type, target_key, country, acted_on, received_hour, count. ``received_from``, the
    start of an hour, keeps only what was received from then on, compared on the stored time, not on the
    computed hour: a recount of the kept hours then truncates only the rows it keeps (a rebuild's INSERT reads
    every report in one process, PostgreSQL giving it no parallel workers). Without ``with_hours`` the reports'
    ``received_hour`` is null: a recount by day then computes no hour for each of millions of reports.
    """
    report_conditions = [ActionReport.review_state == ReviewState.COUNTED, report_position() >= reports_from]
    adjustment_conditions = [adjustment_position() >= adjustments_from]
    if reports_below is not None:
        report_conditions.append(report_position() < reports_below)
    if adjustments_below is not None:
        adjustment_conditions.append(adjustment_position() < adjustments_below)
    if case_ids is not None:
        report_conditions.append(ActionReport.case_id.in_(case_ids))
        adjustment_conditions.append(ReviewAdjustment.case_id.in_(case_ids))
    if received_from is not None:
        report_conditions.append(ActionReport.created_at >= received_from)
        adjustment_conditions.append(ReviewAdjustment.received_hour >= received_from)
    reports = select(
        ActionReport.case_id.label("case_id"),
        ActionReport.action_type.label("action_type"),
        target_key(ActionReport.target_id).label("target_key"),
        ActionReport.country.label("country"),
        ActionReport.acted_on.label("acted_on"),
        (received_hour_of(ActionReport.created_at) if with_hours else cast(null(), UTCDateTime)).label("received_hour"),
        ActionReport.count.label("count"),
    ).where(*report_conditions)
    adjustments = select(
        ReviewAdjustment.case_id,
        ReviewAdjustment.action_type,
        ReviewAdjustment.target_key,
        ReviewAdjustment.country,
        ReviewAdjustment.acted_on,
        ReviewAdjustment.received_hour,
        ReviewAdjustment.delta,
    ).where(*adjustment_conditions)
    return reports, adjustments
