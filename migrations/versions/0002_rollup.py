"""Totals rollup: watermark and rolled-up totals (issue 4)

Reports get the id of the transaction that inserted them (PostgreSQL only: SQLite has one writer
at a time, so its row ids already follow commit order). The rollup folds reports and review
adjustments below a watermark into totals by case, action type, target, country and day, and by
case, action type, target and country.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

#: The inserting transaction's id as a bigint (xid8 carries the epoch, so it never wraps around).
TRANSACTION_ID = "(pg_current_xact_id()::text::bigint)"


def upgrade():
    is_postgresql = op.get_bind().dialect.name == "postgresql"
    transaction_id = sa.text(TRANSACTION_ID) if is_postgresql else None

    with op.batch_alter_table("action_report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("commit_xid", sa.BigInteger(), server_default=transaction_id, nullable=True))
    if is_postgresql:
        op.create_index(op.f("ix_action_report_commit_xid"), "action_report", ["commit_xid", "case_id"], unique=False)

    rollup_state = op.create_table(
        "rollup_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reports_below", sa.BigInteger(), nullable=False),
        sa.Column("adjustments_below", sa.BigInteger(), nullable=False),
        sa.Column("rolled_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollup_state")),
    )
    op.bulk_insert(rollup_state, [{"id": 1, "reports_below": 0, "adjustments_below": 0}])

    op.create_table(
        "review_adjustment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commit_xid", sa.BigInteger(), server_default=transaction_id, nullable=True),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("action_type", sa.String(length=10), nullable=False),
        sa.Column("target_key", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("acted_on", sa.Date(), nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_review_adjustment_case_id_case")),
        sa.ForeignKeyConstraint(
            ["report_id"], ["action_report.id"], name=op.f("fk_review_adjustment_report_id_action_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_adjustment")),
    )
    if is_postgresql:
        op.create_index(
            op.f("ix_review_adjustment_commit_xid"), "review_adjustment", ["commit_xid", "case_id"], unique=False
        )

    op.create_table(
        "action_total_daily",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("action_type", sa.String(length=10), nullable=False),
        sa.Column("target_key", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("acted_on", sa.Date(), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_action_total_daily_case_id_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint(
            "case_id", "action_type", "target_key", "country", "acted_on", name=op.f("pk_action_total_daily")
        ),
    )
    op.create_table(
        "action_total",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("action_type", sa.String(length=10), nullable=False),
        sa.Column("target_key", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_action_total_case_id_case"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", "action_type", "target_key", "country", name=op.f("pk_action_total")),
    )


def downgrade():
    op.drop_table("action_total")
    op.drop_table("action_total_daily")
    op.drop_table("review_adjustment")
    op.drop_table("rollup_state")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index(op.f("ix_action_report_commit_xid"), table_name="action_report")
    with op.batch_alter_table("action_report", schema=None) as batch_op:
        batch_op.drop_column("commit_xid")
