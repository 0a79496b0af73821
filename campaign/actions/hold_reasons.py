"""Why a report was held: the sentence stored with it, and that sentence in the reader's language.

A report held automatically keeps an English sentence in ``review_reason`` (the audit log and every
export quote it as it was written); the console shows it in the organiser's language by reading its
numbers back. A reason an organiser typed is shown as they wrote it.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

COUNT_ABOVE_THRESHOLD = "count {count} is above the review threshold of {threshold}"
SAME_EMAIL_AGAIN = "the same email reported this case, type and target {times} times within {minutes} minutes"
SAME_ADDRESS_AGAIN = (
    "the same network address reported this case, type and target {times} times within {minutes} minutes"
)


def _pattern(sentence: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>\\d+)", re.escape(sentence)))


def _translations():
    return {
        COUNT_ABOVE_THRESHOLD: lambda numbers: _(
            "The count, %(count)s, is above the review threshold of %(threshold)s.", **numbers
        ),
        SAME_EMAIL_AGAIN: lambda numbers: _(
            "The same email reported this case, type and target %(times)s times within %(minutes)s minutes.",
            **numbers,
        ),
        SAME_ADDRESS_AGAIN: lambda numbers: _(
            "The same network address reported this case, type and target %(times)s times within %(minutes)s minutes.",
            **numbers,
        ),
    }


_PATTERNS = {sentence: _pattern(sentence) for sentence in (COUNT_ABOVE_THRESHOLD, SAME_EMAIL_AGAIN, SAME_ADDRESS_AGAIN)}


def stored_prefix(sentence: str) -> str:
    """What every stored reason of this kind starts with (the review queue filters on it)."""
    return sentence.split("{", 1)[0]


def held_reason_text(reason: str | None) -> str:
    """A stored reason in the current language: an automatic one translated, an organiser's as written."""
    if not reason:
        return ""
    translations = _translations()
    for sentence, pattern in _PATTERNS.items():
        if match := pattern.fullmatch(reason):
            return translations[sentence](match.groupdict())
    return reason
