"""Totals stay exact on the production shape when processes die, Redis stops, or PostgreSQL crashes (issue 4)."""

from __future__ import annotations

import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg
from sqlalchemy import func, select

from campaign.actions.models import ActionReport, IdempotencyRecord, ReviewState
from campaign.actions.rollup import recount, run_rollup
from campaign.actions.rollup_models import ActionTotal, RollupState
from campaign.actions.totals import case_total
from campaign.extensions import dispose_engines
from tests.conftest import make_test_config, migrated_app
from tests.integration.conftest import (
    create_active_case,
    http_get,
    http_post_json,
    insert_reports,
    psycopg_url,
    stack_env,
    trigger_rollup,
    wait_for_rollup,
    wait_until,
)


def rolled_up_total(db, case_id: int) -> int:
    db.session.rollback()
    return db.session.scalar(
        select(func.coalesce(func.sum(ActionTotal.count), 0)).where(ActionTotal.case_id == case_id)
    )


def counted_in_reports(db, case_id: int) -> int:
    db.session.rollback()
    return db.session.scalar(
        select(func.coalesce(func.sum(ActionReport.count), 0)).where(
            ActionReport.case_id == case_id, ActionReport.review_state == ReviewState.COUNTED
        )
    )


def assert_recount_is_clean(db) -> None:
    db.session.rollback()
    assert recount(repair=False) == []
    db.session.rollback()


def test_a_thousand_reports_from_eight_threads_reach_the_totals_through_gunicorn_beat_and_a_worker(
    stack_db, broker_url, processes, tmp_path
):
    case = create_active_case(stack_db)
    env = stack_env(stack_db.engine.url.render_as_string(hide_password=False), broker_url, tmp_path)
    processes.worker(env)
    processes.beat(env)
    base = processes.web(env)
    rng = random.Random(4)
    bodies = [
        {"action_type": rng.choice(["letter", "email", "tweet"]), "count": rng.randint(1, 25), "country": "KZ"}
        for _ in range(1000)
    ]

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda body: http_post_json(f"{base}/api/v1/cases/{case.slug}/actions", body), bodies))
    posting_seconds = time.monotonic() - started

    assert [status for status, _ in answers] == [201] * 1000
    assert len({answer["id"] for _, answer in answers}) == 1000
    # Counts above 20, and repeats from one address, are held for review: "counted" says what each added.
    accepted = sum(answer["counted"] for _, answer in answers)
    assert accepted > 0
    assert all(answer["counted"] in (0, body["count"]) for body, (_, answer) in zip(bodies, answers, strict=True))
    status, totals = http_get(f"{base}/api/v1/cases/{case.slug}/totals")
    assert status == 200
    assert f'"total":{accepted}' in totals.replace(" ", "")
    lag = wait_for_rollup(stack_db, timeout=30)
    assert rolled_up_total(stack_db, case.id) == accepted == case_total(case.id)
    assert_recount_is_clean(stack_db)
    print(
        f"\n1000 reports from 8 threads: {posting_seconds:.2f} s ({1000 / posting_seconds:.0f}/s); beat rollup lag {lag:.1f} s"
    )


#: How the rollup's statement begins in pg_stat_activity (which keeps only its first kilobyte).
ROLLUP_STATEMENT = "WITH by_day_and_hour AS MATERIALIZED%"


def test_a_worker_killed_with_sigkill_mid_rollup_loses_nothing_and_the_next_run_equals_recount(
    stack_db, broker_url, processes, tmp_path
):
    case = create_active_case(stack_db)
    database_url = stack_db.engine.url.render_as_string(hide_password=False)
    env = stack_env(database_url, broker_url, tmp_path)
    insert_reports(database_url, case.id, 500)
    run_rollup(wait=True)
    stack_db.session.commit()
    before = rolled_up_total(stack_db, case.id)
    watermark = stack_db.session.get(RollupState, 1).reports_below
    insert_reports(database_url, case.id, 20_000)
    worker = processes.worker(env)

    with psycopg.connect(psycopg_url(database_url)) as blocker, psycopg.connect(psycopg_url(database_url)) as monitor:
        monitor.autocommit = True
        # Holding one rolled-up row stops the worker's rollup in the middle of its upsert.
        blocker.execute("SELECT 1 FROM action_total_daily WHERE case_id = %s LIMIT 1 FOR UPDATE", (case.id,))
        trigger_rollup(broker_url)

        def rollup_is_blocked() -> bool:
            return bool(
                monitor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND query LIKE %(statement)s",
                    {"statement": ROLLUP_STATEMENT},
                ).fetchone()[0]
            )

        wait_until(rollup_is_blocked, timeout=30, what="the worker's rollup to be half-way")
        worker.kill()
        blocker.rollback()

        def rollup_backend_gone() -> bool:
            return not monitor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND query LIKE %(statement)s AND state <> 'idle'",
                {"statement": ROLLUP_STATEMENT},
            ).fetchone()[0]

        wait_until(rollup_backend_gone, timeout=30, what="the dead worker's transaction to end")

    stack_db.session.rollback()
    assert stack_db.session.get(RollupState, 1).reports_below == watermark
    assert rolled_up_total(stack_db, case.id) == before
    processes.worker(env)
    wait_for_rollup(stack_db, timeout=60, broker=broker_url)
    assert rolled_up_total(stack_db, case.id) == counted_in_reports(stack_db, case.id) == case_total(case.id)
    assert_recount_is_clean(stack_db)


def test_with_redis_stopped_reports_are_accepted_pages_render_and_totals_converge_after_restart(
    stack_db, own_redis, processes, tmp_path
):
    case = create_active_case(stack_db)
    own_redis.start()
    env = stack_env(stack_db.engine.url.render_as_string(hide_password=False), own_redis.url, tmp_path)
    env["RATELIMIT_REPORTS"] = "1000 per minute"
    processes.worker(env)
    base = processes.web(env)
    report = {"action_type": "letter", "count": 2, "country": "DE"}
    for _ in range(10):
        assert http_post_json(f"{base}/api/v1/cases/{case.slug}/actions", report)[0] == 201
    wait_for_rollup(stack_db, timeout=30, broker=own_redis.url)

    own_redis.stop()
    answers = [http_post_json(f"{base}/api/v1/cases/{case.slug}/actions", report) for _ in range(15)]
    pages = [http_get(f"{base}{path}") for path in ("/", f"/cases/{case.slug}", f"/api/v1/cases/{case.slug}/totals")]

    assert [status for status, _ in answers] == [201] * 15
    assert answers[-1][1]["case_total"] == 50
    assert [status for status, _ in pages] == [200, 200, 200]
    assert '"total":50' in pages[2][1].replace(" ", "")
    own_redis.start()
    seconds = wait_for_rollup(stack_db, timeout=90, broker=own_redis.url)
    assert rolled_up_total(stack_db, case.id) == 50 == case_total(case.id)
    assert_recount_is_clean(stack_db)
    print(f"\nconverged {seconds:.1f} s after Redis came back")


def test_two_rollups_at_once_while_reports_arrive_count_nothing_twice(stack_db, stack_app):
    case = create_active_case(stack_db)
    database_url = stack_db.engine.url.render_as_string(hide_password=False)
    insert_reports(database_url, case.id, 20_000)
    stop = threading.Event()
    runs = {"ran": 0, "skipped": 0}

    def keep_reporting() -> None:
        while not stop.is_set():
            insert_reports(database_url, case.id, 50)

    def keep_rolling_up(wait: bool) -> None:
        with stack_app.app_context():
            while not stop.is_set():
                run = run_rollup(wait=wait)
                stack_db.session.commit()
                runs["ran" if run.ran else "skipped"] += 1
            stack_db.session.remove()

    seen_totals: list[int] = []

    def keep_reading() -> None:
        with stack_app.app_context():
            while not stop.is_set():
                seen_totals.append(case_total(case.id))
                stack_db.session.rollback()

    with ThreadPoolExecutor(max_workers=6) as pool:
        try:
            futures = [pool.submit(keep_reporting), pool.submit(keep_reporting), pool.submit(keep_reading)]
            futures += [pool.submit(keep_rolling_up, True), pool.submit(keep_rolling_up, True)]
            futures += [pool.submit(keep_rolling_up, False)]
            time.sleep(3)
        finally:
            stop.set()
        for future in futures:
            future.result()

    run_rollup(wait=True)
    stack_db.session.commit()
    assert runs["ran"] >= 4
    final = counted_in_reports(stack_db, case.id)
    assert rolled_up_total(stack_db, case.id) == final == case_total(case.id)
    assert seen_totals == sorted(seen_totals), "a live total went down: a report was counted twice, then once"
    assert seen_totals[-1] <= final
    assert_recount_is_clean(stack_db)


INSERT_ONE_REPORT = """
INSERT INTO action_report (case_id, action_type, count, country, source, review_state, acted_on, created_at)
VALUES (%s, 'letter', %s, 'KZ', 'api', 'counted', current_date, now()) RETURNING id
"""


def test_a_report_committed_after_a_later_one_is_still_counted(stack_db):
    case = create_active_case(stack_db)
    url = psycopg_url(stack_db.engine.url.render_as_string(hide_password=False))

    with psycopg.connect(url) as early, psycopg.connect(url) as late:
        early_id = early.execute(INSERT_ONE_REPORT, (case.id, 3)).fetchone()[0]
        late_id = late.execute(INSERT_ONE_REPORT, (case.id, 5)).fetchone()[0]
        late.commit()
        assert early_id < late_id
        run_rollup(wait=True)
        stack_db.session.commit()
        assert case_total(case.id) == 5
        early.commit()

    stack_db.session.rollback()
    assert case_total(case.id) == 8
    run_rollup(wait=True)
    stack_db.session.commit()
    assert rolled_up_total(stack_db, case.id) == 8
    assert_recount_is_clean(stack_db)


def test_after_postgresql_crashes_mid_stream_every_accepted_report_is_there_and_none_half_written(
    throwaway_cluster, processes, tmp_path
):
    with psycopg.connect(psycopg_url(throwaway_cluster.url("postgres")), autocommit=True) as connection:
        settings = {
            name: connection.execute(f"SHOW {name}").fetchone()[0]
            for name in ("fsync", "synchronous_commit", "full_page_writes")
        }
        connection.execute("CREATE DATABASE crash_test")
    assert settings == {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"}
    database_url = throwaway_cluster.url("crash_test")
    app = migrated_app(make_test_config(database_url, tmp_path / "instance"))
    with app.app_context():
        slug = create_active_case(app.extensions["sqlalchemy"]).slug
        app.extensions["sqlalchemy"].session.remove()
        dispose_engines()
    base = processes.web(stack_env(database_url, None, tmp_path))
    stop = threading.Event()
    answers: list[tuple[str, int, dict, dict]] = []

    def keep_reporting(seed: int) -> None:
        rng = random.Random(seed)
        while not stop.is_set():
            key = uuid.uuid4().hex
            body = {"action_type": "email", "count": rng.randint(1, 20), "country": rng.choice(["DE", "KZ", "FR"])}
            status, answer = http_post_json(
                f"{base}/api/v1/cases/{slug}/actions", body, headers={"Idempotency-Key": key}
            )
            answers.append((key, status, body, answer))

    with ThreadPoolExecutor(max_workers=4) as pool:
        try:
            futures = [pool.submit(keep_reporting, seed) for seed in range(4)]
            wait_until(lambda: sum(status == 201 for _, status, _, _ in answers) >= 100, timeout=30, what="100 reports")
            throwaway_cluster.crash()
            time.sleep(0.5)
        finally:
            stop.set()
        for future in futures:
            future.result()
    throwaway_cluster.start()

    accepted = [(key, body, answer) for key, status, body, answer in answers if status == 201]
    assert len(accepted) >= 100
    assert any(status != 201 for _, status, _, _ in answers), "the crash came after the stream had ended"
    with app.app_context():
        db = app.extensions["sqlalchemy"]
        reports = {report.id: report for report in db.session.scalars(select(ActionReport))}
        keys = {record.report_id: record for record in db.session.scalars(select(IdempotencyRecord))}
        for _, body, answer in accepted:
            report = reports[answer["id"]]
            assert (report.count, report.country, report.action_type) == (body["count"], body["country"], "email")
        assert set(keys) == set(reports)
        run_rollup(wait=True)
        db.session.commit()
        assert recount(repair=False) == []
        db.session.remove()
        dispose_engines()
    print(f"\ncrash: {len(accepted)} reports accepted, {len(answers) - len(accepted)} refused or cut off")
