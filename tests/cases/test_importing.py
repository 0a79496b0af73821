"""Imported texts onto cases: matching by UA number and by person, duplicates refused, follow-ups attached."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from campaign.audit.models import AuditEntry
from campaign.cases.importing import (
    DuplicateCase,
    MatchedBy,
    attach_follow_up,
    create_draft_from_import,
    existing_case_for,
    person_key,
    ua_number_key,
)
from campaign.cases.models import Case, CaseStatus, TimelineKind
from campaign.cases.operations import Actor, CaseChangeRefused
from campaign.ua_import import Official, ParsedUrgentAction, Person

ORGANISER = Actor(label="organiser@example.org")


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("63/20", (63, 20)),
        ("63.20", (63, 20)),
        ("UA 63/20", (63, 20)),
        ("063.20", (63, 20)),
        ("FI 004/18-1", (4, 18)),
        ("UA-250/2011-1", (250, 11)),
        ("UA-313/2014", (313, 14)),
        ("AU: 274/11", (274, 11)),
        ("Further information on UA 110/07", (110, 7)),
    ],
)
def test_ua_numbers_written_in_every_layout_name_the_same_urgent_action(written, key):
    assert ua_number_key(written) == key


def test_a_text_without_a_ua_number_has_no_key():
    assert ua_number_key(None) is None
    assert ua_number_key("Urgent Action") is None


def test_names_match_without_case_accents_or_punctuation():
    assert person_key("'ALAA AL-DABBAS") == person_key("Alaa al Dabbas")
    assert person_key("Ignacio Muñiz Zamora") == person_key("IGNACIO MUNIZ ZAMORA")
    assert person_key("Nagyz Muhammed") != person_key("Nagyz Muhammedov")


def test_a_follow_up_finds_its_case_by_the_number_it_follows(db, make_case):
    case = make_case(ua_number="63.20")
    make_case(ua_number="64.20")
    parsed = ParsedUrgentAction(ua_number="63/20", is_follow_up=True, follows_ua_number="UA 63/20")

    found = existing_case_for(parsed)

    assert (found.case.id, found.matched_by, found.matched_value) == (case.id, MatchedBy.UA_NUMBER, "63.20")


def test_a_german_section_number_finds_the_case_of_the_same_ua(db, make_case):
    case = make_case(ua_number="250/11")
    found = existing_case_for(ParsedUrgentAction(ua_number="UA-250/2011-1", is_follow_up=True))
    assert found.case.id == case.id


def test_without_a_known_number_a_text_finds_its_case_by_a_persons_name(db, make_case):
    case = make_case(ua_number="12.21")
    parsed = ParsedUrgentAction(ua_number="99/21", people=[Person(name="Someone Else"), Person(name="NAGYZ MUHAMMED")])

    found = existing_case_for(parsed)

    assert (found.case.id, found.matched_by, found.matched_value) == (case.id, MatchedBy.PERSON, "Nagyz Muhammed")


def test_a_text_of_another_ua_and_other_people_matches_no_case(db, make_case):
    make_case(ua_number="63.20")
    assert existing_case_for(ParsedUrgentAction(ua_number="63.21", people=[Person(name="Xu Zhiyong")])) is None


def test_a_draft_is_created_from_a_new_urgent_action_and_audited(db):
    parsed = ParsedUrgentAction(
        ua_number="90.23",
        headline="Health risk for detained journalist",
        people=[Person(name="Mahmoud Hussein")],
        targets=[Official(name="Hamada al-Sawy", title="Public Prosecutor", emails=["prosecutor@example.org"])],
        asks=["Release Mahmoud Hussein"],
        deadline=date(2023, 9, 1),
        issued_on=date(2023, 7, 21),
    )
    case = create_draft_from_import(parsed, actor_label="organiser@example.org")
    db.session.commit()

    assert (case.status, case.ua_number, case.slug) == (CaseStatus.DRAFT, "90.23", "mahmoud-hussein")
    assert [link.target.emails for link in case.target_links] == [["prosecutor@example.org"]]
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "case.imported"))
    assert (audit.case_id, audit.actor_label) == (case.id, "organiser@example.org")


def test_a_second_import_of_the_same_ua_number_is_refused_and_stores_nothing(db, make_case):
    case = make_case(ua_number="63.20")
    parsed = ParsedUrgentAction(ua_number="63/20", headline="Kazakh writer sentenced", people=[Person(name="Other")])

    with pytest.raises(DuplicateCase) as refused:
        create_draft_from_import(parsed, actor_label="organiser@example.org")
    db.session.rollback()

    assert refused.value.existing.case.id == case.id
    assert "63.20" in str(refused.value)
    assert _count(db, Case) == 1
    assert db.session.scalar(select(Case.slug).where(Case.id != case.id)) is None


def test_a_person_who_already_has_a_case_is_refused_unless_the_organiser_says_it_is_another_case(db, make_case):
    make_case(ua_number=None)
    parsed = ParsedUrgentAction(headline="Writer detained", people=[Person(name="Nagyz Muhammed")])

    with pytest.raises(DuplicateCase):
        create_draft_from_import(parsed, actor_label="organiser@example.org")
    db.session.rollback()
    assert _count(db, Case) == 1

    case = create_draft_from_import(parsed, actor_label="organiser@example.org", allow_duplicate=True)
    db.session.commit()
    assert _count(db, Case) == 2
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "case.imported"))
    assert audit.case_id == case.id and audit.details["despite_case"] != case.id


def test_a_follow_up_with_a_later_deadline_extends_the_case_through_extend_deadline(db, make_case):
    case = make_case(ua_number="63.20")
    old_deadline = case.deadline_on
    new_deadline = old_deadline + timedelta(days=30)
    parsed = ParsedUrgentAction(
        ua_number="63.20",
        follows_ua_number="63.20",
        is_follow_up=True,
        headline="Kazakh writer's sentence confirmed on appeal",
        asks=["Quash his conviction", "Let his family visit him"],
        targets=[Official(name="Ma Xinghua", title="President", organisation="Xinjiang High People's Court")],
        deadline=new_deadline,
    )

    entry = attach_follow_up(case, parsed, actor=ORGANISER)
    db.session.commit()

    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert _count(db, Case) == 1
    assert case.deadline_on == new_deadline
    kinds = [(e.kind, e.old_deadline_on, e.new_deadline_on) for e in case.timeline]
    assert (TimelineKind.DEADLINE_EXTENDED, old_deadline, new_deadline) in kinds
    assert entry.kind == TimelineKind.FOLLOW_UP and "confirmed on appeal" in entry.text
    assert [ask.text for ask in case.asks] == ["Quash his conviction", "Let his family visit him"]
    assert "Ma Xinghua" in {link.target.name for link in case.target_links}
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.case_id == case.id)))
    assert {"case.follow_up_attached", "case.deadline_extended"} <= actions


def test_a_follow_up_with_an_earlier_deadline_keeps_the_cases_deadline(db, make_case):
    case = make_case(ua_number="63.20")
    deadline = case.deadline_on
    parsed = ParsedUrgentAction(is_follow_up=True, follows_ua_number="63.20", deadline=deadline - timedelta(days=3))

    attach_follow_up(case, parsed, actor=ORGANISER)
    db.session.commit()

    assert case.deadline_on == deadline
    assert [entry.kind for entry in case.timeline] == [TimelineKind.FOLLOW_UP]


def test_an_outcome_closes_the_case_only_when_the_organiser_chooses_it(db, make_case):
    kept_open = make_case(ua_number="1.22")
    closed = make_case(ua_number="2.22")
    released = ParsedUrgentAction(is_follow_up=True, headline="Activist released", outcome="released")

    attach_follow_up(kept_open, released, actor=ORGANISER)
    attach_follow_up(closed, released, actor=ORGANISER, close_with_outcome="Released")
    db.session.commit()

    assert kept_open.status == CaseStatus.ACTIVE
    assert "Released" in kept_open.timeline[-1].text
    assert (closed.status, closed.outcome) == (CaseStatus.CLOSED, "Released")
    assert [entry.kind for entry in closed.timeline] == [TimelineKind.FOLLOW_UP, TimelineKind.CLOSED]


def test_closing_a_draft_through_a_follow_up_is_refused(db, make_case):
    draft = make_case(status=CaseStatus.DRAFT)
    with pytest.raises(CaseChangeRefused):
        attach_follow_up(draft, ParsedUrgentAction(outcome="released"), actor=ORGANISER, close_with_outcome="Released")
    db.session.rollback()
    assert db.session.get(Case, draft.id).status == CaseStatus.DRAFT
