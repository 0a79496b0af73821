"""Migration 0012 splits an existing daily totals table at the settled day and the downgrade joins it again,
on PostgreSQL and on SQLite, with every count kept."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from campaign import create_app
from campaign.extensions import db, dispose_engines
from tests.conftest import (
    create_postgres_database,
    drop_postgres_database,
    make_test_config,
    postgres_available,
    require_service,
)

REVISION = "0012"
#: Days before ``today`` of the daily rows the old table holds.
DAYS_AGO = (0, 1, 2, 100)


@pytest.fixture(params=["postgresql", "sqlite"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migration.sqlite3'}"
        return
    require_service("PostgreSQL", postgres_available())
    name = f"uat_test_migration_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    yield create_postgres_database(name)
    drop_postgres_database(name)


def rows(statement: str) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(text(statement)).all()]


def test_the_daily_totals_split_at_the_settled_day_and_join_again_on_downgrade(database_url, tmp_path):
    app = create_app(make_test_config(database_url, tmp_path))
    with app.app_context():
        scripts = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
        before = scripts.get_revision(REVISION).down_revision
        upgrade(revision=before)
        today = datetime.now(UTC).date()
        for days_ago in DAYS_AGO:
            db.session.execute(
                text(
                    "INSERT INTO action_total_daily (case_id, action_type, target_key, country, acted_on, count) "
                    "VALUES (7, 'letter', 0, 'KZ', :day, :count)"
                ),
                {"day": today - timedelta(days=days_ago), "count": days_ago + 1},
            )
        db.session.commit()

        upgrade(revision=REVISION)
        unsettled = rows("SELECT acted_on, count FROM action_total_daily ORDER BY acted_on")
        settled = rows("SELECT acted_on, count FROM action_total_daily_settled ORDER BY acted_on")
        settled_before = db.session.scalar(text("SELECT settled_before FROM rollup_state"))
        db.session.commit()
        downgrade(revision=before)
        joined = rows("SELECT acted_on, count FROM action_total_daily ORDER BY acted_on")
        db.session.commit()
        dispose_engines()

    def day(days_ago: int) -> str:
        return (today - timedelta(days=days_ago)).isoformat()

    assert str(settled_before) == day(1)
    assert [(str(acted_on), count) for acted_on, count in unsettled] == [(day(1), 2), (day(0), 1)]
    assert [(str(acted_on), count) for acted_on, count in settled] == [(day(100), 101), (day(2), 3)]
    assert [(str(acted_on), count) for acted_on, count in joined] == [(day(d), d + 1) for d in sorted(DAYS_AGO)[::-1]]
