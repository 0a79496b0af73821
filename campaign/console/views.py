"""The console's own pages: its home (every case together) and the shared rules of every console answer.

Each feature keeps its console pages in its own ``console_views.py`` (``cases/workspace_views.py``,
``actions/``, ``accounts/``, ``audit/``, ``reminders/``, ``figures/``), built the same way: a blueprint under
``/console``, ``roles_accepted`` on every view, ``campaign.console.pages`` for what they share.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for

from campaign.actions.dashboards import group_tallies, overall_dashboard
from campaign.actions.totals import totals_for_cases
from campaign.cases.models import Case
from campaign.cases.workspace_queries import all_cases
from campaign.console import charts
from campaign.console.access import (
    CONSOLE_ROLES,
    has_any_role,
    nav_items_for_current_user,
    roles_accepted,
)
from campaign.console.pages import never_cache
from campaign.database import utc_today

blueprint = Blueprint("console", __name__, url_prefix="/console")
blueprint.after_app_request(never_cache)


@blueprint.app_context_processor
def console_globals() -> dict:
    return {"console_nav_items": nav_items_for_current_user, "console_has_role": has_any_role}


def _to_case(case: Case):
    return redirect(url_for("case_workspace.overview", case_id=case.id), code=303)


@blueprint.get("/")
@roles_accepted(*CONSOLE_ROLES)
def dashboard():
    """All cases together: totals, per day, by type, country and case."""
    today = utc_today()
    cases = all_cases()
    overview = overall_dashboard(cases, today)
    return render_template(
        "console/dashboard.html",
        dashboard=overview,
        charts=charts.dashboard_charts(overview, "all"),
        cases=cases,
        totals=totals_for_cases([case.id for case in cases]),
        groups=group_tallies()[:20],
        today=today,
    )
