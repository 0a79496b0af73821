"""What the console's dashboards show: a case's or every case's totals, per day, by type, country and target.

Totals, their breakdowns and the per-day series all come from ``campaign.actions.totals``, the one
place that computes them; this module only arranges them for the pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from campaign.actions.models import ActionReport, ReviewState
from campaign.actions.totals import case_totals, case_totals_by_day
from campaign.cases.models import Case, CaseStatus
from campaign.extensions import db

#: How many days the "actions per day" chart shows.
DAYS_SHOWN = 30


@dataclass
class Dashboard:
    """What a dashboard shows, for one case or all of them."""

    total: int = 0
    today: int = 0
    last_7_days: int = 0
    per_day: list[tuple[date, int]] = field(default_factory=list)
    by_type: dict[str, int] = field(default_factory=dict)
    by_country: dict[str, int] = field(default_factory=dict)
    #: (target's display name, actions); "All targets" for reports to every target.
    by_target: list[tuple[str, int]] = field(default_factory=list)
    flagged: int = 0


def daily_series(case_ids: list[int], first_day: date, last_day: date) -> list[tuple[date, int]]:
    """Counted actions per day they were taken (from ``case_totals_by_day``), every day of the range present."""
    counts: dict[date, int] = {}
    for case_id in case_ids:
        for day, count in case_totals_by_day(case_id, since=first_day).items():
            counts[day] = counts.get(day, 0) + count
    days = (last_day - first_day).days + 1
    return [(first_day + timedelta(days=n), counts.get(first_day + timedelta(days=n), 0)) for n in range(days)]


def _flagged_count(case_id: int | None) -> int:
    statement = select(func.count()).where(ActionReport.review_state == ReviewState.FLAGGED)
    if case_id is not None:
        statement = statement.where(ActionReport.case_id == case_id)
    return int(db.session.scalar(statement) or 0)


def _with_series(dashboard: Dashboard, case_ids: list[int], case_id: int | None, today: date) -> Dashboard:
    series = daily_series(case_ids, today - timedelta(days=DAYS_SHOWN - 1), today)
    dashboard.per_day = series
    dashboard.today = series[-1][1]
    dashboard.last_7_days = sum(count for _day, count in series[-7:])
    dashboard.flagged = _flagged_count(case_id)
    return dashboard


def case_dashboard(case: Case, today: date) -> Dashboard:
    """One case: total, today, last 7 days, per day, by type, country and target."""
    totals = case_totals(case.id)
    names = {link.target_id: link.target.display_name for link in case.target_links}
    by_target = [(names.get(target_id, f"#{target_id}"), count) for target_id, count in totals.by_target.items()]
    by_target.sort(key=lambda item: -item[1])
    if totals.to_all_targets:
        by_target.append((_("All targets"), totals.to_all_targets))
    dashboard = Dashboard(
        total=totals.total, by_type=dict(totals.by_type), by_country=dict(totals.by_country), by_target=by_target
    )
    return _with_series(dashboard, [case.id], case.id, today)


def overall_dashboard(cases: list[Case], today: date) -> Dashboard:
    """Every public case together."""
    dashboard = Dashboard()
    public = [case for case in cases if case.status != CaseStatus.DRAFT]
    for case in public:
        totals = case_totals(case.id)
        dashboard.total += totals.total
        for kind, count in totals.by_type.items():
            dashboard.by_type[kind] = dashboard.by_type.get(kind, 0) + count
        for country, count in totals.by_country.items():
            dashboard.by_country[country] = dashboard.by_country.get(country, 0) + count
        if totals.total:
            dashboard.by_target.append((case.headline, totals.total))
    dashboard.by_type = dict(sorted(dashboard.by_type.items(), key=lambda item: (-item[1], item[0])))
    dashboard.by_country = dict(sorted(dashboard.by_country.items(), key=lambda item: (-item[1], item[0])))
    return _with_series(dashboard, [case.id for case in public], None, today)


@dataclass(frozen=True)
class GroupTally:
    group_code: str
    reports: int
    actions: int


def group_tallies(case_id: int | None = None) -> list[GroupTally]:
    """Counted actions per group code, largest first: what each group achieved, with no one's email."""
    statement = (
        select(ActionReport.group_code, func.count(), func.sum(ActionReport.count))
        .where(ActionReport.group_code.is_not(None), ActionReport.review_state == ReviewState.COUNTED)
        .group_by(ActionReport.group_code)
    )
    if case_id is not None:
        statement = statement.where(ActionReport.case_id == case_id)
    rows = [GroupTally(code, int(reports), int(actions)) for code, reports, actions in db.session.execute(statement)]
    return sorted(rows, key=lambda row: (-row.actions, row.group_code))
