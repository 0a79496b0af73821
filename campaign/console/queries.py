"""Reads for the console: dashboards' series, the review queue, event and group tallies, the audit log, exports.

Totals, their breakdowns and the per-day series all come from ``campaign.actions.totals``, the one
place that computes them; this module only arranges them for the pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from campaign.actions.models import ActionReport, ReportSource, ReviewState
from campaign.actions.totals import case_totals, case_totals_by_day, totals_for_cases
from campaign.audit.models import AuditEntry
from campaign.cases.models import Case, CaseStatus, CaseTarget
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


def all_cases() -> list[Case]:
    """Every case, drafts first, then active by deadline, then closed."""
    order = {CaseStatus.DRAFT: 0, CaseStatus.ACTIVE: 1, CaseStatus.CLOSED: 2}
    cases = list(db.session.scalars(select(Case).order_by(Case.deadline_on.is_(None), Case.deadline_on, Case.id)))
    return sorted(cases, key=lambda case: order.get(CaseStatus(case.status), 3))


def case_for_console(case_id: int) -> Case | None:
    statement = (
        select(Case)
        .where(Case.id == case_id)
        .options(
            selectinload(Case.people),
            selectinload(Case.asks),
            selectinload(Case.target_links).joinedload(CaseTarget.target),
            selectinload(Case.letters),
            selectinload(Case.timeline),
        )
    )
    return db.session.scalar(statement)


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


def case_totals_map(cases: list[Case]) -> dict[int, int]:
    return totals_for_cases([case.id for case in cases])


def flagged_reports(case_id: int | None = None, limit: int = 200) -> list[ActionReport]:
    """Reports held for review, oldest first."""
    statement = (
        select(ActionReport)
        .where(ActionReport.review_state == ReviewState.FLAGGED)
        .options(selectinload(ActionReport.case), selectinload(ActionReport.target))
        .order_by(ActionReport.created_at, ActionReport.id)
        .limit(limit)
    )
    if case_id is not None:
        statement = statement.where(ActionReport.case_id == case_id)
    return list(db.session.scalars(statement))


def recent_reports(case_id: int, limit: int = 50) -> list[ActionReport]:
    statement = (
        select(ActionReport)
        .where(ActionReport.case_id == case_id)
        .options(selectinload(ActionReport.target))
        .order_by(ActionReport.created_at.desc(), ActionReport.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(statement))


def event_tallies(case_id: int) -> list[ActionReport]:
    """The case's event tallies, newest event first."""
    statement = (
        select(ActionReport)
        .where(ActionReport.case_id == case_id, ActionReport.source == ReportSource.EVENT)
        .order_by(ActionReport.acted_on.desc(), ActionReport.id.desc())
    )
    return list(db.session.scalars(statement))


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


def audit_entries(actor: str | None = None, case_id: int | None = None, limit: int = 300) -> list[AuditEntry]:
    """The latest audit entries, optionally of one actor (label, part of it) and one case."""
    statement = select(AuditEntry).order_by(AuditEntry.happened_at.desc(), AuditEntry.id.desc()).limit(limit)
    if actor:
        pattern = "%" + actor.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(AuditEntry.actor_label.ilike(pattern, escape="\\"))
    if case_id is not None:
        statement = statement.where(AuditEntry.case_id == case_id)
    return list(db.session.scalars(statement))


def audit_actors() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.actor_label).distinct().order_by(AuditEntry.actor_label)))


EXPORT_COLUMNS = (
    "report_id",
    "case",
    "ua_number",
    "action_type",
    "target",
    "count",
    "country",
    "source",
    "group_code",
    "review_state",
    "acted_on",
    "created_at",
)


def export_rows(case_id: int | None = None) -> Iterator[tuple]:
    """Every report as a row without personal data: no name, email, supporter or address fingerprint."""
    statement = (
        select(ActionReport, Case.slug, Case.ua_number)
        .join(Case, Case.id == ActionReport.case_id)
        .options(selectinload(ActionReport.target))
        .order_by(ActionReport.id)
        .execution_options(yield_per=1000)
    )
    if case_id is not None:
        statement = statement.where(ActionReport.case_id == case_id)
    for report, slug, ua_number in db.session.execute(statement):
        yield (
            report.id,
            slug,
            ua_number or "",
            report.action_type,
            report.target.display_name if report.target else _("All targets"),
            report.count,
            report.country,
            report.source,
            report.group_code or "",
            report.review_state,
            report.acted_on.isoformat(),
            report.created_at.isoformat(),
        )


def find_targets(query: str, limit: int = 20) -> list:
    """Stored targets whose name, title or organisation contains ``query``."""
    from campaign.cases.models import Target

    if not query.strip():
        return []
    pattern = "%" + query.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    statement = (
        select(Target)
        .where(
            or_(
                Target.name.ilike(pattern, escape="\\"),
                Target.title.ilike(pattern, escape="\\"),
                Target.organisation.ilike(pattern, escape="\\"),
            )
        )
        .order_by(Target.name)
        .limit(limit)
    )
    return list(db.session.scalars(statement))
