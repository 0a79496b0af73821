"""Whether a text follows an earlier UA (a Further Information, an update, an outcome notice),
which UA it follows, and the outcome it reports."""

from __future__ import annotations

import re

from campaign.ua_import.vocabulary import FOLLOW_UP, NO_FURTHER_ACTION, OUTCOME_WORDS, any_of, matches


def follow_up(text: str, ua_number: str | None) -> tuple[bool, str | None, str | None, str | None]:
    """(is_follow_up, follows_ua_number, outcome, excerpt of the outcome)."""
    head = text[:1500]
    marked = bool(re.search(any_of(FOLLOW_UP), head, re.IGNORECASE)) and not re.search(
        r"updates? (?:and|on|from)\b|recent urgent action successes and updates", head, re.IGNORECASE
    )
    numbered = bool(ua_number and re.search(r"-\d{1,2}$", ua_number))
    no_further = matches(NO_FURTHER_ACTION, text)
    outcome, excerpt = None, None
    if no_further:
        outcome, excerpt = "no_further_action", no_further.group(0)
        for kind, patterns in OUTCOME_WORDS.items():
            found = matches(patterns, text)
            if found:
                outcome, excerpt = kind, text[max(0, found.start() - 100) : found.end() + 60]
                break
    is_follow_up = marked or numbered or bool(no_further)
    follows = None
    if is_follow_up and ua_number:
        follows = re.sub(r"-\d{1,2}$", "", ua_number)
    return is_follow_up, follows, outcome, excerpt
