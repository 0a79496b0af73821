"""The API's own bodies, once, as pydantic models: what it takes (checked here) and what it answers (documented here).

A report's model is ``campaign.actions.schemas.Report``; the OpenAPI document is generated from these models
and the routes (``campaign.api.openapi``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter
from pydantic_core import PydanticCustomError

from campaign.actions.schemas import StrictBody

NonBlankText = Annotated[str, StringConstraints(min_length=1, pattern=r"^\s*\S")]


def _printable(text: str) -> str:
    if not text.isprintable():
        raise PydanticCustomError("not_printable", "must be printable characters")
    return text


#: The ``Idempotency-Key`` header: repeating a request with the same key returns the first answer.
IdempotencyKey = Annotated[str, StringConstraints(min_length=1, max_length=255), AfterValidator(_printable)]
IDEMPOTENCY_KEY = TypeAdapter(IdempotencyKey)


class CaseListQuery(StrictBody):
    """The query of ``GET /cases``; other parameters (``lang``, a cache-buster) are left alone."""

    model_config = ConfigDict(extra="ignore")

    status: Literal["active", "closed"] = "active"


class TokenRequest(StrictBody):
    """``POST /console/tokens``: an account's credentials."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"email": "organiser@example.org", "password": "…"}]})

    email: NonBlankText
    password: NonBlankText
    code: str | None = Field(default=None, description="TOTP code, when two-factor is on.")


class ErrorDetail(BaseModel):
    code: str
    message: str
    fields: dict[str, str] = Field(description="Each field at fault, with what is wrong with it.")


class Error(BaseModel):
    """Every refusal: the status says what kind, ``fields`` names each field at fault."""

    error: ErrorDetail


class CaseSummary(BaseModel):
    slug: str
    ua_number: str | None
    headline: str
    status: Literal["active", "closed"]
    deadline: date | None
    total: int = Field(ge=0)


class CaseList(BaseModel):
    cases: list[CaseSummary]


class Person(BaseModel):
    name: str
    native_name: str | None
    pronouns: str | None


class Target(BaseModel):
    id: int
    role: Literal["target", "copy"]
    name: str
    title: str | None = None
    organisation: str | None = None
    address: str | None = None
    emails: list[str] = []
    faxes: list[str] = []
    phones: list[str] = []
    twitter: str | None = None
    salutation: str | None = None
    #: The name and title as the official writes them in their preferred language, when known.
    name_in_own_language: str | None = None


class CaseDetail(CaseSummary):
    people: list[Person]
    targets: list[Target]
    asks: list[str]
    preferred_languages: list[str]
    ai_index: str | None = None
    issued: date | None = None
    outcome: str | None = None
    goal: int | None = None


class OtherCountries(BaseModel):
    """The countries with fewer actions than ``floor``, folded so that none can point to a lone supporter."""

    countries: int = Field(ge=0)
    actions: int = Field(ge=0)
    floor: int = Field(ge=1)


class Totals(BaseModel):
    total: int = Field(ge=0)
    last_24h: int = Field(
        ge=0,
        description="Counted actions whose reports were received in the last 24 hours, whatever day they were taken "
        "on; precise to the hour (UTC): the current hour and the 23 full hours before it, so never a report older "
        "than 24 hours. A review decision moves a report in or out. Below `other_countries.floor` it is 0, folded "
        "like a small country.",
    )
    last_7d: int = Field(
        ge=0,
        description="Counted actions whose reports were received in the last 7 days, to the hour the same way (the "
        "current hour and the 167 before it), folded the same way.",
    )
    by_type: dict[str, int]
    by_country: dict[str, int] = Field(description="Countries with at least `other_countries.floor` actions.")
    other_countries: OtherCountries
    countries: int = Field(ge=0)
    by_target: dict[str, int]
    to_all_targets: int = Field(default=0, ge=0)
    as_of: datetime


class ReportAccepted(BaseModel):
    """``counted`` is what the report added to the public total (0 when held for review)."""

    id: int
    counted: int = Field(ge=0)
    case_total: int = Field(ge=0)


class Token(BaseModel):
    token: str = Field(description="Send it as Authorization: Bearer <token>.")


class ConsoleAccount(BaseModel):
    id: int
    email: str
    roles: list[str]
    active: bool
    two_factor: bool


class ConsoleAccounts(BaseModel):
    accounts: list[ConsoleAccount]
