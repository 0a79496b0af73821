"""Daily totals in two tables: the days still receiving reports, and the settled ones (issue 18)

A rollup run upserted its groups into the one daily table, whose primary key grew with the
history (1.2 million rows at 10 million reports): the hour's rollup at 10 million reports took
twice as long as at 100 thousand. The existing table, the history, becomes
``action_total_daily_settled`` (a rename, nothing copied); a new ``action_total_daily`` takes the
rows of the days not yet settled, which the rollup writes into from now on, and
``rollup_state.settled_before`` records the day between them.

The watermark row is locked meanwhile on PostgreSQL, so no rollup or review decision runs in
between. The downgrade adds the unsettled days back into the one table.

Revision ID: 0012
Revises: 0011
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

#: As ``campaign.actions.rollup.UNSETTLED_DAYS`` was when this migration was written.
UNSETTLED_DAYS = 2
KEYS = "case_id, action_type, target_key, country, acted_on"


def _is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _rename_daily_table(old: str, new: str) -> None:
    """Rename a daily totals table with its primary key (SQLite keeps the key's name in the table's own SQL only)."""
    op.rename_table(old, new)
    if _is_postgresql():
        op.execute(f"ALTER TABLE {new} RENAME CONSTRAINT pk_{old} TO pk_{new}")


def _move(source: str, destination: str, condition: str, **days) -> None:
    """Add some days' rows of one daily table to the other, then delete them from the first."""
    parameters = [sa.bindparam(name, day, type_=sa.Date()) for name, day in days.items()]
    op.execute(
        sa.text(
            f"INSERT INTO {destination} ({KEYS}, count) SELECT {KEYS}, count FROM {source} "  # noqa: S608 (no input)
            f"WHERE {condition} AND count <> 0 "
            f"ON CONFLICT ({KEYS}) DO UPDATE SET count = {destination}.count + excluded.count"
        ).bindparams(*parameters)
    )
    op.execute(sa.text(f"DELETE FROM {source} WHERE {condition}").bindparams(*parameters))  # noqa: S608 (no input)


def upgrade():
    if _is_postgresql():
        op.execute("SELECT 1 FROM rollup_state WHERE id = 1 FOR UPDATE")
    _rename_daily_table("action_total_daily", "action_total_daily_settled")
    op.create_table(
        "action_total_daily",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("action_type", sa.String(length=10), nullable=False),
        sa.Column("target_key", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("acted_on", sa.Date(), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "case_id", "action_type", "target_key", "country", "acted_on", name=op.f("pk_action_total_daily")
        ),
    )
    settled_before = datetime.now(UTC).date() - timedelta(days=UNSETTLED_DAYS - 1)
    with op.batch_alter_table("rollup_state") as batch:
        batch.add_column(sa.Column("settled_before", sa.Date(), nullable=True))
    op.execute(
        sa.text("UPDATE rollup_state SET settled_before = :day").bindparams(
            sa.bindparam("day", settled_before, type_=sa.Date())
        )
    )
    with op.batch_alter_table("rollup_state") as batch:
        batch.alter_column("settled_before", existing_type=sa.Date(), nullable=False)
    _move("action_total_daily_settled", "action_total_daily", "acted_on >= :day", day=settled_before)


def downgrade():
    _move("action_total_daily", "action_total_daily_settled", "1 = 1")
    op.drop_table("action_total_daily")
    _rename_daily_table("action_total_daily_settled", "action_total_daily")
    with op.batch_alter_table("rollup_state") as batch:
        batch.drop_column("settled_before")
