"""The watermark counts review decisions on reports not yet rolled up (issue 18)

A report's answer carries the case's exact total. Each process keeps what it has already counted of
the reports since the rollup's watermark whose transactions have all ended, so a report reads only
the few after them. A review decision changes a report's state in place while it is not yet rolled
up, which would change what a process has kept: ``rollup_state.reviews_above`` counts those
decisions, and a kept count belongs to one value of it as it belongs to one watermark.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rollup_state") as batch_op:
        batch_op.add_column(sa.Column("reviews_above", sa.BigInteger(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("rollup_state") as batch_op:
        batch_op.drop_column("reviews_above")
