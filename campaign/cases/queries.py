"""Reading cases for the public pages and the API."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from campaign.actions.change_stamps import CONTENT, kept_answer
from campaign.cases.models import Case, CaseStatus, CaseTarget
from campaign.extensions import db


def _with_details():
    return (
        selectinload(Case.people),
        selectinload(Case.asks),
        selectinload(Case.target_links).joinedload(CaseTarget.target),
        selectinload(Case.letters),
        selectinload(Case.translations),
    )


def public_cases(status: CaseStatus = CaseStatus.ACTIVE) -> list[Case]:
    """Cases in this status, nearest deadline first (cases without one last)."""
    statement = (
        select(Case)
        .where(Case.status == status)
        .order_by(Case.deadline_on.is_(None), Case.deadline_on, Case.id)
        .options(selectinload(Case.translations))
    )
    return list(db.session.scalars(statement))


def public_case_by_slug(slug: str, *, with_details: bool = True) -> Case | None:
    """A case the public may see: any status but draft.

    ``with_details=False`` loads the case row alone (one query), for the hot paths that only report
    on a case or read its totals; its targets then load on first use.
    """
    statement = select(Case).where(Case.slug == slug, Case.status != CaseStatus.DRAFT)
    if with_details:
        statement = statement.options(*_with_details())
    return db.session.scalar(statement)


@dataclass(frozen=True)
class ReportingCase:
    """What storing a report needs of its case, and nothing else: no story, no people, no letters."""

    id: int
    slug: str
    accepts_reports: bool
    target_ids: frozenset[int]

    @classmethod
    def of(cls, case: Case) -> ReportingCase:
        return cls(case.id, case.slug, case.accepts_reports, frozenset(link.target_id for link in case.target_links))


def _public_case_id(slug: str) -> int | None:
    return db.session.scalar(select(Case.id).where(Case.slug == slug, Case.status != CaseStatus.DRAFT))


def _reporting_case(case_id: int) -> ReportingCase:
    slug, status = db.session.execute(select(Case.slug, Case.status).where(Case.id == case_id)).one()
    target_ids = db.session.scalars(select(CaseTarget.target_id).where(CaseTarget.case_id == case_id))
    return ReportingCase(case_id, slug, status == CaseStatus.ACTIVE, frozenset(target_ids))


def reporting_case_by_slug(slug: str) -> ReportingCase | None:
    """The public case at ``slug`` as a report needs it, kept by each process while the case's content stamp holds.

    A change of the case's status or targets replaces that stamp, so a closed case refuses reports at once on
    every worker; the common report then asks Redis for the stamp and the database for nothing.
    """
    return kept_answer(CONTENT, ("reporting-case", slug), lambda: _public_case_id(slug), _reporting_case)
