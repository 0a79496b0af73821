"""The models and the migrations describe the same schema: what ``alembic check`` asks, on the test database.

The session's database is built by running every migration (tests/conftest.py), never by ``create_all``;
comparing it with the models' metadata finds a column, index, constraint or type that a model gained
without its migration, or a migration that the models do not follow.
"""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from campaign.extensions import db


def _check_constraints() -> dict[tuple[str, str], str]:
    inspector = inspect(db.engine)
    return {
        (table, check["name"]): " ".join(check["sqltext"].split())
        for table in inspector.get_table_names()
        for check in inspector.get_check_constraints(table)
    }


def test_the_migrated_database_has_exactly_the_models_schema(app, db):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": False})
        differences = compare_metadata(context, db.metadata)

    assert differences == []


def test_every_check_constraint_of_the_models_is_in_the_migrated_database(app, db):
    """Alembic does not compare CHECK constraints: each enum's constraint is compared by name here."""
    stored = _check_constraints()
    declared = {
        (table.name, constraint.name)
        for table in db.metadata.tables.values()
        for constraint in table.constraints
        if constraint.__class__.__name__ == "CheckConstraint"
    }
    assert declared, "the models declare no CHECK constraint"
    assert declared <= set(stored), sorted(declared - set(stored))
