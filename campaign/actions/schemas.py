"""What a report is, described once with pydantic 2: the form, the JSON API and the event tally are checked
against these models, and the OpenAPI document is generated from them, so the checks and the document
cannot drift apart.

Every model is strict: a string is a string (never a list, an object or a number), a count is a whole
number (never ``true``, ``1.0`` or ``"1"``), and a field the model does not know is refused. The checks
that need the case (is this target one of its targets?) or the configuration (the largest event tally)
are in ``campaign.actions.validation``, which turns pydantic's errors into the field messages we show.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Annotated, Literal

import pycountry
from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from campaign.actions.models import ActionType

MAX_SUPPORTER_COUNT = 100
MAX_NAME_LENGTH = 200
MAX_EMAIL_LENGTH = 320
#: A BCP 47 tag (language, then up to three subtags) of at most 20 characters, the columns' width.
LANGUAGE_TAG = re.compile(r"^(?=.{2,20}$)[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$")
GROUP_CODE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$")
#: Control characters other than tab, line feed and carriage return: never part of a name, a note or a field.
CONTROL_CHARACTER_CLASS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
CONTROL_CHARACTERS = re.compile(f"[{CONTROL_CHARACTER_CLASS}]")
#: Text with none of them.
WITHOUT_CONTROL_CHARACTERS = f"^[^{CONTROL_CHARACTER_CLASS}]*$"


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes of every country, upper case."""
    return frozenset(country.alpha_2 for country in pycountry.countries)


ActionTypeCode = Literal[tuple(action_type.value for action_type in ActionType)]  # type: ignore[valid-type]
CountryCode = Literal[tuple(sorted(country_codes()))]  # type: ignore[valid-type]
LanguageTag = Annotated[str, StringConstraints(max_length=20, pattern=LANGUAGE_TAG.pattern)]
GroupCode = Annotated[str, StringConstraints(max_length=60, pattern=GROUP_CODE.pattern)]


def _blank_is_none(text: str) -> str | None:
    return text or None


def _normalised_email(address: str) -> str | None:
    if not address:
        return None
    try:
        return validate_email(address, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise PydanticCustomError("email", "not a valid email address") from None


SupporterName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=MAX_NAME_LENGTH, pattern=WITHOUT_CONTROL_CHARACTERS),
    AfterValidator(_blank_is_none),
]
EmailAddress = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=MAX_EMAIL_LENGTH, pattern=WITHOUT_CONTROL_CHARACTERS),
    AfterValidator(_normalised_email),
]


class StrictBody(BaseModel):
    """A JSON body checked strictly: no type is coerced into another, no unknown field is let through."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, regex_engine="python-re")


class ReportedActions(StrictBody):
    """What every report says: which actions, from which country, to whom, from which group."""

    action_type: ActionTypeCode = Field(description="What the supporter did.")
    country: CountryCode = Field(description="ISO 3166-1 alpha-2 code, upper case, e.g. KZ.")
    target_id: int | None = Field(default=None, description="One of the case's targets; leave out for all targets.")
    group: GroupCode | None = Field(default=None, description="The group (school, office) the report counts for.")


class Report(ReportedActions):
    """A supporter's report, from the action page's form or ``POST /api/v1/cases/<slug>/actions``."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"action_type": "letter", "count": 3, "country": "KZ"},
                {"action_type": "email", "count": 1, "country": "FR", "email": "reader@example.org", "remind_me": True},
            ]
        }
    )

    count: int = Field(ge=1, le=MAX_SUPPORTER_COUNT, description="How many actions of this type.")
    name: SupporterName | None = None
    email: EmailAddress | None = Field(
        default=None, description="An address email-validator accepts; needed for remind_me."
    )
    remind_me: bool | None = Field(default=None, description="Needs an email.")
    language: LanguageTag | None = Field(default=None, description="BCP 47 code, e.g. en or zh-Hans.")

    @field_validator("remind_me")
    @classmethod
    def _reminder_needs_an_email(cls, remind_me: bool | None, info: ValidationInfo) -> bool:
        if remind_me and "email" in info.data and not info.data["email"]:
            raise PydanticCustomError("reminder_without_email", "a reminder needs an email address")
        return bool(remind_me)


class EventTally(ReportedActions):
    """An organiser's tally from a letter-writing event; its largest count is the configuration's."""

    count: int = Field(ge=1, description="How many actions the event's participants took.")

    @field_validator("count")
    @classmethod
    def _at_most_the_largest_tally(cls, count: int, info: ValidationInfo) -> int:
        largest = (info.context or {}).get("largest_count")
        if largest is not None and count > largest:
            raise PydanticCustomError("too_large", "more than the largest event tally")
        return count
