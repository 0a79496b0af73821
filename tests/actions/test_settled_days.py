"""The daily totals in two tables: the rollup writes the days still receiving reports into a small table, the
settling step moves each day into the history once it is over, and every total stays equal to a recount of the
counted reports, whichever table a day is in."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import insert, inspect, select, update
from sqlalchemy.exc import IntegrityError

from campaign.actions.models import ActionReport, ReportSource, ReviewState
from campaign.actions.review import change_review_state
from campaign.actions.rollup import UNSETTLED_DAYS, lock_watermark, rebuild_totals, recount, run_rollup, settle_days
from campaign.actions.rollup_models import ActionTotalDaily, ActionTotalDailySettled, RollupState
from campaign.actions.tasks import settle_daily_totals
from campaign.actions.totals import case_total, case_totals, case_totals_by_day
from campaign.database import utc_today


def report(db, case, days_ago: int, count: int, country: str = "KZ") -> ActionReport:
    """A counted report received now about actions taken ``days_ago``."""
    row = ActionReport(
        case_id=case.id,
        action_type="letter",
        count=count,
        country=country,
        source=ReportSource.WEB,
        acted_on=utc_today() - timedelta(days=days_ago),
    )
    db.session.add(row)
    db.session.commit()
    return row


def roll_up(db) -> None:
    run_rollup(wait=True)
    db.session.commit()


def settle(db, today: date) -> None:
    settle_days(today)
    db.session.commit()


def days_in(db, model, case) -> dict[date, int]:
    db.session.expire_all()
    rows = db.session.execute(select(model.acted_on, model.count).where(model.case_id == case.id))
    return {acted_on: count for acted_on, count in rows}


def every_total(case) -> tuple:
    totals = case_totals(case.id)
    return case_total(case.id), totals.by_country, case_totals_by_day(case.id)


def test_the_rollup_writes_the_unsettled_days_into_the_small_table_and_older_days_into_the_history(
    client, db, make_case
):
    case = make_case()
    report(db, case, days_ago=0, count=2)
    report(db, case, days_ago=UNSETTLED_DAYS - 1, count=3)
    report(db, case, days_ago=UNSETTLED_DAYS, count=5)

    roll_up(db)

    today = utc_today()
    assert days_in(db, ActionTotalDaily, case) == {today: 2, today - timedelta(days=UNSETTLED_DAYS - 1): 3}
    assert days_in(db, ActionTotalDailySettled, case) == {today - timedelta(days=UNSETTLED_DAYS): 5}
    assert recount() == []


def test_a_report_about_a_day_in_an_old_month_counts_in_every_total(client, db, make_case):
    case = make_case()
    report(db, case, days_ago=0, count=1)
    roll_up(db)
    long_ago = utc_today() - timedelta(days=95)

    report(db, case, days_ago=95, count=4)
    assert case_total(case.id) == 5
    roll_up(db)

    assert case_total(case.id) == 5
    assert case_totals(case.id).by_type == {"letter": 5}
    assert case_totals_by_day(case.id) == {long_ago: 4, utc_today(): 1}
    assert days_in(db, ActionTotalDailySettled, case) == {long_ago: 4}
    assert recount() == []


def test_settling_moves_the_days_that_are_over_into_the_history_and_changes_no_total(client, db, make_case):
    case = make_case()
    for days_ago, count in ((0, 1), (1, 2), (5, 4)):
        report(db, case, days_ago=days_ago, count=count)
    roll_up(db)
    before = every_total(case)
    later = utc_today() + timedelta(days=3)

    settle(db, later)

    assert every_total(case) == before
    assert days_in(db, ActionTotalDaily, case) == {}
    assert sum(days_in(db, ActionTotalDailySettled, case).values()) == 7
    assert db.session.get(RollupState, 1).settled_before == later - timedelta(days=UNSETTLED_DAYS - 1)
    assert recount() == []


def test_settling_adds_to_a_day_already_in_the_history(client, db, make_case):
    case = make_case()
    report(db, case, days_ago=0, count=2)
    roll_up(db)
    db.session.execute(update(RollupState).values(settled_before=utc_today() + timedelta(days=1)))
    db.session.commit()
    report(db, case, days_ago=0, count=3)
    roll_up(db)
    assert days_in(db, ActionTotalDailySettled, case) == {utc_today(): 3}

    settle(db, utc_today() + timedelta(days=UNSETTLED_DAYS + 1))

    assert days_in(db, ActionTotalDailySettled, case) == {utc_today(): 5}
    assert days_in(db, ActionTotalDaily, case) == {}
    assert case_total(case.id) == 5
    assert recount() == []


def test_settling_again_on_the_same_day_moves_nothing(client, db, make_case):
    case = make_case()
    report(db, case, days_ago=0, count=2)
    roll_up(db)

    settle_daily_totals.run()
    settle(db, utc_today() - timedelta(days=10))

    assert days_in(db, ActionTotalDaily, case) == {utc_today(): 2}
    assert db.session.get(RollupState, 1).settled_before == utc_today() - timedelta(days=UNSETTLED_DAYS - 1)


def test_a_process_that_read_the_totals_before_a_settle_reads_them_right_after_it(client, db, make_case):
    case = make_case()
    report(db, case, days_ago=0, count=2)
    roll_up(db)
    assert case_totals_by_day(case.id) == {utc_today(): 2}

    settle(db, utc_today() + timedelta(days=UNSETTLED_DAYS))
    report(db, case, days_ago=0, count=3)

    assert case_totals_by_day(case.id) == {utc_today(): 5}
    roll_up(db)
    assert case_totals_by_day(case.id) == {utc_today(): 5}
    assert days_in(db, ActionTotalDailySettled, case) == {utc_today(): 5}


def test_a_review_decision_on_a_report_of_a_settled_day_moves_the_history(client, db, make_case):
    case = make_case()
    row = report(db, case, days_ago=40, count=6)
    report(db, case, days_ago=0, count=1)
    roll_up(db)

    change_review_state(row.id, ReviewState.REJECTED, reason="duplicate", actor_label="organiser")
    db.session.commit()
    assert case_total(case.id) == 1
    roll_up(db)

    assert case_total(case.id) == 1
    assert case_totals_by_day(case.id) == {utc_today(): 1}
    assert sum(days_in(db, ActionTotalDailySettled, case).values()) == 0
    assert recount() == []


def test_recount_repairs_drift_in_either_table_and_names_the_table(client, db, make_case):
    case = make_case()
    report(db, case, days_ago=0, count=2)
    report(db, case, days_ago=30, count=3)
    roll_up(db)
    db.session.execute(update(ActionTotalDaily).values(count=20))
    db.session.execute(update(ActionTotalDailySettled).values(count=30))
    db.session.commit()

    drift = recount()
    db.session.commit()

    daily = {(d.table, d.acted_on): (d.stored, d.recounted) for d in drift if d.acted_on is not None}
    assert daily == {
        ("action_total_daily", utc_today()): (20, 2),
        ("action_total_daily_settled", utc_today() - timedelta(days=30)): (30, 3),
    }
    assert days_in(db, ActionTotalDaily, case) == {utc_today(): 2}
    assert days_in(db, ActionTotalDailySettled, case) == {utc_today() - timedelta(days=30): 3}
    assert recount() == []


def test_recount_puts_a_day_found_in_the_wrong_table_back_where_it_belongs(client, db, make_case):
    case = make_case()
    report(db, case, days_ago=0, count=2)
    roll_up(db)
    db.session.execute(ActionTotalDaily.__table__.delete())
    db.session.execute(
        ActionTotalDailySettled.__table__.insert().values(
            case_id=case.id, action_type="letter", target_key=0, country="KZ", acted_on=utc_today(), count=2
        )
    )
    db.session.commit()

    assert recount() == []
    assert case_totals_by_day(case.id) == {utc_today(): 2}


def test_a_rebuild_splits_the_days_at_the_settled_day(client, db, make_case):
    case = make_case()
    for days_ago, count in ((0, 1), (UNSETTLED_DAYS, 2), (200, 4)):
        report(db, case, days_ago=days_ago, count=count)
    roll_up(db)
    before = every_total(case)

    rebuild_totals(lock_watermark(wait=True))
    db.session.commit()

    today = utc_today()
    assert days_in(db, ActionTotalDaily, case) == {today: 1}
    assert days_in(db, ActionTotalDailySettled, case) == {
        today - timedelta(days=UNSETTLED_DAYS): 2,
        today - timedelta(days=200): 4,
    }
    assert every_total(case) == before


def test_a_rebuild_leaves_each_daily_table_its_primary_key_refusing_a_second_row_for_a_day(client, db, make_case):
    case = make_case()
    for days_ago, count in ((0, 1), (200, 4)):
        report(db, case, days_ago=days_ago, count=count)
    roll_up(db)

    rebuild_totals(lock_watermark(wait=True))
    db.session.commit()

    for model, days_ago in ((ActionTotalDaily, 0), (ActionTotalDailySettled, 200)):
        primary_key = inspect(db.engine).get_pk_constraint(model.__tablename__)
        assert primary_key["name"] == model.__table__.primary_key.name
        assert primary_key["constrained_columns"] == ["case_id", "action_type", "target_key", "country", "acted_on"]
        row = db.session.scalars(select(model).where(model.case_id == case.id)).one()
        assert row.acted_on == utc_today() - timedelta(days=days_ago)
        with pytest.raises(IntegrityError):
            db.session.execute(
                insert(model).values(
                    case_id=case.id,
                    action_type=row.action_type,
                    target_key=row.target_key,
                    country=row.country,
                    acted_on=row.acted_on,
                    count=1,
                )
            )
        db.session.rollback()
    assert recount() == []
