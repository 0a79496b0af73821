"""Case-change notices: a reminder of kind update may hang off the timeline entry that caused it (issue 16)

A deadline extension, a close with its outcome and an imported follow-up each add a timeline
entry; the notice to the case's subscribers is the reminder whose ``timeline_entry_id`` names it.
The column is unique, so one entry makes at most one notice however often a flush runs.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("reminder") as batch:
        batch.add_column(sa.Column("timeline_entry_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_reminder_timeline_entry_id_timeline_entry"),
            "timeline_entry",
            ["timeline_entry_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_unique_constraint(op.f("uq_reminder_timeline_entry_id"), ["timeline_entry_id"])


def downgrade():
    with op.batch_alter_table("reminder") as batch:
        batch.drop_constraint(op.f("uq_reminder_timeline_entry_id"), type_="unique")
        batch.drop_constraint(op.f("fk_reminder_timeline_entry_id_timeline_entry"), type_="foreignkey")
        batch.drop_column("timeline_entry_id")
