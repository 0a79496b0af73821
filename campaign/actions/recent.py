"""The hours behind the recent totals: which hour a report was received in, and which hours are kept.

"Recent" means received recently (``action_report.created_at``), whatever day the supporter says
they acted on: a report sent now about last week's letter is recent, one typed in last week is not.
The rollup folds counted reports and review adjustments into ``action_total_hourly`` (case by
received hour) in the same run and transaction as the other totals, from the same watermark; a
review adjustment carries its report's received hour so that a decision moves the right hour.

Only the hours a read can still ask for are kept, plus a margin: the widest window is 7 x 24
hours, and ``HOURLY_KEPT_HOURS`` is 8 x 24, so a rollup on a machine whose clock runs ahead of the
web servers' never deletes an hour they still read. Each run folds in nothing older than that and
deletes the hours that fell out (an index range read that usually finds nothing), so the table
holds at most cases x 192 rows, however long a case runs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, Select, delete, func, literal_column, select

from campaign.actions.rollup_models import ActionTotalHourly
from campaign.database import UTCDateTime
from campaign.extensions import db

HOURLY_KEYS = ["case_id", "received_hour"]

#: Hours kept in ``action_total_hourly``, the current one included: the 7 days read, and a day to spare.
HOURLY_KEPT_HOURS = 8 * 24

#: Text form of an hour as SQLAlchemy stores datetimes in SQLite, so that it compares and keys like a stored value.
SQLITE_HOUR_FORMAT = "'%Y-%m-%d %H:00:00.000000'"


def start_of_hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def kept_from(now: datetime) -> datetime:
    """The oldest hour ``action_total_hourly`` keeps at ``now``."""
    return start_of_hour(now) - timedelta(hours=HOURLY_KEPT_HOURS - 1)


def received_hour_of(created_at: ColumnElement[datetime]) -> ColumnElement[datetime]:
    """The UTC hour a report was received in, in SQL: the value ``start_of_hour`` gives in Python."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date_trunc(literal_column("'hour'"), created_at, literal_column("'UTC'"), type_=UTCDateTime)
    return func.strftime(literal_column(SQLITE_HOUR_FORMAT), created_at, type_=UTCDateTime)


def hourly_sums(rows, now: datetime) -> Select:
    """Rows in the shape of ``contribution_parts`` (or grouped finer), summed by case and received hour, kept hours only."""
    return (
        select(rows.c.case_id, rows.c.received_hour, func.sum(rows.c.count).label("count"))
        .where(rows.c.received_hour >= kept_from(now))
        .group_by(rows.c.case_id, rows.c.received_hour)
    )


def prune_hourly(now: datetime) -> None:
    """Delete the hours older than ``HOURLY_KEPT_HOURS``; the caller commits (the rollup, in its run)."""
    db.session.execute(delete(ActionTotalHourly).where(ActionTotalHourly.received_hour < kept_from(now)))
