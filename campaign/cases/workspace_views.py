"""The case workspace under /console/cases: every case, and one case's overview with its other pages beside it.

Each page of a case is short and does one thing (content, targets, letters, reports, deadline and status,
timeline); ``WORKSPACE_PAGES`` is the navigation they share, with the pages other features keep for a case.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.actions.dashboards import case_dashboard
from campaign.actions.forms import FlagForm
from campaign.actions.models import ActionType, ReportSource, ReviewState
from campaign.actions.queries import ReportFilter, case_report_countries, case_reports_page
from campaign.actions.totals import totals_for_cases
from campaign.cases import operations
from campaign.cases.models import Case, Target, TargetRole
from campaign.cases.workspace_forms import (
    CaseForm,
    CloseForm,
    ExtendDeadlineForm,
    LetterForm,
    LinkTargetForm,
    NewTargetForm,
)
from campaign.cases.workspace_queries import all_cases, case_for_console, find_targets
from campaign.console import charts
from campaign.console.access import CONSOLE_ROLES, ORGANISER_ROLES, STAFF_ROLES, current_actor, roles_accepted
from campaign.console.forms import ButtonForm
from campaign.console.pages import commit_or_flash, flash_form_errors, found_or_404, page_number
from campaign.database import utc_today
from campaign.extensions import db

blueprint = Blueprint("case_workspace", __name__, url_prefix="/console/cases")


@dataclass(frozen=True)
class WorkspacePage:
    endpoint: str
    label: str | LazyString
    roles: tuple[str, ...]


#: The workspace's navigation, in order; each page takes ``case_id``. "Content and translations" is the
#: case's text (its translations page joins it there).
WORKSPACE_PAGES = (
    WorkspacePage("case_workspace.overview", _l("Overview"), CONSOLE_ROLES),
    WorkspacePage("case_workspace.content", _l("Content and translations"), ORGANISER_ROLES),
    WorkspacePage("case_workspace.targets", _l("Targets"), CONSOLE_ROLES),
    WorkspacePage("case_workspace.letters", _l("Letters"), CONSOLE_ROLES),
    WorkspacePage("case_workspace.reports", _l("Reports"), CONSOLE_ROLES),
    WorkspacePage("actions_console.case_events", _l("Event tallies"), ORGANISER_ROLES),
    WorkspacePage("reminders_console.index", _l("Reminders"), STAFF_ROLES),
    WorkspacePage("figures_console.case_page", _l("Figures and deliveries"), CONSOLE_ROLES),
    WorkspacePage("case_workspace.status", _l("Deadline and status"), ORGANISER_ROLES),
    WorkspacePage("case_workspace.timeline", _l("Timeline"), CONSOLE_ROLES),
)


@blueprint.app_context_processor
def workspace_globals() -> dict:
    return {"workspace_pages": WORKSPACE_PAGES}


def _case(case_id: int) -> Case:
    return found_or_404(case_for_console(case_id))


def _to(endpoint: str, case_id: int, **values):
    return redirect(url_for(f"case_workspace.{endpoint}", case_id=case_id, **values), code=303)


def _page(template: str, case: Case, **context):
    return render_template(f"cases/{template}", case=case, today=utc_today(), button_form=ButtonForm(), **context)


@blueprint.get("")
@roles_accepted(*CONSOLE_ROLES)
def index():
    """Every case with its status, deadline and total."""
    cases = all_cases()
    return render_template(
        "cases/workspace_index.html", cases=cases, totals=totals_for_cases([case.id for case in cases])
    )


@blueprint.route("/new", methods=["GET", "POST"])
@roles_accepted(*ORGANISER_ROLES)
def new():
    """Create a draft case by hand."""
    form = CaseForm()
    if form.validate_on_submit():
        case = operations.create_case(form.case_fields(), actor=current_actor())
        db.session.commit()
        flash(_("Draft case created. Add its targets and letter, then publish it."), "success")
        return _to("overview", case.id)
    return render_template("cases/workspace_content.html", form=form, case=None), 400 if form.errors else 200


@blueprint.get("/<int:case_id>")
@roles_accepted(*CONSOLE_ROLES)
def overview(case_id: int):
    """A case at a glance: total, today, last 7 days, progress to the goal and the deadline, the charts."""
    case = _case(case_id)
    dashboard = case_dashboard(case, utc_today())
    return _page(
        "workspace_overview.html",
        case,
        dashboard=dashboard,
        charts=charts.dashboard_charts(dashboard, "case"),
        progress=charts.progress_bar(_("Progress towards the goal"), dashboard.total, case.goal, chart_id="case-goal"),
    )


@blueprint.route("/<int:case_id>/edit", methods=["GET", "POST"])
@roles_accepted(*ORGANISER_ROLES)
def content(case_id: int):
    """Edit a case's text, people, asks and dates."""
    case = _case(case_id)
    form = CaseForm()
    if form.validate_on_submit():
        operations.update_case(case, form.case_fields(), actor=current_actor())
        db.session.commit()
        flash(_("Case saved."), "success")
        return _to("content", case.id)
    if request.method == "GET":
        form.fill_from(case)
    return _page("workspace_content.html", case, form=form), 400 if form.errors else 200


@blueprint.post("/<int:case_id>/publish")
@roles_accepted(*ORGANISER_ROLES)
def publish(case_id: int):
    """Publish a draft: it appears on the public site."""
    case = _case(case_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    commit_or_flash(
        lambda: operations.publish_case(case, actor=current_actor(), today=utc_today()), done=_("Published.")
    )
    return _to("overview", case.id)


@blueprint.get("/<int:case_id>/status")
@roles_accepted(*ORGANISER_ROLES)
def status(case_id: int):
    """Extend the deadline or close the case with its outcome."""
    return _page("workspace_status.html", _case(case_id), extend_form=ExtendDeadlineForm(), close_form=CloseForm())


@blueprint.post("/<int:case_id>/close")
@roles_accepted(*ORGANISER_ROLES)
def close(case_id: int):
    """Close a case with its outcome."""
    case = _case(case_id)
    form = CloseForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        outcome = form.outcome.data.strip()
        commit_or_flash(lambda: operations.close_case(case, outcome, actor=current_actor()), done=_("Closed."))
    return _to("status", case.id)


@blueprint.post("/<int:case_id>/deadline")
@roles_accepted(*ORGANISER_ROLES)
def extend_deadline(case_id: int):
    """Extend the deadline; the timeline keeps the old and the new date."""
    case = _case(case_id)
    form = ExtendDeadlineForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        commit_or_flash(
            lambda: operations.extend_deadline(case, form.new_deadline.data, form.note.data, actor=current_actor()),
            done=_("Deadline extended."),
        )
    return _to("status", case.id)


@blueprint.get("/<int:case_id>/targets")
@roles_accepted(*CONSOLE_ROLES)
def targets(case_id: int):
    """The case's targets and copies; organisers find stored targets to link or add new ones."""
    case = _case(case_id)
    query = request.args.get("q", "")[:200]
    return _page(
        "workspace_targets.html",
        case,
        query=query,
        found_targets=find_targets(query) if query else [],
        link_form=LinkTargetForm(),
        new_target_form=NewTargetForm(),
        roles=TargetRole,
    )


@blueprint.post("/<int:case_id>/targets/link")
@roles_accepted(*ORGANISER_ROLES)
def link_target(case_id: int):
    """Link a stored target, found by search, to the case."""
    case = _case(case_id)
    form = LinkTargetForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    elif (target := db.session.get(Target, form.target_id.data)) is None:
        flash(_("There is no such target."), "error")
    else:
        role = TargetRole(form.role.data)
        commit_or_flash(
            lambda: operations.link_target(case, target, role, actor=current_actor()), done=_("Target linked.")
        )
    return _to("targets", case.id)


@blueprint.post("/<int:case_id>/targets/new")
@roles_accepted(*ORGANISER_ROLES)
def new_target(case_id: int):
    """Add a target (or find the stored one with the same name and organisation) and link it."""
    case = _case(case_id)
    form = NewTargetForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _to("targets", case.id)

    def add() -> None:
        actor = current_actor()
        target = operations.add_target(
            form.official(), actor=actor, preferred_language=(form.preferred_language.data or "").strip() or None
        )
        operations.link_target(case, target, TargetRole(form.role.data), actor=actor)

    commit_or_flash(add, done=_("Target saved and linked."))
    return _to("targets", case.id)


@blueprint.post("/<int:case_id>/targets/<int:link_id>/remove")
@roles_accepted(*ORGANISER_ROLES)
def unlink_target(case_id: int, link_id: int):
    """Take a target off the case."""
    case = _case(case_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    commit_or_flash(lambda: operations.unlink_target(case, link_id, actor=current_actor()), done=_("Target removed."))
    return _to("targets", case.id)


@blueprint.get("/<int:case_id>/letters")
@roles_accepted(*CONSOLE_ROLES)
def letters(case_id: int):
    """The model letters, one per language; organisers add, replace and remove them."""
    return _page("workspace_letters.html", _case(case_id), letter_form=LetterForm())


@blueprint.post("/<int:case_id>/letters")
@roles_accepted(*ORGANISER_ROLES)
def save_letter(case_id: int):
    """Add or replace the model letter in one language."""
    case = _case(case_id)
    form = LetterForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        language = form.language.data.strip()
        commit_or_flash(
            lambda: operations.save_letter(case, language, form.body.data, actor=current_actor()),
            done=_("Letter saved."),
        )
    return _to("letters", case.id)


@blueprint.post("/<int:case_id>/letters/<int:letter_id>/remove")
@roles_accepted(*ORGANISER_ROLES)
def remove_letter(case_id: int, letter_id: int):
    """Remove the model letter in one language."""
    case = _case(case_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    commit_or_flash(lambda: operations.remove_letter(case, letter_id, actor=current_actor()), done=_("Letter removed."))
    return _to("letters", case.id)


@blueprint.get("/<int:case_id>/reports")
@roles_accepted(*CONSOLE_ROLES)
def reports(case_id: int):
    """The case's reports, newest first, a page at a time, filtered by type, country, target, source and state."""
    case = _case(case_id)
    report_filter = ReportFilter.from_args(request.args)
    return _page(
        "workspace_reports.html",
        case,
        report_filter=report_filter,
        pagination=case_reports_page(case.id, report_filter, page_number()),
        countries=case_report_countries(case.id),
        action_types=list(ActionType),
        sources=list(ReportSource),
        states=list(ReviewState),
        flag_form=FlagForm(),
    )


@blueprint.get("/<int:case_id>/timeline")
@roles_accepted(*CONSOLE_ROLES)
def timeline(case_id: int):
    """What happened to the case, in plain words: follow-ups, deadline extensions, publication, closing."""
    return _page("workspace_timeline.html", _case(case_id))
