"""The rollup's trigger: a beat entry that Celery may lose or repeat, under settings that survive a worker's death."""

from __future__ import annotations

import importlib
import sys

import celery
import pytest

from campaign.actions.tasks import ROLLUP_TASK, SETTLE_TASK

SERVICE_VARIABLES = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "MAIL_URL", "RATELIMIT_ENABLED", "INSTANCE_PATH")


@pytest.fixture
def worker_module(monkeypatch, tmp_path):
    """The ``worker`` package as ``celery -A worker`` imports it, with Redis configured (db 12, never contacted)."""
    for name in SERVICE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/12")
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    saved = {name: sys.modules.pop(name) for name in ("worker", "wsgi") if name in sys.modules}
    # Building an app makes its Celery app the default; the tests after this one must keep theirs.
    default_celery = celery.current_app._get_current_object()
    module = importlib.import_module("worker")
    yield module
    default_celery.set_default()
    for name in ("worker", "wsgi"):
        sys.modules.pop(name, None)
    sys.modules.update(saved)


def test_beat_triggers_the_rollup_every_few_seconds_with_no_eta_beyond_the_visibility_timeout(worker_module):
    conf = worker_module.celery.conf
    entry = next(entry for entry in conf.beat_schedule.values() if entry["task"] == ROLLUP_TASK)

    assert entry["schedule"] <= 5
    assert "countdown" not in entry.get("options", {})
    assert "eta" not in entry.get("options", {})
    assert entry["options"]["expires"] < conf.broker_transport_options["visibility_timeout"]
    assert "campaign.actions.tasks" in conf.imports


def test_beat_asks_hourly_to_settle_the_days_that_are_over(worker_module):
    conf = worker_module.celery.conf
    entry = next(entry for entry in conf.beat_schedule.values() if entry["task"] == SETTLE_TASK)

    assert entry["schedule"] <= 3600
    assert entry["options"]["expires"] < entry["schedule"]


def test_the_worker_keeps_work_through_its_death(worker_module):
    conf = worker_module.celery.conf

    assert conf.task_always_eager is False
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.broker_connection_retry_on_startup is True
