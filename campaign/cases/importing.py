"""Writes for imported Urgent Action texts: a new draft case, or a follow-up onto the case it follows.

A text whose UA number or person already has a case is not made into a second case: the
organiser attaches it to that case as an update, or (the command line's ``--as-new``, the
console's "create it anyway" for a match by name only) says it really is another case.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from campaign.audit.operations import record_audit
from campaign.cases.models import (
    Ask,
    Case,
    CaseStatus,
    CaseTarget,
    ModelLetter,
    Person,
    TargetRole,
    TimelineEntry,
    TimelineKind,
)
from campaign.cases.operations import (
    Actor,
    CaseChangeRefused,
    close_case,
    extend_deadline,
    find_or_add_target,
    letter_without_salutation,
    slugify,
    unique_slug,
)
from campaign.extensions import db
from campaign.ua_import import ParsedUrgentAction

#: The parser's outcome codes and how an organiser reads them.
OUTCOMES = {
    "released": _l("Released"),
    "sentenced": _l("Sentenced"),
    "charges_dropped": _l("Charges dropped"),
    "no_further_action": _l("No further action"),
    "other": _l("Other outcome"),
}

_UA_NUMBER = re.compile(r"(\d{1,4})\s*[./]\s*(\d{4}|\d{2})(?!\d)")


def ua_number_key(number: str | None) -> tuple[int, int] | None:
    """The (number, two-digit year) a UA number names, however it is written.

    "63/20", "63.20", "UA 63/20" and "063.20" are (63, 20); "FI 004/18-1" is (4, 18); the German
    section's "UA-250/2011-1" is (250, 11). The trailing "-1" counts follow-ups, not UAs.
    """
    match = _UA_NUMBER.search(number or "")
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2)) % 100


def person_key(name: str | None) -> str:
    """A name compared without case, accents, punctuation or spacing: "'ALAA AL-DABBAS" is "alaa al dabbas"."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[\W_]+", " ", letters.casefold()).split())


class MatchedBy(enum.StrEnum):
    UA_NUMBER = "ua_number"
    PERSON = "person"


@dataclass(frozen=True)
class ExistingCase:
    """A stored case the imported text belongs to, and what matched: a UA number or a person's name."""

    case: Case
    matched_by: MatchedBy
    #: The UA number or the person's name as the stored case writes it.
    matched_value: str


def case_for_ua_number(number: str | None) -> Case | None:
    """The first case of this UA number, written "63.20", "63/20", "UA 63/20", "FI 063/20-1" …"""
    key = ua_number_key(number)
    if key is None:
        return None
    numbers = db.session.execute(select(Case.id, Case.ua_number).where(Case.ua_number.is_not(None)).order_by(Case.id))
    case_id = next((case_id for case_id, stored in numbers if ua_number_key(stored) == key), None)
    return db.session.get(Case, case_id) if case_id is not None else None


def case_for_person(names: list[str]) -> tuple[Case, str] | None:
    """The first case naming one of these people, with the name as it stores it."""
    wanted = {person_key(name) for name in names} - {""}
    if not wanted:
        return None
    rows = db.session.execute(select(Person.case_id, Person.name).order_by(Person.case_id, Person.position))
    for case_id, name in rows:
        if person_key(name) in wanted:
            return db.session.get(Case, case_id), name
    return None


def existing_case_for(parsed: ParsedUrgentAction) -> ExistingCase | None:
    """The case this text belongs to: by the UA number it follows or carries, else by a person it names."""
    for number in (parsed.follows_ua_number, parsed.ua_number):
        if (case := case_for_ua_number(number)) is not None:
            return ExistingCase(case, MatchedBy.UA_NUMBER, case.ua_number or "")
    found = case_for_person([person.name for person in parsed.people])
    if found is not None:
        return ExistingCase(found[0], MatchedBy.PERSON, found[1])
    return None


class DuplicateCase(CaseChangeRefused):
    """The text's UA number or person already has a case; ``existing`` says which."""

    def __init__(self, existing: ExistingCase) -> None:
        self.existing = existing
        if existing.matched_by == MatchedBy.UA_NUMBER:
            message = _(
                "Urgent Action %(number)s already has a case: %(headline)s.",
                number=existing.matched_value,
                headline=existing.case.headline,
            )
        else:
            message = _(
                "%(name)s already has a case: %(headline)s.",
                name=existing.matched_value,
                headline=existing.case.headline,
            )
        super().__init__(message)


def _link_officials(case: Case, parsed: ParsedUrgentAction) -> None:
    """Link each imported target and copy to the case, once, reusing stored targets."""
    links = [(official, TargetRole.TARGET) for official in parsed.targets] + [
        (official, TargetRole.COPY) for official in parsed.copies
    ]
    for official, role in links:
        target = find_or_add_target(official)
        db.session.flush()
        if all(link.target_id != target.id for link in case.target_links):
            case.target_links.append(CaseTarget(target=target, role=role, position=len(case.target_links)))


def create_draft_from_import(
    parsed: ParsedUrgentAction, *, actor_label: str, actor_id: int | None = None, allow_duplicate: bool = False
) -> Case:
    """A draft case from a parsed (and reviewed) Urgent Action, for an organiser to check and publish.

    Refused with ``DuplicateCase`` when its UA number or one of its people already has a case,
    unless ``allow_duplicate`` says the organiser knows it is another case.
    """
    existing = existing_case_for(parsed)
    if existing is not None and not allow_duplicate:
        raise DuplicateCase(existing)
    first_person = parsed.people[0].name if parsed.people else None
    headline = parsed.headline or (
        _("Urgent Action for %(name)s", name=first_person) if first_person else _("Imported Urgent Action")
    )
    case = Case(
        slug=unique_slug(slugify(first_person or parsed.ua_number or headline)),
        ua_number=parsed.ua_number,
        ai_index=parsed.ai_index,
        headline=headline[:300],
        story_markdown=parsed.story or "",
        preferred_languages=list(parsed.preferred_languages),
        issued_on=parsed.issued_on,
        deadline_on=parsed.deadline,
        status=CaseStatus.DRAFT,
    )
    case.people = [
        Person(name=person.name, native_name=person.native_name, pronouns=person.pronouns, position=position)
        for position, person in enumerate(parsed.people)
    ]
    case.asks = [Ask(text=text, position=position) for position, text in enumerate(parsed.asks)]
    db.session.add(case)
    _link_officials(case, parsed)
    if parsed.model_letter:
        language = parsed.language or "en"
        case.letters = [ModelLetter(language=language, body=letter_without_salutation(parsed.model_letter), position=0)]
    db.session.flush()
    details: dict = {"ua_number": parsed.ua_number}
    if existing is not None:
        details["despite_case"] = existing.case.id
    record_audit(
        "case.imported",
        actor_label=actor_label,
        actor_id=actor_id,
        case_id=case.id,
        subject_type="case",
        subject_id=case.id,
        details=details,
    )
    return case


def follow_up_note(parsed: ParsedUrgentAction) -> str:
    """What a follow-up's timeline entry says unless the organiser writes otherwise."""
    lines = [parsed.headline or _("Further information was published.")]
    if parsed.outcome in OUTCOMES:
        lines.append(_("Outcome: %(outcome)s", outcome=OUTCOMES[parsed.outcome]))
    elif parsed.outcome:
        lines.append(parsed.outcome)
    return "\n\n".join(lines)


def attach_follow_up(
    case: Case,
    parsed: ParsedUrgentAction,
    *,
    actor: Actor,
    note: str | None = None,
    close_with_outcome: str | None = None,
) -> TimelineEntry:
    """A follow-up as a timeline update of the case it follows: its asks and targets, a later deadline, an outcome.

    A later deadline goes through ``extend_deadline`` (reminders move, the timeline keeps both
    dates); ``close_with_outcome``, when the organiser chose it, closes the case through ``close_case``.
    """
    entry = TimelineEntry(kind=TimelineKind.FOLLOW_UP, text=(note or follow_up_note(parsed))[:5000])
    case.timeline.append(entry)
    if parsed.asks:
        case.asks.clear()
        db.session.flush()
        case.asks.extend(Ask(text=text, position=position) for position, text in enumerate(parsed.asks))
    _link_officials(case, parsed)
    db.session.flush()
    record_audit(
        "case.follow_up_attached",
        actor_label=actor.label,
        actor_id=actor.id,
        case_id=case.id,
        subject_type="case",
        subject_id=case.id,
        details={
            "ua_number": parsed.follows_ua_number or parsed.ua_number,
            "deadline": parsed.deadline.isoformat() if parsed.deadline else None,
            "outcome": parsed.outcome,
        },
    )
    if (
        parsed.deadline
        and case.status != CaseStatus.CLOSED
        and (case.deadline_on is None or parsed.deadline > case.deadline_on)
    ):
        extend_deadline(case, parsed.deadline, _("Deadline extended by a follow-up."), actor=actor)
    if close_with_outcome:
        close_case(case, close_with_outcome, actor=actor)
    return entry
