"""Reading a request's JSON body for any API route: size, media type and syntax first, then its model."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TypeVar

from flask import request
from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError

from campaign.actions.validation import field_errors
from campaign.errors import ApiError

Model = TypeVar("Model", bound=BaseModel)


def json_body(limit: int) -> tuple[object, bytes]:
    """The parsed body and its bytes; 413 when larger than ``limit``, 415 when not JSON, 400 when malformed."""
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, _("The body is larger than %(limit)d bytes.", limit=limit))
    if not request.mimetype or not (request.mimetype == "application/json" or request.mimetype.endswith("+json")):
        raise ApiError(415, _("Send the body as JSON with Content-Type: application/json."))
    request.max_content_length = limit
    raw = request.get_data(cache=True)
    try:
        return json.loads(raw, parse_constant=_refuse_constant), raw
    except (ValueError, RecursionError):
        raise ApiError(400, _("The body is not valid JSON."), fields={"body": _("Not valid JSON.")}) from None


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def json_object(body: object) -> dict:
    """``body`` when it is a JSON object; a 400 naming the body otherwise."""
    if not isinstance(body, dict):
        raise ApiError(400, _("The body must be a JSON object."), fields={"body": _("Must be a JSON object.")})
    return body


def checked(model: type[Model], value: object, message: Callable[[str, str], str], *, refusal: str) -> Model:
    """``value`` validated by ``model``; a 400 whose ``fields`` name each bad field, worded by ``message``."""
    try:
        return model.model_validate(json_object(value))
    except ValidationError as invalid:
        raise ApiError(400, refusal, fields=field_errors(invalid, message)) from None
