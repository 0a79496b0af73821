"""Demo console accounts for ``make run``: one per role, sharing a password generated once per instance."""

from __future__ import annotations

import secrets
from pathlib import Path

from campaign.accounts.models import User
from campaign.accounts.operations import create_account, find_account
from campaign.extensions import db

DEMO_ACCOUNTS = {
    "organiser@example.org": "organiser",
    "staff@example.org": "staff",
    "admin@example.org": "admin",
}


def _demo_password(instance_path: Path) -> str:
    """A random password kept in ``instance/demo_password`` so every run prints the same working login."""
    password_file = instance_path / "demo_password"
    if not password_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        password_file.write_text(f"ua-demo-{secrets.token_urlsafe(12)}")
        password_file.chmod(0o600)
    return password_file.read_text().strip()


def ensure_demo_accounts(instance_path: Path) -> tuple[dict[str, str], str]:
    """Create the demo accounts or reset them to the demo password (unlocked, active); commits."""
    from flask_security import hash_password

    password = _demo_password(instance_path)
    for email, role in DEMO_ACCOUNTS.items():
        account: User | None = find_account(email)
        if account is None:
            create_account(email, password, [role], actor_label="command line")
        else:
            account.password = hash_password(password)
            account.active = True
            account.failed_login_count = 0
            account.locked_until = None
    db.session.commit()
    return DEMO_ACCOUNTS, password
