"""Recent totals by the hour a report was received: action_total_hourly, and the hour on review adjustments

``last_24h`` and ``last_7d`` counted the days the supporters said they acted on (up to 48 hours
for "24 hours", and a report about last week's letter never recent). They now count the hours
the reports were received in (``action_report.created_at``), from a small table the rollup keeps
for the last 8 x 24 hours. A review adjustment carries its report's received hour so that a
decision moves the right hour; existing adjustments get it from their report.

The new table is filled here with what the rollup would have put in it: the counted reports below
the watermark, less the review adjustments above it (already in the reports' states, not yet in
the totals), for the hours kept. The watermark row is locked meanwhile, so no rollup or review
decision runs in between.

Revision ID: 0009
Revises: 0008
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

#: As ``campaign.actions.recent.HOURLY_KEPT_HOURS`` was when this migration was written.
HOURLY_KEPT_HOURS = 8 * 24


def _hour_of(column: str, is_postgresql: bool) -> str:
    """The UTC hour of a timestamp column, as ``campaign.actions.recent.received_hour_of`` computes it."""
    if is_postgresql:
        return f"date_trunc('hour', {column}, 'UTC')"
    return f"strftime('%Y-%m-%d %H:00:00.000000', {column})"


def upgrade():
    is_postgresql = op.get_bind().dialect.name == "postgresql"
    if is_postgresql:
        op.execute("SELECT 1 FROM rollup_state WHERE id = 1 FOR UPDATE")

    op.create_table(
        "action_total_hourly",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("received_hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "received_hour", name=op.f("pk_action_total_hourly")),
    )
    op.create_index("ix_action_total_hourly_received_hour", "action_total_hourly", ["received_hour"], unique=False)

    with op.batch_alter_table("review_adjustment") as batch:
        batch.add_column(sa.Column("received_hour", sa.DateTime(timezone=True), nullable=True))
    report_hour = _hour_of("action_report.created_at", is_postgresql)
    op.execute(
        f"UPDATE review_adjustment SET received_hour = ("  # noqa: S608 (no input: column names and a function)
        f"SELECT {report_hour} FROM action_report WHERE action_report.id = review_adjustment.report_id)"
    )
    with op.batch_alter_table("review_adjustment") as batch:
        batch.alter_column("received_hour", existing_type=sa.DateTime(timezone=True), nullable=False)

    position = "commit_xid" if is_postgresql else "id"
    now = datetime.now(UTC)
    kept_from = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=HOURLY_KEPT_HOURS - 1)
    fill = sa.text(
        f"""
        INSERT INTO action_total_hourly (case_id, received_hour, count)
        SELECT case_id, received_hour, sum(count) FROM (
            SELECT case_id, {_hour_of("created_at", is_postgresql)} AS received_hour, count
            FROM action_report
            WHERE review_state = 'counted'
              AND {position} < coalesce((SELECT reports_below FROM rollup_state WHERE id = 1), 0)
            UNION ALL
            SELECT case_id, received_hour, -delta
            FROM review_adjustment
            WHERE {position} >= coalesce((SELECT adjustments_below FROM rollup_state WHERE id = 1), 0)
        ) AS rolled_up
        WHERE received_hour >= :kept_from
        GROUP BY case_id, received_hour
        HAVING sum(count) <> 0
        """  # noqa: S608 (no input: column names and a function)
    ).bindparams(sa.bindparam("kept_from", kept_from, type_=sa.DateTime(timezone=True)))
    op.execute(fill)


def downgrade():
    with op.batch_alter_table("review_adjustment") as batch:
        batch.drop_column("received_hour")
    op.drop_index("ix_action_total_hourly_received_hour", table_name="action_total_hourly")
    op.drop_table("action_total_hourly")
