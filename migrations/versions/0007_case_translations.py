"""Cases in several languages: a case's headline, summary, story, additional information and asks per language (issue 15)

Model letters were per language already. The original stays on the case row; a translation row
holds what a reader of its language is shown instead, field by field.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "case_translation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("headline", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("story_markdown", sa.Text(), nullable=False),
        sa.Column("additional_information_markdown", sa.Text(), nullable=False),
        sa.Column("asks", JSON_TYPE, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_case_translation_case_id_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_translation")),
        sa.UniqueConstraint("case_id", "language", name=op.f("uq_case_translation_case_id_language")),
    )
    with op.batch_alter_table("case_translation") as batch_op:
        batch_op.create_index(batch_op.f("ix_case_translation_case_id"), ["case_id"], unique=False)


def downgrade():
    with op.batch_alter_table("case_translation") as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_translation_case_id"))
    op.drop_table("case_translation")
