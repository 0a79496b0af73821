"""Console pages: thin views that parse a form, call an operation, commit once and redirect."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _

from campaign.accounts.operations import AccountInvalid, create_account, set_account_active, set_account_roles
from campaign.accounts.queries import all_accounts
from campaign.actions.models import ActionReport, ReviewState
from campaign.actions.operations import CaseClosedToReports
from campaign.actions.validation import ReportInvalid
from campaign.cases import operations as case_operations
from campaign.cases.models import Case, Target, TargetRole
from campaign.cases.operations import CaseChangeRefused
from campaign.console import charts, queries
from campaign.console.access import (
    ADMIN_ROLES,
    CONSOLE_ROLES,
    ORGANISER_ROLES,
    current_actor,
    has_any_role,
    nav_items_for_current_user,
    roles_accepted,
)
from campaign.console.export import csv_lines
from campaign.console.forms import (
    AccountActiveForm,
    AccountForm,
    AccountRolesForm,
    ButtonForm,
    CaseForm,
    CloseForm,
    EventTallyForm,
    ExtendDeadlineForm,
    FlagForm,
    GroupLinkForm,
    LetterForm,
    LinkTargetForm,
    NewTargetForm,
    ReviewForm,
)
from campaign.console.operations import decide_report, record_event_tally
from campaign.countries import country_choices
from campaign.database import utc_today
from campaign.extensions import db

blueprint = Blueprint("console", __name__, url_prefix="/console")


@blueprint.app_context_processor
def console_globals() -> dict:
    return {"console_nav_items": nav_items_for_current_user, "console_has_role": has_any_role}


@blueprint.after_request
def never_cache(response: Response) -> Response:
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _case_or_404(case_id: int) -> Case:
    case = queries.case_for_console(case_id)
    if case is None:
        abort(404)
    return case


def _flash_errors(form) -> None:
    for field_name, messages in form.errors.items():
        label = getattr(getattr(form, field_name, None), "label", None)
        for message in messages:
            flash(f"{label.text if label else field_name}: {message}", "error")


def _to_case(case: Case, anchor: str | None = None):
    return redirect(url_for("console.case_detail", case_id=case.id, _anchor=anchor), code=303)


def _charts(dashboard: queries.Dashboard, prefix: str) -> dict:
    return {
        "per_day": charts.daily_columns(
            _("Actions per day, last 30 days"), dashboard.per_day, chart_id=f"{prefix}-per-day"
        ),
        "by_type": charts.horizontal_bars(
            _("Actions by type"), list(dashboard.by_type.items()), chart_id=f"{prefix}-by-type"
        ),
        "by_country": charts.horizontal_bars(
            _("Actions by country"), list(dashboard.by_country.items())[:15], chart_id=f"{prefix}-by-country"
        ),
        "by_target": charts.horizontal_bars(
            _("Actions by target") if prefix == "case" else _("Actions by case"),
            dashboard.by_target[:15],
            chart_id=f"{prefix}-by-target",
        ),
    }


@blueprint.get("/")
@roles_accepted(*CONSOLE_ROLES)
def dashboard():
    """All cases together: totals, per day, by type, country and case."""
    today = utc_today()
    cases = queries.all_cases()
    overview = queries.overall_dashboard(cases, today)
    return render_template(
        "console/dashboard.html",
        dashboard=overview,
        charts=_charts(overview, "all"),
        cases=cases,
        totals=queries.case_totals_map(cases),
        groups=queries.group_tallies()[:20],
        today=today,
    )


@blueprint.get("/cases")
@roles_accepted(*CONSOLE_ROLES)
def cases():
    """Every case with its status, deadline and total."""
    all_cases = queries.all_cases()
    return render_template("console/cases.html", cases=all_cases, totals=queries.case_totals_map(all_cases))


@blueprint.route("/cases/new", methods=["GET", "POST"])
@roles_accepted(*ORGANISER_ROLES)
def case_new():
    """Create a draft case by hand."""
    form = CaseForm()
    if form.validate_on_submit():
        case = case_operations.create_case(form.case_fields(), actor=current_actor())
        db.session.commit()
        flash(_("Draft case created. Add its targets and letter, then publish it."), "success")
        return _to_case(case)
    return render_template("console/case_form.html", form=form, case=None), 400 if form.errors else 200


@blueprint.get("/cases/<int:case_id>")
@roles_accepted(*CONSOLE_ROLES)
def case_detail(case_id: int):
    """One case: its dashboard, and (for organisers) publishing, closing, deadline, targets and letters."""
    case = _case_or_404(case_id)
    today = utc_today()
    overview = queries.case_dashboard(case, today)
    query = request.args.get("q", "")[:200]
    return render_template(
        "console/case.html",
        case=case,
        dashboard=overview,
        charts=_charts(overview, "case"),
        progress=charts.progress_bar(_("Progress towards the goal"), overview.total, case.goal, chart_id="case-goal"),
        today=today,
        button_form=ButtonForm(),
        close_form=CloseForm(),
        extend_form=ExtendDeadlineForm(),
        link_form=LinkTargetForm(),
        new_target_form=NewTargetForm(),
        letter_form=LetterForm(),
        query=query,
        found_targets=queries.find_targets(query) if query else [],
        roles=TargetRole,
        reports=queries.recent_reports(case.id, limit=30),
        flag_form=FlagForm(),
    )


@blueprint.route("/cases/<int:case_id>/edit", methods=["GET", "POST"])
@roles_accepted(*ORGANISER_ROLES)
def case_edit(case_id: int):
    """Edit a case's text, people, asks and dates."""
    case = _case_or_404(case_id)
    form = CaseForm()
    if form.validate_on_submit():
        case_operations.update_case(case, form.case_fields(), actor=current_actor())
        db.session.commit()
        flash(_("Case saved."), "success")
        return _to_case(case)
    if request.method == "GET":
        form.fill_from(case)
    return render_template("console/case_form.html", form=form, case=case), 400 if form.errors else 200


def _case_change(case_id: int, change) -> Response:
    """Run one change on a case, committing it, or flash why it was refused."""
    case = _case_or_404(case_id)
    try:
        change(case)
    except CaseChangeRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
        return _to_case(case)
    db.session.commit()
    return _to_case(case)


@blueprint.post("/cases/<int:case_id>/publish")
@roles_accepted(*ORGANISER_ROLES)
def case_publish(case_id: int):
    """Publish a draft: it appears on the public site."""
    if not ButtonForm().validate_on_submit():
        abort(400)

    def publish(case: Case) -> None:
        case_operations.publish_case(case, actor=current_actor(), today=utc_today())
        flash(_("Published."), "success")

    return _case_change(case_id, publish)


@blueprint.post("/cases/<int:case_id>/close")
@roles_accepted(*ORGANISER_ROLES)
def case_close(case_id: int):
    """Close a case with its outcome."""
    form = CloseForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return _to_case(_case_or_404(case_id))

    def close(case: Case) -> None:
        case_operations.close_case(case, form.outcome.data.strip(), actor=current_actor())
        flash(_("Closed."), "success")

    return _case_change(case_id, close)


@blueprint.post("/cases/<int:case_id>/deadline")
@roles_accepted(*ORGANISER_ROLES)
def case_extend_deadline(case_id: int):
    """Extend the deadline; the timeline keeps the old and the new date."""
    form = ExtendDeadlineForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return _to_case(_case_or_404(case_id))

    def extend(case: Case) -> None:
        case_operations.extend_deadline(case, form.new_deadline.data, form.note.data, actor=current_actor())
        flash(_("Deadline extended."), "success")

    return _case_change(case_id, extend)


@blueprint.post("/cases/<int:case_id>/targets/link")
@roles_accepted(*ORGANISER_ROLES)
def case_link_target(case_id: int):
    """Link a stored target, found by search, to the case."""
    form = LinkTargetForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return _to_case(_case_or_404(case_id), "targets")
    target = db.session.get(Target, form.target_id.data)
    if target is None:
        flash(_("There is no such target."), "error")
        return _to_case(_case_or_404(case_id), "targets")

    def link(case: Case) -> None:
        case_operations.link_target(case, target, TargetRole(form.role.data), actor=current_actor())
        flash(_("Target linked."), "success")

    return _case_change(case_id, link)


@blueprint.post("/cases/<int:case_id>/targets/new")
@roles_accepted(*ORGANISER_ROLES)
def case_new_target(case_id: int):
    """Add a target (or find the stored one with the same name and organisation) and link it."""
    form = NewTargetForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return _to_case(_case_or_404(case_id), "targets")

    def add(case: Case) -> None:
        actor = current_actor()
        target = case_operations.add_target(form.official(), actor=actor)
        case_operations.link_target(case, target, TargetRole(form.role.data), actor=actor)
        flash(_("Target saved and linked."), "success")

    return _case_change(case_id, add)


@blueprint.post("/cases/<int:case_id>/targets/<int:link_id>/remove")
@roles_accepted(*ORGANISER_ROLES)
def case_unlink_target(case_id: int, link_id: int):
    """Take a target off the case."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    return _case_change(case_id, lambda case: case_operations.unlink_target(case, link_id, actor=current_actor()))


@blueprint.post("/cases/<int:case_id>/letters")
@roles_accepted(*ORGANISER_ROLES)
def case_save_letter(case_id: int):
    """Add or replace the model letter in one language."""
    form = LetterForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return _to_case(_case_or_404(case_id), "letters")

    def save(case: Case) -> None:
        case_operations.save_letter(case, form.language.data.strip(), form.body.data, actor=current_actor())
        flash(_("Letter saved."), "success")

    return _case_change(case_id, save)


@blueprint.post("/cases/<int:case_id>/letters/<int:letter_id>/remove")
@roles_accepted(*ORGANISER_ROLES)
def case_remove_letter(case_id: int, letter_id: int):
    """Remove the model letter in one language."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    return _case_change(case_id, lambda case: case_operations.remove_letter(case, letter_id, actor=current_actor()))


@blueprint.get("/review")
@roles_accepted(*ORGANISER_ROLES)
def review_queue():
    """Reports held for review, oldest first."""
    return render_template("console/review.html", reports=queries.flagged_reports(), form=ReviewForm())


@blueprint.post("/reports/<int:report_id>/decision")
@roles_accepted(*ORGANISER_ROLES)
def review_decide(report_id: int):
    """Accept or reject a flagged report with a reason; totals follow through the rollup."""
    form = ReviewForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return redirect(url_for("console.review_queue"), code=303)
    if db.session.get(ActionReport, report_id) is None:
        abort(404)
    decide_report(report_id, ReviewState(form.decision.data), form.reason.data.strip(), actor=current_actor())
    db.session.commit()
    flash(_("Decision recorded."), "success")
    return redirect(url_for("console.review_queue"), code=303)


@blueprint.post("/reports/<int:report_id>/flag")
@roles_accepted(*ORGANISER_ROLES)
def report_flag(report_id: int):
    """Hold a counted report for review by hand."""
    form = FlagForm()
    report = db.session.get(ActionReport, report_id)
    if report is None:
        abort(404)
    case_id = report.case_id
    if not form.validate_on_submit():
        _flash_errors(form)
    else:
        decide_report(report_id, ReviewState.FLAGGED, form.reason.data.strip(), actor=current_actor())
        db.session.commit()
        flash(_("The report is held for review."), "success")
    return redirect(url_for("console.case_detail", case_id=case_id, _anchor="reports"), code=303)


def _all_countries() -> list[tuple[str, str]]:
    from wtforms.fields.choices import SelectChoice

    return [SelectChoice(code, name) for code, name in country_choices()]


@blueprint.route("/cases/<int:case_id>/events", methods=["GET", "POST"])
@roles_accepted(*ORGANISER_ROLES)
def case_events(case_id: int):
    """Event tallies and groups: record a tally, see each group's total, make a group's link."""
    case = _case_or_404(case_id)
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
                    flash(message, "error")
            status = 400
        except CaseClosedToReports:
            db.session.rollback()
            flash(_("This case is not active: it takes no tallies."), "error")
            status = 400
        else:
            db.session.commit()
            flash(_("Event tally recorded."), "success")
            return redirect(url_for("console.case_events", case_id=case.id), code=303)
    elif request.method == "POST":
        status = 400
    link_form = GroupLinkForm(request.args)
    group_link = None
    if request.args.get("group") and link_form.validate():
        group_link = url_for("cases.action_page", slug=case.slug, group=link_form.group.data, _external=True)
    return (
        render_template(
            "console/events.html",
            case=case,
            form=form,
            tallies=queries.event_tallies(case.id),
            groups=queries.group_tallies(case.id),
            link_form=link_form,
            group_link=group_link,
        ),
        status,
    )


@blueprint.post("/export.csv")
@roles_accepted(*ORGANISER_ROLES)
def export_csv():
    """Every report (or one case's) as CSV without personal data; the export is audited."""
    from campaign.audit.operations import record_audit

    if not ButtonForm().validate_on_submit():
        abort(400)
    case_id = request.form.get("case_id", type=int)
    if case_id is not None and db.session.get(Case, case_id) is None:
        abort(404)
    actor = current_actor()
    record_audit(
        "reports.exported", actor_label=actor.label, actor_id=actor.id, case_id=case_id, details={"format": "csv"}
    )
    db.session.commit()
    filename = f"reports-case-{case_id}.csv" if case_id else "reports.csv"
    body = stream_with_context(csv_lines(queries.EXPORT_COLUMNS, queries.export_rows(case_id)))
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@blueprint.get("/audit")
@roles_accepted(*ORGANISER_ROLES)
def audit_log():
    """Logins, edits, reviews and exports, newest first; filter by actor and case."""
    actor = request.args.get("actor", "").strip()[:320] or None
    case_id = request.args.get("case", type=int)
    return render_template(
        "console/audit.html",
        entries=queries.audit_entries(actor, case_id),
        actors=queries.audit_actors(),
        cases=queries.all_cases(),
        actor=actor,
        case_id=case_id,
    )


@blueprint.route("/accounts", methods=["GET", "POST"])
@roles_accepted(*ADMIN_ROLES)
def accounts():
    """Console accounts and their roles; an admin creates, changes and disables them."""
    form = AccountForm()
    status = 200
    if form.validate_on_submit():
        try:
            create_account(form.email.data, form.password.data, form.roles.data, **_actor_kwargs())
        except AccountInvalid as refusal:
            db.session.rollback()
            form.email.errors = [*form.email.errors, str(refusal)]
            status = 400
        else:
            db.session.commit()
            flash(_("Account created."), "success")
            return redirect(url_for("console.accounts"), code=303)
    elif request.method == "POST":
        status = 400
    return (
        render_template(
            "console/accounts.html",
            form=form,
            accounts=all_accounts(),
            roles_form=AccountRolesForm(),
            active_form=AccountActiveForm(),
        ),
        status,
    )


def _actor_kwargs() -> dict:
    actor = current_actor()
    return {"actor_label": actor.label, "actor_id": actor.id}


def _account_or_404(account_id: int):
    from campaign.accounts.models import User

    account = db.session.get(User, account_id)
    if account is None:
        abort(404)
    return account


@blueprint.post("/accounts/<int:account_id>/roles")
@roles_accepted(*ADMIN_ROLES)
def account_roles(account_id: int):
    """Replace an account's roles."""
    account = _account_or_404(account_id)
    form = AccountRolesForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return redirect(url_for("console.accounts"), code=303)
    try:
        set_account_roles(account, form.roles.data, **_actor_kwargs())
    except AccountInvalid as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
    else:
        db.session.commit()
        flash(_("Roles saved."), "success")
    return redirect(url_for("console.accounts"), code=303)


@blueprint.post("/accounts/<int:account_id>/active")
@roles_accepted(*ADMIN_ROLES)
def account_active(account_id: int):
    """Disable an account (its sessions and tokens end at once) or enable it again."""
    account = _account_or_404(account_id)
    form = AccountActiveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        set_account_active(account, form.active.data == "yes", **_actor_kwargs())
    except AccountInvalid as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
    else:
        db.session.commit()
        flash(_("Account updated."), "success")
    return redirect(url_for("console.accounts"), code=303)
