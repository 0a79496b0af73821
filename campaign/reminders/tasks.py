"""Celery tasks for reminders: the scan the beat runs every minute, and the batch fan-out."""

from __future__ import annotations

from celery import shared_task
from flask import current_app

import campaign.supporters.tasks  # noqa: F401 (registers the confirmation task that scans queue)
from campaign.extensions import db
from campaign.reminders.fanout import ScanResult, run_scan, send_batch
from campaign.tasks import app_task

SCAN_TASK = "reminders.scan"
SEND_BATCH_TASK = "reminders.send_batch"
CONFIRMATION_TASK = "supporters.send_confirmation"


def queue_scan_work(result: ScanResult) -> None:
    """Queue the batches and confirmation emails a committed scan asked for."""
    for reminder_id, batches in result.batches.items():
        for _ in range(batches):
            app_task(SEND_BATCH_TASK).delay(reminder_id)
    for supporter_id in result.confirmations:
        app_task(CONFIRMATION_TASK).delay(supporter_id)


@shared_task(name=SCAN_TASK, ignore_result=True)
def scan_reminders() -> str:
    """Start due reminders, return stale claims, re-queue stalled fan-outs; then queue the batches."""
    result = run_scan()
    db.session.commit()
    queue_scan_work(result)
    return result.summary()


@shared_task(name=SEND_BATCH_TASK, bind=True, ignore_result=True, acks_late=True)
def send_reminder_batch(self, reminder_id: int) -> dict:
    """Send one batch of a reminder's deliveries; if the server was down, try the rest again after the backoff."""
    outcome = send_batch(reminder_id)
    if outcome.retry_in is not None and not self.app.conf.task_always_eager:
        self.app.tasks[SEND_BATCH_TASK].apply_async((reminder_id,), countdown=outcome.retry_in)
    if outcome.deferred:
        current_app.logger.info("Reminder %s: %d deliveries wait for a retry", reminder_id, outcome.deferred)
    return {"sent": outcome.sent, "failed": outcome.failed, "skipped": outcome.skipped, "deferred": outcome.deferred}
