"""Reading the audit log."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select

from campaign.audit.models import AuditEntry
from campaign.extensions import db

#: Entries on one page of the audit log.
PAGE_SIZE = 50


def audit_entries(actor: str | None = None, case_id: int | None = None, *, page: int = 1) -> Pagination:
    """One page of the audit log, newest first, optionally of one actor (label, part of it) and one case."""
    statement = select(AuditEntry).order_by(AuditEntry.happened_at.desc(), AuditEntry.id.desc())
    if actor:
        pattern = "%" + actor.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(AuditEntry.actor_label.ilike(pattern, escape="\\"))
    if case_id is not None:
        statement = statement.where(AuditEntry.case_id == case_id)
    return db.paginate(statement, page=page, per_page=PAGE_SIZE, error_out=False, count=True)


def audit_actors() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.actor_label).distinct().order_by(AuditEntry.actor_label)))
