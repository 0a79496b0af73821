"""Writing to the audit log."""

from __future__ import annotations

from campaign.audit.models import AuditEntry
from campaign.extensions import db


def record_audit(
    action: str,
    *,
    actor_label: str,
    actor_id: int | None = None,
    case_id: int | None = None,
    subject_type: str | None = None,
    subject_id: int | None = None,
    details: dict | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction; the caller commits."""
    entry = AuditEntry(
        action=action,
        actor_label=actor_label,
        actor_id=actor_id,
        case_id=case_id,
        subject_type=subject_type,
        subject_id=subject_id,
        details=details or {},
    )
    db.session.add(entry)
    return entry
