"""Reminders and their delivery ledger (issue 6)

Reviewed by hand: reminder, reminder_text (a version per language) and delivery_ledger (one
row per reminder and supporter, unique), plus supporter.confirmation_sent_at for the
one-confirmation-a-day rule. Names follow the naming convention; datetimes are timezone-aware.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("supporter", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confirmation_sent_at", sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("send_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_skipping_reporters", sa.Boolean(), nullable=False),
        sa.Column("automatic_key", sa.String(length=40), nullable=True),
        sa.Column("for_deadline_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('deadline', 'update')", name=op.f("ck_reminder_kind_known")),
        sa.CheckConstraint(
            "state IN ('pending', 'sending', 'sent', 'cancelled')", name=op.f("ck_reminder_state_known")
        ),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_reminder_case_id_case"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder")),
        sa.UniqueConstraint("automatic_key", name=op.f("uq_reminder_automatic_key")),
    )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_reminder_state_send_at", ["state", "send_at"], unique=False)

    op.create_table(
        "reminder_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reminder_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["reminder_id"], ["reminder.id"], name=op.f("fk_reminder_text_reminder_id_reminder"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_text")),
        sa.UniqueConstraint(
            "reminder_id", "language", "version", name=op.f("uq_reminder_text_reminder_id_language_version")
        ),
    )
    with op.batch_alter_table("reminder_text", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_text_reminder_id"), ["reminder_id"], unique=False)

    op.create_table(
        "delivery_ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reminder_id", sa.Integer(), nullable=False),
        sa.Column("supporter_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminder_text_id", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('pending', 'claimed', 'sent', 'failed', 'skipped', 'cancelled')",
            name=op.f("ck_delivery_ledger_state_known"),
        ),
        sa.ForeignKeyConstraint(
            ["reminder_id"], ["reminder.id"], name=op.f("fk_delivery_ledger_reminder_id_reminder"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["supporter_id"],
            ["supporter.id"],
            name=op.f("fk_delivery_ledger_supporter_id_supporter"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reminder_text_id"],
            ["reminder_text.id"],
            name=op.f("fk_delivery_ledger_reminder_text_id_reminder_text"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_ledger")),
        sa.UniqueConstraint("reminder_id", "supporter_id", name=op.f("uq_delivery_ledger_reminder_id_supporter_id")),
    )
    with op.batch_alter_table("delivery_ledger", schema=None) as batch_op:
        batch_op.create_index(
            "ix_delivery_ledger_reminder_id_state_next_attempt_at",
            ["reminder_id", "state", "next_attempt_at"],
            unique=False,
        )
        batch_op.create_index("ix_delivery_ledger_state_claimed_at", ["state", "claimed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_delivery_ledger_supporter_id"), ["supporter_id"], unique=False)


def downgrade():
    with op.batch_alter_table("delivery_ledger", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_ledger_supporter_id"))
        batch_op.drop_index("ix_delivery_ledger_state_claimed_at")
        batch_op.drop_index("ix_delivery_ledger_reminder_id_state_next_attempt_at")
    op.drop_table("delivery_ledger")
    with op.batch_alter_table("reminder_text", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_text_reminder_id"))
    op.drop_table("reminder_text")
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_index("ix_reminder_state_send_at")
        batch_op.drop_index(batch_op.f("ix_reminder_case_id"))
    op.drop_table("reminder")
    with op.batch_alter_table("supporter", schema=None) as batch_op:
        batch_op.drop_column("confirmation_sent_at")
