"""Reads for the console's case pages: every case, one case with all it holds, stored targets found by name."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from campaign.cases.models import Case, CaseStatus, CaseTarget, Target
from campaign.extensions import db


def all_cases() -> list[Case]:
    """Every case, drafts first, then active by deadline, then closed."""
    order = {CaseStatus.DRAFT: 0, CaseStatus.ACTIVE: 1, CaseStatus.CLOSED: 2}
    cases = list(db.session.scalars(select(Case).order_by(Case.deadline_on.is_(None), Case.deadline_on, Case.id)))
    return sorted(cases, key=lambda case: order.get(CaseStatus(case.status), 3))


def case_for_console(case_id: int) -> Case | None:
    """The case with its people, asks, targets, letters and timeline loaded."""
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


def find_targets(query: str, limit: int = 20) -> list:
    """Stored targets whose name, title or organisation contains ``query``."""
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
