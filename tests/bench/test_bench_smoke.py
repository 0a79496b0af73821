"""One small run of the benchmark code, so that ``make bench`` cannot rot: no timing is asserted."""

from __future__ import annotations

import os
import shutil

import psycopg
import pytest

from bench import generate as gen
from bench.load import run_wrk
from bench.procs import Stack
from bench.run import Plan, Row, Run, explain_hour_rollup, prepare_ceiling, write_report
from campaign.extensions import dispose_engines
from tests.conftest import POSTGRES_ADMIN_URL, drop_postgres_database, postgres_available, require_service

SMOKE_DATABASE = f"uat_bench_smoke_{os.getpid()}"


@pytest.fixture
def smoke_database_url():
    require_service("PostgreSQL", postgres_available())
    require_service("wrk", shutil.which("wrk") is not None)
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    yield f"{base}/{SMOKE_DATABASE}"
    drop_postgres_database(SMOKE_DATABASE)


def test_generator_and_one_measurement_against_the_ceiling_produce_a_report(smoke_database_url, tmp_path):
    built = gen.generate(smoke_database_url, 3_000, supporters=20, case_count=20, log=lambda _message: None)

    assert built.hot_case_reports > 0 and built.supporters == 20
    with psycopg.connect(gen.plain_url(smoke_database_url)) as connection:
        reports = connection.execute("SELECT count(*) FROM action_report").fetchone()[0]
        rolled_up = connection.execute("SELECT coalesce(sum(count), 0) FROM action_total").fetchone()[0]
    assert reports == 3_000
    assert rolled_up == built.actions, "the project's rollup folded every counted action in"
    app = gen.bench_app(smoke_database_url, instance_path=tmp_path)
    profile = explain_hour_rollup(app, built, 200, seed=7)
    with app.app_context():
        dispose_engines()
    assert any(line.startswith("Insert on action_total") for line in profile)

    run = Run(Plan.for_mode(quick=True), smoke_database_url, "redis://127.0.0.1:6379/8", tmp_path)
    run.sets["large"] = built
    prepare_ceiling(run)
    stack = Stack(tmp_path / "processes")
    try:
        env = {**os.environ, "CEILING_DATABASE_URL": smoke_database_url}
        ceiling = stack.gunicorn("ceiling", "bench.ceiling_app:app", env, "/read/1")
        result = run_wrk(ceiling.url, "ceiling_insert", path="/insert", seconds=1, connections=2, threads=1)
        app_env = {
            **env,
            "DATABASE_URL": smoke_database_url,
            "SECRET_KEY": gen.SECRET_KEY,
            "RATELIMIT_ENABLED": "0",
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
        stack_ceiling = stack.gunicorn("stack-ceiling", "bench.stack_ceiling_app:app", app_env, "/api/v1/cases")
        through_stack = run_wrk(
            stack_ceiling.url, "ceiling_insert", path="/api/v1/bench/insert", seconds=1, connections=2, threads=1
        )
    finally:
        stack.stop_all()
    assert not stack.started
    assert result.requests > 0 and result.errors == 0 and result.p99_ms > 0
    assert through_stack.requests > 0 and through_stack.errors == 0, "the stack's own insert answers 201"
    with psycopg.connect(gen.plain_url(smoke_database_url)) as connection:
        inserted = connection.execute("SELECT count(*) FROM bench_ceiling").fetchone()[0]
    assert inserted >= 1_000 + result.requests + through_stack.requests, "both ceilings stored every row they answered"

    run.rows.append(Row("bare insert", "smoke", f"{result.rps:.0f}/s", "—", "—", True))
    output = tmp_path / "benchmarks.md"
    info = {
        "nproc": "2",
        "cpu": "cpu",
        "memory": "1 GiB",
        "load": "0",
        "commit": "abc",
        "postgres": "pg",
        "python": "3.11",
    }
    write_report(run, output, info, seconds=1.0)
    text = output.read_text()
    assert "| what | target | measured | ceiling (same run) | ratio | met |" in text
    assert "| bare insert | smoke |" in text
