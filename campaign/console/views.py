"""The console's own pages: its home (every case together) and the shared rules of every console answer.

Each feature keeps its console pages in its own ``console_views.py`` (``cases/workspace_views.py``,
``actions/``, ``accounts/``, ``audit/``, ``reminders/``, ``figures/``), built the same way: a blueprint under
``/console``, ``roles_accepted`` on every view, ``campaign.console.pages`` for what they share.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from campaign.actions.dashboards import group_tallies, overall_dashboard
from campaign.actions.totals import totals_for_cases
from campaign.cases import operations as case_operations
from campaign.cases.models import Case
from campaign.cases.workspace_queries import all_cases
from campaign.console import charts
from campaign.console.access import (
    CONSOLE_ROLES,
    ORGANISER_ROLES,
    current_actor,
    has_any_role,
    nav_items_for_current_user,
    roles_accepted,
)
from campaign.console.forms import ImportForm
from campaign.console.pages import never_cache
from campaign.database import utc_today
from campaign.extensions import db

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


@blueprint.route("/import", methods=["GET", "POST"])
@roles_accepted(*ORGANISER_ROLES)
def import_text():
    """Paste an Urgent Action's text: a new draft, or a follow-up attached to the case it follows."""
    from campaign.ua_import.parser import NotAnUrgentAction, parse_urgent_action

    form = ImportForm()
    if form.validate_on_submit():
        try:
            parsed = parse_urgent_action(form.text.data)
        except NotAnUrgentAction as refusal:
            form.text.errors = [*form.text.errors, str(refusal)]
            return render_template("console/import.html", form=form), 400
        result = case_operations.import_urgent_action(parsed, actor=current_actor())
        db.session.commit()
        if result.is_follow_up:
            flash(_("This follow-up was added to the case's timeline."), "success")
        else:
            flash(_("Draft case created from the text. Check it, then publish it."), "success")
        return _to_case(result.case)
    return render_template("console/import.html", form=form), 400 if form.errors else 200
