"""The one place that computes totals: the rolled-up totals plus what was committed since the watermark.

Live and exact: the rollup's tables hold everything below the watermark, and the counted
reports and review adjustments at or above it are read through an index on their position (a
few seconds of reports, however many millions are rolled up). The rolled-up part of a read
changes only when the rollup runs, so each process keeps it, keyed by the watermark it belongs
to, and a read asks the database only for what came since, beside the watermark as it is now.
The rollup moves the watermark and the totals in one transaction, so a read that finds the
watermark moved starts again, and no report is ever counted twice or missed. Redis plays no
part, so the figures stay right while Redis is down.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TypeVar

from flask import current_app
from sqlalchemy import (
    BigInteger,
    Date,
    Insert,
    Integer,
    Select,
    String,
    Text,
    bindparam,
    cast,
    func,
    literal,
    null,
    select,
    true,
    union_all,
)

from campaign.actions.change_stamps import FIGURES, kept_answer
from campaign.actions.contributions import contribution_parts, is_postgresql
from campaign.actions.recent import start_of_hour
from campaign.actions.report_transactions import ReportTransaction, SessionTransaction
from campaign.actions.rollup import daily_rows, watermark_values
from campaign.actions.rollup_models import (
    ALL_TARGETS_KEY,
    ROLLUP_STATE_ID,
    ActionTotal,
    ActionTotalHourly,
    RollupState,
)
from campaign.database import UTCDateTime, utcnow
from campaign.extensions import db

T = TypeVar("T")


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

    def countries_at_least(self, floor: int) -> tuple[dict[str, int], dict[str, int]]:
        """The countries with at least ``floor`` actions, and what the others add up to (countries, actions).

        Everything published folds the small ones: a lone action from a country can point to a person.
        """
        shown = {country: count for country, count in self.by_country.items() if count >= floor}
        folded = [count for count in self.by_country.values() if count < floor]
        return shown, {"countries": len(folded), "actions": sum(folded)}

    def add(self, sums: dict[tuple, int]) -> CaseTotals:
        """Fold in sums by (action type, country, target key)."""
        for (action_type, country, target_key), count in sums.items():
            self.total += count
            self.by_type[action_type] = self.by_type.get(action_type, 0) + count
            self.by_country[country] = self.by_country.get(country, 0) + count
            if target_key == ALL_TARGETS_KEY:
                self.to_all_targets += count
            else:
                self.by_target[target_key] = self.by_target.get(target_key, 0) + count
        return self

    def copy(self) -> CaseTotals:
        return CaseTotals(
            self.total, dict(self.by_type), dict(self.by_country), dict(self.by_target), self.to_all_targets
        )

    def ordered(self) -> CaseTotals:
        """Largest first, and without the entries a review decision brought to nothing."""
        self.by_type = _largest_first(self.by_type)
        self.by_country = _largest_first(self.by_country)
        self.by_target = {key: count for key, count in self.by_target.items() if count}
        return self


def _largest_first(counts: dict) -> dict:
    return dict(sorted(((key, count) for key, count in counts.items() if count), key=lambda item: (-item[1], item[0])))


#: Reads retried when a rollup commits between reading the watermark and reading the totals.
READ_ATTEMPTS = 5

#: The rolled-up part of as many reads as this is kept per process before the oldest are dropped.
ROLLED_UP_CACHE_SIZE = 512


@dataclass(frozen=True)
class Watermark:
    """Where the rollup stands; ``rolled_up_at`` changes with every run, so a repaired table never hides behind it."""

    reports_below: int = 0
    adjustments_below: int = 0
    rolled_up_at: datetime | None = None
    #: Review decisions on reports above the watermark (``RollupState.reviews_above``).
    reviews_above: int = 0


@dataclass(frozen=True)
class _Shape:
    """One grouped read of the totals: the columns it groups by, and which rolled-up rows it reads.

    ``rows`` is "all" (``action_total``), "day" (both daily tables, ``since`` a day acted on)
    or "hour" (``action_total_hourly``, ``since`` an hour received).
    """

    keys: tuple[str, ...]
    rows: str = "all"


_BY_CASE = _Shape(("case_id",))
_BREAKDOWN = _Shape(("action_type", "country", "target_key"))
_BY_DAY = _Shape(("acted_on",), rows="day")
_BY_HOUR = _Shape(("received_hour",), rows="hour")


def _rolled_up_rows(rows: str):
    """The rollup's rows in the shape of ``contribution_parts``, as a subquery."""
    no_day = cast(null(), Date).label("acted_on")
    no_hour = cast(null(), UTCDateTime).label("received_hour")
    if rows == "hour":
        return select(
            ActionTotalHourly.case_id,
            cast(null(), String).label("action_type"),
            cast(null(), Integer).label("target_key"),
            cast(null(), String).label("country"),
            no_day,
            ActionTotalHourly.received_hour,
            ActionTotalHourly.count,
        ).subquery("rolled_up")
    table = daily_rows() if rows == "day" else ActionTotal.__table__
    return select(
        table.c.case_id,
        table.c.action_type,
        table.c.target_key,
        table.c.country,
        table.c.acted_on if rows == "day" else no_day,
        no_hour,
        table.c.count,
    ).subquery("rolled_up")


#: The parameters of the prepared reads (see ``_statement``).
_CASE_IDS = bindparam("case_ids", expanding=True)
_SINCE = {"day": bindparam("since", type_=Date), "hour": bindparam("since", type_=UTCDateTime)}
_SINCE_COLUMN = {"day": "acted_on", "hour": "received_hour"}
_REPORTS_FROM = bindparam("reports_from", type_=BigInteger)
_ADJUSTMENTS_FROM = bindparam("adjustments_from", type_=BigInteger)


def _grouped(rows, shape: _Shape, has_since: bool):
    columns = [rows.c[key] for key in shape.keys]
    conditions = [rows.c.case_id.in_(_CASE_IDS)]
    if has_since:
        conditions.append(rows.c[_SINCE_COLUMN[shape.rows]] >= _SINCE[shape.rows])
    return (
        select(*columns, func.sum(rows.c.count).label("count"))
        .where(*conditions)
        .group_by(*columns)
        .subquery("grouped")
    )


def _watermark_columns(state) -> tuple:
    """The watermark's columns as ``_watermark`` reads them from a row (zeros when there is no watermark row)."""
    return (
        func.coalesce(state.c.reports_below, 0),
        func.coalesce(state.c.adjustments_below, 0),
        state.c.rolled_up_at,
        func.coalesce(state.c.reviews_above, 0),
    )


def _beside_watermark(grouped):
    """The grouped rows with the watermark read in the same statement: at least one row, even with none grouped."""
    state = RollupState.__table__
    anchor = select(literal(1).label("anchor")).subquery("anchor")
    return select(*_watermark_columns(state), *grouped.c).select_from(
        anchor.outerjoin(state, state.c.id == ROLLUP_STATE_ID).outerjoin(grouped, true())
    )


@dataclass
class _RolledUp:
    """The rolled-up part of a read, the watermark it belongs to, and what the callers made of it."""

    watermark: Watermark
    sums: dict[tuple, int]
    folds: dict[Callable, object] = field(default_factory=dict)

    def folded(self, fold: Callable[[dict[tuple, int]], T]) -> T:
        if fold not in self.folds:
            self.folds[fold] = fold(self.sums)
        return self.folds[fold]  # type: ignore[return-value]


def _split(rows) -> tuple[Watermark | None, dict[tuple, int]]:
    """The watermark a statement of ``_beside_watermark`` saw, and its grouped sums by group."""
    if not rows:
        return None, {}
    return _watermark(rows[0]), {tuple(row[4:-1]): int(row[-1]) for row in rows if row[-1] is not None}


def _watermark(row) -> Watermark:
    """The watermark from the first four columns of a row (see ``_beside_watermark``)."""
    return Watermark(int(row[0]), int(row[1]), row[2], int(row[3]))


def _cache() -> OrderedDict:
    return current_app.extensions.setdefault("rolled_up_totals", OrderedDict())


_STATEMENTS: dict[tuple, Select] = {}


def _committed_from(reports_from, adjustments_from, case_ids):
    """The counted reports and adjustments of these cases from these positions on."""
    return contribution_parts(
        reports_from=reports_from,
        reports_below=None,
        adjustments_from=adjustments_from,
        adjustments_below=None,
        case_ids=case_ids,
    )


def _statement(part: str, shape: _Shape, since: date | None) -> Select:
    """The statement of one part of a read, built once per process (building it cost more than running it)."""
    key = (part, shape, since is not None, db.session.get_bind().dialect.name)
    if key not in _STATEMENTS:
        if part == "rolled_up":
            rows = _rolled_up_rows(shape.rows)
        else:
            rows = union_all(*_committed_from(_REPORTS_FROM, _ADJUSTMENTS_FROM, _CASE_IDS)).subquery("recent")
        _STATEMENTS[key] = _beside_watermark(_grouped(rows, shape, since is not None))
    return _STATEMENTS[key]


def _parameters(case_ids: list[int], since: date | None, **more: object) -> dict[str, object]:
    return {"case_ids": case_ids, **({"since": since} if since is not None else {}), **more}


def _rolled_up(shape: _Shape, case_ids: list[int], since: date | None) -> _RolledUp | None:
    """The rolled-up part of a read and the watermark it belongs to, read in one statement and kept for the next read."""
    statement = _statement("rolled_up", shape, since)
    watermark, sums = _split(db.session.execute(statement, _parameters(case_ids, since)).all())
    if watermark is None:
        return None
    rolled_up = _RolledUp(watermark, sums)
    if watermark.rolled_up_at is not None:
        cache = _cache()
        cache[(shape, tuple(case_ids), since)] = rolled_up
        while len(cache) > ROLLED_UP_CACHE_SIZE:
            cache.popitem(last=False)
    return rolled_up


def _since_watermark(
    shape: _Shape,
    case_ids: list[int],
    since: date | None,
    watermark: Watermark,
    transaction: ReportTransaction,
) -> tuple[Watermark | None, dict[tuple, int]]:
    """What was committed at or above ``watermark``, grouped, beside the watermark as it is now.

    The positions go in as values rather than subqueries, so the planner sees how few recent rows
    there are and reads them through the position index.
    """
    parameters = _parameters(
        case_ids,
        since,
        reports_from=watermark.reports_below,
        adjustments_from=watermark.adjustments_below,
    )
    return _split(transaction.execute(_statement("recent", shape, since), parameters))


def _read_live(
    shape: _Shape, case_ids: list[int], since: date | None = None, transaction: ReportTransaction | None = None
) -> tuple[_RolledUp, dict[tuple, int]]:
    """The live totals in two parts, each as sums by group (a tuple of the shape's keys): rolled up, and since.

    The rolled-up part of a read is kept in the process, keyed by the watermark it belongs to, and
    is read again only after the rollup ran (which changes ``rolled_up_at`` as it moves the
    totals). Each read asks the database for what came since that watermark and, in the same
    statement, for the watermark as it is now; when a run moved it in between, the read starts
    again from the new one, so no report is ever counted twice or missed.
    """
    transaction = transaction or SessionTransaction()
    rolled_up = _cache().get((shape, tuple(case_ids), since))
    for _ in range(READ_ATTEMPTS):
        if rolled_up is None:
            rolled_up = _rolled_up(shape, case_ids, since)
        if rolled_up is None:
            break
        seen, recent = _since_watermark(shape, case_ids, since, rolled_up.watermark, transaction)
        if seen == rolled_up.watermark:
            return rolled_up, recent
        rolled_up = None
    return _RolledUp(Watermark(), _read_in_one_statement(shape, case_ids, since, transaction)), {}


def _live_sums(shape: _Shape, case_ids: list[int], since: date | None = None) -> dict[tuple, int]:
    rolled_up, recent = _read_live(shape, case_ids, since)
    return _merged(rolled_up.sums, recent)


def _merged(rolled_up: dict[tuple, int], recent: dict[tuple, int]) -> dict[tuple, int]:
    sums = dict(rolled_up)
    for group, count in recent.items():
        sums[group] = sums.get(group, 0) + count
    return sums


def _read_in_one_statement(
    shape: _Shape, case_ids: list[int], since: date | None, transaction: ReportTransaction
) -> dict[tuple, int]:
    """The whole read in one statement, the watermark inside it: for a database under a storm of rollups."""
    recent = _committed_from(*watermark_values(), case_ids)
    rolled_up = select(*_rolled_up_rows(shape.rows).c)
    grouped = _grouped(union_all(rolled_up, *recent).subquery("live"), shape, since is not None)
    rows = transaction.execute(select(*grouped.c), _parameters(case_ids, since))
    return {tuple(row[:-1]): int(row[-1]) for row in rows}


def case_total(case_id: int) -> int:
    """The public total of one case."""
    return totals_for_cases([case_id]).get(case_id, 0)


def insert_with_case_total(
    insert_report: Insert, values: dict, *, case_id: int, counted: int, transaction: ReportTransaction
) -> tuple[int, int]:
    """Run ``insert_report`` (an INSERT of one report RETURNING its id) in ``transaction`` and read its case's
    exact total with it.

    Returns the new report's id and the total, as ``case_total`` would read it after the insert in the same
    transaction. On PostgreSQL, while this process keeps the case's rolled-up part, the insert and the read go
    as one statement (the insert in a ``WITH``): that read's snapshot cannot see the new row, so the row's
    ``counted`` is added to it. The read is not of everything since the watermark (up to a second of a viral
    case's reports, read again by every report) but of what came after the reports this process has already
    counted there (``_CountedAbove``): the few since its previous report. When the watermark moved since the
    kept part was read, or on SQLite, the total is read after the insert.
    """
    rolled_up = _cache().get((_BY_CASE, (case_id,), None))
    if rolled_up is None or not is_postgresql():
        report_id = transaction.execute(insert_report, values)[0][0]
        return report_id, _case_total_in(transaction, case_id)
    kept = _counted_above_cache().get(case_id)
    if kept is None or kept.watermark != rolled_up.watermark:
        kept = _CountedAbove(
            rolled_up.watermark, rolled_up.watermark.reports_below, rolled_up.watermark.adjustments_below
        )
    parameters = _parameters([case_id], None, reports_from=kept.reports_from, adjustments_from=kept.adjustments_from)
    row = transaction.execute(_insert_beside_counted_above(insert_report, tuple(values)), {**parameters, **values})[0]
    report_id, seen = row[0], _watermark(row[1:5])
    if seen != rolled_up.watermark:
        return report_id, _case_total_in(transaction, case_id)
    reports_from, adjustments_from, settled, unsettled = (int(value) for value in row[5:9])
    now_kept = _CountedAbove(seen, reports_from, adjustments_from, kept.count + settled)
    _keep_counted_above(case_id, now_kept)
    return report_id, rolled_up.sums.get((case_id,), 0) + now_kept.count + unsettled + counted


@dataclass(frozen=True)
class _CountedAbove:
    """What this process has counted of a case's reports and adjustments at or above ``watermark``, up to the
    positions ``reports_from`` and ``adjustments_from``.

    Every transaction below those positions had ended when they were read (the reading statement's oldest
    running transaction, its own included), so nothing can add to what is counted there; a review decision
    that changes whether such a report counts moves ``Watermark.reviews_above``, and the count is then
    dropped with the watermark it belongs to.
    """

    watermark: Watermark
    reports_from: int
    adjustments_from: int
    count: int = 0


def _counted_above_cache() -> OrderedDict:
    return current_app.extensions.setdefault("counted_above_watermark", OrderedDict())


def _keep_counted_above(case_id: int, counted: _CountedAbove) -> None:
    cache = _counted_above_cache()
    cache[case_id] = counted
    cache.move_to_end(case_id)
    while len(cache) > ROLLED_UP_CACHE_SIZE:
        cache.popitem(last=False)


def _case_total_in(transaction: ReportTransaction, case_id: int) -> int:
    """``case_total`` as ``transaction`` sees it: what came since the watermark is read in it, so its own
    uncommitted report counts (the rolled-up part is committed, and read through the session)."""
    rolled_up, recent = _read_live(_BY_CASE, [case_id], transaction=transaction)
    return _merged(rolled_up.sums, recent).get((case_id,), 0)


#: Positions below which every transaction has ended, as the statement sees it: the oldest one still running,
#: or this one if it already wrote (PostgreSQL counts it in, ``least`` makes sure).
_ENDED_BELOW = select(
    func.least(
        cast(cast(func.pg_snapshot_xmin(func.pg_current_snapshot()), Text), BigInteger),
        cast(cast(func.pg_current_xact_id_if_assigned(), Text), BigInteger),
    ).label("position")
).cte("ended")


def _counted_sum(reports_from, reports_below, adjustments_from, adjustments_below):
    """The counted actions of the case (``case_ids``) in a range of positions, as a scalar subquery.

    Only the count is selected of ``contribution_parts``: psycopg keeps the conversion of a statement's
    placeholders only for statements under 4 kB, and this one runs on every report.
    """
    parts = contribution_parts(
        reports_from=reports_from,
        reports_below=reports_below,
        adjustments_from=adjustments_from,
        adjustments_below=adjustments_below,
        case_ids=_CASE_IDS,
        with_hours=False,
    )
    counts = (part.with_only_columns(list(part.selected_columns)[-1].label("count")) for part in parts)
    rows = union_all(*counts).subquery("counted")
    return select(func.coalesce(func.sum(rows.c.count), 0)).scalar_subquery()


def _insert_beside_counted_above(insert_report: Insert, columns: tuple[str, ...]) -> Select:
    """``WITH inserted AS (INSERT … RETURNING id) SELECT inserted.id``, the watermark, the new positions below
    which every transaction has ended, what came from the kept positions up to them, and what came after; built
    once."""
    key = ("insert-beside-counted-above", insert_report, columns)
    if key not in _STATEMENTS:
        inserted = insert_report.values({column: bindparam(column) for column in columns}).cte("inserted")
        state = RollupState.__table__
        ended_below = select(_ENDED_BELOW.c.position).scalar_subquery()
        reports_to = func.greatest(_REPORTS_FROM, ended_below)
        adjustments_to = func.greatest(_ADJUSTMENTS_FROM, ended_below)
        _STATEMENTS[key] = select(
            inserted.c.id,
            *_watermark_columns(state),
            reports_to,
            adjustments_to,
            _counted_sum(_REPORTS_FROM, reports_to, _ADJUSTMENTS_FROM, adjustments_to),
            _counted_sum(reports_to, None, adjustments_to, None),
        ).select_from(inserted.outerjoin(state, state.c.id == ROLLUP_STATE_ID))
    return _STATEMENTS[key]


def published_case_total(case_id: int) -> int:
    """The case's total as the public pages show it: kept by each process under the case's figures stamp, so
    at most ``KEPT_ANSWER_RECHECK_SECONDS`` behind however many reports arrive (see ``change_stamps``)."""
    return kept_answer(FIGURES, ("case-total", case_id), lambda: case_id, case_total) or 0


def totals_for_cases(case_ids: Iterable[int]) -> dict[int, int]:
    """Public totals of several cases in one query."""
    ids = list(case_ids)
    if not ids:
        return {}
    return {case_id: count for (case_id,), count in _live_sums(_BY_CASE, ids).items() if count}


def case_totals(case_id: int) -> CaseTotals:
    """A case's total with its breakdowns by action type, country and target."""
    rolled_up, recent = _read_live(_BREAKDOWN, [case_id])
    return rolled_up.folded(_breakdown).copy().add(recent).ordered()


def _breakdown(sums: dict[tuple, int]) -> CaseTotals:
    return CaseTotals().add(sums)


def case_totals_by_day(case_id: int, since: date | None = None) -> dict[date, int]:
    """A case's total per day the actions were taken, oldest first (for charts and figures); from ``since`` on if given."""
    rows = sorted(_live_sums(_BY_DAY, [case_id], since).items())
    return {acted_on: count for (acted_on,), count in rows if count}


#: ``last_24h`` and ``last_7d``, in hours: the current hour and the hours before it.
LAST_24H_HOURS = 24
LAST_7D_HOURS = 7 * 24


@dataclass(frozen=True)
class RecentTotals:
    """A case's counted actions received in the last 24 hours and in the last 7 days, beside the all-time total.

    Received is when the report reached us (``action_report.created_at``), not the day the
    supporter says they acted: a report sent now about last week's letter is recent. A review
    decision moves a report in or out of these counts as it does the total. They are precise to
    the hour (UTC), the grain of ``action_total_hourly``: ``last_24h`` counts the reports received
    in the current hour and the 23 full hours before it, so it covers between the last 23 and 24
    hours and never counts a report older than 24 hours; ``last_7d`` the current hour and the 167
    before it.
    """

    last_24h: int = 0
    last_7d: int = 0

    def folded(self, floor: int) -> RecentTotals:
        """Each count below ``floor`` published as 0, as small country counts are folded: a lone recent action can point to a person."""
        return RecentTotals(*(count if count >= floor else 0 for count in (self.last_24h, self.last_7d)))


def recent_totals(case_id: int, now: datetime | None = None) -> RecentTotals:
    """The case's actions received in the last 24 hours and 7 days (to the hour), live like the total."""
    hour = start_of_hour(now or utcnow())
    by_hour = _live_sums(_BY_HOUR, [case_id], since=hour - timedelta(hours=LAST_7D_HOURS - 1))
    day_from = hour - timedelta(hours=LAST_24H_HOURS - 1)
    return RecentTotals(
        last_24h=sum(count for (received_hour,), count in by_hour.items() if received_hour >= day_from),
        last_7d=sum(by_hour.values()),
    )
