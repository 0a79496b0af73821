"""Reading console accounts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from campaign.accounts.models import User
from campaign.extensions import db


def all_accounts() -> list[User]:
    """Every console account, by email."""
    return list(db.session.scalars(select(User).options(selectinload(User.roles)).order_by(User.email)))
