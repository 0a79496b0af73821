"""The public JSON API (SPEC §4): no cookie, no CSRF token, rate-limited per hashed address."""

from __future__ import annotations

import json

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _

from campaign.actions.change_stamps import FIGURES, kept_answer
from campaign.actions.models import ReportSource
from campaign.actions.operations import CaseClosedToReports, IdempotencyKeyReused, submit_report
from campaign.actions.totals import case_total, case_totals, recent_totals, totals_for_cases
from campaign.actions.validation import ReportInvalid
from campaign.api.openapi import openapi_document
from campaign.api.serialisers import case_detail, case_summary, case_totals_body
from campaign.cases.models import Case, CaseStatus
from campaign.cases.queries import public_case_by_slug, public_cases
from campaign.database import utcnow
from campaign.errors import ApiError
from campaign.extensions import csrf, limiter
from campaign.security import daily_address_fingerprint

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(blueprint)

MAX_IDEMPOTENCY_KEY_LENGTH = 255


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


def _json_object_body() -> tuple[dict, bytes]:
    """The request body as a JSON object, refusing what is too large, not JSON, or malformed."""
    limit = current_app.config["API_MAX_BODY_BYTES"]
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, _("The body is larger than %(limit)d bytes.", limit=limit))
    if not request.mimetype or not (request.mimetype == "application/json" or request.mimetype.endswith("+json")):
        raise ApiError(415, _("Send the body as JSON with Content-Type: application/json."))
    request.max_content_length = limit
    raw = request.get_data(cache=True)
    try:
        body = json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise ApiError(400, _("The body is not valid JSON."), fields={"body": _("Not valid JSON.")}) from None
    if not isinstance(body, dict):
        raise ApiError(400, _("The body must be a JSON object."), fields={"body": _("Must be a JSON object.")})
    return body, raw


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY_LENGTH or not key.isprintable():
        raise ApiError(
            400,
            _("The Idempotency-Key header must be 1 to 255 printable characters."),
            fields={"Idempotency-Key": _("1 to 255 printable characters.")},
        )
    return key


@blueprint.get("/cases")
@limiter.limit(_read_limit)
def list_cases():
    """Active cases, nearest deadline first; ``?status=closed`` for closed ones."""
    status_name = request.args.get("status", CaseStatus.ACTIVE.value)
    if status_name not in (CaseStatus.ACTIVE.value, CaseStatus.CLOSED.value):
        raise ApiError(400, _("status must be active or closed."), fields={"status": _("Must be active or closed.")})
    cases = public_cases(CaseStatus(status_name))
    totals = totals_for_cases(case.id for case in cases)
    return jsonify({"cases": [case_summary(case, totals.get(case.id, 0)) for case in cases]})


@blueprint.get("/cases/<slug>")
@limiter.limit(_read_limit)
def show_case(slug: str):
    """One public case with its people, targets and asks."""
    case = _case_or_404(slug, with_details=True)
    return jsonify(case_detail(case, case_total(case.id)))


@blueprint.get("/cases/<slug>/totals")
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
@limiter.shared_limit(_report_limit, scope="reports")
def report_actions(slug: str):
    """Store a supporter's report; replay the first answer for a repeated Idempotency-Key."""
    case = _case_or_404(slug)
    key = _idempotency_key()
    body, raw = _json_object_body()
    try:
        submitted = submit_report(
            case,
            body,
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
