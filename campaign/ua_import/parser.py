"""Read a UA's text part by part into a ParsedUrgentAction, or refuse it naming what is missing."""

from __future__ import annotations

from campaign.ua_import.header import first_ua_only, read_header
from campaign.ua_import.models import NotAnUrgentAction, ParsedUrgentAction
from campaign.ua_import.normalise import normalise


def parse_urgent_action(text: str) -> ParsedUrgentAction:
    """Parse a UA's published text; raise NotAnUrgentAction when its parts do not make one."""
    cleaned = first_ua_only(normalise(text))
    parsed = ParsedUrgentAction()
    header = read_header(cleaned)
    parsed.ua_number, parsed.ai_index, parsed.issued_on = header.ua_number, header.ai_index, header.issued_on
    parsed.headline = header.headline
    for key, excerpt in (
        ("ua_number", header.ua_number_excerpt),
        ("ai_index", header.ai_index_excerpt),
        ("issued_on", header.issued_on_excerpt),
        ("headline", header.headline_excerpt),
    ):
        if excerpt:
            parsed.evidence[key] = excerpt
    if not cleaned.strip():
        raise NotAnUrgentAction(["no text"])
    return parsed
