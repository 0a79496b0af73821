"""The sustained run's row is met only when every part of its target holds, the burst's rate included."""

from __future__ import annotations

from bench.load import NO_ANSWER, Attempt, OpenLoopResult, Phase
from bench.run import sustained_row

PHASES = [Phase(100, 2), Phase(500, 1)]


def run_answered(burst_delay_of, *, burst_errors: int = 0) -> OpenLoopResult:
    """Every sustained report answered 201 in 20 ms; the burst's n-th after ``burst_delay_of(n)`` seconds."""
    attempts: list[Attempt] = []
    for n in range(200):
        attempts.append(Attempt(0, n, n / 100, sent=n / 100, answered=n / 100 + 0.02, status=201, report_id=n))
    for n in range(500):
        due = 2 + n / 500
        if n < burst_errors:
            attempts.append(Attempt(1, 200 + n, due, sent=due, error=NO_ANSWER))
            continue
        answered = due + burst_delay_of(n)
        attempts.append(Attempt(1, 200 + n, due, sent=due, answered=answered, status=201, report_id=200 + n))
    return OpenLoopResult(PHASES, attempts, 201, 1000, 10.0, elapsed=3.5, bound=15.0)


def test_a_burst_served_in_time_with_nothing_lost_is_met():
    result = run_answered(lambda n: 0.02)

    row = sustained_row(result, stored=700, stored_in_run=700, recount_exit=0, recount_output="agree")

    assert row.met is True
    assert row.what == "sustained 100 reports/s for 2 s, then a 1 s burst at 500/s"
    assert "500/s asked, **491/s achieved** (98 %)" in row.measured


def test_a_burst_answered_slower_than_asked_is_not_met_though_nothing_failed():
    result = run_answered(lambda n: 0.2 * n / 500)  # the last answer 0.2 s after the burst's end: p99 still < 250 ms

    row = sustained_row(result, stored=700, stored_in_run=700, recount_exit=0, recount_output="agree")

    assert not result.errors and result.summary(1).p99_ms < 250
    assert row.met is False
    assert "500/s asked, **418/s achieved**" in row.measured


def test_each_other_part_of_the_target_fails_the_row_on_its_own():
    in_time = run_answered(lambda n: 0.02)
    slow_tail = run_answered(lambda n: 0.3 if n % 50 == 0 else 0.02)
    with_errors = run_answered(lambda n: 0.02, burst_errors=1)

    assert sustained_row(in_time, 699, 699, 0, "").met is False, "one lost report"
    assert sustained_row(in_time, 700, 700, 1, "differ").met is False, "recount not clean"
    assert sustained_row(slow_tail, 700, 700, 0, "").met is False, "p99 over 250 ms"
    assert sustained_row(with_errors, 699, 700, 0, "").met is False, "one error"
    assert "1 stored without a 201 in time" in sustained_row(with_errors, 699, 700, 0, "").measured
