"""Recent activity in public: the counted actions received in the last 24 hours and the last 7 days, beside the
all-time total, on the action page and in ``GET /api/v1/cases/<slug>/totals``; to the hour, from the same rollup
and watermark as every total, equal to a recount of the reports by when they were received, small counts folded."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import func, select, update

from campaign.actions.models import ActionReport, ReportSource, ReviewState
from campaign.actions.recent import HOURLY_KEPT_HOURS, kept_from, prune_hourly, start_of_hour
from campaign.actions.review import change_review_state
from campaign.actions.rollup import lock_watermark, rebuild_totals, recount, run_rollup
from campaign.actions.rollup_models import ActionTotalHourly, ReviewAdjustment
from campaign.actions.totals import RecentTotals, case_total, recent_totals
from campaign.database import utcnow


def receive(db, case, hours_ago: float, count: int, *, acted_days_ago: int = 0, state=ReviewState.COUNTED):
    """A report received ``hours_ago`` about actions taken ``acted_days_ago``."""
    now = utcnow()
    report = ActionReport(
        case_id=case.id,
        action_type="letter",
        count=count,
        country="KZ",
        source=ReportSource.WEB,
        review_state=state,
        acted_on=(now - timedelta(days=acted_days_ago)).date(),
        created_at=now - timedelta(hours=hours_ago),
    )
    db.session.add(report)
    db.session.commit()
    return report


def roll_up(db) -> None:
    run_rollup(wait=True)
    db.session.commit()


def recounted(db, case) -> RecentTotals:
    """The recent totals as a plain count of the counted reports by when they were received, to the hour."""
    hour = start_of_hour(utcnow())

    def received_since(hours: int) -> int:
        return db.session.scalar(
            select(func.coalesce(func.sum(ActionReport.count), 0)).where(
                ActionReport.case_id == case.id,
                ActionReport.review_state == ReviewState.COUNTED,
                ActionReport.created_at >= hour - timedelta(hours=hours - 1),
            )
        )

    return RecentTotals(last_24h=received_since(24), last_7d=received_since(7 * 24))


def hourly_rows(db, case) -> dict:
    db.session.expire_all()
    rows = db.session.execute(
        select(ActionTotalHourly.received_hour, ActionTotalHourly.count).where(ActionTotalHourly.case_id == case.id)
    )
    return {received_hour: count for received_hour, count in rows if count}


def test_totals_answer_and_action_page_show_the_last_24_hours_and_7_days_before_and_after_the_rollup(
    client, db, make_case
):
    case = make_case()
    for hours_ago, count in {0: 5, 2: 4, 22: 6, 30: 3, 100: 3, 200: 20}.items():
        receive(db, case, hours_ago, count)
    seen = []
    for rolled_up in (False, True):
        if rolled_up:
            roll_up(db)
        body = client.get(f"/api/v1/cases/{case.slug}/totals").get_json()
        seen.append((body["total"], body["last_24h"], body["last_7d"]))
        page = client.get(f"/cases/{case.slug}").get_data(as_text=True)
        assert "15 in the last 24 hours" in page
        assert "21 in the last 7 days" in page

    assert seen == [(41, 15, 21), (41, 15, 21)]


def test_a_report_received_25_hours_ago_is_in_the_last_7_days_not_the_last_24_hours(db, make_case):
    case = make_case()
    receive(db, case, 25, 4)

    before = recent_totals(case.id)
    roll_up(db)

    assert before == recent_totals(case.id) == recounted(db, case) == RecentTotals(last_24h=0, last_7d=4)


def test_a_report_received_now_about_actions_ten_days_ago_is_in_the_last_24_hours(db, make_case):
    case = make_case()
    receive(db, case, 0, 6, acted_days_ago=10)

    before = recent_totals(case.id)
    roll_up(db)

    assert before == recent_totals(case.id) == RecentTotals(last_24h=6, last_7d=6)


def test_reports_received_more_than_7_days_ago_are_in_the_total_only(db, make_case):
    case = make_case()
    receive(db, case, 24 * 7 + 2, 9, acted_days_ago=0)
    roll_up(db)

    assert recent_totals(case.id) == RecentTotals(0, 0)
    assert case_total(case.id) == 9


def test_the_recent_totals_equal_a_recount_before_during_and_after_the_rollup(db, make_case):
    case = make_case()
    for hours_ago, count in {0.1: 2, 1: 3, 5: 1, 22.5: 7, 24.5: 4, 47: 5, 160: 8, 170: 30}.items():
        receive(db, case, hours_ago, count)
    expected = recounted(db, case)
    before = recent_totals(case.id)
    roll_up(db)
    receive(db, case, 0, 10)
    half_way = recent_totals(case.id)
    roll_up(db)

    assert before == expected
    assert half_way == RecentTotals(expected.last_24h + 10, expected.last_7d + 10) == recounted(db, case)
    assert recent_totals(case.id) == half_way


def test_a_held_report_counted_by_review_appears_in_the_recent_totals(db, make_case):
    case = make_case()
    held = receive(db, case, 3, 50, state=ReviewState.FLAGGED)
    also_held = receive(db, case, 30, 40, state=ReviewState.FLAGGED)
    roll_up(db)
    assert recent_totals(case.id) == RecentTotals(0, 0)

    for report in (held, also_held):
        change_review_state(report.id, ReviewState.COUNTED, reason=None, actor_label="organiser")
    db.session.commit()
    before = recent_totals(case.id)
    roll_up(db)

    assert before == recent_totals(case.id) == recounted(db, case) == RecentTotals(last_24h=50, last_7d=90)
    assert db.session.scalars(select(ReviewAdjustment.received_hour).order_by(ReviewAdjustment.id)).all() == [
        start_of_hour(held.created_at),
        start_of_hour(also_held.created_at),
    ]


def test_a_counted_report_rejected_by_review_leaves_the_recent_totals_before_and_after_the_rollup(db, make_case):
    case = make_case()
    kept = receive(db, case, 1, 5)
    rolled_up_then_rejected = receive(db, case, 2, 7)
    roll_up(db)
    rejected_before_the_rollup = receive(db, case, 0, 9)
    assert recent_totals(case.id) == RecentTotals(21, 21)

    for report in (rolled_up_then_rejected, rejected_before_the_rollup):
        change_review_state(report.id, ReviewState.REJECTED, reason="spam", actor_label="organiser")
    db.session.commit()
    before = recent_totals(case.id)
    roll_up(db)

    assert before == recent_totals(case.id) == recounted(db, case) == RecentTotals(5, 5)
    assert hourly_rows(db, case) == {start_of_hour(kept.created_at): 5}


def test_small_recent_counts_are_folded_like_small_countries(client, db, make_case):
    case = make_case()
    receive(db, case, 0, 1)
    receive(db, case, 24 * 5, 1)
    receive(db, case, 24 * 30, 40)

    body = client.get(f"/api/v1/cases/{case.slug}/totals").get_json()
    page = client.get(f"/cases/{case.slug}").get_data(as_text=True)

    assert recent_totals(case.id) == RecentTotals(1, 2)
    assert (body["total"], body["last_24h"], body["last_7d"]) == (42, 0, 0)
    assert "Fewer than 3 in the last 24 hours" in page
    assert "Fewer than 3 in the last 7 days" in page


def test_the_rollup_keeps_hours_only_within_the_window_and_prunes_only_older_ones(db, make_case):
    case = make_case()
    recent = receive(db, case, 1, 2)
    six_days_ago = receive(db, case, 24 * 6, 3)
    receive(db, case, HOURLY_KEPT_HOURS + 5, 4)
    hour = start_of_hour(utcnow())
    stale = hour - timedelta(hours=HOURLY_KEPT_HOURS)
    oldest_kept = hour - timedelta(hours=HOURLY_KEPT_HOURS - 1)
    db.session.add_all(
        [ActionTotalHourly(case_id=case.id, received_hour=when, count=1) for when in (stale, oldest_kept)]
    )
    db.session.commit()

    roll_up(db)
    assert hourly_rows(db, case) == {
        oldest_kept: 1,
        start_of_hour(six_days_ago.created_at): 3,
        start_of_hour(recent.created_at): 2,
    }

    prune_hourly(utcnow() + timedelta(days=2))
    db.session.commit()
    assert hourly_rows(db, case) == {start_of_hour(recent.created_at): 2}


def test_a_rollup_stopped_before_commit_leaves_the_hourly_totals_as_they_were(db, make_case):
    case = make_case()
    receive(db, case, 1, 2)
    roll_up(db)
    receive(db, case, 0, 5)
    stale = start_of_hour(utcnow()) - timedelta(hours=HOURLY_KEPT_HOURS + 3)
    db.session.add(ActionTotalHourly(case_id=case.id, received_hour=stale, count=1))
    db.session.commit()
    stored = hourly_rows(db, case)

    run_rollup(wait=True)
    db.session.rollback()

    assert hourly_rows(db, case) == stored
    assert recent_totals(case.id) == RecentTotals(7, 7)


def test_recount_finds_and_repairs_drift_in_the_hourly_totals(app, db, make_case):
    case = make_case()
    one_hour_ago = receive(db, case, 1, 3)
    yesterday = receive(db, case, 30, 4)
    receive(db, case, 50, 6)
    roll_up(db)
    assert recount() == []
    db.session.commit()
    spurious_hour = start_of_hour(utcnow()) - timedelta(hours=10)
    db.session.execute(
        update(ActionTotalHourly)
        .where(ActionTotalHourly.received_hour == start_of_hour(one_hour_ago.created_at))
        .values(count=30)
    )
    db.session.query(ActionTotalHourly).filter_by(received_hour=start_of_hour(yesterday.created_at)).delete()
    db.session.add(ActionTotalHourly(case_id=case.id, received_hour=spurious_hour, count=2))
    db.session.commit()

    result = CliRunner().invoke(app.cli, ["totals", "recount"], catch_exceptions=False)
    db.session.expire_all()

    assert result.exit_code == 1
    assert f"action_total_hourly: {case.slug} received in the hour from " in result.output
    assert "stored 30, recounted 3" in result.output
    assert "stored 0, recounted 4" in result.output
    assert "stored 2, recounted 0" in result.output
    assert recount() == []
    assert recent_totals(case.id) == recounted(db, case) == RecentTotals(3, 13)


def test_a_rebuild_recounts_the_hourly_totals_too(db, make_case):
    case = make_case()
    receive(db, case, 1, 3)
    receive(db, case, 30, 4)
    roll_up(db)
    expected = hourly_rows(db, case)
    db.session.query(ActionTotalHourly).delete()

    rebuild_totals(lock_watermark(wait=True))
    db.session.commit()

    assert hourly_rows(db, case) == expected
    assert recent_totals(case.id) == RecentTotals(3, 7)


def test_a_rebuild_keeps_a_report_received_at_the_first_instant_of_the_oldest_kept_hour_and_none_before(db, make_case):
    case = make_case()
    now = utcnow()
    oldest_kept = kept_from(now)
    for received_at, count in ((oldest_kept - timedelta(microseconds=1), 100), (oldest_kept, 1), (now, 2)):
        report = receive(db, case, 0, count)
        report.created_at = received_at
    db.session.commit()
    roll_up(db)
    db.session.query(ActionTotalHourly).delete()

    rebuild_totals(lock_watermark(wait=True), now)
    db.session.commit()

    assert hourly_rows(db, case) == {oldest_kept: 1, start_of_hour(now): 2}
    assert recount() == []


def test_the_openapi_document_describes_the_recent_totals_by_the_hour_received(client):
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Totals"]
    assert {"last_24h", "last_7d"} <= set(schema["required"])
    assert schema["properties"]["last_24h"]["type"] == "integer"
    assert schema["properties"]["last_7d"]["minimum"] == 0
    assert "received" in schema["properties"]["last_24h"]["description"]
    assert "hour" in schema["properties"]["last_24h"]["description"]
