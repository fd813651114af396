"""privacy and moderation: per-forum privacy settings (secret ballot, retention, report threshold,
pseudonym key, archive kept after a purge) and participants' reports of topics.

Revision ID: b7d1e2a9c4f0
Revises: 7303a18d0989
Create Date: 2026-11-21 22:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d1e2a9c4f0'
down_revision = '7303a18d0989'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_policies',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organisation', sa.String(length=200), server_default='', nullable=False),
    sa.Column('secret_ballot', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('retention_months', sa.Integer(), server_default='12', nullable=False),
    sa.Column('report_threshold', sa.Integer(), server_default='3', nullable=False),
    sa.Column('pseudonym_key', sa.String(length=64), nullable=False),
    sa.Column('ballots_sealed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('archive', sa.JSON(), nullable=True),
    sa.CheckConstraint('report_threshold >= 1 AND report_threshold <= 100', name=op.f('ck_event_policies_report_threshold_range')),
    sa.CheckConstraint('retention_months >= 1 AND retention_months <= 120', name=op.f('ck_event_policies_retention_range')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_policies_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_event_policies'))
    )
    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('OPEN', 'RESTORED', 'CONFIRMED', name='reportstatus', native_enum=False, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_reports_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_reports_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_reports_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('participant_id', 'proposal_id', name=op.f('uq_reports_participant_id_proposal_id'))
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_proposal_id'), ['proposal_id'], unique=False)


def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_reports_event_id'))
    op.drop_table('reports')
    op.drop_table('event_policies')
