"""The one place that validates a report, for the form, the JSON API and the event tally.

The shape of a report is ``campaign.actions.schemas``; this module adds what needs the case or the
configuration, and words each of pydantic's errors as a sentence naming the field, for people.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, ValidationError

from campaign.actions.models import ActionType, ReportSource
from campaign.actions.schemas import (
    GROUP_CODE,
    LANGUAGE_TAG,
    MAX_EMAIL_LENGTH,
    MAX_NAME_LENGTH,
    MAX_SUPPORTER_COUNT,
    EventTally,
    Report,
    country_codes,
)
from campaign.cases.queries import ReportingCase
from campaign.errors import Refused

__all__ = [
    "GROUP_CODE",
    "LANGUAGE_TAG",
    "MAX_EMAIL_LENGTH",
    "MAX_NAME_LENGTH",
    "MAX_SUPPORTER_COUNT",
    "ReportInput",
    "ReportInvalid",
    "country_codes",
    "field_errors",
    "validate_report",
]


@dataclass(frozen=True)
class ReportInput:
    """A report that passed validation, with every value normalised."""

    action_type: str
    count: int
    country: str
    target_id: int | None
    name: str | None
    email: str | None
    remind_me: bool
    language: str | None
    group_code: str | None


class ReportInvalid(Refused):
    """The report cannot be stored; ``fields`` maps each bad field to what is wrong with it."""


def max_count_for(source: ReportSource) -> int:
    if source == ReportSource.EVENT:
        return current_app.config["EVENT_TALLY_MAX_COUNT"]
    return MAX_SUPPORTER_COUNT


def _text_message(error_type: str, max_length: int) -> str:
    if error_type == "string_pattern_mismatch":
        return str(_l("Must not contain control characters."))
    if error_type == "string_too_long":
        return str(_l("Must be at most %(max)d characters.", max=max_length))
    return str(_l("Must be text."))


def _message(field: str, error_type: str, largest_count: int) -> str:
    """What is wrong with ``field``, in the reader's language, for one of pydantic's error types."""
    if error_type == "extra_forbidden":
        return str(_l("Unknown field."))
    match field:
        case "action_type":
            return str(_l("Choose one of: %(types)s.", types=", ".join(t.value for t in ActionType)))
        case "count":
            return str(_l("Must be a whole number from 1 to %(max)d.", max=largest_count))
        case "country":
            return str(_l("Choose a country from the list (its ISO 3166 code, such as FR or KZ)."))
        case "target_id":
            return str(_l("Must be one of this case's targets, or left out for all targets."))
        case "name":
            return _text_message(error_type, MAX_NAME_LENGTH)
        case "email":
            if error_type == "email":
                return str(_l("Must be a valid email address."))
            return _text_message(error_type, MAX_EMAIL_LENGTH)
        case "remind_me":
            if error_type == "reminder_without_email":
                return str(_l("Give an email address to be reminded."))
            return str(_l("Must be true or false."))
        case "language":
            return str(_l("Must be a language code such as en or zh-Hans."))
        case "group":
            return str(_l("Must be lower-case letters, digits and hyphens."))
    return str(_l("Not valid."))


def field_errors(error: ValidationError, message) -> dict[str, str]:
    """Each bad field of ``error`` (``body`` for the body as a whole) with the sentence ``message(field, type)``."""
    fields: dict[str, str] = {}
    for detail in error.errors(include_url=False, include_context=False, include_input=False):
        field = str(detail["loc"][0]) if detail["loc"] else "body"
        fields.setdefault(field, message(field, detail["type"]))
    return fields


def _is_target_of(case: ReportingCase, target_id: object) -> bool:
    """Whether ``target_id`` is left out (all targets) or one of the case's own targets."""
    if target_id is None:
        return True
    return type(target_id) is int and target_id in case.target_ids


def validate_report(case: ReportingCase, raw: Mapping[str, object], *, source: ReportSource) -> ReportInput:
    """Check every field of a report against its model and the case; raise ``ReportInvalid`` naming each bad field."""
    largest = max_count_for(source)
    model: type[BaseModel] = EventTally if source == ReportSource.EVENT else Report
    try:
        report = model.model_validate(raw, context={"largest_count": largest})
    except ValidationError as invalid:
        fields = field_errors(invalid, lambda field, kind: _message(field, kind, largest))
        if not _is_target_of(case, raw.get("target_id")):
            fields.setdefault("target_id", _message("target_id", "not_a_target", largest))
        raise ReportInvalid(fields) from None
    if not _is_target_of(case, report.target_id):
        raise ReportInvalid({"target_id": _message("target_id", "not_a_target", largest)})
    return ReportInput(
        action_type=report.action_type,
        count=report.count,
        country=report.country,
        target_id=report.target_id,
        name=getattr(report, "name", None),
        email=getattr(report, "email", None),
        remind_me=bool(getattr(report, "remind_me", False)),
        language=getattr(report, "language", None),
        group_code=report.group,
    )
