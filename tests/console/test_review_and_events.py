"""Review queue, automatic flagging rules, event tallies and groups, CSV export, audit log, dashboards."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from campaign.actions.models import ActionReport, ReportSource, ReviewState
from campaign.actions.review import start_review
from campaign.actions.totals import case_total
from campaign.actions.validation import ReportInput
from campaign.audit.models import AuditEntry
from campaign.console.export import escape_cell
from tests.accounts.helpers import csrf_token

#: The console blueprints of cases, reports, the audit log and accounts, and the console's own.
OWN_BLUEPRINTS = ("console.", "case_workspace.", "actions_console.", "audit_console.", "accounts_console.")


def _post(client, path: str, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, "/console/cases"), **data})


def _report(db, case, **values) -> ActionReport:
    fields = {
        "action_type": "letter",
        "count": 1,
        "country": "FR",
        "source": "web",
        "review_state": ReviewState.COUNTED,
    }
    report = ActionReport(case_id=case.id, **{**fields, **values})
    db.session.add(report)
    db.session.commit()
    return report


def test_accepting_a_flagged_report_counts_it_and_rejecting_keeps_it_out(organiser_client, db, make_case):
    case = make_case()
    held = _report(db, case, count=50, review_state=ReviewState.FLAGGED, review_reason="count 50")
    other = _report(db, case, count=40, review_state=ReviewState.FLAGGED, review_reason="count 40")
    page = organiser_client.get("/console/review").get_data(as_text=True)
    assert "count 50" in page and "count 40" in page
    assert case_total(case.id) == 0
    accepted = _post(
        organiser_client,
        "/console/review/decisions",
        report_ids=str(held.id),
        decision="counted",
        reason="School class",
    )
    assert accepted.status_code == 303
    rejected = _post(
        organiser_client, "/console/review/decisions", report_ids=str(other.id), decision="rejected", reason="Spam"
    )
    assert rejected.status_code == 303
    db.session.expire_all()
    assert (
        db.session.get(ActionReport, held.id).review_state,
        db.session.get(ActionReport, other.id).review_state,
    ) == ("counted", "rejected")
    assert case_total(case.id) == 50
    decisions = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action.like("report.%"))).all()
    assert {entry.actor_label for entry in decisions} == {"organiser@example.org"}


def test_flagging_a_report_by_hand_takes_it_out_of_the_total(organiser_client, db, make_case):
    case = make_case()
    report = _report(db, case, count=3)
    assert case_total(case.id) == 3
    assert _post(organiser_client, f"/console/reports/{report.id}/flag", reason="Looks odd").status_code == 303
    db.session.expire_all()
    assert db.session.get(ActionReport, report.id).review_state == ReviewState.FLAGGED
    assert case_total(case.id) == 0


def test_the_same_address_reporting_too_often_is_flagged(app, db, make_case):
    case = make_case()
    limit = app.config["REVIEW_REPEAT_ADDRESS_LIMIT"]
    for _ in range(limit):
        _report(db, case, address_fingerprint="f" * 32)
    report = ReportInput("letter", 1, "FR", None, None, None, False, None, None)
    with app.test_request_context():
        state, reason = start_review(report, ReportSource.WEB, case_id=case.id, address_fingerprint="f" * 32).decided()
        assert state == ReviewState.FLAGGED and "network address" in reason
        assert (
            start_review(report, ReportSource.WEB, case_id=case.id, address_fingerprint="e" * 32).decided()[0]
            == "counted"
        )
        other_type = ReportInput("email", 1, "FR", None, None, None, False, None, None)
        assert (
            start_review(other_type, ReportSource.WEB, case_id=case.id, address_fingerprint="f" * 32).decided()[0]
            == "counted"
        )
        assert (
            start_review(report, ReportSource.EVENT, case_id=case.id, address_fingerprint="f" * 32).decided()[0]
            == "counted"
        )
        big = ReportInput("letter", 50, "FR", None, None, None, False, None, None)
        assert start_review(big, ReportSource.WEB).decided()[1].startswith("count 50")


def test_an_event_tally_goes_through_validation_with_the_event_date(organiser_client, db, make_case):
    case = make_case()
    held_on = date.today() - timedelta(days=3)
    response = _post(
        organiser_client,
        f"/console/cases/{case.id}/events",
        action_type="letter",
        count="120",
        country="KZ",
        held_on=held_on.isoformat(),
        group="almaty-school-12",
    )
    assert response.status_code == 303
    tally = db.session.scalar(db.select(ActionReport))
    assert (tally.source, tally.count, tally.country, tally.acted_on, tally.group_code, tally.review_state) == (
        "event",
        120,
        "KZ",
        held_on,
        "almaty-school-12",
        "counted",
    )
    page = organiser_client.get(f"/console/cases/{case.id}/events").get_data(as_text=True)
    assert "almaty-school-12" in page and "120" in page
    link = organiser_client.get(f"/console/cases/{case.id}/events?group=almaty-school-12").get_data(as_text=True)
    assert f"/cases/{case.slug}?group=almaty-school-12" in link


def test_bad_event_tallies_are_refused_and_store_nothing(organiser_client, db, make_case):
    case = make_case()
    today = date.today().isoformat()
    for fields in (
        {"count": "100001", "country": "KZ", "held_on": today},
        {"count": "10", "country": "XX", "held_on": today},
        {"count": "10", "country": "KZ", "held_on": (date.today() + timedelta(days=2)).isoformat()},
        {"count": "10", "country": "KZ", "held_on": today, "group": "Not A Code!"},
        {"count": "ten", "country": "KZ", "held_on": today},
    ):
        response = _post(organiser_client, f"/console/cases/{case.id}/events", action_type="letter", **fields)
        assert response.status_code == 400, fields
    assert db.session.scalar(db.select(db.func.count()).select_from(ActionReport)) == 0


def test_csv_export_has_no_personal_data_and_escapes_formulas(organiser_client, db, make_case):
    case = make_case(ua_number="=1+1")
    _report(db, case, supporter_name="Secret Supporter", address_fingerprint="a" * 32, group_code="school-1")
    response = _post(organiser_client, "/console/export.csv", case_id=str(case.id))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert "Secret Supporter" not in body and "a" * 32 not in body
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "report_id" and len(rows) == 2
    assert rows[1][2] == "'=1+1"
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "reports.exported")) is not None


def test_every_formula_trigger_is_escaped():
    for text in ("=cmd", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert escape_cell(text) == "'" + text
    assert escape_cell("Almaty") == "Almaty"
    assert escape_cell(12) == "12"


def test_audit_log_filters_by_actor_and_case(organiser_client, db, make_case):
    first, second = make_case(), make_case()
    _post(organiser_client, f"/console/cases/{first.id}/close", outcome="Released")
    page = organiser_client.get(f"/console/audit?case={first.id}").get_data(as_text=True)
    assert "case.closed" in page and "login.succeeded" not in page
    page = organiser_client.get(f"/console/audit?case={second.id}").get_data(as_text=True)
    assert "case.closed" not in page
    page = organiser_client.get("/console/audit?actor=organiser@").get_data(as_text=True)
    assert "login.succeeded" in page and "case.closed" in page
    assert "case.closed" not in organiser_client.get("/console/audit?actor=someone-else").get_data(as_text=True)


def test_dashboard_shows_charts_with_their_tables_on_demo_data(organiser_client, db):
    from campaign.demo.loader import load_demo

    load_demo(today=date.today())
    page = organiser_client.get("/console/").get_data(as_text=True)
    charts = re.findall(r'<svg class="chart" id="([^"]+)" role="img"', page)
    assert len(charts) >= 2
    assert page.count('<table class="console-table">') >= len(charts)
    assert "toronto-writers-circle" in page or "berlin-group-21" in page
    assert "<script" not in page.split("</head>")[1]
    assert " style=" not in page
    case_page = organiser_client.get("/console/cases/1").get_data(as_text=True)
    assert len(re.findall(r'<svg class="chart"', case_page)) >= 2
    review = organiser_client.get("/console/review").get_data(as_text=True)
    assert "above the review threshold" in review


def test_every_console_post_needs_a_csrf_token(organiser_client, app, make_case, db):
    case = make_case()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/console") and "POST" in rule.methods and rule.endpoint.startswith(OWN_BLUEPRINTS):
            url = re.sub(r"<int:\w+>", str(case.id), rule.rule)
            response = organiser_client.post(url, data={})
            assert response.status_code == 400, url


def test_a_class_reporting_from_one_school_address_is_still_counted(client, db, make_case):
    """Thirty pupils writing to the same official from one address within the hour are not held."""
    case = make_case()

    answers = [
        client.post(f"/api/v1/cases/{case.slug}/actions", json={"action_type": "letter", "count": 1, "country": "KZ"})
        for _ in range(30)
    ]

    assert {answer.get_json()["counted"] for answer in answers} == {1}


def test_the_same_email_reporting_too_often_through_the_api_is_held(app, client, db, make_case):
    case = make_case()
    body = {"action_type": "letter", "count": 1, "country": "KZ", "email": "repeat@example.org"}
    limit = app.config["REVIEW_REPEAT_LIMIT"]

    answers = [client.post(f"/api/v1/cases/{case.slug}/actions", json=body) for _ in range(limit + 1)]

    assert [answer.get_json()["counted"] for answer in answers] == [1] * limit + [0]
