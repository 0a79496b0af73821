"""The public JSON API (SPEC §4): no cookie, no CSRF token, rate-limited per hashed address."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _
from pydantic import ValidationError

from campaign.actions.change_stamps import FIGURES, kept_answer
from campaign.actions.models import ReportSource
from campaign.actions.operations import CaseClosedToReports, IdempotencyKeyReused, submit_report
from campaign.actions.schemas import Report
from campaign.actions.totals import case_total, case_totals, recent_totals, totals_for_cases
from campaign.actions.validation import ReportInvalid
from campaign.api.bodies import checked, json_body, json_object
from campaign.api.openapi import documented, openapi_document
from campaign.api.schemas import IDEMPOTENCY_KEY, CaseDetail, CaseList, CaseListQuery, ReportAccepted, Totals
from campaign.api.serialisers import case_detail, case_summary, case_totals_body
from campaign.cases.models import Case, CaseStatus
from campaign.cases.queries import public_case_by_slug, public_cases, reporting_case_by_slug
from campaign.database import utcnow
from campaign.errors import ApiError
from campaign.extensions import csrf, limiter
from campaign.security import daily_address_fingerprint

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(blueprint)


def _read_limit() -> str:
    return current_app.config["RATELIMIT_READS"]


def _report_limit() -> str:
    return current_app.config["RATELIMIT_REPORTS"]


def _case_or_404(slug: str, *, with_details: bool = False) -> Case:
    case = public_case_by_slug(slug, with_details=with_details)
    if case is None:
        raise _no_public_case()
    return case


def _no_public_case() -> ApiError:
    return ApiError(404, _("No public case has this address."))


def _idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    try:
        return IDEMPOTENCY_KEY.validate_python(key)
    except ValidationError:
        raise ApiError(
            400,
            _("The Idempotency-Key header must be 1 to 255 printable characters."),
            fields={"Idempotency-Key": _("1 to 255 printable characters.")},
        ) from None


def _query_message(field: str, error_type: str) -> str:
    return _("Must be active or closed.")


NOT_FOUND = ("No such case, or a draft.", None)


@blueprint.get("/cases")
@documented(
    query=CaseListQuery,
    answers={200: ("The cases", CaseList), 400: ("The status is neither active nor closed.", None)},
    links={
        "showCase": {"operationId": "showCase", "parameters": {"slug": "$response.body#/cases/0/slug"}},
        "showTotals": {"operationId": "showTotals", "parameters": {"slug": "$response.body#/cases/0/slug"}},
        "reportActions": {"operationId": "reportActions", "parameters": {"slug": "$response.body#/cases/0/slug"}},
    },
)
@limiter.limit(_read_limit)
def list_cases():
    """Active cases, nearest deadline first; ``?status=closed`` for closed ones."""
    query = checked(
        CaseListQuery, request.args.to_dict(), _query_message, refusal=_("status must be active or closed.")
    )
    cases = public_cases(CaseStatus(query.status))
    totals = totals_for_cases(case.id for case in cases)
    return jsonify({"cases": [case_summary(case, totals.get(case.id, 0)) for case in cases]})


@blueprint.get("/cases/<slug>")
@documented(answers={200: ("The case", CaseDetail), 404: NOT_FOUND})
@limiter.limit(_read_limit)
def show_case(slug: str):
    """One public case with its people, targets and asks."""
    case = _case_or_404(slug, with_details=True)
    return jsonify(case_detail(case, case_total(case.id)))


@blueprint.get("/cases/<slug>/totals")
@documented(answers={200: ("The totals", Totals), 404: NOT_FOUND})
@limiter.limit(_read_limit)
def show_totals(slug: str):
    """A case's counted actions by type, country and target; kept by each process while the case's stamp holds."""

    def find_case() -> int | None:
        case = public_case_by_slug(slug, with_details=False)
        return case.id if case is not None else None

    def answer(case_id: int) -> bytes:
        return jsonify(case_totals_body(case_totals(case_id), recent_totals(case_id))).get_data()

    body = kept_answer(FIGURES, ("api-totals", slug), find_case, answer)
    if body is None:
        raise _no_public_case()
    return current_app.response_class(body, mimetype="application/json")


@blueprint.post("/cases/<slug>/actions")
@documented(
    body=Report,
    headers={
        "Idempotency-Key": (
            IDEMPOTENCY_KEY,
            "Repeating a request with the same key returns the first answer and stores nothing more.",
        )
    },
    answers={
        201: ("Stored.", ReportAccepted),
        400: ("Malformed or invalid input; `fields` names each field at fault.", None),
        404: NOT_FOUND,
        409: ("The Idempotency-Key was used before with a different body.", None),
        410: ("The case is closed.", None),
        413: ("The body is larger than 64 KiB.", None),
        415: ("The body is not JSON.", None),
    },
    links={"showTotals": {"operationId": "showTotals", "parameters": {"slug": "$request.path.slug"}}},
)
@limiter.shared_limit(_report_limit, scope="reports")
def report_actions(slug: str):
    """Store a supporter's report; replay the first answer for a repeated Idempotency-Key."""
    case = reporting_case_by_slug(slug)
    if case is None:
        raise _no_public_case()
    key = _idempotency_key()
    body, raw = json_body(current_app.config["API_MAX_BODY_BYTES"])
    try:
        submitted = submit_report(
            case,
            json_object(body),
            source=ReportSource.API,
            address_fingerprint=daily_address_fingerprint(utcnow().date()),
            idempotency_key=key,
            request_body=raw,
        )
    except ReportInvalid as invalid:
        raise ApiError(400, _("The report is not valid."), code="invalid_report", fields=invalid.fields) from None
    except CaseClosedToReports:
        raise ApiError(410, _("This case is closed and no longer takes reports.")) from None
    except IdempotencyKeyReused:
        raise ApiError(
            409,
            _("This Idempotency-Key was already used for a different report."),
            code="idempotency_key_reused",
            fields={"Idempotency-Key": _("Already used with another body.")},
        ) from None
    response = jsonify(submitted.answer)
    response.status_code = 201
    if submitted.is_replay:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@blueprint.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi_document())
