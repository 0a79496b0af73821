"""Staff pages under /console/reminders: the reminders with their counts, their texts, case updates, the outbox."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from campaign.cases.models import Case, CaseStatus
from campaign.console.access import STAFF_ROLES, current_actor, register_nav_item, roles_accepted
from campaign.console.pages import commit_or_flash, flash_form_errors, found_or_404
from campaign.extensions import db
from campaign.mail import outbox_messages
from campaign.reminders import operations
from campaign.reminders.forms import (
    CancelReminderForm,
    CaseUpdateForm,
    EditReminderForm,
    NewReminderForm,
    ReminderTextForm,
    as_utc,
)
from campaign.reminders.queries import (
    eligible_supporter_count,
    latest_texts,
    reminder_counts,
    reminder_with_texts,
    reminders_for_staff,
)

blueprint = Blueprint("reminders_console", __name__, url_prefix="/console/reminders")

register_nav_item("reminders_console.index", _l("Reminders"), STAFF_ROLES)


def _case_choices(*, include_closed: bool) -> list[tuple[int, str]]:
    statuses = [CaseStatus.ACTIVE, CaseStatus.CLOSED] if include_closed else [CaseStatus.ACTIVE]
    cases = db.session.scalars(select(Case).where(Case.status.in_(statuses)).order_by(Case.deadline_on, Case.id))
    return [(case.id, case.headline) for case in cases]


def _queue_scan() -> None:
    """Start what is due now instead of at the next beat (a case update goes out at once)."""
    from campaign.reminders.tasks import SCAN_TASK
    from campaign.tasks import app_task

    try:
        app_task(SCAN_TASK).delay()
    except Exception:
        current_app.logger.warning("Could not queue the reminder scan; the beat will run it.", exc_info=True)


def _index_page(new_form: NewReminderForm, status: int = 200):
    new_form.case_id.choices = _case_choices(include_closed=False)
    return (
        render_template(
            "reminders/console_index.html",
            rows=reminders_for_staff(),
            new_form=new_form,
            is_outbox=not current_app.config.get("MAIL_URL"),
        ),
        status,
    )


@blueprint.get("/")
@roles_accepted(*STAFF_ROLES)
def index():
    """Every reminder with its due, sent, failed and pending deliveries, and a form to add one."""
    return _index_page(NewReminderForm())


@blueprint.post("/new")
@roles_accepted(*STAFF_ROLES)
def create():
    """Add a reminder to a case, with its text in one language (or the default text)."""
    form = NewReminderForm()
    form.case_id.choices = _case_choices(include_closed=False)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _index_page(form, 400)
    case = found_or_404(db.session.get(Case, form.case_id.data))
    texts = {form.language.data: (form.subject.data, form.body.data)} if form.subject.data or form.body.data else {}
    actor = current_actor()
    create_reminder = partial(
        operations.create_reminder,
        case,
        send_at=as_utc(form.send_at.data),
        is_skipping_reporters=form.is_skipping_reporters.data,
        texts=texts,
        actor_label=actor.label,
        actor_id=actor.id,
    )
    if not (created := commit_or_flash(create_reminder, done=_("Reminder added."), form=form)):
        return _index_page(form, 400)
    return _to_detail(created.value.id)


def _reminder_or_404(reminder_id: int):
    return found_or_404(reminder_with_texts(reminder_id))


@blueprint.get("/<int:reminder_id>")
@roles_accepted(*STAFF_ROLES)
def detail(reminder_id: int):
    """One reminder: its counts, its text per language with earlier versions, and what can still change."""
    reminder = _reminder_or_404(reminder_id)
    counts = reminder_counts([reminder.id])[reminder.id]
    if reminder.is_editable:
        counts = type(counts)(due=eligible_supporter_count(reminder))
    edit_form = EditReminderForm(
        send_at=reminder.send_at.replace(tzinfo=None), is_skipping_reporters=reminder.is_skipping_reporters
    )
    return render_template(
        "reminders/console_detail.html",
        reminder=reminder,
        case=db.session.get(Case, reminder.case_id),
        counts=counts,
        texts=latest_texts(reminder),
        edit_form=edit_form,
        text_form=ReminderTextForm(),
        cancel_form=CancelReminderForm(),
    )


def _to_detail(reminder_id: int):
    return redirect(url_for("reminders_console.detail", reminder_id=reminder_id), code=303)


def _change(reminder, change, done: str, form=None):
    """Run one change on a reminder as the signed-in staff member, then show the reminder again."""
    actor = current_actor()
    commit_or_flash(partial(change, reminder, actor_label=actor.label, actor_id=actor.id), done=done, form=form)
    return _to_detail(reminder.id)


@blueprint.post("/<int:reminder_id>/edit")
@roles_accepted(*STAFF_ROLES)
def edit(reminder_id: int):
    """Change a pending reminder's send time and whether it skips supporters who reported."""
    reminder = _reminder_or_404(reminder_id)
    form = EditReminderForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _to_detail(reminder.id)
    change = partial(
        operations.edit_reminder,
        send_at=as_utc(form.send_at.data),
        is_skipping_reporters=form.is_skipping_reporters.data,
    )
    return _change(reminder, change, _("Reminder changed."), form)


@blueprint.post("/<int:reminder_id>/text")
@roles_accepted(*STAFF_ROLES)
def set_text(reminder_id: int):
    """Save a new version of the reminder's text in one language."""
    reminder = _reminder_or_404(reminder_id)
    form = ReminderTextForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _to_detail(reminder.id)
    change = partial(
        operations.set_reminder_text, language=form.language.data, subject=form.subject.data, body=form.body.data
    )
    return _change(reminder, change, _("Text saved."), form)


@blueprint.post("/<int:reminder_id>/cancel")
@roles_accepted(*STAFF_ROLES)
def cancel(reminder_id: int):
    """Cancel a reminder; a batch already running sends nothing more of it."""
    reminder = _reminder_or_404(reminder_id)
    if not CancelReminderForm().validate_on_submit():
        abort(400)
    return _change(reminder, operations.cancel_reminder, _("Reminder cancelled."))


def _update_page(form: CaseUpdateForm, status: int = 200):
    form.case_id.choices = _case_choices(include_closed=True)
    return render_template("reminders/console_update.html", form=form), status


@blueprint.get("/update")
@roles_accepted(*STAFF_ROLES)
def case_update():
    """The form for sending a case update to the case's subscribers."""
    return _update_page(CaseUpdateForm())


@blueprint.post("/update")
@roles_accepted(*STAFF_ROLES)
def case_update_send():
    """Send a case update through the once-only fan-out, starting it at once."""
    form = CaseUpdateForm()
    form.case_id.choices = _case_choices(include_closed=True)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _update_page(form, 400)
    case = found_or_404(db.session.get(Case, form.case_id.data))
    actor = current_actor()
    send_update = partial(
        operations.send_case_update,
        case,
        texts={form.language.data: (form.subject.data, form.body.data)},
        actor_label=actor.label,
        actor_id=actor.id,
    )
    if not (sent := commit_or_flash(send_update, done=_("The update is being sent."), form=form)):
        return _update_page(form, 400)
    _queue_scan()
    return _to_detail(sent.value.id)


@blueprint.get("/outbox")
@roles_accepted(*STAFF_ROLES)
def outbox():
    """In development (no MAIL_URL) the emails written to instance/outbox/, newest first."""
    if current_app.config.get("MAIL_URL"):
        abort(404)
    return render_template("reminders/console_outbox.html", messages=outbox_messages())
