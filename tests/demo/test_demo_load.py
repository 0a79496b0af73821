"""``flask --app wsgi demo load``: the seed documents as idempotent demo data."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from campaign.actions.models import ActionReport, ReportSource, ReviewState
from campaign.audit.models import AuditEntry
from campaign.cases.models import Case, CaseStatus, Target, TargetRole, TimelineKind
from campaign.database import utcnow
from campaign.demo.loader import load_demo
from campaign.supporters.models import Supporter

TODAY = date.today()


def dump_every_table(db) -> dict[str, list[tuple]]:
    """Every row of every table, sorted by primary key."""
    db.session.expire_all()
    return {
        table.name: [tuple(row) for row in db.session.execute(select(table).order_by(*table.primary_key.columns))]
        for table in db.metadata.sorted_tables
    }


def case_by_slug(db, slug: str) -> Case:
    return db.session.scalar(select(Case).where(Case.slug == slug))


def demo_reports(db) -> list[ActionReport]:
    return list(db.session.scalars(select(ActionReport)))


@pytest.fixture
def loaded(db):
    load_demo(today=TODAY)
    return db


def test_loading_twice_on_the_same_day_leaves_every_table_unchanged(db):
    first_summary = load_demo(today=TODAY)
    after_first = dump_every_table(db)

    second_summary = load_demo(today=TODAY)
    after_second = dump_every_table(db)

    assert after_second == after_first
    assert after_first["case"] and after_first["target"] and after_first["action_report"]
    assert "Nothing changed" in second_summary
    assert first_summary.startswith("Demo data: 8 cases (6 active, 1 closed, 1 draft)")


def test_only_the_run_that_changes_something_writes_an_audit_entry(db):
    load_demo(today=TODAY)
    load_demo(today=TODAY)

    entries = list(db.session.scalars(select(AuditEntry)))
    assert [(entry.action, entry.actor_label) for entry in entries] == [("demo.loaded", "command line")]
    assert entries[0].details["cases created"] == 8


def test_loading_on_a_later_day_moves_the_dates_and_adds_no_duplicates(db):
    load_demo(today=TODAY)
    before = {name: len(rows) for name, rows in dump_every_table(db).items()}

    load_demo(today=TODAY + timedelta(days=1))
    after = {name: len(rows) for name, rows in dump_every_table(db).items()}

    assert after["case"] == before["case"]
    assert after["target"] == before["target"]
    assert after["action_report"] == before["action_report"]
    assert after["audit_entry"] == before["audit_entry"] + 1
    assert case_by_slug(db, "zhanargul-zhumatai").deadline_on == TODAY + timedelta(days=3)


def test_urgent_action_63_20_has_its_real_targets_asks_and_model_letter(loaded):
    case = case_by_slug(loaded, "nagyz-muhammed")

    assert case.ua_number == "63.20"
    assert [person.name for person in case.people] == ["Nagyz Muhammed"]
    director, ambassador = (link.target for link in case.target_links)
    assert {link.role for link in case.target_links} == {TargetRole.TARGET}
    assert (director.name, director.title, director.salutation) == ("Wang Jiang", "Director", "Dear Director Wang")
    assert director.organisation == "Prison Administration Bureau of Xinjiang Uyghur Autonomous Region"
    assert director.address.splitlines()[0] == "No 380, Huanghe lu, Urumqi"
    assert (ambassador.name, ambassador.title, ambassador.salutation) == (
        "Cui Tiankai",
        "Ambassador",
        "Dear Ambassador",
    )
    assert ambassador.address == "3505 International Place NW\nWashington DC 20008"
    assert ambassador.emails == ["chinaembpress_us@mfa.gov.cn"]
    assert ambassador.faxes == ["202 495 2138"]
    assert ambassador.phones == ["202 495 2266"]
    assert [ask.text.split(",")[0] for ask in case.asks] == [
        "Disclose Nagyz Muhammed’s whereabouts",
        "Allow him access to his family and a lawyer of his choice",
        "Ensure he is not subjected to torture and other ill-treatment",
        "Release Nagyz Muhammed immediately and unconditionally",
    ]
    (letter,) = case.letters
    assert letter.language == "en"
    assert letter.for_target(ambassador).startswith("Dear Ambassador,\n\nI write to express my concern for Nagyz")
    assert letter.for_target(director).startswith("Dear Director Wang,\n\n")
    assert letter.body.rstrip().endswith("Yours sincerely,")


def test_zhanargul_zhumatai_case_has_her_native_name_target_copy_and_asks(loaded):
    case = case_by_slug(loaded, "zhanargul-zhumatai")

    (person,) = case.people
    assert (person.name, person.native_name, person.pronouns) == ("Zhanargul Zhumatai", "加娜古丽·朱马太", "she/her")
    assert case.preferred_languages == ["zh", "en"]
    (secretary,) = (link.target for link in case.links_in_role(TargetRole.TARGET))
    assert (secretary.name, secretary.title, secretary.salutation) == (
        "Ma Xingrui",
        "Party Secretary of Xinjiang",
        "Dear Secretary",
    )
    assert secretary.address.startswith("479 Zhongshan Lu, Tianshan Qu, Urumqi\n830041")
    (copy,) = (link.target for link in case.links_in_role(TargetRole.COPY))
    assert copy.organisation == "Urumqi Public Security Bureau Shayibake Branch"
    assert copy.address.startswith("4 Jingyi Lu, Urumqi")
    assert [ask.text.split(",")[0] for ask in case.asks] == [
        "Immediately release Zhanargul Zhumatai",
        "Pending her release",
        "Pending her release",
    ]
    assert case.letters[0].for_target(secretary).startswith("Dear Secretary,\n\nI am writing to express my concern")


def test_every_person_the_news_reports_name_as_detained_or_at_risk_has_a_case(loaded):
    people = {person.name for case in loaded.session.scalars(select(Case)) for person in case.people}

    for name in (
        "Adilgazy Muqai",
        "Baimurat Nauryzbek",
        "Murager Alimuly",
        "Qaster Musakhanuly",
        "Arzegul Halambek",
    ):
        assert name in people
    for case in loaded.session.scalars(select(Case)):
        assert case.asks and case.target_links and case.letters and case.story_markdown


def test_an_official_named_in_several_cases_is_one_reusable_target(loaded):
    zhang_xiao = loaded.session.scalars(select(Target).where(Target.name == "Zhang Xiao")).all()
    dilmanov = loaded.session.scalars(select(Target).where(Target.name == "Darkhan Dilmanov")).all()

    assert len(zhang_xiao) == 1
    assert len(zhang_xiao[0].case_links) >= 3
    assert len(dilmanov) == 1
    assert {link.case.slug for link in dilmanov[0].case_links} == {"murager-alimuly", "qaster-musakhanuly"}


def test_one_case_is_due_in_two_days_one_closed_with_outcome_one_draft_and_the_rest_active(loaded):
    cases = list(loaded.session.scalars(select(Case)))
    by_status = Counter(case.status for case in cases)

    assert by_status == {CaseStatus.ACTIVE: len(cases) - 2, CaseStatus.CLOSED: 1, CaseStatus.DRAFT: 1}
    active = [case for case in cases if case.status == CaseStatus.ACTIVE]
    assert [case.slug for case in active if case.deadline_on == TODAY + timedelta(days=2)] == ["zhanargul-zhumatai"]
    others = [(case.deadline_on - TODAY).days for case in active if case.slug != "zhanargul-zhumatai"]
    assert all(5 <= days <= 40 for days in others)
    assert len(set(others)) >= 4
    assert all(case.issued_on < TODAY for case in active)
    assert any(case.goal for case in active)

    (closed,) = (case for case in cases if case.status == CaseStatus.CLOSED)
    assert closed.outcome == "sentenced"
    assert closed.closed_at is not None and closed.closed_at <= utcnow()
    assert closed.timeline[-1].kind == TimelineKind.CLOSED


def test_reports_span_days_countries_types_targets_and_sources(loaded):
    reports = demo_reports(loaded)

    assert 300 <= len(reports) <= 600
    assert len({report.created_at.date() for report in reports}) >= 25
    assert len({report.country for report in reports}) >= 25
    assert len({report.action_type for report in reports}) == 6
    assert len({report.target_id for report in reports if report.target_id}) >= 5
    assert any(report.target_id is None for report in reports)
    assert {report.source for report in reports} == {ReportSource.WEB, ReportSource.API, ReportSource.EVENT}
    events = [report for report in reports if report.source == ReportSource.EVENT]
    assert all(report.group_code and report.count > 100 for report in events)
    countries = Counter(report.country for report in reports).most_common()
    assert countries[0][1] >= 5 * countries[-1][1]


def test_reports_are_in_the_past_and_within_each_case_s_life(loaded):
    now = utcnow()
    for report in demo_reports(loaded):
        assert report.created_at.tzinfo is not None
        assert report.created_at <= now
        assert report.case.status != CaseStatus.DRAFT
        if report.case.closed_at:
            assert report.created_at <= report.case.closed_at


def test_a_few_reports_are_held_for_review_with_a_reason(loaded):
    reports = demo_reports(loaded)
    flagged = [report for report in reports if report.review_state == ReviewState.FLAGGED]

    assert 1 <= len(flagged) <= len(reports) // 10
    assert all("above the review threshold" in report.review_reason for report in flagged)
    assert all(report.review_reason is None for report in reports if report.review_state == ReviewState.COUNTED)


def test_no_demo_report_carries_an_email_or_a_supporter(loaded):
    reports = demo_reports(loaded)

    assert all(report.supporter_id is None for report in reports)
    assert not any("@" in (report.supporter_name or "") for report in reports)
    assert loaded.session.scalar(select(func.count()).select_from(Supporter)) == 0
