"""Console pages of the figures: freeze snapshots (a Celery task, progress shown), list them, record deliveries."""

from __future__ import annotations

from datetime import UTC

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.audit.operations import record_audit
from campaign.cases.models import Case, CaseStatus
from campaign.console.access import (
    CONSOLE_ROLES,
    ORGANISER_ROLES,
    STAFF_ROLES,
    current_actor,
    register_nav_item,
    roles_accepted,
)
from campaign.console.pages import commit_or_flash, flash_form_errors, found_or_404
from campaign.extensions import db
from campaign.figures import queries
from campaign.figures.forms import DeliveryForm, EmailSnapshotForm, SnapshotForm
from campaign.figures.models import FiguresJob, FiguresSnapshot, JobState
from campaign.figures.operations import (
    record_delivery,
    request_snapshot,
    send_snapshot_by_email,
)
from campaign.figures.tasks import freeze_snapshot_task
from campaign.templating import language_name

blueprint = Blueprint("figures_console", __name__, url_prefix="/console/figures")

JOB_STEP_LABELS = {
    "waiting": _l("Waiting for a worker"),
    "reading_totals": _l("Reading the totals"),
    "rendering_pdf": _l("Rendering the PDF"),
    "storing": _l("Storing the snapshot"),
    "finished": _l("Finished"),
}

register_nav_item("figures_console.index", _l("Figures"), CONSOLE_ROLES)


def _case_or_404(case_id: int) -> Case:
    return found_or_404(queries.case_for_figures(case_id))


def _language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in queries.figures_languages()]


@blueprint.get("/")
@roles_accepted(*CONSOLE_ROLES)
def index():
    """The cases whose figures can be frozen, each with its latest snapshot."""
    cases = queries.cases_with_latest_snapshot()
    return render_template("figures/console_index.html", cases=cases)


@blueprint.get("/cases/<int:case_id>")
@roles_accepted(*CONSOLE_ROLES)
def case_page(case_id: int):
    """A case's snapshots with their deliveries, the snapshot requests in progress, and the forms."""
    case = _case_or_404(case_id)
    snapshot_form = SnapshotForm(formdata=None).for_case(case, _language_choices())
    snapshot_form.language.data = queries.preferred_figures_language(case, None)
    jobs = queries.jobs_for_case(case.id)
    snapshots = queries.snapshots_for_case(case.id)
    return render_template(
        "figures/console_case.html",
        case=case,
        snapshots=snapshots,
        jobs=jobs,
        is_busy=any(job.state in (JobState.QUEUED, JobState.RUNNING) for job in jobs),
        step_labels=JOB_STEP_LABELS,
        snapshot_form=snapshot_form,
        delivery_form=DeliveryForm(formdata=None).for_case(case, snapshots),
    )


@blueprint.post("/cases/<int:case_id>/snapshots")
@roles_accepted(*ORGANISER_ROLES)
def freeze(case_id: int):
    """Queue a snapshot of the figures (whole case or one official), then start its task."""
    case = _case_or_404(case_id)
    if case.status == CaseStatus.DRAFT:
        flash(_("A draft case has no public figures to freeze."), "error")
        return redirect(url_for(".case_page", case_id=case.id))
    form = SnapshotForm().for_case(case, _language_choices())
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for(".case_page", case_id=case.id))
    actor = current_actor()
    target_id = int(form.target_id.data) if form.target_id.data else None

    def request_and_audit() -> FiguresJob:
        job = request_snapshot(case.id, target_id, form.language.data, requested_by_id=actor.id)
        record_audit(
            "figures.snapshot_requested",
            actor_label=actor.label,
            actor_id=actor.id,
            case_id=case.id,
            subject_type="figures_job",
            subject_id=job.id,
            details={"target_id": target_id, "language": job.language},
        )
        return job

    if not (requested := commit_or_flash(request_and_audit)):
        return redirect(url_for(".case_page", case_id=case.id))
    job = requested.value
    freeze_snapshot_task.delay(job.id, request.host_url)
    return redirect(url_for(".job_page", job_id=job.id))


@blueprint.get("/jobs/<int:job_id>")
@roles_accepted(*CONSOLE_ROLES)
def job_page(job_id: int):
    """One snapshot request's progress; the page reloads itself (no script) until the task is done."""
    job = queries.figures_job(job_id)
    if job is None:
        abort(404)
    return render_template("figures/console_job.html", job=job, step_labels=JOB_STEP_LABELS)


@blueprint.post("/cases/<int:case_id>/deliveries")
@roles_accepted(*STAFF_ROLES)
def add_delivery(case_id: int):
    """Record that one of the case's snapshots was delivered to an official."""
    case = _case_or_404(case_id)
    form = DeliveryForm().for_case(case, queries.snapshots_for_case(case.id))
    back = redirect(url_for(".case_page", case_id=case.id))
    if not form.validate_on_submit():
        flash_form_errors(form)
        return back
    snapshot = db.session.get(FiguresSnapshot, int(form.snapshot_id.data))
    actor = current_actor()

    def record_and_audit() -> None:
        delivery = record_delivery(
            snapshot,
            channel=form.channel.data,
            target_id=form.target_id.data or None,
            delivered_at=form.delivered_at.data.replace(tzinfo=UTC),
            note=form.note.data,
            recorded_by_id=actor.id,
        )
        record_audit(
            "figures.delivery_recorded",
            actor_label=actor.label,
            actor_id=actor.id,
            case_id=case.id,
            subject_type="delivery_record",
            subject_id=delivery.id,
            details={"snapshot": snapshot.sha256, "channel": delivery.channel, "target_id": delivery.target_id},
        )

    if not commit_or_flash(record_and_audit, done=_("Delivery recorded.")):
        return back
    return redirect(url_for(".case_page", case_id=case.id, _anchor=f"snapshot-{snapshot.id}"))


@blueprint.post("/cases/<int:case_id>/snapshots/<int:snapshot_id>/email")
@roles_accepted(*STAFF_ROLES)
def email_snapshot(case_id: int, snapshot_id: int):
    """Send a snapshot's PDF to an official through the mailer and record the delivery."""
    case = _case_or_404(case_id)
    snapshot = db.session.get(FiguresSnapshot, snapshot_id)
    if snapshot is None or snapshot.case_id != case.id:
        abort(404)
    form = EmailSnapshotForm()
    back = redirect(url_for(".case_page", case_id=case.id) + f"#snapshot-{snapshot.id}")
    if not form.validate_on_submit():
        flash_form_errors(form)
        return back
    actor = current_actor()

    def send_and_audit() -> None:
        delivery = send_snapshot_by_email(snapshot, form.target_id.data, recorded_by_id=actor.id)
        record_audit(
            "figures.emailed",
            actor_label=actor.label,
            actor_id=actor.id,
            case_id=case.id,
            subject_type="delivery_record",
            subject_id=delivery.id,
            details={"snapshot": snapshot.sha256, "target_id": delivery.target_id},
        )

    commit_or_flash(send_and_audit, done=_("The figures were sent by email and the delivery recorded."))
    return back
