"""Initial schema: cases, targets, reports, supporters, idempotency records, audit log.

Reviewed by hand: every table has a named primary key, foreign keys and checks follow the
naming convention of campaign/database.py, and datetimes are timezone-aware.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 02:12:40.402537

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('ua_number', sa.String(length=40), nullable=True),
    sa.Column('ai_index', sa.String(length=60), nullable=True),
    sa.Column('headline', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('story_markdown', sa.Text(), nullable=False),
    sa.Column('additional_information_markdown', sa.Text(), nullable=False),
    sa.Column('preferred_languages', JSON_TYPE, nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('deadline_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('goal', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'active', 'closed')", name=op.f('ck_case_status_known')),
    sa.CheckConstraint('goal IS NULL OR goal > 0', name=op.f('ck_case_goal_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case')),
    sa.UniqueConstraint('slug', name=op.f('uq_case_slug'))
    )
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_status'), ['status'], unique=False)

    op.create_table('supporter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('language', sa.String(length=20), nullable=True),
    sa.Column('is_consenting_to_contact', sa.Boolean(), nullable=False),
    sa.Column('is_confirmed', sa.Boolean(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('unsubscribe_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supporter')),
    sa.UniqueConstraint('email', name=op.f('uq_supporter_email')),
    sa.UniqueConstraint('unsubscribe_token', name=op.f('uq_supporter_unsubscribe_token'))
    )
    op.create_table('target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('organisation', sa.String(length=300), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('emails', JSON_TYPE, nullable=False),
    sa.Column('faxes', JSON_TYPE, nullable=False),
    sa.Column('phones', JSON_TYPE, nullable=False),
    sa.Column('twitter', sa.String(length=60), nullable=True),
    sa.Column('salutation', sa.String(length=200), nullable=True),
    sa.Column('preferred_language', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_target'))
    )
    op.create_table('action_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('action_type', sa.String(length=10), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('group_code', sa.String(length=60), nullable=True),
    sa.Column('supporter_id', sa.Integer(), nullable=True),
    sa.Column('supporter_name', sa.String(length=200), nullable=True),
    sa.Column('language', sa.String(length=20), nullable=True),
    sa.Column('review_state', sa.String(length=10), nullable=False),
    sa.Column('review_reason', sa.Text(), nullable=True),
    sa.Column('address_fingerprint', sa.String(length=32), nullable=True),
    sa.Column('acted_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("action_type IN ('letter', 'email', 'fax', 'call', 'tweet', 'other')", name=op.f('ck_action_report_action_type_known')),
    sa.CheckConstraint("review_state IN ('counted', 'flagged', 'rejected')", name=op.f('ck_action_report_review_state_known')),
    sa.CheckConstraint("source IN ('web', 'api', 'event')", name=op.f('ck_action_report_source_known')),
    sa.CheckConstraint('count > 0', name=op.f('ck_action_report_count_positive')),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_action_report_case_id_case')),
    sa.ForeignKeyConstraint(['supporter_id'], ['supporter.id'], name=op.f('fk_action_report_supporter_id_supporter'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_action_report_target_id_target')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_report'))
    )
    with op.batch_alter_table('action_report', schema=None) as batch_op:
        batch_op.create_index('ix_action_report_case_id_review_state', ['case_id', 'review_state'], unique=False)
        batch_op.create_index('ix_action_report_address_fingerprint_created_at', ['address_fingerprint', 'created_at'], unique=False)
        batch_op.create_index('ix_action_report_supporter_id_created_at', ['supporter_id', 'created_at'], unique=False)
        batch_op.create_index('ix_action_report_case_id_created_at', ['case_id', 'created_at'], unique=False)

    op.create_table('ask',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_ask_case_id_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ask'))
    )
    with op.batch_alter_table('ask', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ask_case_id'), ['case_id'], unique=False)

    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('happened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=320), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('subject_type', sa.String(length=40), nullable=True),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('details', JSON_TYPE, nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_audit_entry_case_id_case'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_happened_at'), ['happened_at'], unique=False)

    op.create_table('case_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("role IN ('target', 'copy')", name=op.f('ck_case_target_role_known')),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_case_target_case_id_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_case_target_target_id_target')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_target')),
    sa.UniqueConstraint('case_id', 'target_id', name=op.f('uq_case_target_case_id_target_id'))
    )
    with op.batch_alter_table('case_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_target_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_target_target_id'), ['target_id'], unique=False)

    op.create_table('model_letter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_model_letter_case_id_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_model_letter')),
    sa.UniqueConstraint('case_id', 'language', name=op.f('uq_model_letter_case_id_language'))
    )
    with op.batch_alter_table('model_letter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_model_letter_case_id'), ['case_id'], unique=False)

    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('native_name', sa.String(length=200), nullable=True),
    sa.Column('pronouns', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_person_case_id_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_case_id'), ['case_id'], unique=False)

    op.create_table('subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supporter_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('subscribed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('unsubscribed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_subscription_case_id_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supporter_id'], ['supporter.id'], name=op.f('fk_subscription_supporter_id_supporter'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscription')),
    sa.UniqueConstraint('supporter_id', 'case_id', name=op.f('uq_subscription_supporter_id_case_id'))
    )
    with op.batch_alter_table('subscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscription_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscription_supporter_id'), ['supporter_id'], unique=False)

    op.create_table('timeline_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('happened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('old_deadline_on', sa.Date(), nullable=True),
    sa.Column('new_deadline_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_timeline_entry_case_id_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_timeline_entry'))
    )
    with op.batch_alter_table('timeline_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_timeline_entry_case_id'), ['case_id'], unique=False)

    op.create_table('idempotency_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('key_digest', sa.String(length=64), nullable=False),
    sa.Column('request_digest', sa.String(length=64), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('response_status', sa.Integer(), nullable=False),
    sa.Column('response_body', JSON_TYPE, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_idempotency_record_case_id_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['action_report.id'], name=op.f('fk_idempotency_record_report_id_action_report')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_record')),
    sa.UniqueConstraint('case_id', 'key_digest', name=op.f('uq_idempotency_record_case_id_key_digest'))
    )


def downgrade():
    op.drop_table('idempotency_record')
    with op.batch_alter_table('timeline_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_timeline_entry_case_id'))

    op.drop_table('timeline_entry')
    with op.batch_alter_table('subscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscription_supporter_id'))
        batch_op.drop_index(batch_op.f('ix_subscription_case_id'))

    op.drop_table('subscription')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_case_id'))

    op.drop_table('person')
    with op.batch_alter_table('model_letter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_model_letter_case_id'))

    op.drop_table('model_letter')
    with op.batch_alter_table('case_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_target_target_id'))
        batch_op.drop_index(batch_op.f('ix_case_target_case_id'))

    op.drop_table('case_target')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_happened_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_case_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_action'))

    op.drop_table('audit_entry')
    with op.batch_alter_table('ask', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ask_case_id'))

    op.drop_table('ask')
    with op.batch_alter_table('action_report', schema=None) as batch_op:
        batch_op.drop_index('ix_action_report_case_id_review_state')

    op.drop_table('action_report')
    op.drop_table('target')
    op.drop_table('supporter')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_status'))

    op.drop_table('case')
