"""Report indexes only where a query needs them: held reports and reports with a supporter

The review queue reads held reports only, and a supporter's reports are read by the supporter; most
reports are counted at once and many have no supporter. Partial indexes leave those reports out, so
storing one touches two indexes fewer.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

HELD = sa.text("review_state = 'flagged'")
WITH_SUPPORTER = sa.text("supporter_id IS NOT NULL")


def upgrade():
    op.drop_index("ix_action_report_case_id_review_state", table_name="action_report")
    op.create_index(
        "ix_action_report_held_case_id", "action_report", ["case_id"], postgresql_where=HELD, sqlite_where=HELD
    )
    op.drop_index("ix_action_report_supporter_id_created_at", table_name="action_report")
    op.create_index(
        "ix_action_report_supporter_id_created_at",
        "action_report",
        ["supporter_id", "created_at"],
        postgresql_where=WITH_SUPPORTER,
        sqlite_where=WITH_SUPPORTER,
    )


def downgrade():
    op.drop_index("ix_action_report_supporter_id_created_at", table_name="action_report")
    op.create_index("ix_action_report_supporter_id_created_at", "action_report", ["supporter_id", "created_at"])
    op.drop_index("ix_action_report_held_case_id", table_name="action_report")
    op.create_index("ix_action_report_case_id_review_state", "action_report", ["case_id", "review_state"])
