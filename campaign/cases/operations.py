"""Writes to cases: drafts made from an imported Urgent Action text."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select

from campaign.audit.operations import record_audit
from campaign.cases.models import Ask, Case, CaseStatus, CaseTarget, ModelLetter, Person, Target, TargetRole
from campaign.extensions import db
from campaign.ua_import.parser import Official, ParsedUrgentAction


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
    )
    db.session.add(target)
    return target


def letter_without_salutation(letter: str) -> str:
    """The letter's body: each target's own salutation is put before it when shown."""
    first_line, _, rest = letter.strip().partition("\n")
    if re.match(r"^(Dear|To)\b.{0,80},?$", first_line.strip()):
        return rest.strip()
    return letter.strip()


def create_draft_from_import(parsed: ParsedUrgentAction, *, actor_label: str, actor_id: int | None = None) -> Case:
    """A draft case from a parsed Urgent Action, for an organiser to review and publish."""
    first_person = parsed.people[0].name if parsed.people else None
    headline = parsed.headline or (f"Urgent Action for {first_person}" if first_person else "Imported Urgent Action")
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
    links = [(official, TargetRole.TARGET) for official in parsed.targets] + [
        (official, TargetRole.COPY) for official in parsed.copies
    ]
    seen: set[int] = set()
    for position, (official, role) in enumerate(links):
        target = find_or_add_target(official)
        db.session.flush()
        if target.id in seen:
            continue
        seen.add(target.id)
        case.target_links.append(CaseTarget(target=target, role=role, position=position))
    if parsed.model_letter:
        case.letters = [ModelLetter(language="en", body=letter_without_salutation(parsed.model_letter), position=0)]
    db.session.flush()
    record_audit(
        "case.imported",
        actor_label=actor_label,
        actor_id=actor_id,
        case_id=case.id,
        subject_type="case",
        subject_id=case.id,
        details={"ua_number": parsed.ua_number},
    )
    return case
