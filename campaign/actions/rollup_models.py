"""The totals rollup's tables: where it has got to, review adjustments, and the rolled-up totals.

A report's *position* is what the rollup orders reports by: on PostgreSQL the id of the
transaction that inserted it (``action_report.commit_xid``, set by the database), on SQLite its
row id (one writer at a time, so ids follow commit order). Everything below the watermark's
positions is in the rolled-up totals; everything at or above it is read live.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, FetchedValue, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from campaign.database import UTCDateTime, utcnow
from campaign.extensions import db

#: The watermark is a single row with this id.
ROLLUP_STATE_ID = 1
#: ``target_key`` of actions addressed to all of a case's targets (a key column cannot be null).
ALL_TARGETS_KEY = 0


class RollupState(db.Model):
    """The rollup's watermark: reports and review adjustments below these positions are in the totals."""

    __tablename__ = "rollup_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Reports with a position below this are in the totals tables.
    reports_below: Mapped[int] = mapped_column(BigInteger, default=0)
    #: Review adjustments with a position below this are in the totals.
    adjustments_below: Mapped[int] = mapped_column(BigInteger, default=0)
    #: Daily totals of the days before this one are in ``action_total_daily_settled``, of this one and later in
    #: ``action_total_daily``; only ``campaign.actions.rollup.settle_days`` moves it, with the rows.
    settled_before: Mapped[date] = mapped_column(Date)
    rolled_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Review decisions that changed whether a report not yet rolled up counts: what a process kept of the
    #: reports above the watermark (``campaign.actions.totals``) holds while this does.
    reviews_above: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class ReviewAdjustment(db.Model):
    """The change an organiser's decision makes to a report that is already rolled up (+count or -count)."""

    __tablename__ = "review_adjustment"
    #: The rollup reads adjustments by transaction; PostgreSQL only (SQLite orders by id), as migration 0002 makes it.
    __table_args__ = (Index("ix_review_adjustment_commit_xid", "commit_xid", "case_id").ddl_if(dialect="postgresql"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The deciding transaction's id on PostgreSQL (set by the database); null on SQLite, where the id orders.
    commit_xid: Mapped[int | None] = mapped_column(BigInteger, server_default=FetchedValue())
    report_id: Mapped[int] = mapped_column(ForeignKey("action_report.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    action_type: Mapped[str] = mapped_column(String(10))
    #: The report's target id, or 0 for all targets.
    target_key: Mapped[int] = mapped_column(Integer)
    country: Mapped[str] = mapped_column(String(2))
    acted_on: Mapped[date] = mapped_column(Date)
    #: The hour (UTC) the report was received in, for ``action_total_hourly``.
    received_hour: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Actions added to (positive) or taken from (negative) the public total.
    delta: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class _DailyTotalColumns:
    """Counted actions by case, action type, target, country and day."""

    #: No foreign key: the reports it is derived from have one (see migration 0006).
    case_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_type: Mapped[str] = mapped_column(String(10), primary_key=True)
    #: The target's id, or 0 for all targets.
    target_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    acted_on: Mapped[date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)


class ActionTotalDaily(_DailyTotalColumns, db.Model):
    """The daily totals of the days not yet settled (``RollupState.settled_before`` and later), as far as the watermark.

    The table the rollup folds new reports into: it holds a couple of days, so what a run touches
    does not grow with the history (``campaign.actions.rollup.settle_days``).
    """

    __tablename__ = "action_total_daily"


class ActionTotalDailySettled(_DailyTotalColumns, db.Model):
    """The daily totals of the settled days (before ``RollupState.settled_before``): the history, for charts.

    The rollup writes here only for a report about a settled day; the settling step moves each
    day here once, when it is over.
    """

    __tablename__ = "action_total_daily_settled"


class ActionTotalHourly(db.Model):
    """Counted actions by case and the hour (UTC) their reports were received, for the recent totals.

    Only the last ``HOURLY_KEPT_HOURS`` hours are kept (``campaign.actions.recent``): the rollup
    folds in nothing older and deletes the hours that fall out, so the table never grows with
    history.
    """

    __tablename__ = "action_total_hourly"
    #: The rollup's pruning deletes by hour alone.
    __table_args__ = (Index("ix_action_total_hourly_received_hour", "received_hour"),)

    case_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    received_hour: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)


class ActionTotal(db.Model):
    """The same totals without the day, so a case's figures cost the same at any number of actions."""

    __tablename__ = "action_total"

    #: No foreign key: the reports it is derived from have one (see migration 0006).
    case_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_type: Mapped[str] = mapped_column(String(10), primary_key=True)
    #: The target's id, or 0 for all targets.
    target_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)
