"""Public totals answers kept per process under a case's change stamp in Redis: served again only while right.

Two apps on one database and one Redis stand for two gunicorn workers: what one commits, the
other must show at once, although it kept the answer it built before.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
import pytest
import redis
from flask import Flask, current_app, has_app_context
from sqlalchemy import event, update

from campaign.actions.change_stamps import STAMP_KEY_PREFIX, stamp_key
from campaign.actions.models import ReviewState
from campaign.actions.review import change_review_state
from campaign.actions.rollup import recount, run_rollup
from campaign.actions.rollup_models import ActionTotal
from campaign.cases.models import Case, CaseStatus, CaseTarget, Target, TargetRole, TimelineEntry
from campaign.extensions import db as _db
from campaign.extensions import dispose_engines
from tests.conftest import make_test_config, migrated_app, redis_available, require_service

STAMPS_REDIS_URL = "redis://127.0.0.1:6379/11"


@pytest.fixture
def stamps_store() -> Iterator[redis.Redis]:
    require_service("Redis", redis_available(STAMPS_REDIS_URL))
    store = redis.Redis.from_url(STAMPS_REDIS_URL)
    store.flushdb()
    yield store
    store.flushdb()


@dataclass(frozen=True)
class CaseRef:
    id: int
    slug: str


@pytest.fixture
def new_case(make_case):
    """A new case's id and slug only: the suite's session would otherwise refresh its object on a worker's engine
    while that worker's app context is current, and hold a connection of it past the test."""

    def make() -> CaseRef:
        case = make_case()
        return CaseRef(case.id, case.slug)

    return make


def _worker(database_url: str, instance_path, redis_url: str, **overrides) -> Flask:
    return migrated_app(make_test_config(database_url, instance_path, REDIS_URL=redis_url, **overrides))


@pytest.fixture
def workers(database_url, tmp_path, db, stamps_store) -> Iterator[tuple[Flask, Flask]]:
    """Two apps on the suite's database and one Redis, as two gunicorn workers are."""
    apps = (
        _worker(database_url, tmp_path / "a", STAMPS_REDIS_URL, KEPT_ANSWER_SECONDS=60),
        _worker(database_url, tmp_path / "b", STAMPS_REDIS_URL, KEPT_ANSWER_SECONDS=60),
    )
    yield apps
    for app in apps:
        with app.app_context():
            dispose_engines()


def totals(app: Flask, slug: str) -> dict:
    answer = app.test_client().get(f"/api/v1/cases/{slug}/totals")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()


def report(app: Flask, slug: str, count: int) -> dict:
    answer = app.test_client().post(
        f"/api/v1/cases/{slug}/actions", json={"action_type": "letter", "count": count, "country": "KZ"}
    )
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


@contextmanager
def recorded_statements(app: Flask) -> Iterator[list[str]]:
    """The SQL statements ``app`` sends while the block runs: through SQLAlchemy, and on the psycopg connection
    of a direct report transaction (``campaign.actions.report_transactions``), which SQLAlchemy does not see."""
    with app.app_context():
        engine = _db.engine
    statements: list[str] = []

    def record(conn, cursor, statement, *arguments) -> None:
        statements.append(statement)

    sent_directly = psycopg.Connection.execute

    def record_direct(connection, query, *arguments, **options):
        if has_app_context() and current_app._get_current_object() is app:
            statements.append(str(query))
        return sent_directly(connection, query, *arguments, **options)

    event.listen(engine, "before_cursor_execute", record)
    psycopg.Connection.execute = record_direct
    try:
        yield statements
    finally:
        psycopg.Connection.execute = sent_directly
        event.remove(engine, "before_cursor_execute", record)


CASE_CONTENT_TABLES = ("person", "ask", "model_letter", "case_target", "timeline_entry")


def read_case_content(statements: list[str]) -> list[str]:
    return [table for table in CASE_CONTENT_TABLES if any(f"FROM {table}" in statement for statement in statements)]


def test_a_kept_answer_is_served_again_without_a_database_statement(database_url, tmp_path, db, new_case):
    worker = _worker(database_url, tmp_path / "kept", STAMPS_REDIS_URL, KEPT_ANSWER_RECHECK_SECONDS=60)
    try:
        case = new_case()
        first = totals(worker, case.slug)
        with recorded_statements(worker) as statements:
            again = totals(worker, case.slug)
        assert again == first
        assert statements == []
    finally:
        with worker.app_context():
            dispose_engines()


def test_a_report_through_one_worker_shows_at_once_on_another_that_kept_the_answer(workers, new_case):
    reader, writer = workers
    case = new_case()
    assert totals(reader, case.slug)["total"] == 0

    report(writer, case.slug, count=4)

    shown = totals(reader, case.slug)
    assert shown["total"] == 4
    assert shown["by_type"] == {"letter": 4}


def test_a_review_decision_shows_at_once_on_a_worker_that_kept_the_answer(workers, new_case):
    reader, writer = workers
    case = new_case()
    rejected = report(writer, case.slug, count=5)
    report(writer, case.slug, count=2)
    assert totals(reader, case.slug)["total"] == 7

    with writer.app_context():
        change_review_state(rejected["id"], ReviewState.REJECTED, reason="duplicate", actor_label="organiser")
        _db.session.commit()

    assert totals(reader, case.slug)["total"] == 2


def test_a_repaired_total_shows_at_once_on_a_worker_that_kept_the_drifted_one(workers, new_case):
    reader, writer = workers
    case = new_case()
    report(writer, case.slug, count=2)
    with writer.app_context():
        run_rollup(wait=True)
        _db.session.execute(update(ActionTotal).where(ActionTotal.case_id == case.id).values(count=30))
        _db.session.commit()
    assert totals(reader, case.slug)["total"] == 30

    with writer.app_context():
        assert len(recount()) == 1
        _db.session.commit()

    assert totals(reader, case.slug)["total"] == 2


def test_a_case_taken_back_to_draft_is_hidden_at_once_from_a_worker_that_kept_its_totals(workers, new_case):
    reader, writer = workers
    case = new_case()
    totals(reader, case.slug)

    with writer.app_context():
        _db.session.get(Case, case.id).status = CaseStatus.DRAFT
        _db.session.commit()

    assert reader.test_client().get(f"/api/v1/cases/{case.slug}/totals").status_code == 404


def test_a_report_shows_on_a_worker_that_kept_the_figures_once_its_recheck_time_has_passed(
    database_url, tmp_path, db, new_case, stamps_store
):
    """Figures have no stamp: a report replaces none after its commit, and every worker builds a case's
    figures again once they are ``KEPT_ANSWER_RECHECK_SECONDS`` old."""
    reader = _worker(database_url, tmp_path / "reader", STAMPS_REDIS_URL, KEPT_ANSWER_RECHECK_SECONDS=60)
    writer = _worker(database_url, tmp_path / "writer", STAMPS_REDIS_URL)
    try:
        case = new_case()
        assert totals(reader, case.slug)["total"] == 0
        report(writer, case.slug, count=3)
        assert list(stamps_store.scan_iter(f"{STAMP_KEY_PREFIX}*")) == []
        assert totals(reader, case.slug)["total"] == 0

        reader.extensions["change_stamps"].recheck_seconds = 0.2
        time.sleep(0.3)

        assert totals(reader, case.slug)["total"] == 3
    finally:
        for app in (reader, writer):
            with app.app_context():
                dispose_engines()


def test_an_edit_whose_stamp_was_lost_shows_within_the_keep_limit(
    app, database_url, tmp_path, db, new_case, stamps_store
):
    """An edit committed without replacing the stamp (here: through an app without Redis) hides for at most the limit."""
    reader = _worker(database_url, tmp_path / "reader", STAMPS_REDIS_URL, KEPT_ANSWER_SECONDS=0.5)
    try:
        case = new_case()
        assert "detained for his poems" in page(reader, case.slug)
        with app.app_context():
            _db.session.get(Case, case.id).story_markdown = "He was **released** on bail."
            _db.session.commit()
        assert stamps_store.get(stamp_key(case.id)) is None

        time.sleep(0.6)

        assert "<strong>released</strong> on bail" in page(reader, case.slug)
    finally:
        with reader.app_context():
            dispose_engines()


def test_totals_and_reports_stay_right_while_redis_is_unreachable(database_url, tmp_path, db, new_case):
    worker = _worker(database_url, tmp_path / "down", "redis://127.0.0.1:1/11")
    try:
        case = new_case()
        assert totals(worker, case.slug)["total"] == 0
        assert report(worker, case.slug, count=2)["case_total"] == 2
        assert totals(worker, case.slug)["total"] == 2
        assert report(worker, case.slug, count=1)["case_total"] == 3
        assert totals(worker, case.slug)["total"] == 3
    finally:
        with worker.app_context():
            dispose_engines()


def page(app: Flask, slug: str, query: str = "") -> str:
    answer = app.test_client().get(f"/cases/{slug}{query}")
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def without_per_request_values(html: str) -> str:
    """The page with its form's CSRF token and submission id blanked: the only parts that differ per request."""
    return re.sub(r'(name="(?:csrf_token|submission_id)" type="hidden" value=")[^"]*', r"\1", html)


def test_a_kept_action_page_reads_only_the_case_row_and_its_total(workers, new_case):
    worker, _ = workers
    case = new_case()
    first = page(worker, case.slug)
    with recorded_statements(worker) as statements:
        again = page(worker, case.slug)
    assert without_per_request_values(again) == without_per_request_values(first)
    assert again != first
    assert read_case_content(statements) == []
    assert "I am writing to express my concern." in again
    assert "Wang Jiang" in again


def test_an_edit_of_the_story_shows_at_once_on_a_worker_that_kept_the_page(workers, new_case):
    reader, writer = workers
    case = new_case()
    assert "detained for his poems" in page(reader, case.slug)

    with writer.app_context():
        _db.session.get(Case, case.id).story_markdown = "He was **released** on bail."
        _db.session.commit()

    shown = page(reader, case.slug)
    assert "<strong>released</strong> on bail" in shown
    assert "detained for his poems" not in shown


def test_an_edit_of_a_shared_target_shows_at_once_on_every_case_that_links_it(workers, new_case):
    reader, writer = workers
    case = new_case()
    other = new_case()
    with writer.app_context():
        shared_id = _db.session.get(Case, case.id).links_in_role(TargetRole.TARGET)[0].target_id
        _db.session.add(CaseTarget(case_id=other.id, target_id=shared_id, role=TargetRole.TARGET, position=5))
        _db.session.commit()
    assert "Wang Jiang" in page(reader, case.slug)
    assert "Wang Jiang" in page(reader, other.slug)

    with writer.app_context():
        _db.session.get(Target, shared_id).name = "Erkin Tuniyaz"
        _db.session.commit()

    assert "Erkin Tuniyaz" in page(reader, other.slug)
    shown = page(reader, case.slug)
    assert "Erkin Tuniyaz" in shown
    assert "Wang Jiang" not in shown


def test_a_new_update_shows_at_once_on_a_worker_that_kept_the_page(workers, new_case):
    reader, writer = workers
    case = new_case()
    page(reader, case.slug)

    with writer.app_context():
        _db.session.add(TimelineEntry(case_id=case.id, kind="follow_up", text="He was moved to a prison in Urumqi."))
        _db.session.commit()

    assert "He was moved to a prison in Urumqi." in page(reader, case.slug)


def test_the_page_is_kept_per_language(workers, new_case):
    worker, _ = workers
    case = new_case()
    english = page(worker, case.slug)
    chinese = page(worker, case.slug, "?lang=zh")
    assert "What happened" in english
    assert "What happened" not in chinese
    assert "What happened" in page(worker, case.slug)


def test_a_report_shows_at_once_on_a_kept_page_without_rendering_the_case_again(workers, new_case):
    reader, writer = workers
    case = new_case()
    assert '<data class="tally__number" value="0">' in page(reader, case.slug)

    report(writer, case.slug, count=6)

    with recorded_statements(reader) as statements:
        shown = page(reader, case.slug)
    assert '<data class="tally__number" value="6">' in shown
    assert read_case_content(statements) == []
