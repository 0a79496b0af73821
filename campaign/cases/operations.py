"""Writes to cases: the console's edits, targets, letters, publishing, deadlines and closing.

Drafts made from an imported Urgent Action text and follow-ups live in ``campaign.cases.importing``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

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
    Target,
    TargetRole,
    TimelineEntry,
    TimelineKind,
)
from campaign.database import utcnow
from campaign.errors import Refused
from campaign.extensions import db
from campaign.reminders.scheduling import cancel_case_reminders, move_pending_reminders, schedule_case_reminders
from campaign.ua_import import Official


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "case"


def unique_slug(base: str) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever no case has yet."""
    taken = set(db.session.scalars(select(Case.slug).where(Case.slug.like(f"{base}%"))))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def find_or_add_target(official: Official) -> Target:
    """The stored target with this name and organisation, or a new one from the imported details."""
    name = official.name or official.organisation or "Unnamed official"
    same_organisation = (
        Target.organisation.is_(None) if official.organisation is None else Target.organisation == official.organisation
    )
    target = db.session.scalar(select(Target).where(Target.name == name, same_organisation).limit(1))
    if target is not None:
        return target
    target = Target(
        name=name,
        title=official.title,
        organisation=official.organisation,
        address="\n".join(official.address_lines) or None,
        emails=list(official.emails),
        faxes=list(official.faxes),
        phones=list(official.phones),
        twitter=official.twitter[0].lstrip("@") if official.twitter else None,
        salutation=official.salutation,
        name_in_own_language=official.name_in_own_language,
    )
    db.session.add(target)
    return target


def letter_without_salutation(letter: str) -> str:
    """The letter's body: each target's own salutation is put before it when shown."""
    first_line, _, rest = letter.strip().partition("\n")
    if re.match(r"^(Dear|To)\b.{0,80},?$", first_line.strip()):
        return rest.strip()
    return letter.strip()


class CaseChangeRefused(Refused):
    """The change does not fit the case's state; the message says why."""


@dataclass(frozen=True)
class CaseFields:
    """What an organiser edits on a case; lists are already split and trimmed."""

    headline: str
    ua_number: str | None = None
    ai_index: str | None = None
    summary: str | None = None
    story_markdown: str = ""
    additional_information_markdown: str = ""
    people: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    asks: list[str] = field(default_factory=list)
    preferred_languages: list[str] = field(default_factory=list)
    issued_on: date | None = None
    deadline_on: date | None = None
    goal: int | None = None


def _audit_case(action: str, case: Case, actor: Actor, details: dict | None = None) -> None:
    record_audit(
        action,
        actor_label=actor.label,
        actor_id=actor.id,
        case_id=case.id,
        subject_type="case",
        subject_id=case.id,
        details=details or {},
    )


@dataclass(frozen=True)
class Actor:
    """Who acts, as the audit log shows them."""

    label: str
    id: int | None = None


def _apply_fields(case: Case, fields: CaseFields) -> None:
    case.headline = fields.headline[:300]
    case.ua_number = fields.ua_number
    case.ai_index = fields.ai_index
    case.summary = fields.summary
    case.story_markdown = fields.story_markdown
    case.additional_information_markdown = fields.additional_information_markdown
    case.preferred_languages = list(fields.preferred_languages)
    case.issued_on = fields.issued_on
    case.goal = fields.goal
    if [(p.name, p.native_name, p.pronouns) for p in case.people] != list(fields.people):
        case.people.clear()
        db.session.flush()
        case.people.extend(
            Person(name=name, native_name=native, pronouns=pronouns, position=position)
            for position, (name, native, pronouns) in enumerate(fields.people)
        )
    if [ask.text for ask in case.asks] != list(fields.asks):
        case.asks.clear()
        db.session.flush()
        case.asks.extend(Ask(text=text, position=position) for position, text in enumerate(fields.asks))


def create_case(fields: CaseFields, *, actor: Actor) -> Case:
    """A new draft case by hand; the caller commits."""
    case = Case(
        slug=unique_slug(slugify(fields.people[0][0] if fields.people else fields.headline)),
        headline=fields.headline[:300],
        status=CaseStatus.DRAFT,
        deadline_on=fields.deadline_on,
    )
    db.session.add(case)
    _apply_fields(case, fields)
    db.session.flush()
    _audit_case("case.created", case, actor, {"headline": case.headline})
    return case


def update_case(case: Case, fields: CaseFields, *, actor: Actor) -> None:
    """Edit a case's text, people, asks and dates; a live deadline moves only through ``extend_deadline``."""
    if case.status == CaseStatus.DRAFT:
        case.deadline_on = fields.deadline_on
    _apply_fields(case, fields)
    _audit_case("case.edited", case, actor)


def publish_case(case: Case, *, actor: Actor, today: date) -> None:
    """Make a draft public; it needs a target and an ask so supporters can act."""
    if case.status != CaseStatus.DRAFT:
        raise CaseChangeRefused(_l("Only a draft can be published."))
    has_target, has_ask = bool(case.links_in_role(TargetRole.TARGET)), bool(case.asks)
    if not has_target and not has_ask:
        raise CaseChangeRefused(_l("Add a target and an ask before publishing."))
    if not has_target:
        raise CaseChangeRefused(_l("Add a target before publishing."))
    if not has_ask:
        raise CaseChangeRefused(_l("Add an ask before publishing."))
    case.status = CaseStatus.ACTIVE
    case.issued_on = case.issued_on or today
    label = f"Urgent Action {case.ua_number}" if case.ua_number else "The appeal"
    case.timeline.append(TimelineEntry(kind=TimelineKind.PUBLISHED, text=f"{label} was published."))
    _audit_case("case.published", case, actor)
    schedule_case_reminders(case)


def close_case(case: Case, outcome: str, *, actor: Actor) -> None:
    """Close an active case with its outcome; reports stop, the totals stay."""
    if case.status != CaseStatus.ACTIVE:
        raise CaseChangeRefused(_l("Only an active case can be closed."))
    case.status = CaseStatus.CLOSED
    case.outcome = outcome
    case.closed_at = utcnow()
    case.timeline.append(TimelineEntry(kind=TimelineKind.CLOSED, text=outcome))
    _audit_case("case.closed", case, actor, {"outcome": outcome})
    cancel_case_reminders(case)


def extend_deadline(case: Case, new_deadline: date, note: str | None, *, actor: Actor) -> None:
    """Move the deadline later; a timeline entry keeps the old and the new date."""
    if case.status == CaseStatus.CLOSED:
        raise CaseChangeRefused(_l("A closed case's deadline cannot move."))
    old = case.deadline_on
    if old is not None and new_deadline <= old:
        raise CaseChangeRefused(_l("The new deadline must be after the current one."))
    case.deadline_on = new_deadline
    case.timeline.append(
        TimelineEntry(
            kind=TimelineKind.DEADLINE_EXTENDED,
            text=note or "The deadline was extended.",
            old_deadline_on=old,
            new_deadline_on=new_deadline,
        )
    )
    _audit_case(
        "case.deadline_extended",
        case,
        actor,
        {"from": old.isoformat() if old else None, "to": new_deadline.isoformat()},
    )
    if case.status == CaseStatus.ACTIVE:
        move_pending_reminders(case, new_deadline)


def link_target(case: Case, target: Target, role: TargetRole, *, actor: Actor) -> CaseTarget:
    """Link a stored or new target to the case as addressee or copy; linking twice changes the role."""
    db.session.flush()
    for link in case.target_links:
        if link.target_id == target.id:
            link.role = role
            _audit_case("case.target_linked", case, actor, {"target_id": target.id, "role": str(role)})
            return link
    link = CaseTarget(target=target, role=role, position=len(case.target_links))
    case.target_links.append(link)
    db.session.flush()
    _audit_case("case.target_linked", case, actor, {"target_id": target.id, "role": str(role)})
    return link


def add_target(details: Official, *, actor: Actor, preferred_language: str | None = None) -> Target:
    """The stored target with this name and organisation, or a new one; the caller commits.

    A language the official prefers is kept when the target has none yet (a stored target's is never replaced here).
    """
    target = find_or_add_target(details)
    if preferred_language and not target.preferred_language:
        target.preferred_language = preferred_language
    db.session.flush()
    record_audit(
        "target.saved", actor_label=actor.label, actor_id=actor.id, subject_type="target", subject_id=target.id
    )
    return target


def unlink_target(case: Case, link_id: int, *, actor: Actor) -> None:
    """Remove a target from the case (the target stays for other cases)."""
    link = next((link for link in case.target_links if link.id == link_id), None)
    if link is None:
        raise CaseChangeRefused(_l("That target is not linked to this case."))
    case.target_links.remove(link)
    _audit_case("case.target_unlinked", case, actor, {"target_id": link.target_id})


def save_letter(case: Case, language: str, body: str, *, actor: Actor) -> ModelLetter:
    """Add or replace the model letter in one language."""
    letter = next((letter for letter in case.letters if letter.language == language), None)
    if letter is None:
        letter = ModelLetter(language=language, body=letter_without_salutation(body), position=len(case.letters))
        case.letters.append(letter)
    else:
        letter.body = letter_without_salutation(body)
    _audit_case("case.letter_saved", case, actor, {"language": language})
    return letter


def remove_letter(case: Case, letter_id: int, *, actor: Actor) -> None:
    letter = next((letter for letter in case.letters if letter.id == letter_id), None)
    if letter is None:
        raise CaseChangeRefused(_l("That letter is not part of this case."))
    case.letters.remove(letter)
    _audit_case("case.letter_removed", case, actor, {"language": letter.language})
