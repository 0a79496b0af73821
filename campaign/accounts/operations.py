"""Writes to console accounts: creation, roles, disabling, failed logins and the temporary lock."""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_security import hash_password
from sqlalchemy import func, select

from campaign.accounts.models import Role, RoleName, User
from campaign.accounts.passwords import password_problems
from campaign.audit.operations import record_audit
from campaign.database import utcnow
from campaign.errors import Refused
from campaign.extensions import db

#: Failed logins in a row that lock an account.
LOCK_AFTER_FAILURES = 10
#: How long a lock lasts; it always ends.
LOCK_DURATION = timedelta(minutes=15)


class AccountInvalid(Refused):
    """The account cannot be created or changed; the message says why."""


def find_account(email: str) -> User | None:
    """The account with this email, compared without regard to case."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def ensure_roles() -> dict[str, Role]:
    """The three console roles, created when missing."""
    roles = {role.name: role for role in db.session.scalars(select(Role))}
    for name in RoleName:
        if name not in roles:
            roles[name] = Role(name=str(name), description=f"Console {name}", permissions=[])
            db.session.add(roles[name])
    db.session.flush()
    return roles


def create_account(
    email: str, password: str, roles: list[str], *, actor_label: str, actor_id: int | None = None
) -> User:
    """A new active console account with these roles; the caller commits."""
    from email_validator import EmailNotValidError, validate_email

    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise AccountInvalid(str(error)) from None
    if find_account(email) is not None:
        raise AccountInvalid(_("An account for %(email)s exists already.", email=email))
    unknown = sorted(set(roles) - {str(name) for name in RoleName})
    if unknown or not roles:
        raise AccountInvalid(_("Give one or more roles of: organiser, staff, admin."))
    normalised = current_app.extensions["security"].password_util.normalize(password)
    if problems := password_problems(normalised):
        raise AccountInvalid(" ".join(problems))
    known_roles = ensure_roles()
    user = User(
        email=email,
        password=hash_password(normalised),
        active=True,
        fs_uniquifier=uuid.uuid4().hex,
        roles=[known_roles[name] for name in sorted(set(roles))],
        failed_login_count=0,
    )
    db.session.add(user)
    db.session.flush()
    record_audit(
        "account.created",
        actor_label=actor_label,
        actor_id=actor_id,
        subject_type="account",
        subject_id=user.id,
        details={"email": email, "roles": sorted(set(roles))},
    )
    return user


def set_account_roles(user: User, roles: list[str], *, actor_label: str, actor_id: int | None) -> None:
    """Replace an account's roles; the caller commits."""
    if not roles or set(roles) - {str(name) for name in RoleName}:
        raise AccountInvalid(_("Give one or more roles of: organiser, staff, admin."))
    known_roles = ensure_roles()
    before = user.role_names
    user.roles = [known_roles[name] for name in sorted(set(roles))]
    record_audit(
        "account.roles_changed",
        actor_label=actor_label,
        actor_id=actor_id,
        subject_type="account",
        subject_id=user.id,
        details={"email": user.email, "from": before, "to": sorted(set(roles))},
    )


def set_account_active(user: User, active: bool, *, actor_label: str, actor_id: int | None) -> None:
    """Enable or disable an account; disabling ends its sessions and tokens at once. The caller commits."""
    if not active and actor_id == user.id:
        raise AccountInvalid(_("You cannot disable your own account."))
    user.active = active
    if not active:
        user.fs_uniquifier = uuid.uuid4().hex
    record_audit(
        "account.enabled" if active else "account.disabled",
        actor_label=actor_label,
        actor_id=actor_id,
        subject_type="account",
        subject_id=user.id,
        details={"email": user.email},
    )


def is_locked_now(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > utcnow()


def record_failed_login(user: User, *, second_factor: bool = False) -> None:
    """Count a failed login; the tenth in a row locks the account for 15 minutes. Commits.

    It commits itself because Flask-Security's view refuses the login without committing, and a
    failure that is not stored would never lock anything.
    """
    if not is_locked_now(user):
        user.failed_login_count = (user.failed_login_count or 0) + 1
        if user.failed_login_count >= LOCK_AFTER_FAILURES:
            user.locked_until = utcnow() + LOCK_DURATION
            user.failed_login_count = 0
            record_audit(
                "login.locked", actor_label=user.email, actor_id=user.id, subject_type="account", subject_id=user.id
            )
    record_audit(
        "login.failed",
        actor_label=user.email,
        actor_id=user.id,
        subject_type="account",
        subject_id=user.id,
        details={"step": "second factor" if second_factor else "password"},
    )
    db.session.commit()


def record_unknown_login() -> None:
    """Note a failed login for an email that has no account, without storing what was typed. Commits."""
    record_audit("login.failed", actor_label="unknown account", details={"step": "password"})
    db.session.commit()


def record_successful_login(user: User) -> None:
    """Clear the failure count and note the login; the caller (Flask-Security's view) commits."""
    user.failed_login_count = 0
    user.locked_until = None
    record_audit(
        "login.succeeded", actor_label=user.email, actor_id=user.id, subject_type="account", subject_id=user.id
    )


def record_logout(user: User) -> None:
    record_audit("logout", actor_label=user.email, actor_id=user.id, subject_type="account", subject_id=user.id)
    db.session.commit()
