"""What the import review shows beside each field: the excerpt it came from, and the doubts to check."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from campaign.cases.importing import ua_number_key
from campaign.ua_import import ParsedUrgentAction

#: For finding a date's line when the parser gave no excerpt; the parser's own evidence covers other languages.
_ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
#: An excerpt longer than this is cut, so that one run-together paragraph does not fill the page.
EXCERPT_CHARACTERS = 320


@dataclass(frozen=True)
class Doubt:
    """A point the organiser should check; ``field`` names the form field it concerns, if one."""

    message: str
    field: str | None = None


def _cut(excerpt: str) -> str:
    excerpt = " ".join(excerpt.split())
    return excerpt if len(excerpt) <= EXCERPT_CHARACTERS else excerpt[: EXCERPT_CHARACTERS - 1].rstrip() + "…"


def _line_with(text: str, pattern: re.Pattern[str]) -> str | None:
    for line in text.splitlines():
        if pattern.search(line):
            return _cut(line)
    return None


def _line_containing(text: str, value: str | None) -> str | None:
    value = " ".join((value or "").split())
    if len(value) < 2:
        return None
    words = [re.escape(word) for word in value[:120].split()]
    return _line_with(text, re.compile(r"\s+".join(words), re.IGNORECASE))


def _ua_number_line(text: str, number: str | None) -> str | None:
    key = ua_number_key(number)
    if key is None:
        return None
    year = f"(?:20|19)?{key[1]:02d}"
    return _line_with(text, re.compile(rf"(?<!\d)0*{key[0]}\s*[./]\s*{year}(?!\d)"))


def _date_line(text: str, day: date | None) -> str | None:
    """The line that prints this date as "14 October 2020", "October 14, 2020", "14.10.2020" or "2020-10-14"."""
    if day is None:
        return None
    month = _ENGLISH_MONTHS[day.month - 1]
    written = [
        rf"\b0?{day.day}(?:st|nd|rd|th)?\.?\s+{month[:3]}\w*\.?,?\s+{day.year}",
        rf"\b{month[:3]}\w*\.?\s+0?{day.day}(?:st|nd|rd|th)?,?\s+{day.year}",
        rf"\b0?{day.day}\s*[./]\s*0?{day.month}\s*[./]\s*(?:{day.year}|{day.year % 100:02d})\b",
        rf"\b{day.year}-{day.month:02d}-{day.day:02d}\b",
    ]
    return _line_with(text, re.compile("|".join(written), re.IGNORECASE))


def evidence_for(parsed: ParsedUrgentAction, text: str) -> dict[str, list[str]]:
    """Each review field's excerpts of the text: the parser's own, else the line where its value stands."""
    given = parsed.evidence or {}

    def one(path: str, fallback: str | None) -> list[str]:
        excerpt = given.get(path) or fallback
        return [_cut(excerpt)] if excerpt else []

    def many(prefix: str, values: list[str | None]) -> list[str]:
        excerpts: list[str] = []
        for index, value in enumerate(values):
            excerpt = given.get(f"{prefix}[{index}]") or _line_containing(text, value)
            if excerpt and _cut(excerpt) not in excerpts:
                excerpts.append(_cut(excerpt))
        return excerpts

    return {
        "ua_number": one("ua_number", _ua_number_line(text, parsed.ua_number)),
        "follows_ua_number": one("follows_ua_number", _ua_number_line(text, parsed.follows_ua_number)),
        "is_follow_up": one("is_follow_up", None),
        "ai_index": one("ai_index", _line_containing(text, parsed.ai_index)),
        "headline": one("headline", _line_containing(text, parsed.headline)),
        "people": many("people", [person.name for person in parsed.people]),
        "asks": many("asks", list(parsed.asks)),
        "preferred_languages": one("preferred_languages", None),
        "issued_on": one("issued_on", _date_line(text, parsed.issued_on)),
        "deadline": one("deadline", _date_line(text, parsed.deadline)),
        "outcome": one("outcome", None),
        "language": one("language", None),
        **{
            f"targets-{index}": many(f"targets[{index}]", [official.name or official.organisation])
            for index, official in enumerate(parsed.targets)
        },
        **{
            f"copies-{index}": many(f"copies[{index}]", [official.name or official.organisation])
            for index, official in enumerate(parsed.copies)
        },
    }


def doubts_about(
    *,
    ua_number: str | None,
    issued_on: date | None,
    deadline: date | None,
    is_follow_up: bool,
    parser_doubts: list[str],
    today: date,
) -> list[Doubt]:
    """The doubts about the fields as they now stand, then the parser's own."""
    doubts = []
    if deadline is not None and deadline < today:
        doubts.append(Doubt(_("The deadline, %(date)s, has already passed.", date=format_date(deadline)), "deadline"))
    if deadline is not None and issued_on is not None:
        if deadline < issued_on:
            doubts.append(Doubt(_("The deadline is before the issue date."), "deadline"))
        elif (deadline - issued_on).days > 366:
            doubts.append(
                Doubt(_("The deadline is more than a year after the issue date: check its year."), "deadline")
            )
    key = ua_number_key(ua_number)
    if key is not None and issued_on is not None:
        issued_year = issued_on.year % 100
        # A follow-up keeps the number of the UA it follows, so it may be issued in a later year.
        disagrees = issued_year < key[1] if is_follow_up else issued_year != key[1]
        if disagrees:
            doubts.append(
                Doubt(
                    _(
                        "The UA number %(number)s gives another year than the issue date, %(date)s.",
                        number=ua_number,
                        date=format_date(issued_on),
                    ),
                    "ua_number",
                )
            )
    doubts.extend(Doubt(str(doubt)) for doubt in parser_doubts)
    return doubts
