"""Read a UA's text part by part into a ParsedUrgentAction, or refuse it naming what is missing.

Order: normalise the text, keep the first UA of a page that holds several, read the header,
the contact blocks (targets, copies) before the model letter, the people, the asks, the
languages, the deadline and whether it follows an earlier UA. Doubts are stable codes:

- ``deadline_before_issue_date``: the printed deadline is earlier than the issue date;
- ``deadline_year_differs``: the deadline's year is not the issue date's year or the next;
- ``text_cut_off``: the text stops in the middle of a sentence;
- ``email_hidden``: an e-mail address is hidden by the page it was copied from.
"""

from __future__ import annotations

import re

from campaign.ua_import.asks import find_asks
from campaign.ua_import.channels import HIDDEN_EMAIL
from campaign.ua_import.dates import deadline_sentence
from campaign.ua_import.followup import follow_up
from campaign.ua_import.header import first_ua_only, read_header
from campaign.ua_import.languages import preferred_languages, text_language
from campaign.ua_import.models import NotAnUrgentAction, ParsedUrgentAction
from campaign.ua_import.normalise import normalise
from campaign.ua_import.officials import find_officials, letter_start
from campaign.ua_import.people import find_people
from campaign.ua_import.vocabulary import CLOSINGS, TAKE_ACTION, any_of

DOUBTS = ("deadline_before_issue_date", "deadline_year_differs", "text_cut_off", "email_hidden")


def _summary(lines: list[str], end: int) -> str:
    """The case text before the model letter: its paragraphs of running text."""
    text = "\n".join(lines[:end])
    paragraphs = [re.sub(r"\s*\n\s*", " ", p).strip() for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if len(p) > 150 and not re.search(r"\b(?:fax|phone|email)\s*:", p, re.I))


def _model_letter(lines: list[str], start: int) -> str | None:
    if start >= len(lines):
        return None
    letter: list[str] = []
    for line in lines[start:]:
        letter.append(line)
        if re.match(rf"^{any_of(CLOSINGS)}", line, re.IGNORECASE):
            break
    return "\n".join(letter).strip() or None


def _refuse_unless_urgent_action(parsed: ParsedUrgentAction, has_marker: bool, takes_action: bool) -> None:
    identity = bool(parsed.ua_number or parsed.ai_index or has_marker or takes_action or parsed.is_follow_up)
    subject = bool(parsed.people or parsed.headline or parsed.targets or parsed.outcome)
    action = bool(parsed.targets and (parsed.asks or parsed.people or parsed.deadline))
    if (identity and subject) or action:
        return
    missing = []
    if not identity:
        missing.append("no UA number or Urgent Action heading")
    if not subject:
        missing.append("no headline or person at risk")
    if not parsed.targets:
        missing.append("no target official")
    if not parsed.asks:
        missing.append("no asks")
    raise NotAnUrgentAction(missing)


def parse_urgent_action(text: str) -> ParsedUrgentAction:
    """Parse a UA's published text; raise NotAnUrgentAction when its parts do not make one."""
    cleaned = first_ua_only(normalise(text)).strip()
    if not cleaned:
        raise NotAnUrgentAction(
            ["no UA number or Urgent Action heading", "no headline or person at risk", "no target official", "no asks"]
        )
    lines = cleaned.split("\n")
    parsed = ParsedUrgentAction()
    evidence = parsed.evidence
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
            evidence[key] = excerpt

    subject_lines: list[str] = []
    parsed.targets, parsed.copies, excerpts = find_officials(lines, subject_lines)
    for index, excerpt in enumerate(excerpts):
        kind, position = ("targets", index) if index < len(parsed.targets) else ("copies", index - len(parsed.targets))
        evidence[f"{kind}[{position}]"] = excerpt
    official_names = {
        part
        for official in parsed.targets + parsed.copies
        for part in (official.name, official.salutation, *official.address_lines)
        if part
    }

    start = letter_start(lines)
    if start < len(lines):
        official_names.add(lines[start][:80])
    summary = _summary(lines, start)
    header_index = cleaned[: cleaned.find(header.ua_number_excerpt)].count("\n") if header.ua_number_excerpt else None
    body = cleaned
    if header_index and header_index > 10:
        body = "\n".join(lines[header_index:])
    parsed.people = find_people(body, lines, header_index, official_names, subject_lines)
    for index, person in enumerate(parsed.people):
        evidence[f"people[{index}]"] = next((line for line in lines if person.name in line), person.name)[:300]

    parsed.model_letter = _model_letter(lines, start)
    parsed.asks, ask_excerpt = find_asks(cleaned, summary, start, parsed.model_letter)
    for index, ask in enumerate(parsed.asks):
        evidence[f"asks[{index}]"] = ask if ask in cleaned else (ask_excerpt or ask)
    parsed.preferred_languages, language_excerpt = preferred_languages(cleaned)
    if language_excerpt:
        evidence["preferred_languages"] = language_excerpt
    parsed.deadline, deadline_excerpt = deadline_sentence(cleaned, parsed.issued_on)
    if deadline_excerpt:
        evidence["deadline"] = deadline_excerpt
    parsed.is_follow_up, parsed.follows_ua_number, parsed.outcome, outcome_excerpt = follow_up(
        cleaned, parsed.ua_number
    )
    if outcome_excerpt:
        evidence["outcome"] = outcome_excerpt
    parsed.language = text_language(summary or cleaned)
    story = summary.split("\n\n")[0] if summary else None
    if story and parsed.headline and story.startswith(parsed.headline):
        story = story[len(parsed.headline) :].strip()
    parsed.story = story
    parsed.model_letter = _model_letter(lines, start)
    parsed.doubts = _doubts(parsed, cleaned)
    takes_action = bool(re.search(any_of(TAKE_ACTION), cleaned, re.IGNORECASE))
    _refuse_unless_urgent_action(parsed, header.has_marker, takes_action)
    return parsed


def _doubts(parsed: ParsedUrgentAction, text: str) -> list[str]:
    doubts = []
    if parsed.deadline and parsed.issued_on:
        if parsed.deadline < parsed.issued_on:
            doubts.append("deadline_before_issue_date")
        if parsed.deadline.year not in (parsed.issued_on.year, parsed.issued_on.year + 1):
            doubts.append("deadline_year_differs")
    last_line = text.strip().split("\n")[-1]
    if len(last_line) > 60 and not re.search(r"[.!?\"”»)\]:]\s*$|^https?://\S+$", last_line):
        doubts.append("text_cut_off")
    if HIDDEN_EMAIL in text:
        doubts.append("email_hidden")
    return doubts
