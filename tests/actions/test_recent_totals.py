"""Recent activity in public (issue 16): the last 24 hours and the last 7 days beside the all-time total, on the
action page and in ``GET /api/v1/cases/<slug>/totals``, from the same rollup, small counts folded."""

from __future__ import annotations

from datetime import timedelta

from campaign.actions.models import ActionReport, ReportSource
from campaign.actions.rollup import run_rollup
from campaign.database import utc_today


def add_reports(db, case, counts_by_days_ago: dict[int, int]) -> None:
    today = utc_today()
    for days_ago, count in counts_by_days_ago.items():
        db.session.add(
            ActionReport(
                case_id=case.id,
                action_type="letter",
                count=count,
                country="KZ",
                source=ReportSource.WEB,
                acted_on=today - timedelta(days=days_ago),
            )
        )
    db.session.commit()


def test_totals_answer_and_action_page_show_the_last_24_hours_and_7_days_before_and_after_the_rollup(
    client, db, make_case
):
    case = make_case()
    add_reports(db, case, {0: 5, 1: 4, 2: 6, 7: 3, 8: 20})
    seen = []
    for rolled_up in (False, True):
        if rolled_up:
            run_rollup()
            db.session.commit()
        body = client.get(f"/api/v1/cases/{case.slug}/totals").get_json()
        seen.append((body["total"], body["last_24h"], body["last_7d"]))
        page = client.get(f"/cases/{case.slug}").get_data(as_text=True)
        assert "9 in the last 24 hours" in page
        assert "18 in the last 7 days" in page

    assert seen == [(38, 9, 18), (38, 9, 18)]


def test_recent_counts_under_the_floor_are_folded_like_small_countries(client, db, make_case):
    case = make_case()
    add_reports(db, case, {0: 1, 5: 1, 30: 40})

    body = client.get(f"/api/v1/cases/{case.slug}/totals").get_json()
    page = client.get(f"/cases/{case.slug}").get_data(as_text=True)

    assert (body["total"], body["last_24h"], body["last_7d"]) == (42, 0, 0)
    assert "Fewer than 3 in the last 24 hours" in page
    assert "Fewer than 3 in the last 7 days" in page


def test_the_openapi_document_describes_the_recent_totals(client):
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Totals"]
    assert {"last_24h", "last_7d"} <= set(schema["required"])
    assert schema["properties"]["last_24h"]["type"] == "integer"
    assert schema["properties"]["last_7d"]["minimum"] == 0
