"""The audit log in the console: who did what, newest first, filtered by actor and case, a page at a time."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from campaign.audit.queries import audit_actors, audit_entries
from campaign.cases.workspace_queries import all_cases
from campaign.console.access import ORGANISER_ROLES, roles_accepted
from campaign.console.pages import page_number

blueprint = Blueprint("audit_console", __name__, url_prefix="/console/audit")


@blueprint.get("")
@roles_accepted(*ORGANISER_ROLES)
def log():
    """Logins, edits, reviews and exports, newest first; filter by actor and case."""
    actor = request.args.get("actor", "").strip()[:320] or None
    case_id = request.args.get("case", type=int)
    return render_template(
        "audit/console_log.html",
        pagination=audit_entries(actor, case_id, page=page_number()),
        actors=audit_actors(),
        cases=all_cases(),
        actor=actor,
        case_id=case_id,
        filter_args={name: value for name, value in (("actor", actor), ("case", case_id)) if value},
    )
