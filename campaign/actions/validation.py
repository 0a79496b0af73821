"""The one place that validates a report, for the form, the JSON API and the event tally."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import pycountry
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l

from campaign.actions.models import ActionType, ReportSource
from campaign.cases.models import Case
from campaign.errors import Refused

MAX_SUPPORTER_COUNT = 100
MAX_NAME_LENGTH = 200
MAX_EMAIL_LENGTH = 320
#: A BCP 47 tag (language, then up to three subtags) of at most 20 characters, the columns' width.
LANGUAGE_TAG = re.compile(r"^(?=.{2,20}$)[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$")
GROUP_CODE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

REPORT_FIELDS = frozenset(
    {"action_type", "count", "country", "target_id", "name", "email", "remind_me", "language", "group"}
)


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


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes of every country, upper case."""
    return frozenset(country.alpha_2 for country in pycountry.countries)


def _is_integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _optional_text(value: object, field: str, max_length: int, errors: dict[str, str]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        errors[field] = str(_l("Must be text."))
        return None
    text = value.strip()
    if CONTROL_CHARACTERS.search(text):
        errors[field] = str(_l("Must not contain control characters."))
        return None
    if len(text) > max_length:
        errors[field] = str(_l("Must be at most %(max)d characters.", max=max_length))
        return None
    return text or None


def max_count_for(source: ReportSource) -> int:
    if source == ReportSource.EVENT:
        return current_app.config["EVENT_TALLY_MAX_COUNT"]
    return MAX_SUPPORTER_COUNT


def validate_report(case: Case, raw: Mapping[str, object], *, source: ReportSource) -> ReportInput:
    """Check every field of a report against the case; raise ``ReportInvalid`` naming each bad field."""
    errors: dict[str, str] = {}
    for unknown in sorted(set(raw) - REPORT_FIELDS):
        errors[unknown] = str(_l("Unknown field."))

    action_type = raw.get("action_type")
    if action_type not in {t.value for t in ActionType}:
        errors["action_type"] = str(_l("Choose one of: %(types)s.", types=", ".join(t.value for t in ActionType)))

    count = raw.get("count")
    largest = max_count_for(source)
    if not _is_integer(count) or not 1 <= count <= largest:
        errors["count"] = str(_l("Must be a whole number from 1 to %(max)d.", max=largest))

    country_code = raw.get("country")
    if country_code not in country_codes():
        errors["country"] = str(_l("Choose a country from the list (its ISO 3166 code, such as FR or KZ)."))

    target_id = raw.get("target_id")
    if target_id is not None and (
        not _is_integer(target_id) or target_id not in {link.target_id for link in case.target_links}
    ):
        errors["target_id"] = str(_l("Must be one of this case's targets, or left out for all targets."))

    name = _optional_text(raw.get("name"), "name", MAX_NAME_LENGTH, errors)

    email = _optional_text(raw.get("email"), "email", MAX_EMAIL_LENGTH, errors)
    if email is not None:
        try:
            email = validate_email(email, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            errors["email"] = str(_l("Must be a valid email address."))

    remind_me = raw.get("remind_me", False)
    if remind_me is None:
        remind_me = False
    if not isinstance(remind_me, bool):
        errors["remind_me"] = str(_l("Must be true or false."))
    elif remind_me and not email and "email" not in errors:
        errors["remind_me"] = str(_l("Give an email address to be reminded."))

    language = raw.get("language")
    if language is not None and not (isinstance(language, str) and LANGUAGE_TAG.match(language)):
        errors["language"] = str(_l("Must be a language code such as en or zh-Hans."))

    group_code = raw.get("group")
    if group_code is not None and not (isinstance(group_code, str) and GROUP_CODE.match(group_code)):
        errors["group"] = str(_l("Must be lower-case letters, digits and hyphens."))

    if errors:
        raise ReportInvalid(errors)
    return ReportInput(
        action_type=str(action_type),
        count=int(count),  # type: ignore[arg-type]
        country=country_code,  # type: ignore[arg-type]
        target_id=target_id,  # type: ignore[arg-type]
        name=name,
        email=email,
        remind_me=bool(remind_me),
        language=language,
        group_code=group_code,
    )
