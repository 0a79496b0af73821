"""Console accounts and roles on Flask-Security's typed SQLAlchemy 2 mixins."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_security.models.sqla import FsModels
from flask_security.models.sqla_v2 import FsRefreshTrackerMixin, FsRoleMixin, FsUserMixin, FsWebAuthnMixin
from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from campaign.database import UTCDateTime
from campaign.extensions import db

FsModels.set_db_info(base_model=db.Model, user_table_name="account", role_table_name="role")


class RoleName(enum.StrEnum):
    ORGANISER = "organiser"
    STAFF = "staff"
    ADMIN = "admin"


class Role(db.Model, FsRoleMixin):
    __tablename__ = "role"


class User(db.Model, FsUserMixin):
    """A console account; its email is its login."""

    __tablename__ = "account"

    #: Failed logins in a row since the last success or lock.
    failed_login_count: Mapped[int] = mapped_column(Integer, default=0)
    #: Logins are refused until then; null when not locked.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def track_failed_authn(self, auth_type: str, tfa: bool = False) -> None:
        """Count the failure towards the temporary lock, then let Flask-Security signal it."""
        from campaign.accounts.operations import record_failed_login

        record_failed_login(self, second_factor=tfa)
        super().track_failed_authn(auth_type, tfa)

    def is_locked(self, form_error: list[str] | None = None) -> bool:
        """Locked for a while after too many failures; the login form answers as for a wrong password."""
        from campaign.accounts.operations import is_locked_now

        if is_locked_now(self):
            if form_error is not None:
                from flask_security.utils import get_message

                form_error.append(get_message("GENERIC_AUTHN_FAILED")[0])
            return True
        return False

    @property
    def role_names(self) -> list[str]:
        return sorted(role.name for role in self.roles)


class WebAuthn(db.Model, FsWebAuthnMixin):
    """Required by Flask-Security's mappings; passkeys are not offered."""

    __tablename__ = "webauthn"


class FsRefreshTracker(db.Model, FsRefreshTrackerMixin):
    """Required by Flask-Security's mappings; refresh tokens are not offered."""

    __tablename__ = "fs_refresh"
