"""The public JSON API of SPEC §4: answers, the error contract, and that refusals store nothing."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from campaign.actions.models import ActionReport, IdempotencyRecord
from campaign.cases.models import CaseStatus
from campaign.supporters.models import Subscription, Supporter


def stored_reports(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(ActionReport))


def stored_personal_rows(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Supporter)) + db.session.scalar(
        select(func.count()).select_from(Subscription)
    )


def post_report(client, slug: str, body, **kwargs):
    return client.post(f"/api/v1/cases/{slug}/actions", json=body, **kwargs)


VALID = {"action_type": "letter", "count": 3, "country": "KZ"}


def test_active_cases_are_listed_nearest_deadline_first_with_their_totals(client, make_case):
    later = make_case(deadline_on=date.today() + timedelta(days=20))
    sooner = make_case(deadline_on=date.today() + timedelta(days=2))
    make_case(status=CaseStatus.DRAFT)
    make_case(status=CaseStatus.CLOSED, outcome="released")
    post_report(client, later.slug, VALID)

    answer = client.get("/api/v1/cases")

    assert answer.status_code == 200
    cases = answer.get_json()["cases"]
    assert [case["slug"] for case in cases] == [sooner.slug, later.slug]
    assert cases[1] == {
        "slug": later.slug,
        "ua_number": later.ua_number,
        "headline": later.headline,
        "status": "active",
        "deadline": later.deadline_on.isoformat(),
        "total": 3,
    }


def test_closed_cases_are_listed_with_status_closed(client, make_case):
    make_case()
    closed = make_case(status=CaseStatus.CLOSED, outcome="released")

    cases = client.get("/api/v1/cases?status=closed").get_json()["cases"]

    assert [case["slug"] for case in cases] == [closed.slug]


@pytest.mark.parametrize("status", ["draft", "all", ""])
def test_listing_cases_in_another_status_is_refused(client, status):
    answer = client.get(f"/api/v1/cases?status={status}")

    assert answer.status_code == 400
    assert answer.get_json()["error"]["fields"] == {"status": "Must be active or closed."}


def test_case_detail_shows_people_targets_with_ids_and_roles_asks_and_languages(client, make_case):
    case = make_case()

    body = client.get(f"/api/v1/cases/{case.slug}").get_json()

    assert body["people"] == [{"name": "Nagyz Muhammed", "native_name": "纳吉兹·穆罕默德", "pronouns": "he/him"}]
    assert [(target["role"], target["name"]) for target in body["targets"]] == [
        ("target", "Wang Jiang"),
        ("copy", "Cui Tiankai"),
    ]
    assert all(isinstance(target["id"], int) for target in body["targets"])
    assert body["targets"][1]["emails"] == ["chinaembpress_us@mfa.gov.cn"]
    assert body["asks"][0] == "Release Nagyz Muhammed immediately and unconditionally"
    assert body["preferred_languages"] == ["zh", "en"]
    assert body["total"] == 0


@pytest.mark.parametrize("path", ["/api/v1/cases/{slug}", "/api/v1/cases/{slug}/totals"])
def test_a_draft_case_is_not_found(client, make_case, path):
    case = make_case(status=CaseStatus.DRAFT)

    answer = client.get(path.format(slug=case.slug))

    assert answer.status_code == 404
    assert answer.get_json()["error"]["code"] == "not_found"


def test_an_unknown_api_address_answers_json_not_found(client):
    answer = client.get("/api/v1/nothing-here")

    assert answer.status_code == 404
    assert answer.is_json
    assert set(answer.get_json()["error"]) == {"code", "message", "fields"}


def test_a_valid_report_is_stored_counted_and_added_to_the_total(client, db, make_case):
    case = make_case()
    target_id = case.target_links[0].target_id

    answer = post_report(client, case.slug, {**VALID, "target_id": target_id})

    assert answer.status_code == 201
    body = answer.get_json()
    assert body == {"id": body["id"], "counted": 3, "case_total": 3}
    report = db.session.get(ActionReport, body["id"])
    assert (report.action_type, report.count, report.country, report.target_id, report.source) == (
        "letter",
        3,
        "KZ",
        target_id,
        "api",
    )
    assert "Set-Cookie" not in answer.headers


def test_totals_break_the_counted_actions_down_by_type_country_and_target(client, make_case):
    case = make_case()
    target_id = case.target_links[0].target_id
    post_report(client, case.slug, {"action_type": "letter", "count": 3, "country": "KZ", "target_id": target_id})
    post_report(client, case.slug, {"action_type": "email", "count": 2, "country": "FR"})
    post_report(client, case.slug, {"action_type": "email", "count": 60, "country": "DE"})

    totals = client.get(f"/api/v1/cases/{case.slug}/totals").get_json()

    assert totals["total"] == 5
    assert totals["by_type"] == {"letter": 3, "email": 2}
    assert totals["by_country"] == {"KZ": 3}
    assert totals["other_countries"] == {"countries": 1, "actions": 2, "floor": 3}
    assert totals["countries"] == 2
    assert totals["by_target"] == {str(target_id): 3}
    assert totals["to_all_targets"] == 2
    assert totals["as_of"].endswith("+00:00")


def test_a_report_with_an_unusual_count_is_held_for_review_and_not_counted(client, db, make_case):
    case = make_case()

    answer = post_report(client, case.slug, {**VALID, "count": 50})

    assert answer.status_code == 201
    assert answer.get_json()["counted"] == 0
    assert answer.get_json()["case_total"] == 0
    assert db.session.scalars(select(ActionReport.review_state)).all() == ["flagged"]


def test_a_report_asking_for_reminders_stores_the_supporter_and_the_subscription(client, db, make_case):
    case = make_case()

    answer = post_report(
        client, case.slug, {**VALID, "name": "Aigerim", "email": "Aigerim@Example.org", "remind_me": True}
    )

    assert answer.status_code == 201
    supporter = db.session.scalar(select(Supporter))
    assert supporter.email == "aigerim@example.org"
    assert supporter.is_consenting_to_contact is True
    assert supporter.is_confirmed is False
    assert db.session.scalar(select(Subscription.case_id)) == case.id


LONG_NAME = "N" * 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**VALID, "action_type": "petition"}, "action_type"),
        ({**VALID, "action_type": None}, "action_type"),
        ({"count": 1, "country": "KZ"}, "action_type"),
        ({**VALID, "count": 0}, "count"),
        ({**VALID, "count": 101}, "count"),
        ({**VALID, "count": -4}, "count"),
        ({**VALID, "count": 2.5}, "count"),
        ({**VALID, "count": "5"}, "count"),
        ({**VALID, "count": True}, "count"),
        ({**VALID, "count": 10**40}, "count"),
        ({"action_type": "letter", "country": "KZ"}, "count"),
        ({**VALID, "country": "XX"}, "country"),
        ({**VALID, "country": "KAZ"}, "country"),
        ({**VALID, "country": "kz"}, "country"),
        ({**VALID, "country": 12}, "country"),
        ({**VALID, "country": ""}, "country"),
        ({**VALID, "target_id": 999_999}, "target_id"),
        ({**VALID, "target_id": "1"}, "target_id"),
        ({**VALID, "target_id": 2**70}, "target_id"),
        ({**VALID, "name": LONG_NAME}, "name"),
        ({**VALID, "name": "Nul\x00byte"}, "name"),
        ({**VALID, "name": ["a list"]}, "name"),
        ({**VALID, "email": "not-an-address"}, "email"),
        ({**VALID, "email": "a@b"}, "email"),
        ({**VALID, "email": 42}, "email"),
        ({**VALID, "remind_me": True}, "remind_me"),
        ({**VALID, "remind_me": "yes"}, "remind_me"),
        ({**VALID, "language": "not a language"}, "language"),
        ({**VALID, "language": ""}, "language"),
        ({**VALID, "language": "qkq-ltg-nFn7oS0W-fGg7M"}, "language"),
        ({**VALID, "group": "Not A Code!"}, "group"),
        ({**VALID, "group": ""}, "group"),
        ({**VALID, "supporter_ip": "1.2.3.4"}, "supporter_ip"),
    ],
)
def test_an_invalid_report_is_refused_with_the_field_named_and_nothing_stored(client, db, make_case, body, field):
    case = make_case()

    answer = post_report(client, case.slug, body)

    assert answer.status_code == 400
    error = answer.get_json()["error"]
    assert error["code"] == "invalid_report"
    assert field in error["fields"]
    assert stored_reports(db) == 0
    assert stored_personal_rows(db) == 0


def test_a_report_on_another_cases_target_is_refused(client, db, make_case):
    case = make_case()
    other = make_case()

    answer = post_report(client, case.slug, {**VALID, "target_id": other.target_links[0].target_id})

    assert answer.status_code == 400
    assert "target_id" in answer.get_json()["error"]["fields"]
    assert stored_reports(db) == 0


@pytest.mark.parametrize(
    ("data", "content_type", "status", "code"),
    [
        ("not json at all", "application/json", 400, "invalid_request"),
        ('{"action_type": "letter",', "application/json", 400, "invalid_request"),
        ("[1, 2, 3]", "application/json", 400, "invalid_request"),
        ('"a string"', "application/json", 400, "invalid_request"),
        ('{"action_type": "letter", "count": NaN, "country": "KZ"}', "application/json", 400, "invalid_request"),
        ("[" * 100_00 + "]" * 100_00, "application/json", 400, "invalid_request"),
        (b"\xff\xfe\x00garbage", "application/json", 400, "invalid_request"),
        (json.dumps(VALID), "text/plain", 415, "unsupported_media_type"),
        (json.dumps(VALID), "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        (json.dumps(VALID), None, 415, "unsupported_media_type"),
        (json.dumps({**VALID, "name": "x" * 70_000}), "application/json", 413, "body_too_large"),
    ],
)
def test_a_malformed_body_is_refused_with_the_right_status_and_nothing_stored(
    client, db, make_case, data, content_type, status, code
):
    case = make_case()
    headers = {"Content-Type": content_type} if content_type else {}

    answer = client.post(f"/api/v1/cases/{case.slug}/actions", data=data, headers=headers)

    assert answer.status_code == status
    assert answer.is_json
    assert answer.get_json()["error"]["code"] == code
    assert stored_reports(db) == 0


def test_reporting_on_an_unknown_case_is_not_found(client, db):
    answer = post_report(client, "no-such-case", VALID)

    assert answer.status_code == 404
    assert answer.get_json()["error"]["code"] == "not_found"
    assert stored_reports(db) == 0


def test_reporting_on_a_draft_case_is_not_found(client, db, make_case):
    case = make_case(status=CaseStatus.DRAFT)

    answer = post_report(client, case.slug, VALID)

    assert answer.status_code == 404
    assert stored_reports(db) == 0


def test_reporting_on_a_closed_case_is_gone(client, db, make_case):
    case = make_case(status=CaseStatus.CLOSED, outcome="released")

    answer = post_report(client, case.slug, VALID)

    assert answer.status_code == 410
    assert answer.get_json()["error"]["code"] == "case_closed"
    assert stored_reports(db) == 0


def test_a_wrong_method_answers_json_with_the_allowed_methods(client, make_case):
    case = make_case()

    answer = client.delete(f"/api/v1/cases/{case.slug}/actions")

    assert answer.status_code == 405
    assert answer.get_json()["error"]["code"] == "method_not_allowed"
    assert "POST" in answer.headers["Allow"]


def test_the_same_idempotency_key_replayed_returns_the_first_answer_and_stores_nothing_more(client, db, make_case):
    case = make_case()
    headers = {"Idempotency-Key": "phone-retry-7f3a"}

    first = post_report(client, case.slug, VALID, headers=headers)
    second = post_report(client, case.slug, VALID, headers=headers)

    assert first.status_code == second.status_code == 201
    assert second.get_json() == first.get_json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert stored_reports(db) == 1


def test_an_idempotency_key_reused_for_another_report_is_refused(client, db, make_case):
    case = make_case()
    headers = {"Idempotency-Key": "key-1"}
    post_report(client, case.slug, VALID, headers=headers)

    answer = post_report(client, case.slug, {**VALID, "count": 4}, headers=headers)

    assert answer.status_code == 409
    assert answer.get_json()["error"]["code"] == "idempotency_key_reused"
    assert stored_reports(db) == 1


def test_an_overlong_idempotency_key_is_refused(client, db, make_case):
    case = make_case()

    answer = post_report(client, case.slug, VALID, headers={"Idempotency-Key": "k" * 256})

    assert answer.status_code == 400
    assert "Idempotency-Key" in answer.get_json()["error"]["fields"]
    assert stored_reports(db) == 0


def test_the_same_idempotency_key_sent_ten_times_at_once_stores_one_report(app, client, db, make_case):
    case = make_case()
    slug = case.slug

    def send(_):
        with app.test_client() as own_client:
            return own_client.post(
                f"/api/v1/cases/{slug}/actions", json=VALID, headers={"Idempotency-Key": "burst-once"}
            )

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(send, range(10)))

    assert [answer.status_code for answer in answers] == [201] * 10
    assert len({answer.get_json()["id"] for answer in answers}) == 1
    assert stored_reports(db) == 1
    assert db.session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 1


def test_reports_beyond_the_rate_limit_are_refused_with_json_and_retry_after(app, client, db, make_case, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_REPORTS", "3 per minute")
    case = make_case()

    answers = [post_report(client, case.slug, VALID) for _ in range(4)]

    assert [answer.status_code for answer in answers] == [201, 201, 201, 429]
    assert answers[-1].get_json()["error"]["code"] == "rate_limited"
    assert 0 < int(answers[-1].headers["Retry-After"]) <= 60
    assert "X-RateLimit-Limit" not in answers[0].headers and "X-RateLimit-Remaining" not in answers[0].headers
    assert stored_reports(db) == 3


def test_the_default_report_limit_is_generous_for_a_school_behind_one_address(app):
    assert app.config["RATELIMIT_REPORTS"] == "120 per minute;2000 per day"


def test_answers_older_than_the_idempotency_window_are_forgotten_and_their_reports_kept(app, client, db, make_case):
    from datetime import UTC, datetime

    from campaign.actions.tasks import purge_idempotency_records

    case = make_case()
    post_report(client, case.slug, VALID, headers={"Idempotency-Key": "old-retry"})
    post_report(client, case.slug, VALID, headers={"Idempotency-Key": "fresh-retry"})
    old = db.session.scalar(select(IdempotencyRecord).order_by(IdempotencyRecord.id))
    old.created_at = datetime.now(UTC) - timedelta(hours=app.config["IDEMPOTENCY_KEY_TTL_HOURS"] + 1)
    db.session.commit()

    purge_idempotency_records.delay()

    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 1
    assert stored_reports(db) == 2
    replayed = post_report(client, case.slug, VALID, headers={"Idempotency-Key": "fresh-retry"})
    assert replayed.headers["Idempotent-Replayed"] == "true"
