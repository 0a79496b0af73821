"""Background work on reports: Celery only triggers it; where the work has got to lives in PostgreSQL."""

from __future__ import annotations

from celery import shared_task

from campaign.actions.operations import purge_expired_idempotency_records
from campaign.actions.rollup import run_rollup, settle_days
from campaign.extensions import db

ROLLUP_TASK = "actions.rollup_totals"
SETTLE_TASK = "actions.settle_daily_totals"
PURGE_IDEMPOTENCY_TASK = "actions.purge_idempotency_records"


@shared_task(name=ROLLUP_TASK, ignore_result=True)
def rollup_totals() -> None:
    """Fold reports committed since the watermark into the totals; a lost or repeated trigger changes nothing.

    Beat sends it every few seconds. It skips when another run holds the watermark, because that
    run is folding the same rows; whatever arrives meanwhile waits for the next trigger.
    """
    run_rollup(wait=False)
    db.session.commit()


@shared_task(name=SETTLE_TASK, ignore_result=True)
def settle_daily_totals() -> None:
    """Move the daily totals of the days that are over out of the table the rollup writes into.

    Beat sends it hourly; it moves rows once a day, and a lost or repeated trigger changes nothing.
    """
    settle_days()
    db.session.commit()


@shared_task(name=PURGE_IDEMPOTENCY_TASK, ignore_result=True)
def purge_idempotency_records() -> None:
    """Drop remembered answers whose Idempotency-Key window has passed (beat sends it hourly)."""
    purge_expired_idempotency_records()
    db.session.commit()
