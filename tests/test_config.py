"""Configuration read from the environment, and the Celery settings the app relies on."""

from __future__ import annotations

import subprocess
import sys

import pytest

from campaign import PROJECT_ROOT, create_app
from config import Config, ConfigurationError

SERVICE_VARIABLES = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "MAIL_URL", "RATELIMIT_ENABLED", "INSTANCE_PATH")


@pytest.fixture
def environment(monkeypatch, tmp_path):
    for name in SERVICE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    return monkeypatch


def test_the_embedded_default_needs_no_service_and_keeps_a_generated_key(environment, tmp_path):
    first = Config.from_environment()
    second = Config.from_environment()

    assert f"sqlite:///{tmp_path / 'campaign.sqlite3'}" == first.SQLALCHEMY_DATABASE_URI
    assert first.IS_EMBEDDED is True
    assert first.RATELIMIT_STORAGE_URI == "memory://"
    assert len(first.SECRET_KEY) == 64
    assert first.SECRET_KEY == second.SECRET_KEY
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_the_embedded_default_runs_celery_tasks_in_process(environment):
    celery = create_app(Config.from_environment()).extensions["celery"]

    assert celery.conf.task_always_eager is True
    assert celery.conf.task_eager_propagates is True


def test_outside_the_embedded_default_start_up_refuses_without_a_secret_key(environment):
    environment.setenv("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/anything")

    with pytest.raises(ConfigurationError, match="SECRET_KEY is not set"):
        Config.from_environment()


def test_with_redis_celery_keeps_work_through_a_workers_death(environment):
    environment.setenv("REDIS_URL", "redis://127.0.0.1:6379/9")
    environment.setenv("SECRET_KEY", "k" * 40)

    conf = create_app(Config.from_environment()).extensions["celery"].conf

    assert conf.task_always_eager is False
    assert conf.broker_url == "redis://127.0.0.1:6379/9"
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.broker_connection_retry_on_startup is True
    assert conf.broker_transport_options["visibility_timeout"] >= 3600


def test_with_redis_rate_limits_are_kept_in_redis(environment):
    environment.setenv("REDIS_URL", "redis://127.0.0.1:6379/9")
    environment.setenv("SECRET_KEY", "k" * 40)

    assert Config.from_environment().RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379/9"


def test_rate_limits_can_be_turned_off_for_load_tests(environment):
    environment.setenv("RATELIMIT_ENABLED", "0")

    assert Config.from_environment().RATELIMIT_ENABLED is False


def test_building_the_app_configures_every_mapper_before_gunicorn_forks(environment):
    """A new web or Celery worker (gunicorn replaces one every 20,000 requests) serves its first request without
    configuring the ORM's mappers first, a stall of about 100 ms that the preloaded parent pays once instead."""
    probe = (
        "from campaign import create_app\n"
        "from campaign.extensions import db\n"
        "from config import Config\n"
        "create_app(Config.from_environment())\n"
        "mappers = list(db.Model.registry.mappers)\n"
        "print(len(mappers), sum(not mapper.configured for mapper in mappers))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT, timeout=120
    )

    mapped, unconfigured = map(int, completed.stdout.split())
    assert mapped > 10
    assert unconfigured == 0
