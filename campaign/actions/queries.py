"""Reads of reports for the console: a case's reports and the review queue (filtered, paged), event tallies, exports."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, Select, String, and_, cast, func, literal, not_, or_, select
from sqlalchemy.orm import selectinload

from campaign.actions.hold_reasons import (
    COUNT_ABOVE_THRESHOLD,
    SAME_ADDRESS_AGAIN,
    SAME_EMAIL_AGAIN,
    stored_prefix,
)
from campaign.actions.models import ActionReport, ActionType, ReportSource, ReviewState
from campaign.cases.models import Case
from campaign.extensions import db

#: Rows on one page of a console list: a page stays within about three desktop screens.
PAGE_SIZE = 30
#: Held reports on one page of the queue (their reasons take two lines).
REVIEW_PAGE_SIZE = 25

#: Why a report was held, as the review queue filters it: key → (label, the held reports it matches).
#: The sentences are those of ``campaign.actions.hold_reasons``; anything else was held by hand.
_COUNT = ActionReport.review_reason.like(stored_prefix(COUNT_ABOVE_THRESHOLD) + "%")
_EMAIL = ActionReport.review_reason.like(stored_prefix(SAME_EMAIL_AGAIN) + "%")
_ADDRESS = ActionReport.review_reason.like(stored_prefix(SAME_ADDRESS_AGAIN) + "%")
HOLD_REASONS: dict[str, tuple[str, ColumnElement[bool]]] = {
    "count": (_l("Count above the review threshold"), _COUNT),
    "email": (_l("Same email reporting again and again"), _EMAIL),
    "address": (_l("Same network address reporting again and again"), _ADDRESS),
    "hand": (
        _l("Held by an organiser"),
        or_(ActionReport.review_reason.is_(None), not_(or_(_COUNT, _EMAIL, _ADDRESS))),
    ),
}

#: Who sent a report, as one key: ``s`` and the supporter's id (one email), else ``a`` and the hashed address.
SENDER_KEY = func.coalesce(
    literal("s").concat(cast(ActionReport.supporter_id, String)),
    literal("a").concat(ActionReport.address_fingerprint),
)


def sender_label(key: str | None) -> str:
    """A sender as organisers see it: never an email, only which supporter or which hashed address."""
    if not key:
        return str(_l("Unknown sender"))
    if key.startswith("s"):
        return str(_l("Supporter #%(id)s", id=key[1:]))
    return str(_l("Address %(hash)s", hash=key[1:9]))


@dataclass(frozen=True)
class ReviewFilter:
    """What the review queue shows: held reports of one case, one reason, one sender (each optional)."""

    case_id: int | None = None
    reason: str | None = None
    sender: str | None = None

    @classmethod
    def from_args(cls, args) -> ReviewFilter:
        """From a query string or a form; unknown values are dropped, never an error."""
        reason = args.get("reason") or None
        sender = (args.get("sender") or "").strip()[:40] or None
        return cls(
            case_id=args.get("case", type=int),
            reason=reason if reason in HOLD_REASONS else None,
            sender=sender if sender and sender[0] in "sa" and sender[1:].isalnum() else None,
        )

    def as_args(self) -> dict[str, object]:
        return {
            name: value
            for name, value in (("case", self.case_id), ("reason", self.reason), ("sender", self.sender))
            if value
        }

    def apply(self, statement: Select) -> Select:
        statement = statement.where(ActionReport.review_state == ReviewState.FLAGGED)
        if self.case_id is not None:
            statement = statement.where(ActionReport.case_id == self.case_id)
        if self.reason:
            statement = statement.where(HOLD_REASONS[self.reason][1])
        if self.sender:
            statement = statement.where(SENDER_KEY == self.sender)  # noqa: SIM300 (a SQL expression, not a constant)
        return statement


def held_reports_page(review_filter: ReviewFilter, page: int) -> Pagination:
    """One page of held reports that match, one sender's reports together, oldest first within them."""
    statement = (
        review_filter.apply(select(ActionReport))
        .options(selectinload(ActionReport.case), selectinload(ActionReport.target))
        .order_by(SENDER_KEY, ActionReport.created_at, ActionReport.id)
    )
    return db.paginate(statement, page=page, per_page=REVIEW_PAGE_SIZE, error_out=False, count=True)


def held_report_ids(review_filter: ReviewFilter) -> list[int]:
    """Every held report that matches: what "all that match" decides."""
    return list(db.session.scalars(review_filter.apply(select(ActionReport.id)).order_by(ActionReport.id)))


@dataclass(frozen=True)
class SenderGroup:
    key: str | None
    label: str
    reports: int
    actions: int


def held_senders(review_filter: ReviewFilter, limit: int = 10) -> list[SenderGroup]:
    """The senders with the most held reports that match, with their reports and actions."""
    statement = (
        review_filter.apply(select(SENDER_KEY, func.count(), func.sum(ActionReport.count)))
        .group_by(SENDER_KEY)
        .order_by(func.count().desc(), SENDER_KEY)
        .limit(limit)
    )
    return [
        SenderGroup(key, sender_label(key), int(reports), int(actions or 0))
        for key, reports, actions in db.session.execute(statement)
    ]


@dataclass(frozen=True)
class ReportFilter:
    """Which of a case's reports its reports page shows (each part optional)."""

    action_type: str | None = None
    country: str | None = None
    target_id: int | None = None
    source: str | None = None
    state: str | None = None

    @classmethod
    def from_args(cls, args) -> ReportFilter:
        """From the query string; unknown values are dropped, never an error."""

        def known(name: str, values) -> str | None:
            value = args.get(name) or None
            return value if value in {str(v) for v in values} else None

        country = (args.get("country") or "").strip().upper()
        return cls(
            action_type=known("type", ActionType),
            country=country if len(country) == 2 and country.isalpha() else None,
            target_id=args.get("target", type=int),
            source=known("source", ReportSource),
            state=known("state", ReviewState),
        )

    def as_args(self) -> dict[str, object]:
        values = (
            ("type", self.action_type),
            ("country", self.country),
            ("target", self.target_id),
            ("source", self.source),
            ("state", self.state),
        )
        return {name: value for name, value in values if value}


def case_reports_page(case_id: int, report_filter: ReportFilter, page: int) -> Pagination:
    """One page of a case's reports that match, newest first."""
    conditions = [ActionReport.case_id == case_id]
    if report_filter.action_type:
        conditions.append(ActionReport.action_type == report_filter.action_type)
    if report_filter.country:
        conditions.append(ActionReport.country == report_filter.country)
    if report_filter.target_id is not None:
        conditions.append(ActionReport.target_id == report_filter.target_id)
    if report_filter.source:
        conditions.append(ActionReport.source == report_filter.source)
    if report_filter.state:
        conditions.append(ActionReport.review_state == report_filter.state)
    statement = (
        select(ActionReport)
        .where(and_(*conditions))
        .options(selectinload(ActionReport.target))
        .order_by(ActionReport.created_at.desc(), ActionReport.id.desc())
    )
    return db.paginate(statement, page=page, per_page=PAGE_SIZE, error_out=False, count=True)


def case_report_countries(case_id: int) -> list[str]:
    """The countries the case's reports come from, for the reports page's filter."""
    statement = select(ActionReport.country).where(ActionReport.case_id == case_id).distinct()
    return sorted(db.session.scalars(statement))


def event_tallies(case_id: int) -> list[ActionReport]:
    """The case's event tallies, newest event first."""
    statement = (
        select(ActionReport)
        .where(ActionReport.case_id == case_id, ActionReport.source == ReportSource.EVENT)
        .order_by(ActionReport.acted_on.desc(), ActionReport.id.desc())
    )
    return list(db.session.scalars(statement))


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
            report.target.display_name if report.target else "All targets",
            report.count,
            report.country,
            report.source,
            report.group_code or "",
            report.review_state,
            report.acted_on.isoformat(),
            report.created_at.isoformat(),
        )
