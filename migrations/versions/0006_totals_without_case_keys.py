"""The rolled-up totals tables lose their foreign keys to case (issue 8)

The totals are derived from reports, which keep their own foreign key to the case, so the key on
the derived rows checked nothing new. It cost a trigger call per row: 7 of the 33 seconds of a
rebuild of 10 million reports, and a part of every rollup's upsert. No code deletes a case.

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

KEYS = {
    "action_total_daily": "fk_action_total_daily_case_id_case",
    "action_total": "fk_action_total_case_id_case",
}


def upgrade():
    for table, key in KEYS.items():
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(key, type_="foreignkey")


def downgrade():
    for table, key in KEYS.items():
        with op.batch_alter_table(table) as batch:
            batch.create_foreign_key(key, "case", ["case_id"], ["id"], ondelete="CASCADE")
