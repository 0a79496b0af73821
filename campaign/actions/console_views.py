"""Console pages of reports: the review queue (filtered, grouped by sender, decided in bulk), a report held by
hand, a case's event tallies and groups, and the CSV export."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms.fields.choices import SelectChoice

from campaign.actions.dashboards import group_tallies
from campaign.actions.events import record_event_tally
from campaign.actions.forms import FlagForm, ReviewDecisionForm
from campaign.actions.models import ActionReport, ReviewState
from campaign.actions.operations import CaseClosedToReports
from campaign.actions.queries import (
    EXPORT_COLUMNS,
    HOLD_REASONS,
    ReviewFilter,
    event_tallies,
    export_rows,
    held_report_ids,
    held_reports_page,
    held_senders,
    sender_label,
)
from campaign.actions.review import change_review_state, decide_held_reports
from campaign.actions.validation import ReportInvalid
from campaign.audit.operations import record_audit
from campaign.cases.models import Case
from campaign.cases.workspace_queries import all_cases
from campaign.console.access import ORGANISER_ROLES, current_actor, roles_accepted
from campaign.console.export import csv_lines
from campaign.console.forms import ButtonForm, EventTallyForm, GroupLinkForm
from campaign.console.pages import commit_or_flash, flash_form_errors, found_or_404, page_number
from campaign.countries import country_choices
from campaign.database import utc_today
from campaign.extensions import db

blueprint = Blueprint("actions_console", __name__, url_prefix="/console")


@blueprint.get("/review")
@roles_accepted(*ORGANISER_ROLES)
def review_queue():
    """Held reports that match the filter, one sender's together, a page at a time, with one decision form."""
    review_filter = ReviewFilter.from_args(request.args)
    return render_template(
        "actions/console_review.html",
        review_filter=review_filter,
        pagination=held_reports_page(review_filter, page_number()),
        senders=held_senders(review_filter),
        reasons=HOLD_REASONS,
        cases=all_cases(),
        form=ReviewDecisionForm(formdata=None),
        sender_label=sender_label,
    )


@blueprint.post("/review/decisions")
@roles_accepted(*ORGANISER_ROLES)
def review_decide():
    """Accept or reject the ticked reports, or every held one that matches the filter, with one reason.

    Each report's state changes on its own row and in the audit log; totals follow through the rollup.
    """
    review_filter = ReviewFilter.from_args(request.form)
    back = redirect(url_for("actions_console.review_queue", **review_filter.as_args()), code=303)
    form = ReviewDecisionForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return back
    if form.scope.data == "matching":
        report_ids = held_report_ids(review_filter)
    else:
        report_ids = [int(value) for value in request.form.getlist("report_ids") if value.isdigit()][:10_000]
    actor = current_actor()
    decide = partial(
        decide_held_reports,
        report_ids,
        ReviewState(form.decision.data),
        (form.reason.data or "").strip(),
        actor_label=actor.label,
        actor_id=actor.id,
    )
    if decided := commit_or_flash(decide):
        if form.decision.data == ReviewState.COUNTED:
            message = ngettext(
                "%(num)d report accepted and counted.", "%(num)d reports accepted and counted.", decided.value
            )
        else:
            message = ngettext("%(num)d report rejected.", "%(num)d reports rejected.", decided.value)
        flash(message, "success")
    return back


@blueprint.post("/reports/<int:report_id>/flag")
@roles_accepted(*ORGANISER_ROLES)
def report_flag(report_id: int):
    """Hold a counted report for review by hand."""
    report = found_or_404(db.session.get(ActionReport, report_id))
    form = FlagForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    elif report.review_state != ReviewState.COUNTED:
        flash(_("Only a counted report can be held for review."), "error")
    else:
        actor = current_actor()
        reason = form.reason.data.strip()
        commit_or_flash(
            lambda: change_review_state(
                report.id, ReviewState.FLAGGED, reason=reason, actor_label=actor.label, actor_id=actor.id
            ),
            done=_("The report is held for review."),
        )
    return redirect(url_for("case_workspace.reports", case_id=report.case_id), code=303)


def _all_countries() -> list[SelectChoice]:
    return [SelectChoice(code, name) for code, name in country_choices()]


@blueprint.route("/cases/<int:case_id>/events", methods=["GET", "POST"])
@roles_accepted(*ORGANISER_ROLES)
def case_events(case_id: int):
    """Event tallies and groups: record a tally, see each group's total, make a group's link."""
    case = found_or_404(db.session.get(Case, case_id))
    form = EventTallyForm()
    form.country.choices = _all_countries()
    status = 200
    if form.validate_on_submit():
        try:
            record_event_tally(case, form.report_fields(), form.held_on.data, actor=current_actor(), today=utc_today())
        except ReportInvalid as invalid:
            db.session.rollback()
            for name, message in invalid.fields.items():
                field = getattr(form, name, None)
                if field is not None:
                    field.errors = [*field.errors, message]
                else:
                    flash(str(message), "error")
            status = 400
        except CaseClosedToReports:
            db.session.rollback()
            flash(_("This case is not active: it takes no tallies."), "error")
            status = 400
        else:
            db.session.commit()
            flash(_("Event tally recorded."), "success")
            return redirect(url_for("actions_console.case_events", case_id=case.id), code=303)
    elif request.method == "POST":
        status = 400
    link_form = GroupLinkForm(request.args)
    group_link = None
    if request.args.get("group") and link_form.validate():
        group_link = url_for("cases.action_page", slug=case.slug, group=link_form.group.data, _external=True)
    return (
        render_template(
            "actions/console_events.html",
            case=case,
            form=form,
            tallies=event_tallies(case.id),
            groups=group_tallies(case.id),
            link_form=link_form,
            group_link=group_link,
        ),
        status,
    )


@blueprint.post("/export.csv")
@roles_accepted(*ORGANISER_ROLES)
def export_csv():
    """Every report (or one case's) as CSV without personal data; the export is audited."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    case_id = request.form.get("case_id", type=int)
    if case_id is not None:
        found_or_404(db.session.get(Case, case_id))
    actor = current_actor()
    record_audit(
        "reports.exported", actor_label=actor.label, actor_id=actor.id, case_id=case_id, details={"format": "csv"}
    )
    db.session.commit()
    filename = f"reports-case-{case_id}.csv" if case_id else "reports.csv"
    body = stream_with_context(csv_lines(EXPORT_COLUMNS, export_rows(case_id)))
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
