"""Error answers: JSON under ``/api/`` in the contract of SPEC §4, a page everywhere else."""

from __future__ import annotations

import time
from collections.abc import Mapping

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from campaign.accounts.sessions import serves_api
from campaign.extensions import db, limiter

ERROR_CODES = {
    400: "invalid_request",
    401: "unauthorised",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "case_closed",
    413: "body_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    500: "server_error",
}


class Refused(ValueError):
    """An operation declined what it was asked and stored nothing; the one refusal type every feature raises.

    Built from a sentence, or from ``fields`` mapping each field at fault to what is wrong with it (the
    messages may be lazy strings: they are translated where they are shown).
    """

    def __init__(self, fields: Mapping[str, object] | object):
        if isinstance(fields, Mapping):
            self.fields: dict[str, object] = dict(fields)
            self.sentence: object = "; ".join(f"{name}: {message}" for name, message in self.fields.items())
        else:
            self.fields, self.sentence = {}, fields
        super().__init__(str(self.sentence))

    def messages(self) -> list[str]:
        """What to tell the person who asked, in their language: each field's message, or the sentence."""
        return [str(message) for message in self.fields.values()] or [str(self.sentence)]


class ApiError(HTTPException):
    """An API refusal with a code, a sentence and the fields at fault."""

    def __init__(self, status: int, message: str, *, code: str | None = None, fields: dict | None = None):
        super().__init__(description=message)
        self.code = status
        self.error_code = code or ERROR_CODES.get(status, "error")
        self.fields = fields or {}


def is_api_request() -> bool:
    return serves_api(request.path)


def api_error_response(status: int, message: str, *, code: str | None = None, fields: dict | None = None) -> Response:
    body = {"error": {"code": code or ERROR_CODES.get(status, "error"), "message": message, "fields": fields or {}}}
    response = jsonify(body)
    response.status_code = status
    return response


def _handle_http_exception(error: HTTPException):
    status = error.code or 500
    if is_api_request():
        if isinstance(error, ApiError):
            response = api_error_response(status, error.description, code=error.error_code, fields=error.fields)
        else:
            response = api_error_response(status, _describe(error))
    else:
        response = Response(
            render_template("errors/error.html", status=status, message=_describe(error)), status=status
        )
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    if status == 429 and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = str(_seconds_until_the_limit_resets())
    return response


def _seconds_until_the_limit_resets() -> int:
    """When the limit that refused this request lets the client in again.

    Only a refusal says it: the ``X-RateLimit-*`` headers on every answer cost two more round trips to the
    limits' store per request, which is why ``RATELIMIT_HEADERS_ENABLED`` is off (the API document never
    promised them); this costs them once, on the refusal.
    """
    limit = limiter.current_limit
    if limit is None:
        return 60
    return max(1, int(limit.reset_at - time.time()))


def _describe(error: HTTPException) -> str:
    messages = {
        400: _("The request could not be understood."),
        401: _("Sign in to see this page."),
        403: _("Your account does not have a role that may open this page. Ask an admin if you need it."),
        404: _("There is nothing at this address."),
        405: _("This address does not accept that method."),
        410: _("This case is closed and no longer takes reports."),
        413: _("The request is too large."),
        415: _("Send the body as JSON with Content-Type: application/json."),
        429: _("Too many requests from your network. Please wait a minute and try again."),
        500: _("Something went wrong on our side. Your report, if accepted, is safe."),
    }
    if isinstance(error, CSRFError):
        return _("The form expired or was sent from another page. Please reload the page and send it again.")
    return messages.get(error.code or 500, error.description or "")


def _handle_unexpected(error: Exception):
    """Log the failure (without request data) and answer 500 in the route's format."""
    from flask import current_app

    current_app.logger.exception("Unhandled error on %s %s", request.method, request.url_rule)
    db.session.rollback()
    try:
        return _handle_http_exception(InternalServerError())
    except Exception:
        current_app.logger.exception("The error page itself failed on %s %s", request.method, request.url_rule)
        return Response(_describe(InternalServerError()), status=500, mimetype="text/plain")


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, _handle_http_exception)
    app.register_error_handler(Exception, _handle_unexpected)
