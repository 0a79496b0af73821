"""The integration suite's stack: real PostgreSQL, Redis, Celery worker, beat and gunicorn processes.

Each run gets a PostgreSQL database of its own and Redis db 10 of the machine's server (flushed
before and after, never anything else); the Redis-stopped test starts a redis-server of its own on
a free port, and the crash test an ``initdb`` cluster of its own in a temporary folder. Every
process a test starts runs in its own process group and is stopped (the whole group) when the test
ends. Under ``CI=true`` a missing service fails the test instead of skipping it.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest
import redis
from celery import Celery
from flask import Flask
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench.procs import procfile_gunicorn_options
from campaign.actions.rollup import rollup_status
from campaign.actions.tasks import ROLLUP_TASK
from campaign.cases.models import Case, CaseStatus, CaseTarget, ModelLetter, Person, Target, TargetRole
from campaign.extensions import db as _db
from campaign.extensions import dispose_engines
from tests.conftest import (
    create_postgres_database,
    drop_postgres_database,
    make_test_config,
    migrated_app,
    postgres_available,
    require_service,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
#: The machine's Redis; this suite owns dbs 10 and 11 of it (and flushes only those).
MACHINE_REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
BROKER_DB = 10
SECRET_KEY = "integration-secret-key-" + "x" * 24
#: Generous limits: the suite's thousand reports come from one address on purpose.
HIGH_REPORT_LIMIT = "100000 per minute;1000000 per day"
STARTUP_TIMEOUT = 30.0
PR_SET_PDEATHSIG = 1


def redis_available(url: str) -> bool:
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError:
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], bool], *, timeout: float, interval: float = 0.1, what: str) -> float:
    """Poll ``condition`` until true; fail after ``timeout`` seconds. Returns the seconds it took."""
    start = time.monotonic()
    while True:
        if condition():
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def _terminate_with_the_suite() -> None:
    """In the child: ask Linux for SIGTERM if the test run dies first, so no server outlives a killed run."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class StartedProcess:
    """A process the suite started, in a process group of its own, with its output in a log file."""

    name: str
    popen: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Send ``sig`` to the whole group (a Celery worker's pool children too) and reap the leader."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)
        try:
            self.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=5)
        self._wait_for_group_to_end()

    def stop(self) -> None:
        self.kill(signal.SIGTERM)

    def _wait_for_group_to_end(self) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.killpg(self.popen.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)


@dataclass
class Processes:
    """Starts the stack's processes for one test and stops every one of them afterwards."""

    directory: Path
    started: list[StartedProcess] = field(default_factory=list)

    def start(self, name: str, command: list[str], env: dict[str, str]) -> StartedProcess:
        log_path = self.directory / f"{name}-{len(self.started)}.log"
        with log_path.open("wb") as log:
            popen = subprocess.Popen(
                command,
                cwd=PROJECT_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_terminate_with_the_suite,
            )
        process = StartedProcess(name, popen, log_path)
        self.started.append(process)
        return process

    def worker(self, env: dict[str, str]) -> StartedProcess:
        """``celery -A worker worker`` as the Procfile runs it, waited for until it says it is ready."""
        process = self.start(
            "worker",
            [str(BIN / "celery"), "-A", "worker", "worker", "--loglevel", "INFO", "--concurrency", "2"],
            env,
        )
        wait_until(
            lambda: " ready." in process.log() or process.popen.poll() is not None,
            timeout=STARTUP_TIMEOUT,
            what="the Celery worker to be ready",
        )
        assert process.popen.poll() is None, process.log()
        return process

    def beat(self, env: dict[str, str]) -> StartedProcess:
        schedule = self.directory / f"beat-schedule-{uuid.uuid4().hex[:6]}"
        return self.start(
            "beat",
            [str(BIN / "celery"), "-A", "worker", "beat", "--loglevel", "INFO", "--schedule", str(schedule)],
            env,
        )

    def web(self, env: dict[str, str], workers: int = 2) -> str:
        """gunicorn as the Procfile runs it, on a free port of 127.0.0.1; returns its base URL."""
        port = free_port()
        process = self.start(
            "web",
            [
                str(BIN / "gunicorn"),
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                *procfile_gunicorn_options(),
                "wsgi:app",
            ],
            env,
        )
        base = f"http://127.0.0.1:{port}"

        def answers() -> bool:
            assert process.popen.poll() is None, process.log()
            return http_get(base + "/api/v1/cases")[0] == 200

        wait_until(answers, timeout=STARTUP_TIMEOUT, interval=0.2, what="gunicorn to answer")
        return base

    def stop_all(self) -> None:
        for process in reversed(self.started):
            process.stop()


@pytest.fixture
def processes(tmp_path) -> Iterator[Processes]:
    started = Processes(tmp_path)
    yield started
    started.stop_all()


def http_get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (the suite's own server on 127.0.0.1)
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return 0, ""


def http_post_json(url: str, body: dict, headers: dict[str, str] | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 (the suite's own server on 127.0.0.1)
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, {}
    except OSError:
        return 0, {}


def stack_env(database_url: str, redis_url: str | None, instance_path: Path) -> dict[str, str]:
    """The environment of the production shape: the variables SPEC §6 names, nothing of this test run."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "INSTANCE_PATH", "MAIL_URL"}
    }
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=SECRET_KEY,
        INSTANCE_PATH=str(instance_path),
        RATELIMIT_REPORTS=HIGH_REPORT_LIMIT,
        PYTHONUNBUFFERED="1",
    )
    if redis_url is not None:
        env["REDIS_URL"] = redis_url
    return env


@pytest.fixture(scope="session")
def stack_database_url() -> Iterator[str]:
    require_service("PostgreSQL", postgres_available())
    name = f"uat_integration_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    yield create_postgres_database(name)
    drop_postgres_database(name)


@pytest.fixture(scope="session")
def stack_app(stack_database_url, tmp_path_factory) -> Iterator[Flask]:
    app = migrated_app(make_test_config(stack_database_url, tmp_path_factory.mktemp("stack-instance")))
    yield app
    with app.app_context():
        dispose_engines()


@pytest.fixture
def stack_db(stack_app) -> Iterator:
    """The suite's database in this process; every table is emptied after the test."""
    with stack_app.app_context():
        yield _db
        _db.session.rollback()
        _db.session.remove()
        tables = ", ".join(f'"{table.name}"' for table in _db.metadata.sorted_tables)
        with _db.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def broker_url() -> Iterator[str]:
    """Redis db 10 of the machine's server, empty before and after the test."""
    url = f"{MACHINE_REDIS}/{BROKER_DB}"
    require_service("Redis", redis_available(url))
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


def psycopg_url(database_url: str) -> str:
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def trigger_rollup(broker: str) -> None:
    """Send the rollup task as beat does, through the broker."""
    celery = Celery("integration-tests", broker=broker)
    try:
        celery.send_task(ROLLUP_TASK, expires=30)
    finally:
        celery.close()


def wait_for_rollup(db, *, timeout: float, broker: str | None = None, resend_every: float = 2.0) -> float:
    """Wait until no report waits above the watermark (re-sending the trigger if ``broker`` is given)."""
    last_sent = 0.0

    def caught_up() -> bool:
        nonlocal last_sent
        if broker is not None and time.monotonic() - last_sent > resend_every:
            # The broker may still be coming back; the next try resends.
            with contextlib.suppress(Exception):
                trigger_rollup(broker)
            last_sent = time.monotonic()
        db.session.rollback()
        return rollup_status().waiting_reports == 0 and rollup_status().rolled_up_at is not None

    return wait_until(caught_up, timeout=timeout, interval=0.2, what="the rollup to catch up")


@dataclass(frozen=True)
class CaseRef:
    """A stored case's id and slug, safe to use from any thread (a model instance is not)."""

    id: int
    slug: str


def create_active_case(db, slug: str = "integration-case") -> CaseRef:
    """An active case with one target, as the pages and the API need it."""
    target = Target(
        name="Wang Jiang",
        title="Director",
        organisation="Prison Administration Bureau",
        address="Urumqi",
        emails=[],
        faxes=[],
        phones=[],
        salutation="Dear Director Wang",
    )
    case = Case(
        slug=slug,
        ua_number="63.20",
        headline="Writer sentenced in secret trial",
        story_markdown="A writer was detained for his poems.",
        status=CaseStatus.ACTIVE,
        deadline_on=date.today() + timedelta(days=10),
        issued_on=date.today() - timedelta(days=5),
        preferred_languages=["en"],
        goal=10_000,
    )
    case.people = [Person(name="Nagyz Muhammed", position=0)]
    case.letters = [ModelLetter(language="en", body="I am writing to express my concern.", position=0)]
    case.target_links = [CaseTarget(target=target, role=TargetRole.TARGET, position=0)]
    db.session.add(case)
    db.session.flush()
    stored = CaseRef(id=case.id, slug=case.slug)
    db.session.commit()
    return stored


INSERT_REPORTS = """
INSERT INTO action_report (case_id, action_type, count, country, source, review_state, acted_on, created_at)
SELECT %(case_id)s, (ARRAY['letter', 'email', 'tweet'])[1 + n %% 3], 1 + n %% 7,
       (ARRAY['DE', 'KZ', 'FR', 'US', 'GB'])[1 + n %% 5], 'api',
       CASE WHEN n %% 50 = 0 THEN 'flagged' ELSE 'counted' END,
       current_date - (n %% 20), now()
FROM generate_series(1, %(number)s) AS n
"""


def insert_reports(database_url: str, case_id: int, number: int) -> None:
    """Many reports at once, straight into the table (the API path is what test (a) proves)."""
    with psycopg.connect(psycopg_url(database_url)) as connection:
        connection.execute(INSERT_REPORTS, {"case_id": case_id, "number": number})


class ThrowawayCluster:
    """A PostgreSQL cluster made with ``initdb`` in a temporary folder, never the machine's own server."""

    def __init__(self) -> None:
        self.is_root = os.geteuid() == 0
        self.directory = Path(tempfile.mkdtemp(prefix="uat-crash-pg-"))
        self.data = self.directory / "data"
        self.port = free_port()
        if self.is_root:
            shutil.chown(self.directory, "postgres", "postgres")

    def run(self, *command: str) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if self.is_root else []
        return subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120, check=True)

    def initdb(self) -> None:
        self.run(
            shutil.which("initdb") or "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
        )

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory}"
        self.run(
            shutil.which("pg_ctl") or "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.directory / "server.log"),
            "-o",
            options,
            "-w",
            "start",
        )

    def crash(self) -> None:
        """Stop the server the way a power cut or an OOM kill would: no checkpoint, no clean shutdown."""
        self.run(shutil.which("pg_ctl") or "pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                [
                    *(["runuser", "-u", "postgres", "--"] if self.is_root else []),
                    shutil.which("pg_ctl") or "pg_ctl",
                    "-D",
                    str(self.data),
                    "-m",
                    "fast",
                    "stop",
                ],
                capture_output=True,
                timeout=60,
                check=False,
            )
        shutil.rmtree(self.directory, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"


@pytest.fixture
def throwaway_cluster() -> Iterator[ThrowawayCluster]:
    has_tools = shutil.which("initdb") is not None and shutil.which("pg_ctl") is not None
    require_service("initdb and pg_ctl (PostgreSQL server binaries)", has_tools)
    cluster = ThrowawayCluster()
    try:
        cluster.initdb()
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


class OwnRedis:
    """A redis-server of the test's own on a free port, with no persistence: stopping it loses its queue."""

    def __init__(self, processes: Processes) -> None:
        self.processes = processes
        self.port = free_port()
        self.process: StartedProcess | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = self.processes.start(
            "redis",
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            {"PATH": os.environ.get("PATH", "")},
        )
        wait_until(lambda: redis_available(self.url), timeout=STARTUP_TIMEOUT, what="redis-server to start")

    def stop(self) -> None:
        assert self.process is not None
        self.process.stop()
        assert not redis_available(self.url)


@pytest.fixture
def own_redis(processes) -> OwnRedis:
    require_service("redis-server", shutil.which("redis-server") is not None)
    return OwnRedis(processes)
