"""The report form's submission and the thank-you page."""

from __future__ import annotations

import json

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from campaign.actions.forms import ReportForm
from campaign.actions.models import ReportSource
from campaign.actions.operations import CaseClosedToReports, IdempotencyKeyReused, submit_report
from campaign.actions.totals import case_total
from campaign.actions.validation import ReportInvalid
from campaign.cases.queries import public_case_by_slug, reporting_case_by_slug
from campaign.cases.views import render_action_page
from campaign.database import utcnow
from campaign.extensions import csrf, limiter
from campaign.security import daily_address_fingerprint, is_cross_site_submission

blueprint = Blueprint("actions", __name__)


def _report_limit() -> str:
    return current_app.config["RATELIMIT_REPORTS"]


@blueprint.post("/cases/<slug>/report")
@csrf.exempt
@limiter.shared_limit(_report_limit, scope="reports")
def submit_report_form(slug: str):
    """Store a report from the action page, then redirect to the thank-you page.

    The form has no CSRF token: it acts for no one, so there is no authority to forge, and the page is the
    same for every visitor, with no cookie (docs/architecture.md). What a token would still stop, a page of
    another site making its visitors' browsers report from their many addresses, is refused here by the
    browsers' own marks. Only a refused report needs the whole case, to show the page again with its errors.
    """
    if is_cross_site_submission():
        abort(403)
    case = reporting_case_by_slug(slug)
    if case is None:
        abort(404)
    form = ReportForm()
    if not form.validate_on_submit():
        return _action_page_again(slug, form, status=400)
    fields = form.report_fields()
    try:
        submitted = submit_report(
            case,
            fields,
            source=ReportSource.WEB,
            address_fingerprint=daily_address_fingerprint(utcnow().date()),
            idempotency_key=f"form:{form.submission_id.data}" if form.submission_id.data else None,
            request_body=json.dumps(fields, sort_keys=True).encode(),
            with_total=False,
        )
    except ReportInvalid as invalid:
        for field_name, message in invalid.fields.items():
            field = getattr(form, "target_id" if field_name == "target_id" else field_name, None)
            if field is not None and hasattr(field, "errors"):
                field.errors = [*field.errors, message]
        return _action_page_again(slug, form, status=400)
    except CaseClosedToReports:
        abort(410)
    except IdempotencyKeyReused:
        form.submission_id.data = None
        form.submission_id.errors = [
            _("This form was already sent with other answers. Please check them and send it again.")
        ]
        return _action_page_again(slug, form, status=409)
    asked_for_reminders = bool(fields.get("remind_me") and fields.get("email"))
    return redirect(
        url_for(
            "actions.thanks",
            slug=case.slug,
            counted=submitted.answer["counted"],
            **({"reminders": 1} if asked_for_reminders else {}),
        ),
        code=303,
    )


def _action_page_again(slug: str, form: ReportForm, *, status: int):
    case = public_case_by_slug(slug, with_details=False)
    if case is None:
        abort(404)
    return render_action_page(case, form, status=status)


@blueprint.get("/cases/<slug>/thanks")
def thanks(slug: str):
    """Thank the supporter, show the new total and invite them to share the case."""
    case = public_case_by_slug(slug, with_details=False)
    if case is None:
        abort(404)
    counted = request.args.get("counted", type=int)
    return render_template(
        "cases/thanks.html",
        case=case,
        total=case_total(case.id),
        was_held=counted == 0,
        asked_for_reminders=request.args.get("reminders") == "1",
        share_url=url_for("cases.action_page", slug=case.slug, _external=True),
    )
