"""Helpers of the figures tests: reports sent through the public API, snapshots frozen through the task."""

from __future__ import annotations

import pytest

from campaign.figures.models import FiguresSnapshot
from campaign.figures.operations import request_snapshot
from campaign.figures.tasks import freeze_snapshot_task


@pytest.fixture
def report(client):
    """Send one report through the public API, as a supporter would; asserts it was counted."""

    def send(case, **fields) -> None:
        body = {"action_type": "letter", "count": 3, "country": "KZ", **fields}
        answer = client.post(f"/api/v1/cases/{case.slug}/actions", json=body)
        assert answer.status_code == 201, answer.get_json()
        assert answer.get_json()["counted"] == body["count"]

    return send


@pytest.fixture
def freeze(db):
    """Freeze a case's figures (or one target's) through the console's path: a job, then the Celery task."""

    def make(case, target=None, language=None) -> FiguresSnapshot:
        job = request_snapshot(case.id, target.id if target else None, language, requested_by_id=None)
        db.session.commit()
        freeze_snapshot_task.delay(job.id, "http://figures.test/")
        db.session.expire_all()
        snapshot = db.session.get(FiguresSnapshot, _snapshot_id(db, job.id))
        assert snapshot is not None
        return snapshot

    return make


def _snapshot_id(db, job_id: int) -> int:
    from campaign.figures.models import FiguresJob, JobState

    job = db.session.get(FiguresJob, job_id)
    assert job.state == JobState.DONE, (job.state, job.error)
    assert job.progress == 100
    return job.snapshot_id
