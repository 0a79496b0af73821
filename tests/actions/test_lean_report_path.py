"""The report path of a viral case: the case's facts kept per process, the repeat check counted in Redis, one
INSERT, and the answer's total as published; exact all the same.

Two apps on one database and one Redis stand for two gunicorn workers, as in ``test_kept_answers``.
"""

from __future__ import annotations

import psycopg
import pytest
import redis
from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from campaign.actions import operations
from campaign.actions.hold_reasons import SAME_ADDRESS_AGAIN, SAME_EMAIL_AGAIN
from campaign.actions.models import ActionReport, ReportSource, ReviewState
from campaign.actions.operations import submit_report
from campaign.actions.repeats import KEY_PREFIX, MARKER_KEY
from campaign.actions.report_transactions import REPORTS_BIND, DirectTransaction
from campaign.actions.review import change_review_state
from campaign.actions.rollup import run_rollup
from campaign.actions.totals import case_total
from campaign.cases.models import Case, CaseStatus, CaseTarget, TargetRole
from campaign.cases.queries import reporting_case_by_slug
from campaign.extensions import db as _db
from campaign.extensions import dispose_engines
from tests.actions.test_kept_answers import (  # noqa: F401 (fixtures)
    STAMPS_REDIS_URL,
    _worker,
    new_case,
    recorded_statements,
    stamps_store,
    totals,
    workers,
)

EMAIL = "writer@example.org"


def send(app: Flask, slug: str, *, email: str | None = None, address: str = "198.51.100.7", **extra) -> dict:
    body = {"action_type": "letter", "count": 1, "country": "KZ", **({"email": email} if email else {}), **extra}
    answer = app.test_client().post(f"/api/v1/cases/{slug}/actions", json=body, headers={"X-Forwarded-For": address})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def counts_repeats(statements: list[str]) -> bool:
    """Whether the database was asked for a sender's recent reports (``review._same_sender_reports``)."""
    return any("count(*)" in statement and "FROM action_report" in statement for statement in statements)


def recorded_in_redis(store: redis.Redis) -> int:
    """How many reports Redis holds in its senders' counts."""
    return sum(store.zcard(key) for key in store.scan_iter(f"{KEY_PREFIX}*") if key != MARKER_KEY.encode())


def held_reason(app: Flask, report_id: int) -> str | None:
    with app.app_context():
        report = _db.session.get(ActionReport, report_id)
        return report.review_reason if report.review_state == ReviewState.FLAGGED else None


@pytest.fixture
def counting(stamps_store):  # noqa: F811 (the fixture of test_kept_answers)
    """Redis as it is after counting for longer than the window: its counts are whole."""
    stamps_store.set(MARKER_KEY, 0)
    return stamps_store


@pytest.fixture
def behind_a_proxy(database_url, tmp_path, db, stamps_store):  # noqa: F811
    """Two workers that read the client's address from X-Forwarded-For, as behind the production proxy."""
    apps = tuple(
        _worker(database_url, tmp_path / name, STAMPS_REDIS_URL, KEPT_ANSWER_SECONDS=60, PROXY_COUNT=1)
        for name in ("a", "b")
    )
    yield apps
    for app in apps:
        with app.app_context():
            dispose_engines()


def test_the_sixth_report_from_one_email_is_held_without_asking_the_database(behind_a_proxy, counting, new_case):  # noqa: F811
    first, second = behind_a_proxy
    case = new_case()
    limit = first.config["REVIEW_REPEAT_LIMIT"]
    with recorded_statements(first) as statements_first, recorded_statements(second) as statements_second:
        answers = [
            send((first, second)[number % 2], case.slug, email=EMAIL, address=f"198.51.100.{number + 1}")
            for number in range(limit + 1)
        ]
    assert [answer["counted"] for answer in answers] == [1] * limit + [0]
    assert held_reason(first, answers[-1]["id"]) == SAME_EMAIL_AGAIN.format(times=limit, minutes=60)
    assert not counts_repeats(statements_first + statements_second)


def test_the_same_address_is_held_after_its_limit_across_workers(behind_a_proxy, counting, new_case):  # noqa: F811
    first, second = behind_a_proxy
    first.config["REVIEW_REPEAT_ADDRESS_LIMIT"] = second.config["REVIEW_REPEAT_ADDRESS_LIMIT"] = 3
    case = new_case()
    answers = [send((first, second)[number % 2], case.slug) for number in range(4)]
    assert [answer["counted"] for answer in answers] == [1, 1, 1, 0]
    assert held_reason(second, answers[-1]["id"]) == SAME_ADDRESS_AGAIN.format(times=3, minutes=60)
    other_type = send(first, case.slug, action_type="email")
    assert other_type["counted"] == 1


def test_the_count_goes_on_when_redis_forgot_its_scripts_or_dropped_the_connection(behind_a_proxy, counting, new_case):  # noqa: F811
    """Redis loses its scripts on a restart and may close a client's connection: the worker's own connection
    loads the script again, or reconnects, and no report of the sender is missed."""
    first, _ = behind_a_proxy
    first.config["REVIEW_REPEAT_ADDRESS_LIMIT"] = 3
    case = new_case()
    send(first, case.slug)
    counting.script_flush()
    send(first, case.slug)
    counting.client_kill_filter(_type="normal", skipme=True)
    with recorded_statements(first) as statements:
        answers = [send(first, case.slug) for _ in range(2)]
    assert [answer["counted"] for answer in answers] == [1, 0]
    assert not counts_repeats(statements)


def test_until_redis_has_counted_a_whole_window_the_database_decides(behind_a_proxy, stamps_store, new_case):  # noqa: F811
    first, second = behind_a_proxy
    case = new_case()
    limit = first.config["REVIEW_REPEAT_LIMIT"]
    for number in range(limit):
        send(first, case.slug, email=EMAIL, address=f"198.51.100.{number + 1}")
    stamps_store.flushdb()
    with recorded_statements(second) as statements:
        held = send(second, case.slug, email=EMAIL, address="198.51.100.99")
    assert held["counted"] == 0
    assert counts_repeats(statements)


class _RedisAway:
    """A script whose Redis is away when sending, or goes away before its answer (``fails_on``)."""

    def __init__(self, working, fails_on: str) -> None:
        self.working = working
        self.fails_on = fails_on

    def send(self, keys, args) -> None:
        if self.fails_on == "send":
            raise redis.ConnectionError("Redis is away")
        self.working.send(keys, args)

    def receive(self, keys, args) -> list:
        self.working.drop()
        raise redis.ConnectionError("Redis went away")

    def drop(self) -> None:
        self.working.drop()


@pytest.mark.parametrize("fails_on", ["send", "receive"], ids=["away when asked", "gone before answering"])
def test_a_worker_that_stored_a_report_without_redis_makes_every_worker_ask_the_database(
    behind_a_proxy,
    counting,
    new_case,  # noqa: F811
    fails_on,
):
    first, second = behind_a_proxy
    first.config["REVIEW_REPEAT_ADDRESS_LIMIT"] = second.config["REVIEW_REPEAT_ADDRESS_LIMIT"] = 2
    case = new_case()
    send(second, case.slug)
    counter = first.extensions["repeat_counter"]
    working_script = counter.script
    counter.script = _RedisAway(working_script, fails_on)
    send(first, case.slug)
    counter.script = working_script
    counter.unreachable_until = 0.0

    with recorded_statements(first) as statements:
        third = send(first, case.slug)
    assert third["counted"] == 0, "the report stored while Redis was away must count as a repeat"
    assert counts_repeats(statements)


def test_a_report_that_failed_before_its_review_was_read_is_no_repeat(behind_a_proxy, counting, new_case, monkeypatch):  # noqa: F811
    """The repeat count is sent to Redis before the report's connection is checked out: when that fails, the
    count Redis recorded is taken back and the worker's Redis connection stays in step for the next report."""
    first, _ = behind_a_proxy
    first.config["REVIEW_REPEAT_ADDRESS_LIMIT"] = 1
    case = new_case()
    send(first, case.slug)

    def database_away(**keywords):
        raise OperationalError("COMMIT", {}, psycopg.OperationalError("the database is away"))

    monkeypatch.setattr(operations, "report_transaction", database_away)
    body = {"action_type": "letter", "count": 1, "country": "KZ"}
    failed = first.test_client().post(
        f"/api/v1/cases/{case.slug}/actions", json=body, headers={"X-Forwarded-For": "198.51.100.99"}
    )
    assert failed.status_code >= 500
    monkeypatch.undo()
    assert recorded_in_redis(counting) == 1, "only the first address's report counts in Redis"
    with recorded_statements(first) as statements:
        answers = [send(first, case.slug, address="198.51.100.99") for _ in range(2)]
    assert [answer["counted"] for answer in answers] == [1, 0]
    assert recorded_in_redis(counting) == 2, "each sender keeps at most its limit"
    assert not counts_repeats(statements)


@pytest.mark.parametrize("email", [EMAIL, None], ids=["with an email", "anonymous"])
def test_a_replayed_idempotency_key_counts_once_towards_the_repeats(behind_a_proxy, counting, new_case, email):  # noqa: F811
    first, _ = behind_a_proxy
    case = new_case()
    client = first.test_client()
    body = {"action_type": "letter", "count": 1, "country": "KZ", **({"email": email} if email else {})}
    headers = {"X-Forwarded-For": "198.51.100.7", "Idempotency-Key": "retry-1"}
    answers = [client.post(f"/api/v1/cases/{case.slug}/actions", json=body, headers=headers) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [201, 201, 201]
    assert len({answer.get_json()["id"] for answer in answers}) == 1
    assert len({answer.get_data() for answer in answers}) == 1, "a replay answers what the first answer said"
    sets = [key for key in counting.scan_iter(f"{KEY_PREFIX}*") if key != MARKER_KEY.encode()]
    assert len(sets) == (2 if email else 1)
    assert all(counting.zcard(key) == 1 for key in sets)


def test_an_anonymous_report_committed_directly_stays_a_repeat_whatever_the_session_does_after(
    behind_a_proxy,
    counting,
    new_case,  # noqa: F811
):
    """The report is committed in a direct transaction; a rollback of the request's session afterwards (an error
    while answering, say) must not take it out of Redis's counts."""
    first, _ = behind_a_proxy
    case = new_case()
    with first.test_request_context():
        submit_report(
            reporting_case_by_slug(case.slug),
            {"action_type": "letter", "count": 1, "country": "KZ"},
            source=ReportSource.API,
            address_fingerprint="0" * 32,
        )
        _db.session.execute(select(1))
        _db.session.rollback()
    senders = [key for key in counting.scan_iter(f"{KEY_PREFIX}*") if key != MARKER_KEY.encode()]
    assert len(senders) == 1 and counting.zcard(senders[0]) == 1


def test_a_report_on_a_connection_the_database_dropped_fails_whole_and_the_next_is_stored(
    database_url,
    tmp_path,
    counting,
    new_case,  # noqa: F811
):
    worker = _worker(
        database_url,
        tmp_path / "dropped",
        STAMPS_REDIS_URL,
        PROXY_COUNT=1,
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"application_name": "dropped-worker"}},
    )
    try:
        case = new_case()
        send(worker, case.slug)
        with worker.app_context(), _db.engine.connect() as connection:
            dropped = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = 'dropped-worker' AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
        assert dropped >= 1
        refused = worker.test_client().post(
            f"/api/v1/cases/{case.slug}/actions",
            json={"action_type": "letter", "count": 1, "country": "KZ"},
            headers={"X-Forwarded-For": "198.51.100.60"},
        )
        assert refused.status_code == 500
        assert send(worker, case.slug, address="198.51.100.61")["case_total"] == 2
        with worker.app_context():
            assert _db.session.scalar(select(func.count()).select_from(ActionReport)) == 2
        senders = [key for key in counting.scan_iter(f"{KEY_PREFIX}*") if key != MARKER_KEY.encode()]
        assert len(senders) == 2, "the refused report was taken out of the repeat counts again"
    finally:
        with worker.app_context():
            dispose_engines()


def test_redis_keeps_at_most_the_limit_per_sender_and_never_an_email(behind_a_proxy, counting, new_case):  # noqa: F811
    first, _ = behind_a_proxy
    case = new_case()
    for _ in range(9):
        send(first, case.slug, email=EMAIL)
    keys = [key.decode() for key in counting.scan_iter(f"{KEY_PREFIX}*")]
    assert all(EMAIL not in key and "example.org" not in key for key in keys)
    by_email = [key for key in keys if ":email:" in key]
    assert len(by_email) == 1
    assert counting.zcard(by_email[0]) == first.config["REVIEW_REPEAT_LIMIT"]
    assert 0 < counting.pttl(by_email[0]) <= 60 * 60 * 1000


def test_a_case_closed_through_one_worker_refuses_reports_at_once_on_another(workers, new_case):  # noqa: F811
    reporter, organiser = workers
    case = new_case()
    send(reporter, case.slug)
    with organiser.app_context():
        _db.session.get(Case, case.id).status = CaseStatus.CLOSED
        _db.session.commit()
    answer = reporter.test_client().post(
        f"/api/v1/cases/{case.slug}/actions", json={"action_type": "letter", "count": 1, "country": "KZ"}
    )
    assert answer.status_code == 410


def test_a_target_linked_through_one_worker_is_accepted_at_once_by_another(workers, new_case, make_target):  # noqa: F811
    reporter, organiser = workers
    case = new_case()
    send(reporter, case.slug)
    target_id = make_target(name="New Minister").id
    with organiser.app_context():
        _db.session.add(CaseTarget(case_id=case.id, target_id=target_id, role=TargetRole.TARGET, position=5))
        _db.session.commit()
    assert send(reporter, case.slug, target_id=target_id)["counted"] == 1


def roll_up(app: Flask) -> None:
    with app.app_context():
        run_rollup()
        _db.session.commit()


def test_a_report_and_the_read_of_its_total_are_one_statement_when_the_case_is_kept(behind_a_proxy, counting, new_case):  # noqa: F811
    first, _ = behind_a_proxy
    first.extensions["change_stamps"].recheck_seconds = 60
    case = new_case()
    roll_up(first)
    send(first, case.slug)
    with recorded_statements(first) as statements:
        send(first, case.slug, address="198.51.100.50")
    assert len(statements) == 1
    assert statements[0].startswith("WITH") and "inserted AS \n(INSERT INTO action_report" in statements[0]
    assert "FROM action_report" in statements[0] and "rollup_state" in statements[0]


def test_an_anonymous_report_opens_no_session(behind_a_proxy, counting, new_case, monkeypatch):  # noqa: F811
    """A session costs a worker its making and its closing on every request; a report without an email has
    nothing to add to one."""
    first, _ = behind_a_proxy
    case = new_case()
    roll_up(first)
    send(first, case.slug)
    made = []
    make_session = _db.session.registry.createfunc
    monkeypatch.setattr(_db.session.registry, "createfunc", lambda: made.append(1) or make_session())
    answers = [send(first, case.slug, address=f"198.51.100.{number}") for number in range(3)]
    assert [answer["counted"] for answer in answers] == [1, 1, 1]
    assert made == []
    send(first, case.slug, email=EMAIL)
    assert made == [1]


def test_an_answer_read_beside_its_insert_counts_the_report_and_every_one_committed_before(
    behind_a_proxy,
    counting,
    new_case,  # noqa: F811
):
    first, second = behind_a_proxy
    first.extensions["change_stamps"].recheck_seconds = 60
    case = new_case()
    roll_up(first)
    assert send(first, case.slug, count=2)["case_total"] == 2
    assert send(second, case.slug, count=3, address="198.51.100.51")["case_total"] == 5
    with recorded_statements(first) as statements:
        assert send(first, case.slug, count=4, address="198.51.100.52")["case_total"] == 9
    assert len(statements) == 1
    roll_up(first)
    assert send(first, case.slug, count=1, address="198.51.100.53")["case_total"] == 10
    assert send(first, case.slug, count=1, address="198.51.100.54")["case_total"] == 11


def test_each_answer_counts_every_report_before_it_whichever_worker_stored_them(workers, new_case):  # noqa: F811
    first, second = workers
    for app in workers:
        app.extensions["change_stamps"].recheck_seconds = 60
    case = new_case()
    assert totals(first, case.slug)["total"] == 0
    answers = [send((first, second)[number % 2], case.slug, count=number + 1)["case_total"] for number in range(6)]
    assert answers == [1, 3, 6, 10, 15, 21]


def test_under_a_storm_of_reports_a_worker_rebuilds_a_kept_total_at_most_once_per_recheck_interval(
    database_url,
    tmp_path,
    db,
    stamps_store,  # noqa: F811
    new_case,  # noqa: F811
):
    reader = _worker(database_url, tmp_path / "reader", STAMPS_REDIS_URL, KEPT_ANSWER_RECHECK_SECONDS=60)
    writer = _worker(database_url, tmp_path / "writer", STAMPS_REDIS_URL)
    try:
        case = new_case()
        first = totals(reader, case.slug)
        with recorded_statements(reader) as statements:
            for _ in range(5):
                send(writer, case.slug)
                assert totals(reader, case.slug) == first
        assert statements == []
        reader.extensions["change_stamps"].recheck_seconds = 0
        assert totals(reader, case.slug)["total"] == 5
    finally:
        for app in (reader, writer):
            with app.app_context():
                dispose_engines()


def test_every_answer_is_exact_across_workers_rollups_and_reports_with_an_email(behind_a_proxy, counting, new_case):  # noqa: F811
    """Each worker keeps what it has counted above the watermark and reads only what came after; the rollup moving
    the watermark, the other worker's reports and reports written through the session all show in the next answer."""
    first, second = behind_a_proxy
    for app in behind_a_proxy:
        app.extensions["change_stamps"].recheck_seconds = 60
    case = new_case()
    roll_up(first)
    expected = 0
    for number in range(24):
        if number % 5 == 4:
            roll_up(second)
        email = f"writer{number}@example.org" if number % 7 == 3 else None
        answer = send(
            (first, second)[number % 2],
            case.slug,
            count=number % 3 + 1,
            email=email,
            address=f"198.51.100.{100 + number}",
        )
        expected += answer["counted"]
        assert answer["case_total"] == expected, number
    with first.app_context():
        assert case_total(case.id) == expected


def test_a_review_of_a_report_not_yet_rolled_up_shows_in_the_next_answer_of_a_worker_that_counted_past_it(
    behind_a_proxy,
    counting,
    new_case,  # noqa: F811
):
    first, organiser = behind_a_proxy
    first.extensions["change_stamps"].recheck_seconds = 60
    case = new_case()
    roll_up(first)
    assert send(first, case.slug)["case_total"] == 1
    with organiser.app_context():
        held = ActionReport(
            case_id=case.id,
            action_type="letter",
            count=4,
            country="KZ",
            source=ReportSource.WEB,
            review_state=ReviewState.FLAGGED,
        )
        _db.session.add(held)
        _db.session.commit()
        held_id, held_position = held.id, held.commit_xid
    assert send(first, case.slug, address="198.51.100.70")["case_total"] == 2
    assert first.extensions["counted_above_watermark"][case.id].reports_from > held_position, (
        "the worker has counted past the held report"
    )
    with organiser.app_context():
        change_review_state(held_id, ReviewState.COUNTED, reason=None, actor_label="organiser")
        _db.session.commit()
    assert send(first, case.slug, address="198.51.100.71")["case_total"] == 7
    with organiser.app_context():
        change_review_state(held_id, ReviewState.REJECTED, reason="spam", actor_label="organiser")
        _db.session.commit()
    assert send(first, case.slug, address="198.51.100.72")["case_total"] == 4


def test_the_report_path_plans_its_statement_once_per_connection(behind_a_proxy, counting, new_case):  # noqa: F811
    """PostgreSQL would otherwise plan the report's statement again on every report (a custom plan each time)."""
    first, _ = behind_a_proxy
    case = new_case()
    roll_up(first)
    for number in range(12):
        send(first, case.slug, address=f"198.51.100.{140 + number}")
    with first.app_context():
        pooled = _db.engines[REPORTS_BIND].raw_connection()
        try:
            plans = pooled.driver_connection.execute(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%inserted AS%INSERT INTO action_report%'"
            ).fetchall()
        finally:
            pooled.close()
    assert plans, "the report's statement is prepared"
    assert sum(generic for generic, _ in plans) >= 5 and all(custom == 0 for _, custom in plans)


def test_an_anonymous_report_is_committed_by_its_own_statement_and_a_keyed_one_only_at_the_commit(
    behind_a_proxy,
    counting,
    new_case,  # noqa: F811
    database_url,
    monkeypatch,
):
    """A report written by one statement needs no COMMIT round trip; one written with its idempotency row (the API
    with a key, two statements) stays one transaction until the commit."""
    first, _ = behind_a_proxy
    case = new_case()
    roll_up(first)
    seen_before_commit = []
    commit = DirectTransaction.commit

    def commit_and_note(transaction):
        with psycopg.connect(database_url.replace("postgresql+psycopg://", "postgresql://")) as other:
            seen_before_commit.append(
                other.execute("SELECT count(*) FROM action_report WHERE case_id = %s", (case.id,)).fetchone()[0]
            )
        commit(transaction)

    monkeypatch.setattr(DirectTransaction, "commit", commit_and_note)
    send(first, case.slug)
    answer = first.test_client().post(
        f"/api/v1/cases/{case.slug}/actions",
        json={"action_type": "letter", "count": 1, "country": "KZ"},
        headers={"X-Forwarded-For": "198.51.100.90", "Idempotency-Key": "one-transaction"},
    )
    assert answer.status_code == 201
    assert seen_before_commit == [1, 1], "the anonymous report was committed by its statement, the keyed one not yet"
