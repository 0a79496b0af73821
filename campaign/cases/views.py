"""Public pages: the list of active cases and a case's action page."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from campaign.actions.change_stamps import CONTENT, FIGURES, kept_answer
from campaign.actions.forms import ReportForm
from campaign.actions.totals import published_case_total, recent_totals, totals_for_cases
from campaign.actions.validation import GROUP_CODE
from campaign.cases.models import Case, CaseStatus, TargetRole
from campaign.cases.queries import public_case_by_slug, public_cases
from campaign.cases.translations import localised_case
from campaign.countries import country_choices
from campaign.extensions import limiter

blueprint = Blueprint("cases", __name__)


def _read_limit() -> str:
    return current_app.config["RATELIMIT_READS"]


@blueprint.get("/")
@limiter.limit(_read_limit)
def index():
    """Active cases, nearest deadline first, each with its live total."""
    cases = public_cases(CaseStatus.ACTIVE)
    closed = public_cases(CaseStatus.CLOSED)
    totals = totals_for_cases([case.id for case in cases + closed])
    return render_template("cases/index.html", cases=cases, closed_cases=closed, totals=totals)


@dataclass(frozen=True)
class CaseContent:
    """What the action page shows of a case in one language that only an edit of the case changes."""

    #: The page's title and description: the headline and summary in the reader's language where written.
    title: str
    description: str
    header: Markup
    body: Markup
    #: The report form's target choices: (target id, name).
    target_choices: tuple[tuple[str, str], ...]
    #: The visible fields of a fresh report form (no answers, no errors).
    fresh_report_fields: Markup


def case_content(case: Case) -> CaseContent:
    """The rendered case, kept per case and language while the case's change stamp holds."""

    def render(case_id: int) -> CaseContent:
        targets = case.links_in_role(TargetRole.TARGET)
        copies = case.links_in_role(TargetRole.COPY)
        target_choices = tuple((str(link.target.id), link.target.display_name) for link in case.target_links)
        fresh_form = ReportForm(formdata=None).for_case(target_choices, country_choices())
        words = localised_case(case, get_locale())
        return CaseContent(
            title=words.headline.text,
            description=(words.summary or words.headline).text,
            header=Markup(render_template("cases/_case_header.html", case=case)),  # noqa: S704 (Jinja escaped it)
            body=Markup(render_template("cases/_case_body.html", case=case, targets=targets, copies=copies)),  # noqa: S704
            target_choices=target_choices,
            fresh_report_fields=_report_fields(fresh_form),
        )

    content = kept_answer(CONTENT, ("case-content", case.id, str(get_locale())), lambda: case.id, render)
    assert content is not None
    return content


def _report_fields(form: ReportForm) -> Markup:
    return Markup(render_template("cases/_report_fields.html", form=form))  # noqa: S704 (Jinja escaped it)


def render_action_page(case: Case, form: ReportForm, status: int = 200):
    """The action page with a report form (fresh or carrying the answers and errors of a refused report)."""
    content = case_content(case)
    form.for_case(content.target_choices, country_choices())
    is_fresh = not form.is_submitted() and not form.errors
    group_code = request.args.get("group", "").strip().lower()
    if not form.group.data and GROUP_CODE.match(group_code):
        form.group.data = group_code
    recent = kept_answer(FIGURES, ("case-recent", case.id), lambda: case.id, recent_totals)
    assert recent is not None
    return (
        render_template(
            "cases/action_page.html",
            case=case,
            form=form,
            total=published_case_total(case.id),
            page_title=content.title,
            page_description=content.description,
            recent=recent.folded(current_app.config["FIGURES_COUNTRY_FLOOR"]),
            case_header=content.header,
            case_body=content.body,
            report_fields=content.fresh_report_fields if is_fresh else _report_fields(form),
        ),
        status,
    )


@blueprint.get("/cases/<slug>")
@limiter.limit(_read_limit)
def action_page(slug: str):
    """The story, the targets, the model letter and the report form."""
    if not _keeps_whole(request.args):
        case = public_case_by_slug(slug, with_details=False)
        if case is None:
            abort(404)
        return render_action_page(case, ReportForm(formdata=None))
    page = kept_action_page(slug)
    if page is None:
        abort(404)
    return current_app.response_class(for_this_visitor(page), mimetype="text/html")


#: A stand-in for the only part of a fresh action page that differs per visitor: the form's submission id
#: (one per page load, so a double click stores one report). No template writes this ASCII word.
SUBMISSION_ID_STAND_IN = "kept-page-submission-id-stand-in"
#: Query arguments a kept page may be asked with. Any other (a group's link, a tracking tag) is rendered for
#: its request from the kept parts, so that no one can fill a worker's memory with pages by varying a query.
KEPT_PAGE_ARGUMENTS = frozenset({"lang"})


def _keeps_whole(arguments) -> bool:
    return set(arguments) <= KEPT_PAGE_ARGUMENTS and all(len(arguments.getlist(name)) == 1 for name in arguments)


def kept_action_page(slug: str) -> str | None:
    """A fresh action page whole, kept per case, language and day like the figures it shows.

    Everything on a fresh page but its submission id is the same for every visitor of the case in that
    language on that day (the deadline's "days left"),
    so it is rendered once and kept like the figures on it: at most ``KEPT_ANSWER_RECHECK_SECONDS``
    old, its figures exact as of then. ``for_this_visitor`` puts the per-visitor submission id in.
    """
    found: list[Case] = []

    def find_case() -> int | None:
        case = public_case_by_slug(slug, with_details=False)
        found.append(case)
        return case.id if case is not None else None

    def render(case_id: int) -> str:
        form = ReportForm(formdata=None)
        form.submission_id.data = SUBMISSION_ID_STAND_IN
        html, _status = render_action_page(found[0], form)
        return html

    key = ("action-page", slug, str(get_locale()), date.today())
    return kept_answer(FIGURES, key, find_case, render)


def for_this_visitor(page: str) -> str:
    """A kept page with a new submission id: the visitor's own, as a freshly rendered page would have."""
    return page.replace(SUBMISSION_ID_STAND_IN, uuid.uuid4().hex, 1)
