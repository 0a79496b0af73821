"""Totals: rolled-up totals plus the reports since the watermark, exact before, during and after a rollup."""

from __future__ import annotations

from datetime import date, timedelta

from click.testing import CliRunner
from sqlalchemy import func, select, update

from campaign.actions import totals as totals_module
from campaign.actions.models import ActionReport, ReviewState
from campaign.actions.review import change_review_state
from campaign.actions.rollup import lock_watermark, rebuild_totals, recount, rollup_status, run_rollup
from campaign.actions.rollup_models import ActionTotal, ActionTotalDaily, ReviewAdjustment, RollupState
from campaign.actions.tasks import rollup_totals
from campaign.actions.totals import case_total, case_totals, case_totals_by_day, totals_for_cases


def post(client, slug: str, count: int = 3, country: str = "KZ", action_type: str = "letter", target_id=None):
    body = {"action_type": action_type, "count": count, "country": country}
    if target_id is not None:
        body["target_id"] = target_id
    answer = client.post(f"/api/v1/cases/{slug}/actions", json=body)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def roll_up(db) -> None:
    run_rollup(wait=True)
    db.session.commit()


def rolled_up_total(db, case_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.coalesce(func.sum(ActionTotal.count), 0)).where(ActionTotal.case_id == case_id)
    )


def group_by_total(db, case_id: int) -> int:
    """What the totals were before the rollup: a plain sum over the counted reports."""
    return db.session.scalar(
        select(func.coalesce(func.sum(ActionReport.count), 0)).where(
            ActionReport.case_id == case_id, ActionReport.review_state == ReviewState.COUNTED
        )
    )


def test_a_new_report_counts_at_once_before_any_rollup(client, db, make_case):
    case = make_case()

    answer = post(client, case.slug, count=4)

    assert answer["case_total"] == 4
    assert case_total(case.id) == 4
    assert rolled_up_total(db, case.id) == 0
    assert client.get(f"/api/v1/cases/{case.slug}/totals").get_json()["total"] == 4


def test_after_the_rollup_catches_up_each_report_is_counted_once(client, db, make_case):
    case = make_case()
    post(client, case.slug, count=2)
    post(client, case.slug, count=5, country="DE")

    roll_up(db)
    post(client, case.slug, count=1)

    assert rolled_up_total(db, case.id) == 7
    assert case_total(case.id) == 8
    assert client.get(f"/api/v1/cases/{case.slug}").get_json()["total"] == 8
    roll_up(db)
    assert rolled_up_total(db, case.id) == 8
    assert case_total(case.id) == 8


def test_a_read_after_the_rollup_moved_the_watermark_counts_each_report_once(client, db, make_case):
    case = make_case()
    post(client, case.slug, count=2)
    roll_up(db)
    assert case_totals(case.id).total == 2
    assert case_totals_by_day(case.id) == {date.today(): 2}

    post(client, case.slug, count=5, country="DE")
    roll_up(db)
    post(client, case.slug, count=1, country="FR")

    expected = group_by_total(db, case.id)
    assert expected == 8
    assert case_totals(case.id).total == expected
    assert case_totals(case.id).by_country == {"DE": 5, "KZ": 2, "FR": 1}
    assert totals_for_cases([case.id]) == {case.id: expected}
    assert case_totals_by_day(case.id) == {date.today(): expected}


def test_a_read_that_keeps_finding_the_watermark_moved_gives_the_same_totals_in_one_statement(
    client, db, make_case, monkeypatch
):
    case = make_case()
    post(client, case.slug, count=2)
    roll_up(db)
    post(client, case.slug, count=5, country="DE")
    expected = (case_totals(case.id), case_totals_by_day(case.id), totals_for_cases([case.id]))

    monkeypatch.setattr(totals_module, "READ_ATTEMPTS", 0)

    in_one_statement = (case_totals(case.id), case_totals_by_day(case.id), totals_for_cases([case.id]))
    assert in_one_statement[0].by_country == expected[0].by_country == {"DE": 5, "KZ": 2}
    assert in_one_statement[0].total == expected[0].total == 7
    assert in_one_statement[1:] == expected[1:]


def test_a_repaired_total_is_read_at_once_though_the_process_had_read_the_drifted_one(client, db, make_case):
    case = make_case()
    post(client, case.slug, count=2)
    roll_up(db)
    db.session.execute(update(ActionTotal).where(ActionTotal.case_id == case.id).values(count=30))
    db.session.commit()
    assert case_total(case.id) == 30

    assert len(recount()) == 1
    db.session.commit()

    assert case_total(case.id) == 2


def test_a_rebuilt_total_is_read_at_once_though_the_process_had_read_the_lost_one(client, db, make_case):
    case = make_case()
    post(client, case.slug, count=2)
    roll_up(db)
    db.session.execute(ActionTotal.__table__.delete())
    db.session.commit()
    assert case_total(case.id) == 0

    rebuild_totals(lock_watermark(wait=True))
    db.session.commit()

    assert case_total(case.id) == 2
    assert case_totals(case.id).by_type == {"letter": 2}


def test_running_the_rollup_twice_changes_nothing(client, db, make_case):
    case = make_case()
    for count in (1, 2, 3):
        post(client, case.slug, count=count)
    roll_up(db)
    first = db.session.execute(select(ActionTotalDaily.__table__)).all()

    roll_up(db)
    rollup_totals.run()

    assert db.session.execute(select(ActionTotalDaily.__table__)).all() == first
    assert rolled_up_total(db, case.id) == 6


def test_a_rollup_stopped_before_commit_leaves_totals_and_watermark_as_they_were(client, db, make_case):
    case = make_case()
    post(client, case.slug, count=3)
    roll_up(db)
    post(client, case.slug, count=4)
    watermark = db.session.get(RollupState, 1).reports_below

    run_rollup(wait=True)
    db.session.rollback()

    db.session.expire_all()
    assert db.session.get(RollupState, 1).reports_below == watermark
    assert rolled_up_total(db, case.id) == 3
    assert case_total(case.id) == 7
    roll_up(db)
    assert rolled_up_total(db, case.id) == 7


def test_breakdowns_equal_a_group_by_over_the_counted_reports(client, db, make_case):
    case = make_case()
    target_id = case.target_links[0].target_id
    post(client, case.slug, count=2, country="DE", action_type="email", target_id=target_id)
    post(client, case.slug, count=3, country="KZ", action_type="letter")
    roll_up(db)
    post(client, case.slug, count=4, country="DE", action_type="letter", target_id=target_id)
    post(client, case.slug, count=50, country="FR")  # held for review, not counted

    totals = case_totals(case.id)

    assert totals.total == 9 == group_by_total(db, case.id)
    assert totals.by_type == {"letter": 7, "email": 2}
    assert totals.by_country == {"DE": 6, "KZ": 3}
    assert totals.countries == 2
    assert totals.by_target == {target_id: 6}
    assert totals.to_all_targets == 3
    assert case_totals_by_day(case.id) == {date.today(): 9}
    assert totals_for_cases([case.id, case.id + 1000]) == {case.id: 9}


def test_the_day_of_the_totals_is_the_day_the_actions_were_taken(client, db, make_case):
    case = make_case()
    post(client, case.slug, count=2)
    report_id = db.session.scalar(select(ActionReport.id))
    db.session.execute(
        update(ActionReport).where(ActionReport.id == report_id).values(acted_on=date.today() - timedelta(days=3))
    )
    db.session.commit()
    post(client, case.slug, count=1)
    roll_up(db)

    assert case_totals_by_day(case.id) == {date.today() - timedelta(days=3): 2, date.today(): 1}


def test_rejecting_a_rolled_up_report_takes_it_out_of_the_totals_through_the_rollup(client, db, make_case):
    case = make_case()
    kept = post(client, case.slug, count=2)
    rejected = post(client, case.slug, count=5)
    roll_up(db)

    change_review_state(rejected["id"], ReviewState.REJECTED, reason="duplicate", actor_label="organiser")
    db.session.commit()

    assert case_total(case.id) == 2
    assert rolled_up_total(db, case.id) == 7
    assert db.session.scalar(select(ReviewAdjustment.delta)) == -5
    roll_up(db)
    assert rolled_up_total(db, case.id) == 2 == group_by_total(db, case.id)
    assert case_total(case.id) == 2
    assert kept["counted"] == 2
    assert recount() == []


def test_rejecting_a_report_not_yet_rolled_up_needs_no_adjustment(client, db, make_case):
    case = make_case()
    post(client, case.slug, count=2)
    rejected = post(client, case.slug, count=5)

    change_review_state(rejected["id"], ReviewState.REJECTED, reason="spam", actor_label="organiser")
    db.session.commit()

    assert db.session.scalar(select(func.count()).select_from(ReviewAdjustment)) == 0
    assert case_total(case.id) == 2
    roll_up(db)
    assert rolled_up_total(db, case.id) == 2
    assert case_total(case.id) == 2


def test_counting_a_held_report_adds_it_to_the_totals_and_a_second_decision_takes_it_away(client, db, make_case):
    case = make_case()
    held = post(client, case.slug, count=60)
    assert held["counted"] == 0
    roll_up(db)
    assert case_total(case.id) == 0

    change_review_state(held["id"], ReviewState.COUNTED, reason="a school's class", actor_label="organiser")
    db.session.commit()
    assert case_total(case.id) == 60
    roll_up(db)
    change_review_state(held["id"], ReviewState.FLAGGED, reason="checking again", actor_label="organiser")
    db.session.commit()
    change_review_state(held["id"], ReviewState.REJECTED, reason="not real", actor_label="organiser")
    db.session.commit()

    assert case_total(case.id) == 0
    roll_up(db)
    assert rolled_up_total(db, case.id) == 0
    assert case_totals(case.id).by_country == {}
    assert recount() == []


def test_recount_command_exits_0_when_the_totals_are_right(app, client, db, make_case):
    case = make_case()
    post(client, case.slug, count=2)
    post(client, case.slug, count=3, country="DE")

    result = CliRunner().invoke(app.cli, ["totals", "recount"], catch_exceptions=False)

    assert result.exit_code == 0, result.output
    assert "agree" in result.output
    assert rolled_up_total(db, case.id) == 5


def test_recount_command_prints_and_repairs_drift_and_exits_1(app, client, db, make_case):
    case = make_case()
    post(client, case.slug, count=2)
    post(client, case.slug, count=3, country="DE")
    roll_up(db)
    db.session.execute(update(ActionTotalDaily).where(ActionTotalDaily.country == "DE").values(count=30))
    db.session.execute(update(ActionTotal).where(ActionTotal.country == "KZ").values(count=1))
    db.session.commit()
    runner = CliRunner()

    result = runner.invoke(app.cli, ["totals", "recount"], catch_exceptions=False)

    assert result.exit_code == 1
    assert f"action_total_daily: {case.slug} letter to all targets from DE on {date.today().isoformat()}" in (
        result.output
    )
    assert "stored 30, recounted 3" in result.output
    assert "action_total: " in result.output
    assert rolled_up_total(db, case.id) == 5
    again = runner.invoke(app.cli, ["totals", "recount"], catch_exceptions=False)
    assert again.exit_code == 0, again.output


def test_recount_rebuilds_the_tables_when_they_were_lost(client, db, make_case):
    case = make_case()
    for country in ("DE", "FR", "KZ"):
        post(client, case.slug, count=2, country=country)
    roll_up(db)
    db.session.execute(ActionTotalDaily.__table__.delete())
    db.session.execute(ActionTotal.__table__.delete())
    db.session.commit()

    drift = recount()
    db.session.commit()

    assert len(drift) == 6
    assert rolled_up_total(db, case.id) == 6
    assert recount() == []


def test_status_says_how_many_reports_wait_for_the_rollup(app, client, db, make_case):
    case = make_case()
    post(client, case.slug)
    post(client, case.slug)

    assert rollup_status().waiting_reports == 2
    result = CliRunner().invoke(app.cli, ["totals", "status"], catch_exceptions=False)
    assert "reports waiting for the rollup: 2" in result.output
    roll_up(db)
    assert rollup_status().waiting_reports == 0
    assert rollup_status().rolled_up_at is not None


def test_the_pages_show_the_live_total(client, db, make_case):
    case = make_case()
    post(client, case.slug, count=3)
    roll_up(db)
    post(client, case.slug, count=4)

    page = client.get(f"/cases/{case.slug}")
    index = client.get("/")

    assert page.status_code == 200
    assert index.status_code == 200
    assert "7" in page.get_data(as_text=True)
    assert client.get("/api/v1/cases").get_json()["cases"][0]["total"] == 7
