"""Public pages: the list of active cases and a case's action page."""

from __future__ import annotations

from functools import cache

import pycountry
from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import get_locale

from campaign.actions.forms import ReportForm, country_choices
from campaign.actions.totals import case_total, totals_for_cases
from campaign.actions.validation import GROUP_CODE
from campaign.cases.models import CaseStatus, TargetRole
from campaign.cases.queries import public_case_by_slug, public_cases
from campaign.extensions import limiter

blueprint = Blueprint("cases", __name__)


def _read_limit() -> str:
    return current_app.config["RATELIMIT_READS"]


@cache
def country_choices_for(locale: str) -> list[tuple[str, str]]:
    """Every country as (code, name) sorted by name; the same for every page in a language, so kept."""
    return country_choices([country.alpha_2 for country in pycountry.countries])


@blueprint.get("/")
@limiter.limit(_read_limit)
def index():
    """Active cases, nearest deadline first, each with its live total."""
    cases = public_cases(CaseStatus.ACTIVE)
    closed = public_cases(CaseStatus.CLOSED)
    totals = totals_for_cases([case.id for case in cases + closed])
    return render_template("cases/index.html", cases=cases, closed_cases=closed, totals=totals)


def render_action_page(case, form: ReportForm, status: int = 200):
    """The action page with a report form (fresh or carrying the errors of a refused report)."""
    form.for_case(case, country_choices_for(str(get_locale())))
    group_code = request.args.get("group", "").strip().lower()
    if not form.group.data and GROUP_CODE.match(group_code):
        form.group.data = group_code
    return (
        render_template(
            "cases/action_page.html",
            case=case,
            form=form,
            total=case_total(case.id),
            targets=case.links_in_role(TargetRole.TARGET),
            copies=case.links_in_role(TargetRole.COPY),
        ),
        status,
    )


@blueprint.get("/cases/<slug>")
@limiter.limit(_read_limit)
def action_page(slug: str):
    """The story, the targets, the model letter and the report form."""
    case = public_case_by_slug(slug)
    if case is None:
        abort(404)
    return render_action_page(case, ReportForm(formdata=None))
