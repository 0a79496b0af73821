"""Fixtures for reminders and supporters: a clean outbox, a real SMTP server, an app that sends through it."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask

from campaign import create_app
from campaign.extensions import dispose_engines
from config import celery_settings
from tests.conftest import make_test_config, require_service
from tests.reminders.helpers import SmtpServer


@pytest.fixture
def outbox(app, db) -> Path:
    """The embedded default's outbox, emptied before the test."""
    path = Path(app.config["OUTBOX_PATH"])
    shutil.rmtree(path, ignore_errors=True)
    return path


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on loopback, stopped after the test."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_app(app, db, database_url, smtp_server, tmp_path) -> Iterator[Flask]:
    """An app on the suite's database whose mail goes to ``smtp_server``; tasks run eagerly.

    Building it makes its Celery app the current one, so the suite's is made current again after.
    """
    config = make_test_config(
        database_url, tmp_path / "instance", MAIL_URL=smtp_server.url, REMINDER_RETRY_BASE_SECONDS=1, MAIL_TIMEOUT=5
    )
    smtp_flask_app = create_app(config)
    try:
        with smtp_flask_app.app_context():
            yield smtp_flask_app
    finally:
        with smtp_flask_app.app_context():
            dispose_engines()
        suite_celery = app.extensions["celery"]
        suite_celery.set_current()
        suite_celery.set_default()


# The real stack: a Celery worker process on Redis db 14, as in tests/integration/conftest.py ----

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
#: This feature's Redis db (14), flushed before and after each test that uses it, never anything else.
BROKER_URL = os.environ.get("TEST_REMINDERS_REDIS_URL", "redis://127.0.0.1:6379/14")
STARTUP_TIMEOUT = 30.0
#: Short timings so that recovery happens within a test: a claim is stale after 3 s, a quiet fan-out is re-queued after 2 s.
FAST_TIMINGS = {
    "REMINDER_BATCH_SIZE": 50,
    "REMINDER_CLAIM_TIMEOUT_SECONDS": 3,
    "REMINDER_STALL_SECONDS": 2,
    "REMINDER_RETRY_BASE_SECONDS": 1,
}


def wait_until(
    condition: Callable[[], bool],
    *,
    timeout: float,
    interval: float = 0.1,
    what: str,
    explain: Callable[[], str] | None = None,
) -> float:
    """Poll ``condition`` until true; fail after ``timeout`` seconds (saying ``explain()``). Returns the seconds it took."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}" + (f"\n{explain()}" if explain else ""))
        time.sleep(interval)
    return time.monotonic() - start


class WorkerProcess:
    """``celery -A worker worker`` in a process group of its own; ``kill`` SIGKILLs the whole group."""

    def __init__(self, env: dict[str, str], log_directory: Path, concurrency: int = 1):
        self.env = env
        self.log_directory = log_directory
        self.concurrency = concurrency
        self.popen: subprocess.Popen | None = None
        self.log_path = log_directory / "worker-0.log"
        self.starts = 0

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def start(self) -> None:
        self.log_path = self.log_directory / f"worker-{self.starts}.log"
        self.starts += 1
        command = [
            str(BIN / "celery"), "-A", "worker", "worker", "--loglevel", "INFO",
            "--concurrency", str(self.concurrency), "--without-gossip", "--without-mingle",
            "--hostname", f"reminders-test-{uuid.uuid4().hex[:6]}@%h",
        ]  # fmt: skip
        with self.log_path.open("wb") as log:
            self.popen = subprocess.Popen(
                command, cwd=PROJECT_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_until(
            lambda: " ready." in self.log() or self.popen.poll() is not None,
            timeout=STARTUP_TIMEOUT,
            what="the Celery worker to be ready",
        )
        assert self.popen.poll() is None, self.log()

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)
        try:
            self.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=5)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.killpg(self.popen.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen = None

    def stop(self) -> None:
        self.kill(signal.SIGTERM)


def redis_available(url: str) -> bool:
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


@pytest.fixture
def broker_url() -> Iterator[str]:
    """Redis db 14, empty before and after the test."""
    require_service("Redis", redis_available(BROKER_URL))
    client = redis.Redis.from_url(BROKER_URL)
    client.flushdb()
    yield BROKER_URL
    client.flushdb()
    client.close()


@pytest.fixture
def stack_env(app, database_url, broker_url, smtp_server, tmp_path) -> dict[str, str]:
    """The production shape's environment for the worker and the command line (SPEC §6)."""
    require_service("PostgreSQL", database_url.startswith("postgresql"))
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "INSTANCE_PATH", "MAIL_URL"}
    }
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=broker_url,
        SECRET_KEY=app.config["SECRET_KEY"],
        MAIL_URL=smtp_server.url,
        INSTANCE_PATH=str(tmp_path / "stack-instance"),
        PYTHONUNBUFFERED="1",
        **{name: str(value) for name, value in FAST_TIMINGS.items()},
    )
    return env


@pytest.fixture
def worker(stack_env, tmp_path) -> Iterator[WorkerProcess]:
    """A real Celery worker with one pool process (so a SIGKILL catches at most one message in flight)."""
    process = WorkerProcess(stack_env, tmp_path)
    process.start()
    yield process
    process.stop()


@pytest.fixture
def stack_app(app, db, database_url, broker_url, smtp_server, tmp_path) -> Iterator[Flask]:
    """An app in this process that queues tasks on Redis db 14 for the worker, as the web process does."""
    config = make_test_config(
        database_url,
        tmp_path / "instance",
        REDIS_URL=broker_url,
        CELERY=celery_settings(broker_url),
        MAIL_URL=smtp_server.url,
        **FAST_TIMINGS,
    )
    stack_flask_app = create_app(config)
    assert stack_flask_app.extensions["celery"].conf.task_always_eager is False
    try:
        with stack_flask_app.app_context():
            yield stack_flask_app
    finally:
        with stack_flask_app.app_context():
            dispose_engines()
        stack_flask_app.extensions["celery"].close()
        suite_celery = app.extensions["celery"]
        suite_celery.set_current()
        suite_celery.set_default()


def send_due_command(env: dict[str, str]) -> str:
    """``flask --app wsgi reminders send-due``, as an operator or cron would run it."""
    finished = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "reminders", "send-due"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout
