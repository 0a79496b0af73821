"""Staff pages under /console/supporters: find a supporter by email, export their data, erase them (SPEC §2).

No address ever goes into a URL, a flash message or a log line: the search is a POST, the
supporter's page is addressed by row id, and what is said after an erasure names nobody.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from campaign.actions.models import ActionReport
from campaign.console.access import STAFF_ROLES, current_actor, register_nav_item, roles_accepted
from campaign.extensions import db
from campaign.supporters.forms import EraseSupporterForm, ExportSupporterForm, FindSupporterForm
from campaign.supporters.models import Subscription, Supporter
from campaign.supporters.operations import erase_supporter, forget_outbox_copies, record_export
from campaign.supporters.queries import supporter_by_email, supporter_export

blueprint = Blueprint("supporters_console", __name__, url_prefix="/console/supporters")

register_nav_item("supporters_console.index", _l("Supporters"), STAFF_ROLES)


@blueprint.after_request
def never_cache(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def _supporter_or_404(supporter_id: int) -> Supporter:
    supporter = db.session.get(Supporter, supporter_id)
    if supporter is None:
        abort(404)
    return supporter


@blueprint.get("/")
@roles_accepted(*STAFF_ROLES)
def index():
    """The search form: a data request starts from the address the supporter wrote from."""
    return render_template("supporters/console_index.html", form=FindSupporterForm())


@blueprint.post("/")
@roles_accepted(*STAFF_ROLES)
def find():
    """Open the supporter with this address, or say that nobody has it."""
    form = FindSupporterForm()
    if not form.validate_on_submit():
        return render_template("supporters/console_index.html", form=form), 400
    supporter = supporter_by_email(form.email.data)
    if supporter is None:
        form.email.errors = [_("No supporter has this email address.")]
        return render_template("supporters/console_index.html", form=form), 404
    return redirect(url_for("supporters_console.detail", supporter_id=supporter.id), code=303)


@blueprint.get("/<int:supporter_id>")
@roles_accepted(*STAFF_ROLES)
def detail(supporter_id: int):
    """What is held about one supporter, with the export and erase buttons."""
    supporter = _supporter_or_404(supporter_id)
    reports, actions = db.session.execute(
        select(func.count(), func.coalesce(func.sum(ActionReport.count), 0)).where(
            ActionReport.supporter_id == supporter.id
        )
    ).one()
    subscriptions = db.session.scalar(select(func.count()).where(Subscription.supporter_id == supporter.id))
    return render_template(
        "supporters/console_detail.html",
        supporter=supporter,
        reports=reports,
        actions=actions,
        subscriptions=subscriptions,
        export_form=ExportSupporterForm(),
        erase_form=EraseSupporterForm(),
    )


@blueprint.post("/<int:supporter_id>/export")
@roles_accepted(*STAFF_ROLES)
def export(supporter_id: int):
    """Download everything held about the supporter as JSON; the export is audited."""
    supporter = _supporter_or_404(supporter_id)
    if not ExportSupporterForm().validate_on_submit():
        abort(400)
    document = supporter_export(supporter)
    actor = current_actor()
    record_export(supporter, actor_label=actor.label, actor_id=actor.id)
    db.session.commit()
    return Response(
        json.dumps(document, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="supporter-{supporter_id}.json"'},
    )


@blueprint.post("/<int:supporter_id>/erase")
@roles_accepted(*STAFF_ROLES)
def erase(supporter_id: int):
    """Erase the supporter's personal data for good; reports and every count stay."""
    supporter = _supporter_or_404(supporter_id)
    form = EraseSupporterForm()
    if not form.validate_on_submit():
        reports = db.session.scalar(select(func.count()).where(ActionReport.supporter_id == supporter.id))
        return (
            render_template(
                "supporters/console_detail.html",
                supporter=supporter,
                reports=reports,
                actions=None,
                subscriptions=None,
                export_form=ExportSupporterForm(),
                erase_form=form,
            ),
            400,
        )
    address = supporter.email
    actor = current_actor()
    erasure = erase_supporter(supporter, actor_label=actor.label, actor_id=actor.id)
    db.session.commit()
    try:
        forget_outbox_copies(address)
    except OSError:
        current_app.logger.warning("Supporter %s erased; some outbox files could not be removed.", supporter_id)
    flash(
        _(
            "The supporter's personal data was erased: %(reports)d reports are kept without name or address.",
            reports=erasure.reports_anonymised,
        ),
        "success",
    )
    return redirect(url_for("supporters_console.index"), code=303)
