"""Who did what in the console."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from campaign.database import JSONType, UTCDateTime, utcnow
from campaign.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    happened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: The console account that acted; null for the command line and the system.
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    #: How the actor is shown: an account's email, "command line" or "system".
    actor_label: Mapped[str] = mapped_column(String(320))
    #: What was done, e.g. "case.created", "report.rejected", "login.failed".
    action: Mapped[str] = mapped_column(String(60), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="SET NULL"), index=True)
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict] = mapped_column(JSONType, default=dict)
