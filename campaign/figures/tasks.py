"""Celery tasks of the figures: freezing a snapshot renders a PDF, so it runs off the request."""

from __future__ import annotations

from celery import shared_task

from campaign.figures.operations import run_snapshot_job


@shared_task(name="figures.freeze_snapshot", ignore_result=True)
def freeze_snapshot_task(job_id: int, base_url: str | None = None) -> int | None:
    """Run one snapshot job; its progress is kept on the job's row for the console."""
    return run_snapshot_job(job_id, base_url)
