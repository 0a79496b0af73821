"""Dates as UAs print them, in any of the CLDR locales, and the appeal deadline sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from campaign.ua_import.cldr import fold, month_numbers
from campaign.ua_import.normalise import sentences
from campaign.ua_import.vocabulary import DEADLINE_CONTEXT, DEADLINE_CUES, any_of, matches

_WORD = r"[^\W\d_]{3,}\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|\.|º)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY_MONTH = re.compile(rf"\b{_DAY}\s*(?:de\s+)?(?P<month>{_WORD})(?:,?\s*(?:de\s+)?{_YEAR})?\b", re.IGNORECASE)
_MONTH_DAY = re.compile(rf"\b(?P<month>{_WORD})\s+{_DAY},?(?:\s+{_YEAR})?\b", re.IGNORECASE)
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")


@dataclass(frozen=True)
class FoundDate:
    """A date printed in the text; `year` is None when the text leaves it out."""

    day: int
    month: int
    year: int | None
    start: int
    end: int

    def on(self, fallback_year: int | None = None) -> date | None:
        year = self.year or fallback_year
        if year is None:
            return None
        try:
            return date(year, self.month, self.day)
        except ValueError:
            return None


def find_dates(text: str) -> list[FoundDate]:
    """Every day-and-month date in text, in text order."""
    found: list[FoundDate] = []
    months = month_numbers()
    for pattern in (_ISO, _DAY_MONTH, _MONTH_DAY):
        for match in pattern.finditer(text):
            if any(match.start() < other.end and other.start < match.end() for other in found):
                continue
            month_text = match.group("month")
            month = int(month_text) if month_text.isdigit() else months.get(fold(month_text))
            if not month:
                continue
            day = int(match.group("day"))
            if not 1 <= day <= 31:
                continue
            year = int(match.group("year")) if match.group("year") else None
            found.append(FoundDate(day, month, year, match.start(), match.end()))
    return sorted(found, key=lambda found_date: found_date.start)


_MONTH_YEAR = re.compile(rf"^(?:[^\W\d]+,\s+)?(?P<month>{_WORD})\s+(?:19|20)\d\d\.?$")


def is_date_line(line: str) -> bool:
    """A line that is a date and little else ("May 26, 2020", "Datum: 14. September 2011 - bs",
    "Apeldoorn, April 2020.")."""
    dates = find_dates(line)
    if not dates:
        month_year = _MONTH_YEAR.match(line.strip())
        return bool(month_year and fold(month_year.group("month")) in month_numbers())
    rest = line[: dates[0].start] + line[dates[0].end :]
    return len(re.findall(r"[^\W\d_]{2,}", rest)) <= 3


_CUE = re.compile(any_of(DEADLINE_CUES) + r"\W{0,3}(?:\w+\W+){0,2}$", re.IGNORECASE)


def deadline_sentence(text: str, issued_on: date | None) -> tuple[date | None, str | None]:
    """The appeal deadline and the sentence it is printed in: a date right after a deadline cue
    ("until", "bis", "vóór", "hasta") in a sentence about appeals or the action."""
    for paragraph in text.split("\n"):
        for sentence in sentences(paragraph):
            if not matches(DEADLINE_CONTEXT, sentence):
                continue
            for found in find_dates(sentence):
                before = sentence[max(0, found.start - 40) : found.start]
                if not _CUE.search(before):
                    continue
                deadline = found.on(issued_on.year if issued_on else None)
                if deadline and found.year is None and issued_on and deadline < issued_on:
                    deadline = found.on(issued_on.year + 1)
                if deadline:
                    return deadline, sentence
    return None, None
