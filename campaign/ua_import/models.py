"""What an Urgent Action's text yields: the people, the officials and the parsed case."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

OUTCOMES = ("released", "sentenced", "charges_dropped", "no_further_action", "other")


class NotAnUrgentAction(ValueError):
    """The text lacks the parts every Urgent Action has; `missing` names them."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = list(missing)
        listed = ", ".join(self.missing[:-1]) + (" and " if len(self.missing) > 1 else "") + self.missing[-1]
        verb = "was" if len(self.missing) == 1 else "were"
        super().__init__(f"This text does not read as an Urgent Action: {listed} {verb} found.")


def one_or_many(values: list[str]) -> str | list[str] | None:
    """The JSON shape of a channel: nothing, one string, or a list when there are several."""
    if not values:
        return None
    return values[0] if len(values) == 1 else list(values)


@dataclass
class Person:
    """Someone the UA is about and who is at risk."""

    name: str
    native_name: str | None = None
    pronouns: str | None = None

    def as_json(self) -> dict[str, str | None]:
        return {"name": self.name, "native_name": self.native_name, "pronouns": self.pronouns}


@dataclass
class Official:
    """An official the UA asks supporters to write to (a target) or to copy in."""

    name: str | None = None
    title: str | None = None
    organisation: str | None = None
    address_lines: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    faxes: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    twitter: list[str] = field(default_factory=list)
    salutation: str | None = None
    #: The name and title as the official writes them in their own language; typed by an organiser, never parsed.
    name_in_own_language: str | None = None

    @property
    def address(self) -> str | None:
        return "\n".join(line.strip() for line in self.address_lines) or None

    @property
    def has_contact_details(self) -> bool:
        return bool(self.emails or self.faxes or self.phones or self.twitter or self.salutation)

    @property
    def is_empty(self) -> bool:
        return not (self.name or self.title or self.organisation or self.address_lines or self.has_contact_details)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "organisation": self.organisation,
            "address": self.address,
            "email": one_or_many(self.emails),
            "fax": one_or_many(self.faxes),
            "phone": one_or_many(self.phones),
            "twitter": one_or_many(self.twitter),
            "salutation": self.salutation,
        }


@dataclass
class ParsedUrgentAction:
    """The fields a careful reader takes out of an Urgent Action, with where each came from.

    `evidence` maps a field ("headline", "people[0]", "targets[1]", ...) to the excerpt of the
    text it was read from. `doubts` holds stable codes (see `campaign.ua_import.doubts`) for what
    an organiser should check before creating the case.
    """

    ua_number: str | None = None
    ai_index: str | None = None
    people: list[Person] = field(default_factory=list)
    headline: str | None = None
    targets: list[Official] = field(default_factory=list)
    copies: list[Official] = field(default_factory=list)
    asks: list[str] = field(default_factory=list)
    preferred_languages: list[str] = field(default_factory=list)
    deadline: date | None = None
    issued_on: date | None = None
    is_follow_up: bool = False
    follows_ua_number: str | None = None
    outcome: str | None = None
    story: str | None = None
    model_letter: str | None = None
    language: str | None = None
    evidence: dict[str, str] = field(default_factory=dict)
    doubts: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The keys SPEC §4 lists for `cases import --json`, nothing more."""
        return {
            "ua_number": self.ua_number,
            "ai_index": self.ai_index,
            "people": [person.as_json() for person in self.people],
            "headline": self.headline,
            "targets": [target.as_json() for target in self.targets],
            "copies": [copy.as_json() for copy in self.copies],
            "asks": list(self.asks),
            "preferred_languages": list(self.preferred_languages),
            "deadline": self.deadline.isoformat() if self.deadline else None,
        }
