"""Cases in the console: create, edit, targets, letters, publish, extend, close (import: tests/cases)."""

from __future__ import annotations

from datetime import date, timedelta

from campaign.audit.models import AuditEntry
from campaign.cases.models import Case, CaseStatus, Target, TimelineEntry, TimelineKind
from tests.accounts.helpers import csrf_token


def _post(client, path: str, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, "/console/cases"), **data})


def _case(db, case_id: int) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case_id)


def test_organiser_creates_a_draft_adds_a_target_and_letter_and_publishes_it(organiser_client, db, make_target):
    client = organiser_client
    created = _post(
        client,
        "/console/cases/new",
        headline="Poet detained for her songs",
        people="Aisha Example | 艾莎 | she/her",
        asks="Release her\nLet her see her family",
        preferred_languages="zh, en",
        deadline_on=(date.today() + timedelta(days=20)).isoformat(),
        goal="500",
    )
    assert created.status_code == 303
    case = db.session.scalar(db.select(Case).where(Case.headline == "Poet detained for her songs"))
    assert case.status == CaseStatus.DRAFT
    assert [ask.text for ask in case.asks] == ["Release her", "Let her see her family"]
    assert (case.people[0].native_name, case.people[0].pronouns) == ("艾莎", "she/her")

    assert client.get(f"/cases/{case.slug}").status_code == 404
    refused = _post(client, f"/console/cases/{case.id}/publish")
    assert refused.status_code == 303
    assert _case(db, case.id).status == CaseStatus.DRAFT

    stored = make_target(name="Chen Quanguo", title="Party Secretary", organisation=None)
    assert client.get(f"/console/cases/{case.id}/targets?q=Quanguo").get_data(as_text=True).count("Chen Quanguo") >= 1
    assert (
        _post(client, f"/console/cases/{case.id}/targets/link", target_id=str(stored.id), role="target").status_code
        == 303
    )
    assert (
        _post(
            client,
            f"/console/cases/{case.id}/targets/new",
            name="Embassy Press Office",
            role="copy",
            emails="press@embassy.example.org",
            salutation="Dear Sir or Madam",
        ).status_code
        == 303
    )
    assert (
        _post(
            client, f"/console/cases/{case.id}/letters", language="en", body="Dear Secretary,\nRelease her."
        ).status_code
        == 303
    )
    case = _case(db, case.id)
    assert [(link.target.name, link.role) for link in case.target_links] == [
        ("Chen Quanguo", "target"),
        ("Embassy Press Office", "copy"),
    ]
    assert case.letters[0].body == "Release her."

    assert _post(client, f"/console/cases/{case.id}/publish").status_code == 303
    assert _case(db, case.id).status == CaseStatus.ACTIVE
    assert client.get(f"/cases/{case.slug}").status_code == 200


def test_extending_the_deadline_keeps_old_and_new_dates_in_the_timeline(organiser_client, db, make_case):
    case = make_case()
    old = case.deadline_on
    new = old + timedelta(days=14)
    assert (
        _post(organiser_client, f"/console/cases/{case.id}/deadline", new_deadline=new.isoformat()).status_code == 303
    )
    case = _case(db, case.id)
    assert case.deadline_on == new
    entry = case.timeline[-1]
    assert (entry.kind, entry.old_deadline_on, entry.new_deadline_on) == (TimelineKind.DEADLINE_EXTENDED, old, new)
    earlier = _post(
        organiser_client, f"/console/cases/{case.id}/deadline", new_deadline=(new - timedelta(days=1)).isoformat()
    )
    assert earlier.status_code == 303
    assert _case(db, case.id).deadline_on == new


def test_closing_a_case_records_the_outcome_and_stops_reports(organiser_client, db, make_case):
    case = make_case()
    assert _post(organiser_client, f"/console/cases/{case.id}/close", outcome="").status_code == 303
    assert _case(db, case.id).status == CaseStatus.ACTIVE
    assert _post(organiser_client, f"/console/cases/{case.id}/close", outcome="Released on bail").status_code == 303
    case = _case(db, case.id)
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, "Released on bail")
    assert case.closed_at is not None
    assert (
        db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "case.closed")).actor_label
        == "organiser@example.org"
    )


def test_editing_a_case_changes_its_text_and_is_audited(organiser_client, db, make_case):
    case = make_case()
    page = organiser_client.get(f"/console/cases/{case.id}/edit")
    assert page.status_code == 200
    response = _post(
        organiser_client,
        f"/console/cases/{case.id}/edit",
        headline="New headline",
        story_markdown="**Bold** story",
        asks="One ask",
        people="Nagyz Muhammed | 纳吉兹·穆罕默德 | he/him",
    )
    assert response.status_code == 303
    case = _case(db, case.id)
    assert (case.headline, [a.text for a in case.asks]) == ("New headline", ["One ask"])
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "case.edited")) is not None


def test_bad_case_input_is_refused_and_stores_nothing(organiser_client, db):
    response = _post(organiser_client, "/console/cases/new", headline="", goal="-3", preferred_languages="not a code!")
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 0


def test_targets_are_found_not_duplicated(organiser_client, db, make_case):
    case = make_case()
    existing = case.target_links[0].target
    _post(
        organiser_client,
        f"/console/cases/{case.id}/targets/new",
        name=existing.name,
        organisation=existing.organisation,
        role="target",
    )
    assert db.session.scalar(db.select(db.func.count()).select_from(Target).where(Target.name == existing.name)) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(TimelineEntry)) == 0


def test_a_new_target_keeps_its_name_in_its_own_language_stripped(organiser_client, db, make_case):
    case = make_case()
    form = organiser_client.get(f"/console/cases/{case.id}/targets").get_data(as_text=True)
    assert 'name="name_in_own_language"' in form

    response = _post(
        organiser_client,
        f"/console/cases/{case.id}/targets/new",
        name="Ma Xingrui",
        title="Party Secretary of Xinjiang",
        name_in_own_language="  新疆维吾尔自治区党委书记 马兴瑞  ",
        role="target",
    )

    assert response.status_code == 303
    target = db.session.scalar(db.select(Target).where(Target.name == "Ma Xingrui"))
    assert target.name_in_own_language == "新疆维吾尔自治区党委书记 马兴瑞"
    assert [link.target.name for link in _case(db, case.id).target_links][-1] == "Ma Xingrui"


def test_an_empty_name_in_its_own_language_is_none(organiser_client, db, make_case):
    case = make_case()
    _post(
        organiser_client,
        f"/console/cases/{case.id}/targets/new",
        name="Ma Xingrui",
        name_in_own_language="   ",
        role="target",
    )

    assert db.session.scalar(db.select(Target.name_in_own_language).where(Target.name == "Ma Xingrui")) is None


def test_a_name_in_its_own_language_with_a_control_character_is_refused_and_stores_nothing(
    organiser_client, db, make_case
):
    case = make_case()
    targets_before = db.session.scalar(db.select(db.func.count()).select_from(Target))

    response = _post(
        organiser_client,
        f"/console/cases/{case.id}/targets/new",
        name="Ma Xingrui",
        name_in_own_language="马兴瑞\x07",
        role="target",
    )

    assert response.status_code == 303
    page = organiser_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Name in their own language: Must not contain control characters." in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Target)) == targets_before
    assert len(_case(db, case.id).target_links) == 2


def test_a_name_in_its_own_language_over_300_characters_is_refused(organiser_client, db, make_case):
    case = make_case()

    _post(
        organiser_client,
        f"/console/cases/{case.id}/targets/new",
        name="Ma Xingrui",
        name_in_own_language="马" * 301,
        role="target",
    )

    assert db.session.scalar(db.select(Target).where(Target.name == "Ma Xingrui")) is None


def test_a_new_target_typed_in_the_console_is_named_in_its_own_language_in_the_figures_in_that_language(
    organiser_client, client, db, make_case
):
    case = make_case()
    _post(
        organiser_client,
        f"/console/cases/{case.id}/targets/new",
        name="Ma Xingrui",
        title="Party Secretary of Xinjiang",
        name_in_own_language="新疆维吾尔自治区党委书记 马兴瑞",
        preferred_language="zh",
        role="target",
    )
    target = db.session.scalar(db.select(Target).where(Target.name == "Ma Xingrui"))
    assert target.preferred_language == "zh"

    chinese = client.get(f"/cases/{case.slug}/figures?lang=zh&target={target.id}").get_data(as_text=True)
    english = client.get(f"/cases/{case.slug}/figures?lang=en&target={target.id}").get_data(as_text=True)

    assert "新疆维吾尔自治区党委书记 马兴瑞" in chinese
    assert "新疆维吾尔自治区党委书记 马兴瑞" not in english


def test_a_new_target_with_a_language_that_is_not_a_code_is_refused_and_stores_nothing(organiser_client, db, make_case):
    case = make_case()
    targets_before = db.session.scalar(db.select(db.func.count()).select_from(Target))

    response = _post(
        organiser_client,
        f"/console/cases/{case.id}/targets/new",
        name="Ma Xingrui",
        preferred_language="Chinese please",
        role="target",
    )

    page = organiser_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Their language: Must be a language code such as en or zh." in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Target)) == targets_before
