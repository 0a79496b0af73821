"""The totals rollup: folds committed reports and review adjustments into totals, from a watermark.

Commit order, not id order: a report whose transaction started first may commit last, so a
"highest id seen" watermark would skip it for good. On PostgreSQL every report and adjustment
carries the id of the transaction that inserted it, and a run folds in only positions below
``pg_snapshot_xmin(pg_current_snapshot())`` — the oldest transaction still running — so every row
below the new watermark is committed (and visible) or was rolled back. On SQLite one writer at a
time makes row ids follow commit order, and a run takes the write lock before it reads anything.

One run is one transaction: the totals and the watermark move together, so a run killed half-way
leaves both as they were, and running again gives the same totals. The watermark row is locked
for the whole run, so two runs never fold the same rows.

The daily totals live in two tables, split at a day kept with the watermark
(``RollupState.settled_before``): the days still receiving reports in ``action_total_daily``, the
rest in ``action_total_daily_settled``. A run upserts an hour of reports into the small table only,
so what it touches does not grow with the history; ``settle_days`` moves a day across once it is
over, in a separate, daily step. Reads add both tables up (``daily_rows``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Select,
    Subquery,
    and_,
    delete,
    func,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import AddConstraint, DropConstraint

from campaign.actions.contributions import contributions, is_postgresql, report_position
from campaign.actions.models import ActionReport, ReviewState
from campaign.actions.recent import HOURLY_KEYS, hourly_sums, kept_from, prune_hourly, start_of_hour
from campaign.actions.rollup_models import (
    ALL_TARGETS_KEY,
    ROLLUP_STATE_ID,
    ActionTotal,
    ActionTotalDaily,
    ActionTotalDailySettled,
    ActionTotalHourly,
    ReviewAdjustment,
    RollupState,
)
from campaign.database import utc_today, utcnow
from campaign.extensions import db

#: Above this many drifted rows, ``recount`` rebuilds the tables instead of fixing rows one by one.
REBUILD_ABOVE_DRIFTED_ROWS = 1000

#: PostgreSQL's ``work_mem`` (and ``maintenance_work_mem``, for its primary keys) for the rebuild's transaction.
REBUILD_WORK_MEM = "256MB"
#: And for a rollup run's: enough to group an hour of reports at a peak's rate in memory.
ROLLUP_WORK_MEM = "64MB"

#: Days (UTC) kept in ``action_total_daily``, today included: nearly every report is about today,
#: and yesterday stays while late reports of its evening still arrive.
UNSETTLED_DAYS = 2


def first_unsettled_day(today: date) -> date:
    """Where ``RollupState.settled_before`` belongs on ``today``."""
    return today - timedelta(days=UNSETTLED_DAYS - 1)


def watermark_values() -> tuple[ColumnElement[int], ColumnElement[int]]:
    """The watermark's two positions as scalar subqueries (0 when there is no watermark row yet)."""
    reports = select(RollupState.reports_below).where(RollupState.id == ROLLUP_STATE_ID).scalar_subquery()
    adjustments = select(RollupState.adjustments_below).where(RollupState.id == ROLLUP_STATE_ID).scalar_subquery()
    return func.coalesce(reports, 0), func.coalesce(adjustments, 0)


def _ensure_state() -> None:
    """Create the watermark row if it is missing (a fresh or emptied database)."""
    if db.session.get(RollupState, ROLLUP_STATE_ID) is not None:
        return
    insert = postgresql.insert if is_postgresql() else sqlite.insert
    db.session.execute(
        insert(RollupState)
        .values(
            id=ROLLUP_STATE_ID,
            reports_below=0,
            adjustments_below=0,
            settled_before=first_unsettled_day(utc_today()),
        )
        .on_conflict_do_nothing(index_elements=["id"])
    )


def lock_watermark(*, wait: bool) -> RollupState | None:
    """Lock the watermark row for this transaction; ``None`` when another run holds it and ``wait`` is false.

    On PostgreSQL a row lock (``FOR UPDATE``); on SQLite a write to the row takes the database's single
    write lock before anything else is read.
    """
    _ensure_state()
    if is_postgresql():
        statement = (
            select(RollupState)
            .where(RollupState.id == ROLLUP_STATE_ID)
            .with_for_update(skip_locked=not wait)
            .execution_options(populate_existing=True)
        )
        return db.session.scalar(statement)
    db.session.execute(
        update(RollupState).where(RollupState.id == ROLLUP_STATE_ID).values(reports_below=RollupState.reports_below)
    )
    return db.session.scalar(
        select(RollupState).where(RollupState.id == ROLLUP_STATE_ID).execution_options(populate_existing=True)
    )


#: The oldest transaction still running that may write to this database, or else the next one to
#: start. Transactions of the cluster's other databases cannot insert reports here, so they are left
#: out (when pg_stat_activity says so) and a long one there does not hold the rollup back; anything
#: it cannot place counts as ours, which only delays a run.
OLDEST_RUNNING_TRANSACTION = text(
    """
    WITH snapshot AS (SELECT pg_current_snapshot() AS s)
    SELECT coalesce(
        (SELECT min(running.xid::text::bigint)
         FROM snapshot, pg_snapshot_xip(snapshot.s) AS running(xid)
         WHERE NOT EXISTS (
             SELECT 1 FROM pg_stat_activity AS activity
             WHERE activity.datid <> (SELECT oid FROM pg_database WHERE datname = current_database())
               AND activity.backend_xid::text::bigint = running.xid::text::bigint % 4294967296)),
        (SELECT pg_snapshot_xmax(s)::text::bigint FROM snapshot))
    """
)


def _horizon() -> tuple[int, int]:
    """Positions below which every row is committed or rolled back: nothing older is still in flight."""
    if is_postgresql():
        oldest_running = db.session.scalar(OLDEST_RUNNING_TRANSACTION)
        return oldest_running, oldest_running
    reports = db.session.scalar(select(func.coalesce(func.max(ActionReport.id), 0) + 1))
    adjustments = db.session.scalar(select(func.coalesce(func.max(ReviewAdjustment.id), 0) + 1))
    return reports, adjustments


def _upsert_statement(model, source: Select, keys: list[str]):
    """Add grouped counts to a totals table, creating the rows that are new."""
    insert = postgresql.insert if is_postgresql() else sqlite.insert
    statement = insert(model).from_select([*keys, "count"], source)
    return statement.on_conflict_do_update(
        index_elements=keys, set_={"count": model.__table__.c.count + statement.excluded.count}
    )


def _daily_tables(acted_on: ColumnElement[date], settled_before: date) -> tuple[tuple[type, ColumnElement], ...]:
    """Each daily totals table, with the condition on a row's day that puts the row in it."""
    return (ActionTotalDaily, acted_on >= settled_before), (ActionTotalDailySettled, acted_on < settled_before)


def daily_rows() -> Subquery:
    """The daily totals of both tables as one (a day is in one of them)."""
    return union_all(*(select(model.__table__) for model in (ActionTotalDaily, ActionTotalDailySettled))).subquery(
        "daily_rows"
    )


def _fold_in(new_rows, now: datetime, settled_before: date) -> None:
    """Add new rows to the totals tables (the hourly one only within the hours it keeps at ``now``).

    On PostgreSQL in one statement that groups them once, by day and received hour, and feeds the
    other tables from those groups (data-modifying CTEs), with memory enough to group an hour of
    reports without sorting on disk. SQLite has no data-modifying CTEs: there each table groups the rows.
    """
    if not is_postgresql():
        for model, on_its_days in _daily_tables(new_rows.c.acted_on, settled_before):
            db.session.execute(_upsert_statement(model, _grouped(new_rows, DAILY_KEYS, on_its_days), DAILY_KEYS))
        db.session.execute(_upsert_statement(ActionTotal, _grouped(new_rows, TOTAL_KEYS), TOTAL_KEYS))
        db.session.execute(_upsert_statement(ActionTotalHourly, hourly_sums(new_rows, now), HOURLY_KEYS))
        return
    _use_memory("work_mem", ROLLUP_WORK_MEM)
    groups = _grouped(new_rows, [*DAILY_KEYS, "received_hour"]).cte("by_day_and_hour").prefix_with("MATERIALIZED")
    daily = [
        _upsert_statement(model, _grouped(groups, DAILY_KEYS, on_its_days), DAILY_KEYS).cte(
            model.__tablename__.removeprefix("action_total_")
        )
        for model, on_its_days in _daily_tables(groups.c.acted_on, settled_before)
    ]
    hourly = _upsert_statement(ActionTotalHourly, hourly_sums(groups, now), HOURLY_KEYS).cte("hourly")
    db.session.execute(_upsert_statement(ActionTotal, _grouped(groups, TOTAL_KEYS), TOTAL_KEYS).add_cte(*daily, hourly))


def _use_memory(setting: str, size: str) -> None:
    """A PostgreSQL memory setting (``work_mem``, ``maintenance_work_mem``) for the rest of this transaction only."""
    db.session.execute(text("SELECT set_config(:setting, :size, true)"), {"setting": setting, "size": size})


DAILY_KEYS = ["case_id", "action_type", "target_key", "country", "acted_on"]
TOTAL_KEYS = ["case_id", "action_type", "target_key", "country"]


def _grouped(rows, keys: list[str], *conditions: ColumnElement[bool]) -> Select:
    columns = [rows.c[key] for key in keys]
    # "WHERE true" keeps SQLite's INSERT ... SELECT ... ON CONFLICT unambiguous.
    return select(*columns, func.sum(rows.c.count).label("count")).where(text("1 = 1"), *conditions).group_by(*columns)


@dataclass(frozen=True)
class RollupRun:
    """What one run did: whether it ran (another may hold the watermark), and where it left the watermark."""

    ran: bool
    reports_below: int = 0


def run_rollup(*, wait: bool = True, now: datetime | None = None) -> RollupRun:
    """Fold everything committed since the watermark into the totals and move the watermark; the caller commits.

    With ``wait=False`` a run that finds another run holding the watermark does nothing (the other
    one is folding the same rows); with ``wait=True`` it waits for it and folds what is left. The
    hours that fell out of ``action_total_hourly``'s window at ``now`` go in the same transaction.
    """
    now = now or utcnow()
    state = lock_watermark(wait=wait)
    if state is None:
        return RollupRun(ran=False)
    reports_below, adjustments_below = _horizon()
    reports_below = max(reports_below, state.reports_below)
    adjustments_below = max(adjustments_below, state.adjustments_below)
    new_rows = contributions(
        reports_from=state.reports_below,
        reports_below=reports_below,
        adjustments_from=state.adjustments_below,
        adjustments_below=adjustments_below,
    ).subquery("new_rows")
    _fold_in(new_rows, now, state.settled_before)
    prune_hourly(now)
    state.reports_below = reports_below
    state.adjustments_below = adjustments_below
    state.rolled_up_at = utcnow()
    db.session.flush()
    return RollupRun(ran=True, reports_below=reports_below)


def is_rolled_up(report: ActionReport) -> bool:
    """Whether a report is already in the rolled-up totals; the caller holds the watermark (``lock_watermark``)."""
    state = db.session.get(RollupState, ROLLUP_STATE_ID)
    if state is None:
        return False
    return bool(db.session.scalar(select(report_position() < state.reports_below).where(ActionReport.id == report.id)))


def record_review_change(report: ActionReport, old_state: str, new_state: str) -> ReviewAdjustment | None:
    """Carry a review decision into the totals through the rollup; the caller commits.

    A report not yet rolled up needs no adjustment: the rollup will read its new state; the watermark's
    ``reviews_above`` moves instead, so no process keeps a count of the reports above the watermark that
    the decision changed (``campaign.actions.totals``). One already rolled up gets an adjustment of
    +count or -count, which the live totals read at once and the next run folds in. The watermark is
    held so that no run moves it in between: locked for update, as either may write it, so that two
    decisions never hold it shared and then both wait to write.
    """
    was_counted = old_state == ReviewState.COUNTED
    is_counted = new_state == ReviewState.COUNTED
    if was_counted == is_counted:
        return None
    state = lock_watermark(wait=True)
    if not is_rolled_up(report):
        state.reviews_above += 1
        return None
    adjustment = ReviewAdjustment(
        report_id=report.id,
        case_id=report.case_id,
        action_type=report.action_type,
        target_key=report.target_id if report.target_id is not None else ALL_TARGETS_KEY,
        country=report.country,
        acted_on=report.acted_on,
        received_hour=start_of_hour(report.created_at),
        delta=report.count if is_counted else -report.count,
    )
    db.session.add(adjustment)
    return adjustment


@dataclass(frozen=True)
class Drift:
    """A stored total that differs from a recount of the counted reports; keys its table has not are None."""

    table: str
    case_id: int
    stored: int
    recounted: int
    action_type: str | None = None
    target_key: int | None = None
    country: str | None = None
    acted_on: date | None = None
    received_hour: datetime | None = None


def _differences(table: str, expected: Select, stored, keys: list[str]) -> list[Drift]:
    """Rows where ``expected`` and ``stored`` (both by ``keys``, with a count) disagree, missing rows counting as 0."""
    recount = expected.subquery("recount")
    joined = and_(*(recount.c[key] == stored.c[key] for key in keys))
    recounted = func.coalesce(recount.c.count, 0)
    stored_count = func.coalesce(stored.c.count, 0)
    rows = db.session.execute(
        select(
            *(func.coalesce(recount.c[key], stored.c[key]) for key in keys),
            stored_count,
            recounted,
        )
        .select_from(recount.join(stored, joined, full=True))
        .where(recounted != stored_count)
    )
    return [
        Drift(table, stored=int(row[-2]), recounted=int(row[-1]), **dict(zip(keys, row[: len(keys)], strict=True)))
        for row in rows
    ]


def _daily_differences(state: RollupState) -> list[Drift]:
    """The daily totals' drift, both tables compared as one; each drifted day is named after the table it belongs in."""
    rows = daily_rows()
    columns = [rows.c[key] for key in DAILY_KEYS]
    stored = select(*columns, func.sum(rows.c.count).label("count")).group_by(*columns).subquery("stored")
    drifts = _differences(ActionTotalDaily.__tablename__, _expected_daily(state), stored, DAILY_KEYS)
    settled = ActionTotalDailySettled.__tablename__
    return [replace(drift, table=settled) if drift.acted_on < state.settled_before else drift for drift in drifts]


def _counted_below(state: RollupState, received_from: datetime | None = None, *, with_hours: bool = True):
    """The counted reports below the watermark, review states as they are now (adjustments below it are in them);
    those received from ``received_from`` on, if given; without their received hours unless ``with_hours``."""
    return contributions(
        reports_from=0,
        reports_below=state.reports_below,
        adjustments_from=0,
        adjustments_below=0,
        received_from=received_from,
        with_hours=with_hours,
    ).subquery("counted")


def _expected_daily(state: RollupState) -> Select:
    """Daily totals recounted from the counted reports below the watermark."""
    counted = _counted_below(state, with_hours=False)
    columns = [counted.c[key] for key in DAILY_KEYS]
    return select(*columns, func.sum(counted.c.count).label("count")).group_by(*columns)


def _expected_totals() -> Select:
    daily = daily_rows()
    columns = [daily.c[key] for key in TOTAL_KEYS]
    return select(*columns, func.sum(daily.c.count).label("count")).group_by(*columns)


def _move_days(source, destination, on_the_days: ColumnElement[bool]) -> None:
    """Move some days' rows from one daily totals table to the other, adding them to rows already there."""
    table = source.__table__
    rows = select(*(table.c[key] for key in DAILY_KEYS), table.c.count).where(on_the_days, table.c.count != 0)
    db.session.execute(_upsert_statement(destination, rows, DAILY_KEYS))
    db.session.execute(delete(table).where(on_the_days))


def settle_days(today: date | None = None) -> None:
    """Move the days that are over from ``action_total_daily`` to ``action_total_daily_settled``; the caller commits.

    It holds the watermark, so no run folds in meanwhile, and moves the rows and ``settled_before``
    in one transaction. No total changes: a read adds both tables up in one statement, so the
    rolled-up part each process keeps stays right. Each day crosses once, a day's worth of rows
    probing the large table's index, where the rollup used to probe it with every run.
    """
    state = lock_watermark(wait=True)
    assert state is not None
    settled_before = first_unsettled_day(today or utc_today())
    if settled_before <= state.settled_before:
        return
    _move_days(ActionTotalDaily, ActionTotalDailySettled, ActionTotalDaily.acted_on < settled_before)
    state.settled_before = settled_before
    db.session.flush()


def _insert_recounted_days(expected: Select, settled_before: date) -> None:
    """Insert recounted daily rows into the table of their day, grouping the reports once.

    On PostgreSQL one statement groups them and feeds both tables (data-modifying CTE), emptied in this
    transaction, whose primary keys are built afterwards from the whole table: a sorted build costs a fraction of
    a million rows entered one by one into the index (``PostgreSQL: Populating a Database``). SQLite, which has
    no data-modifying CTE, groups them for each table.
    """
    grouped_once = is_postgresql()
    rows = expected.cte("expected").prefix_with("MATERIALIZED") if grouped_once else expected.subquery("expected")
    keys = [rows.c[key] for key in DAILY_KEYS]
    daily_tables = _daily_tables(rows.c.acted_on, settled_before)
    unsettled, settled = (
        model.__table__.insert().from_select(
            [*DAILY_KEYS, "count"], select(*keys, rows.c.count).where(rows.c.count != 0, on_its_days)
        )
        for model, on_its_days in daily_tables
    )
    if not grouped_once:
        db.session.execute(unsettled)
        db.session.execute(settled)
        return
    primary_keys = [model.__table__.primary_key for model, _on_its_days in daily_tables]
    for primary_key in primary_keys:
        db.session.execute(DropConstraint(primary_key))
    db.session.execute(settled.add_cte(unsettled.cte("unsettled")))
    for primary_key in primary_keys:
        db.session.execute(AddConstraint(primary_key))


def rebuild_totals(state: RollupState, now: datetime | None = None) -> None:
    """Replace the totals tables with a recount below the watermark (the hourly one for the hours kept at ``now``).

    The GROUP BY over every report is given memory enough to hash its groups instead of sorting
    them on disk in batches, and the daily tables' primary keys enough to be built in memory
    (``REBUILD_WORK_MEM``, for this transaction only).
    """
    state.rolled_up_at = utcnow()
    models = (ActionTotalDaily, ActionTotalDailySettled, ActionTotal, ActionTotalHourly)
    if is_postgresql():
        _use_memory("work_mem", REBUILD_WORK_MEM)
        _use_memory("maintenance_work_mem", REBUILD_WORK_MEM)
        db.session.execute(text(f"TRUNCATE {', '.join(model.__tablename__ for model in models)}"))
    else:
        for model in models:
            db.session.execute(delete(model))
    _insert_recounted_days(_expected_daily(state), state.settled_before)
    db.session.execute(ActionTotal.__table__.insert().from_select([*TOTAL_KEYS, "count"], _expected_totals()))
    now = now or utcnow()
    hourly = hourly_sums(_counted_below(state, kept_from(now)), now)
    db.session.execute(ActionTotalHourly.__table__.insert().from_select([*HOURLY_KEYS, "count"], hourly))


def _repair(drifts: list[Drift], keys: list[str], *models) -> None:
    """Replace each drifted row with its recount, in the table its drift names; ``models`` are where it may be."""
    tables = {model.__tablename__: model.__table__ for model in models}
    for drift in drifts:
        values = {key: getattr(drift, key) for key in keys}
        for table in tables.values():
            db.session.execute(delete(table).where(*(table.c[key] == value for key, value in values.items())))
        if drift.recounted != 0:
            db.session.execute(tables[drift.table].insert().values(**values, count=drift.recounted))


def recount(*, repair: bool = True) -> list[Drift]:
    """Bring the rollup up to date, recount the totals from the counted reports, and repair any drift.

    Returns the drift found (an empty list when the stored totals were right). The caller commits.
    Lag is not drift: the rollup is first brought up to the watermark, and only rows below it compare;
    the hourly table compares for the hours it keeps (the rollup has just deleted the older ones).
    """
    now = utcnow()
    run_rollup(wait=True, now=now)
    state = lock_watermark(wait=True)
    assert state is not None
    daily_drift = _daily_differences(state)
    hourly_expected = hourly_sums(_counted_below(state, kept_from(now)), now)
    hourly_drift = _differences("action_total_hourly", hourly_expected, ActionTotalHourly.__table__, HOURLY_KEYS)
    if repair and len(daily_drift) + len(hourly_drift) > REBUILD_ABOVE_DRIFTED_ROWS:
        total_drift = _differences("action_total", _expected_totals(), ActionTotal.__table__, TOTAL_KEYS)
        rebuild_totals(state, now)
    else:
        if repair:
            _repair(daily_drift, DAILY_KEYS, ActionTotalDaily, ActionTotalDailySettled)
            _repair(hourly_drift, HOURLY_KEYS, ActionTotalHourly)
        total_drift = _differences("action_total", _expected_totals(), ActionTotal.__table__, TOTAL_KEYS)
        if repair:
            _repair(total_drift, TOTAL_KEYS, ActionTotal)
    return daily_drift + total_drift + hourly_drift


@dataclass(frozen=True)
class RollupStatus:
    """Where the rollup stands: its last run, and the reports committed since that it has not folded in."""

    rolled_up_at: datetime | None
    waiting_reports: int
    oldest_waiting_at: datetime | None


def rollup_status() -> RollupStatus:
    """How far the rollup has got, read without taking its lock."""
    reports_below, _ = watermark_values()
    state = db.session.get(RollupState, ROLLUP_STATE_ID)
    waiting, oldest = db.session.execute(
        select(func.count(), func.min(ActionReport.created_at)).where(report_position() >= reports_below)
    ).one()
    return RollupStatus(
        rolled_up_at=state.rolled_up_at if state else None, waiting_reports=waiting, oldest_waiting_at=oldest
    )
