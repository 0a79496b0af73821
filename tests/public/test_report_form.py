"""The action page's report form: labels, CSRF, the shared validation, the thank-you page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from campaign.actions.models import ActionReport, IdempotencyRecord
from campaign.cases.models import CaseStatus
from campaign.supporters.models import Subscription, Supporter
from tests.public.forms import report_form_data

SPEC_LABELS = [
    "Action type",
    "Target",
    "Number of actions",
    "Country",
    "Name",
    "Email",
    "Remind me before the deadline",
]


VALID_ANSWERS = {"action_type": "letter", "count": 1, "country": "KZ"}


def reports(db) -> list[ActionReport]:
    db.session.expire_all()
    return list(db.session.scalars(select(ActionReport)))


def test_every_form_control_has_the_visible_label_the_spec_names(client, make_case):
    page = client.get(f"/cases/{make_case().slug}").get_data(as_text=True)

    labels = {
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(r"<label[^>]*for=\"[^\"]+\"[^>]*>(.*?)</label>", page, re.S)
    }
    for label in SPEC_LABELS:
        assert label in labels


def test_a_report_through_the_form_is_stored_and_the_thank_you_page_shows_the_new_total(client, db, make_case):
    case = make_case()
    target_id = case.target_links[0].target_id
    data = report_form_data(client, case.slug, action_type="email", target_id=target_id, count=4, country="DE")

    answer = client.post(f"/cases/{case.slug}/report", data=data)

    assert answer.status_code == 303
    assert answer.headers["Location"].startswith(f"/cases/{case.slug}/thanks")
    [report] = reports(db)
    assert (report.action_type, report.count, report.country, report.target_id, report.source) == (
        "email",
        4,
        "DE",
        target_id,
        "web",
    )
    thanks = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert re.search(r"\b4\b", thanks)


def test_a_double_clicked_form_stores_one_report(client, db, make_case):
    case = make_case()
    data = report_form_data(client, case.slug, action_type="letter", count=2, country="KZ")

    first = client.post(f"/cases/{case.slug}/report", data=data)
    second = client.post(f"/cases/{case.slug}/report", data=data)

    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert len(reports(db)) == 1


def test_a_form_sent_again_with_other_answers_is_refused_and_keeps_the_first_report(client, db, make_case):
    case = make_case()
    data = report_form_data(client, case.slug, action_type="letter", count=2, country="KZ")

    first = client.post(f"/cases/{case.slug}/report", data=data)
    changed = client.post(f"/cases/{case.slug}/report", data={**data, "count": "3"})

    assert first.status_code == 303
    assert changed.status_code == 409
    assert "already sent with other answers" in changed.get_data(as_text=True)
    assert [report.count for report in reports(db)] == [2]
    remembered = db.session.scalars(select(IdempotencyRecord)).one()
    assert remembered.response_body == {"id": reports(db)[0].id, "counted": 2}


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://hostile.example"},
        {"Sec-Fetch-Site": "same-site", "Origin": "https://other.localhost"},
        {"Origin": "https://hostile.example"},
        {"Origin": "null"},
    ],
    ids=["cross-site", "same-site", "origin-only", "sandboxed"],
)
def test_a_form_posted_by_a_page_of_another_site_is_refused_and_nothing_stored(client, db, make_case, headers):
    case = make_case()
    data = report_form_data(client, case.slug, action_type="letter", count=2, country="KZ")

    answer = client.post(f"/cases/{case.slug}/report", data=data, headers=headers)

    assert answer.status_code == 403
    assert reports(db) == []


def test_a_form_posted_from_the_action_page_itself_is_stored_without_a_token_or_cookie(client, db, make_case):
    case = make_case()
    data = report_form_data(client, case.slug, action_type="letter", count=2, country="KZ")

    answer = client.post(
        f"/cases/{case.slug}/report",
        data=data,
        headers={"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
    )

    assert "csrf_token" not in data
    assert answer.status_code == 303
    assert "Set-Cookie" not in answer.headers
    assert len(reports(db)) == 1


def test_an_invalid_count_shows_the_error_at_the_field_and_stores_nothing(client, db, make_case):
    case = make_case()
    data = report_form_data(client, case.slug, action_type="letter", count="lots", country="KZ")

    answer = client.post(f"/cases/{case.slug}/report", data=data)

    assert answer.status_code == 400
    assert "Must be a whole number from 1 to 100." in answer.get_data(as_text=True)
    assert reports(db) == []


def test_a_refused_report_shows_the_form_again_with_the_country_and_target_chosen(client, db, make_case):
    case = make_case()
    target_id = case.target_links[0].target_id
    data = report_form_data(client, case.slug, action_type="letter", count="lots", country="KZ", target_id=target_id)

    page = client.post(f"/cases/{case.slug}/report", data=data).get_data(as_text=True)
    fresh = client.get(f"/cases/{case.slug}").get_data(as_text=True)

    assert re.findall(r"<option selected value=\"([^\"]*)\"", page) == ["letter", str(target_id), "KZ"]
    assert set(re.findall(r"<option selected value=\"([^\"]*)\"", fresh)) <= {""}
    assert fresh.count("<option ") == page.count("<option ") > 240


def test_asking_for_reminders_without_an_email_is_refused(client, db, make_case):
    case = make_case()
    data = report_form_data(client, case.slug, action_type="letter", count=1, country="KZ", remind_me="y")

    answer = client.post(f"/cases/{case.slug}/report", data=data)

    assert answer.status_code == 400
    assert "Give an email address to be reminded." in answer.get_data(as_text=True)
    assert reports(db) == []
    assert db.session.scalar(select(func.count()).select_from(Supporter)) == 0


def test_asking_for_reminders_with_an_email_stores_the_consent(client, db, make_case):
    case = make_case()
    data = report_form_data(
        client, case.slug, action_type="call", count=1, country="FR", email="reader@example.org", remind_me="y"
    )

    answer = client.post(f"/cases/{case.slug}/report", data=data)

    assert answer.status_code == 303
    assert db.session.scalar(select(Subscription.case_id)) == case.id


def test_a_group_link_carries_its_code_into_the_report(client, db, make_case):
    case = make_case()
    data = report_form_data(
        client, case.slug, query="?group=Almaty-School-12", action_type="letter", count=30, country="KZ"
    )

    client.post(f"/cases/{case.slug}/report", data=data)

    assert [report.group_code for report in reports(db)] == ["almaty-school-12"]


def test_a_closed_case_shows_its_outcome_instead_of_the_form_and_refuses_reports(client, db, make_case):
    case = make_case(status=CaseStatus.CLOSED, outcome="Released on 3 May")
    page = client.get(f"/cases/{case.slug}").get_data(as_text=True)
    data = report_form_data(client, make_case().slug, action_type="letter", count=1, country="KZ")

    answer = client.post(f"/cases/{case.slug}/report", data=data)

    assert "Released on 3 May" in page
    assert 'name="count"' not in page
    assert answer.status_code == 410
    assert reports(db) == []


def test_a_draft_case_has_no_public_page(client, make_case):
    case = make_case(status=CaseStatus.DRAFT)
    data = report_form_data(client, make_case().slug, action_type="letter", count=1, country="KZ")

    assert client.get(f"/cases/{case.slug}").status_code == 404
    assert client.post(f"/cases/{case.slug}/report", data=data).status_code == 404


def test_the_list_shows_active_cases_nearest_deadline_first_with_their_totals(client, make_case):
    from datetime import date, timedelta

    later = make_case(headline="Later case", deadline_on=date.today() + timedelta(days=30))
    sooner = make_case(headline="Sooner case", deadline_on=date.today() + timedelta(days=2))
    make_case(headline="Hidden draft", status=CaseStatus.DRAFT)

    page = client.get("/").get_data(as_text=True)

    assert page.index(sooner.headline) < page.index(later.headline)
    assert "Hidden draft" not in page


def test_a_form_beyond_the_rate_limit_gets_a_page_that_says_when_to_try_again(app, client, db, make_case, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_REPORTS", "2 per minute")
    case = make_case()
    answers = [
        client.post(f"/cases/{case.slug}/report", data=report_form_data(client, case.slug, **VALID_ANSWERS))
        for _ in range(3)
    ]

    assert [answer.status_code for answer in answers] == [303, 303, 429]
    assert 0 < int(answers[-1].headers["Retry-After"]) <= 60
    assert "Please wait a minute" in answers[-1].get_data(as_text=True)
    assert len(reports(db)) == 2
