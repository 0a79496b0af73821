"""Who may open which console page: one decorator, the role sets, and the console's navigation.

Every console view is decorated with ``roles_accepted`` (or one of the shortcuts below), which
sends an anonymous visitor to ``/console/login`` and answers 403 to an account without one of
the roles. The role-table test (tests/console/test_role_table.py) walks every route under
``/console`` and reads ``view.console_roles`` to know what to expect, so a view without it fails.

A feature adding console pages (reminders, supporters, figures) does::

    from campaign.console.access import STAFF_ROLES, register_nav_item, roles_accepted

    blueprint = Blueprint("reminders_console", __name__, url_prefix="/console/reminders")

    @blueprint.get("/")
    @roles_accepted(*STAFF_ROLES)
    def index(): ...

    register_nav_item("reminders_console.index", _l("Reminders"), STAFF_ROLES)

its templates ``{% extends "console/base.html" %}`` and fill ``{% block console_content %}``, and
``campaign.console.pages`` gives what every console view shares (no-cache rule, one change committed or
refused, form errors as messages).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_security import auth_required
from flask_security import roles_accepted as fs_roles_accepted

ORGANISER = "organiser"
STAFF = "staff"
ADMIN = "admin"
#: Cases, imports, review, event tallies, exports, audit log.
ORGANISER_ROLES = (ORGANISER, ADMIN)
#: Reminders, supporters and their data requests, deliveries of figures.
STAFF_ROLES = (STAFF, ADMIN)
#: Accounts and roles.
ADMIN_ROLES = (ADMIN,)
#: Read-only pages every console account may open (the dashboards).
CONSOLE_ROLES = (ORGANISER, STAFF, ADMIN)


def roles_accepted(*roles: str) -> Callable:
    """Logged-in (session) account with at least one of ``roles``; records them on the view as ``console_roles``."""

    def decorate(view: Callable) -> Callable:
        protected = auth_required("session")(fs_roles_accepted(*roles)(view))

        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            return protected(*args, **kwargs)

        wrapper.console_roles = tuple(roles)  # type: ignore[attr-defined]
        return wrapper

    return decorate


organiser_required = roles_accepted(*ORGANISER_ROLES)
staff_required = roles_accepted(*STAFF_ROLES)
admin_required = roles_accepted(*ADMIN_ROLES)
console_required = roles_accepted(*CONSOLE_ROLES)


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str | LazyString
    roles: tuple[str, ...]


NAV_ITEMS: list[NavItem] = []


def register_nav_item(endpoint: str, label: str | LazyString, roles: tuple[str, ...]) -> None:
    """Add a link to the console's navigation, shown to accounts with one of ``roles``; once per endpoint."""
    if all(item.endpoint != endpoint for item in NAV_ITEMS):
        NAV_ITEMS.append(NavItem(endpoint, label, tuple(roles)))


def nav_items_for_current_user() -> list[NavItem]:
    if not current_user.is_authenticated:
        return []
    return [item for item in NAV_ITEMS if any(current_user.has_role(role) for role in item.roles)]


def has_any_role(*roles: str) -> bool:
    return current_user.is_authenticated and any(current_user.has_role(role) for role in roles)


def current_actor():
    """The logged-in account as the audit log shows it."""
    from campaign.cases.operations import Actor

    return Actor(label=current_user.email, id=current_user.id)


for _endpoint, _label, _roles in (
    ("console.dashboard", _l("Dashboard"), CONSOLE_ROLES),
    ("case_workspace.index", _l("Cases"), CONSOLE_ROLES),
    ("console.import_text", _l("Import"), ORGANISER_ROLES),
    ("actions_console.review_queue", _l("Review"), ORGANISER_ROLES),
    ("audit_console.log", _l("Audit log"), ORGANISER_ROLES),
    ("accounts_console.index", _l("Accounts"), ADMIN_ROLES),
):
    register_nav_item(_endpoint, _label, _roles)
