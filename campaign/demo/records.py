"""The shapes of the demo content: plain frozen records that ``campaign.demo.loader`` turns into rows."""

from __future__ import annotations

from dataclasses import dataclass

from campaign.actions.models import ActionType
from campaign.cases.models import CaseStatus


@dataclass(frozen=True)
class TargetData:
    """An official or office; the same object in several cases is one reusable target."""

    name: str
    title: str | None = None
    organisation: str | None = None
    #: Lines separated by newlines, as on an envelope.
    address: str | None = None
    emails: tuple[str, ...] = ()
    faxes: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    twitter: str | None = None
    salutation: str | None = None
    preferred_language: str | None = None


@dataclass(frozen=True)
class PersonData:
    name: str
    native_name: str | None = None
    pronouns: str | None = None


@dataclass(frozen=True)
class EventTally:
    """A letter-writing event's total, recorded by an organiser as one report."""

    group_code: str
    country: str
    count: int
    days_ago: int
    action_type: ActionType = ActionType.LETTER


@dataclass(frozen=True)
class Closure:
    """How and when a case closed."""

    outcome: str
    days_ago: int
    text: str


@dataclass(frozen=True)
class Extension:
    """A deadline extension: the deadline moved from ``old_in_days`` to the case's deadline."""

    old_in_days: int
    days_ago: int
    text: str


@dataclass(frozen=True)
class CaseData:
    slug: str
    #: Which seed document the case comes from.
    seed: str
    headline: str
    summary: str
    people: tuple[PersonData, ...]
    story: str
    asks: tuple[str, ...]
    #: The English model letter after the salutation line.
    letter: str
    targets: tuple[TargetData, ...]
    copies: tuple[TargetData, ...] = ()
    additional_information: str = ""
    ua_number: str | None = None
    ai_index: str | None = None
    preferred_languages: tuple[str, ...] = ()
    status: CaseStatus = CaseStatus.ACTIVE
    #: Days before the day of loading; None for a draft not yet issued.
    issued_days_ago: int | None = None
    #: Days after the day of loading (negative: in the past); None when not set.
    deadline_in_days: int | None = None
    goal: int | None = None
    closure: Closure | None = None
    extension: Extension | None = None
    #: How many individual supporter reports the demo invents for the case.
    report_count: int = 0
    events: tuple[EventTally, ...] = ()
