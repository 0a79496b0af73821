"""Fixtures: one app and one migrated database per run, emptied after each test.

The suite runs on the machine's PostgreSQL (the production database) in a database of its own;
outside CI, without PostgreSQL, it falls back to SQLite. Tests commit for real, because
idempotency and concurrency are part of what they prove, so each test ends by emptying every
table instead of rolling back.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest
import redis
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text

from campaign import create_app
from campaign.cases.models import Ask, Case, CaseStatus, CaseTarget, ModelLetter, Person, Target, TargetRole
from campaign.extensions import db as _db
from campaign.extensions import dispose_engines, limiter
from config import TestConfig
from tests.privacy import database_text, redis_text

IN_CI = os.environ.get("CI") == "true"
#: Every test request comes from this documentation-range address, so that a leak of it is findable.
SUITE_CLIENT_ADDRESS = "203.0.113.9"
#: The suite's rate limits live in this Redis database, as they would in production.
SUITE_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def postgres_available() -> bool:
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def require_service(name: str, available: bool) -> None:
    """Fail under CI, skip elsewhere, when a service the test needs is missing."""
    if available:
        return
    message = f"{name} is not reachable on this machine"
    if IN_CI:
        pytest.fail(message + " (CI=true: a missing service fails the test)")
    pytest.skip(message)


def create_postgres_database(name: str) -> str:
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"


def drop_postgres_database(name: str) -> None:
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_test_config(database_url: str, instance_path: Path, **overrides) -> type[TestConfig]:
    return type(
        "SuiteConfig",
        (TestConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": instance_path,
            "OUTBOX_PATH": instance_path / "outbox",
            **overrides,
        },
    )


def migrated_app(config: type[TestConfig]) -> Flask:
    app = create_app(config)
    with app.app_context():
        upgrade()
    return app


def redis_available(url: str = SUITE_REDIS_URL) -> bool:
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile each message catalogue whose .po is newer than its .mo, as `make install` does (no .mo is committed)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in (Path(__file__).resolve().parent.parent / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=po_path.parent.parent.name)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)


@pytest.fixture(scope="session", autouse=True)
def suite_log(tmp_path_factory) -> Iterator[Path]:
    """Everything logged during the run, as production would write it; no client address may be in it."""
    path = tmp_path_factory.mktemp("logs") / "suite.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield path
    root.removeHandler(handler)
    handler.close()
    root.setLevel(previous_level)
    assert SUITE_CLIENT_ADDRESS not in path.read_text(encoding="utf-8"), "a client address was written to the logs"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    if postgres_available():
        name = f"uat_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        yield create_postgres_database(name)
        drop_postgres_database(name)
        return
    if IN_CI:
        pytest.fail("PostgreSQL is not reachable at 127.0.0.1:5432 (CI=true: the suite needs it)")
    yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'suite.sqlite3'}"


@pytest.fixture(scope="session")
def rate_limit_storage() -> str:
    if redis_available():
        redis.Redis.from_url(SUITE_REDIS_URL).flushdb()
        return SUITE_REDIS_URL
    if IN_CI:
        pytest.fail(f"Redis is not reachable at {SUITE_REDIS_URL} (CI=true: the suite needs it)")
    return "memory://"


@pytest.fixture(scope="session")
def app(database_url, rate_limit_storage, tmp_path_factory) -> Iterator[Flask]:
    app = migrated_app(
        make_test_config(database_url, tmp_path_factory.mktemp("instance"), RATELIMIT_STORAGE_URI=rate_limit_storage)
    )
    yield app
    with app.app_context():
        dispose_engines()


def make_celery_app_current(app: Flask) -> None:
    """Shared tasks run on the current Celery app; another test's app may have taken that place."""
    celery_app = app.extensions["celery"]
    celery_app.set_current()
    celery_app.set_default()


@pytest.fixture
def db(app, rate_limit_storage) -> Iterator:
    make_celery_app_current(app)
    with app.app_context():
        yield _db
        _db.session.rollback()
        stored = database_text(_db)
        _db.session.rollback()
        _db.session.remove()
        cached = redis_text(rate_limit_storage) if rate_limit_storage.startswith("redis") else ""
        empty_every_table()
        assert SUITE_CLIENT_ADDRESS not in stored, "a client address was stored in the database"
        assert SUITE_CLIENT_ADDRESS not in cached, "a client address was stored in Redis"


def empty_every_table() -> None:
    tables = [table.name for table in reversed(_db.metadata.sorted_tables)]
    if _db.engine.dialect.name == "postgresql":
        quoted = ", ".join(f'"{name}"' for name in tables)
        with _db.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    else:
        with _db.engine.begin() as connection:
            for name in tables:
                connection.execute(text(f'DELETE FROM "{name}"'))


@pytest.fixture
def client(app, db):
    """A test client whose requests come from ``SUITE_CLIENT_ADDRESS``, with fresh rate limits."""
    limiter.init_app(app)
    limiter.reset()
    test_client = app.test_client()
    test_client.environ_base["REMOTE_ADDR"] = SUITE_CLIENT_ADDRESS
    return test_client


@pytest.fixture
def make_target(db):
    def make(**overrides) -> Target:
        values = {
            "name": "Wang Jiang",
            "title": "Director",
            "organisation": "Prison Administration Bureau of Xinjiang Uyghur Autonomous Region",
            "address": "No 380, Huanghe lu\nUrumqi, 830000\nPeople's Republic of China",
            "emails": [],
            "faxes": [],
            "phones": [],
            "salutation": "Dear Director Wang",
            **overrides,
        }
        target = Target(**values)
        db.session.add(target)
        db.session.commit()
        return target

    return make


@pytest.fixture
def make_case(db, make_target):
    """An active case with a person, two asks, a target and a copy, and an English letter."""
    counter = iter(range(1, 10_000))

    def make(**overrides) -> Case:
        number = next(counter)
        values = {
            "slug": f"test-case-{number}",
            "ua_number": f"{number}.26",
            "headline": "Writer sentenced in secret trial",
            "story_markdown": "A **writer** was detained for his poems.",
            "status": CaseStatus.ACTIVE,
            "deadline_on": date.today() + timedelta(days=10),
            "issued_on": date.today() - timedelta(days=5),
            "preferred_languages": ["zh", "en"],
            "goal": 1000,
            **overrides,
        }
        case = Case(**values)
        case.people = [Person(name="Nagyz Muhammed", native_name="纳吉兹·穆罕默德", pronouns="he/him", position=0)]
        case.asks = [
            Ask(text="Release Nagyz Muhammed immediately and unconditionally", position=0),
            Ask(text="Allow him access to his family and a lawyer of his choice", position=1),
        ]
        case.letters = [ModelLetter(language="en", body="I am writing to express my concern.", position=0)]
        target = make_target()
        copy = make_target(
            name="Cui Tiankai",
            title="Ambassador",
            organisation="Embassy of the People's Republic of China",
            emails=["chinaembpress_us@mfa.gov.cn"],
            phones=["202 495 2266"],
            faxes=["202 495 2138"],
            salutation="Dear Ambassador",
        )
        case.target_links = [
            CaseTarget(target=target, role=TargetRole.TARGET, position=0),
            CaseTarget(target=copy, role=TargetRole.COPY, position=1),
        ]
        db.session.add(case)
        db.session.commit()
        return case

    return make
