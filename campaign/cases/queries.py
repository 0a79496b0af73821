"""Reading cases for the public pages and the API."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

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
