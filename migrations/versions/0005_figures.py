"""Figures snapshots and delivery records (issue 7)

Written and reviewed by hand: named keys and checks after the naming convention of
campaign/database.py, timezone-aware datetimes. A snapshot is immutable: the ORM refuses any
change, and on PostgreSQL a trigger refuses an UPDATE of its row too.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "figures_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.Column("canonical_json", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("csv", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_figures_snapshot_case_id_case")),
        sa.ForeignKeyConstraint(["target_id"], ["target.id"], name=op.f("fk_figures_snapshot_target_id_target")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["account.id"], name=op.f("fk_figures_snapshot_created_by_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_figures_snapshot")),
        sa.UniqueConstraint("sha256", name=op.f("uq_figures_snapshot_sha256")),
    )
    with op.batch_alter_table("figures_snapshot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_figures_snapshot_case_id"), ["case_id"], unique=False)

    op.create_table(
        "delivery_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "channel IN ('email', 'fax', 'post', 'in_person', 'tweet')", name=op.f("ck_delivery_record_channel_known")
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"], ["figures_snapshot.id"], name=op.f("fk_delivery_record_snapshot_id_figures_snapshot")
        ),
        sa.ForeignKeyConstraint(["target_id"], ["target.id"], name=op.f("fk_delivery_record_target_id_target")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["account.id"], name=op.f("fk_delivery_record_recorded_by_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_record")),
    )
    with op.batch_alter_table("delivery_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delivery_record_snapshot_id"), ["snapshot_id"], unique=False)

    op.create_table(
        "figures_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=30), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name=op.f("ck_figures_job_state_known")),
        sa.CheckConstraint("progress >= 0 AND progress <= 100", name=op.f("ck_figures_job_progress_in_range")),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_figures_job_case_id_case")),
        sa.ForeignKeyConstraint(["target_id"], ["target.id"], name=op.f("fk_figures_job_target_id_target")),
        sa.ForeignKeyConstraint(
            ["snapshot_id"], ["figures_snapshot.id"], name=op.f("fk_figures_job_snapshot_id_figures_snapshot")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["account.id"], name=op.f("fk_figures_job_requested_by_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_figures_job")),
    )
    with op.batch_alter_table("figures_job", schema=None) as batch_op:
        batch_op.create_index("ix_figures_job_case_id_created_at", ["case_id", "created_at"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION figures_snapshot_is_immutable() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'figures snapshots never change once made';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER figures_snapshot_no_update BEFORE UPDATE ON figures_snapshot "
            "FOR EACH ROW EXECUTE FUNCTION figures_snapshot_is_immutable()"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS figures_snapshot_no_update ON figures_snapshot")
        op.execute("DROP FUNCTION IF EXISTS figures_snapshot_is_immutable()")
    with op.batch_alter_table("figures_job", schema=None) as batch_op:
        batch_op.drop_index("ix_figures_job_case_id_created_at")
    op.drop_table("figures_job")
    with op.batch_alter_table("delivery_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_record_snapshot_id"))
    op.drop_table("delivery_record")
    with op.batch_alter_table("figures_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_figures_snapshot_case_id"))
    op.drop_table("figures_snapshot")
