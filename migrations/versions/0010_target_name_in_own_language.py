"""A target's name in its own language: the official's name and title as written in their preferred language

The figures for officials name an official this way when they are in that official's language,
and the action page shows it beside the official's contact name. Nullable: most officials have none.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("target") as batch:
        batch.add_column(sa.Column("name_in_own_language", sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table("target") as batch:
        batch.drop_column("name_in_own_language")
