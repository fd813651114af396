"""regroupement: merges (with what an undo restores), merge sources, topic co-proposers.

The new proposal status `merged` needs no schema change: the status column is a plain string.

Revision ID: 9f56135b390d
Revises: b7d1e2a9c4f0
Create Date: 2026-11-21 21:55:12.553075

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9f56135b390d'
down_revision = 'b7d1e2a9c4f0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('merges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=True),
    sa.Column('created_result', sa.Boolean(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('previous', sa.JSON(), nullable=True),
    sa.Column('previous_ballots', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_merges_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['result_id'], ['proposals.id'], name=op.f('fk_merges_result_id_proposals'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merges'))
    )
    with op.batch_alter_table('merges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_merges_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_merges_result_id'), ['result_id'], unique=False)

    op.create_table('merge_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('merge_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['merge_id'], ['merges.id'], name=op.f('fk_merge_sources_merge_id_merges'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_merge_sources_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merge_sources')),
    sa.UniqueConstraint('merge_id', 'proposal_id', name=op.f('uq_merge_sources_merge_id_proposal_id'))
    )
    with op.batch_alter_table('merge_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_merge_sources_merge_id'), ['merge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_merge_sources_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_coproposers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('merge_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['merge_id'], ['merges.id'], name=op.f('fk_proposal_coproposers_merge_id_merges'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_proposal_coproposers_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_coproposers_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_coproposers')),
    sa.UniqueConstraint('proposal_id', 'participant_id', name=op.f('uq_proposal_coproposers_proposal_id_participant_id'))
    )
    with op.batch_alter_table('proposal_coproposers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_coproposers_merge_id'), ['merge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_coproposers_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_coproposers_proposal_id'), ['proposal_id'], unique=False)



def downgrade():
    with op.batch_alter_table('proposal_coproposers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_coproposers_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_coproposers_participant_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_coproposers_merge_id'))

    op.drop_table('proposal_coproposers')
    with op.batch_alter_table('merge_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_merge_sources_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_merge_sources_merge_id'))

    op.drop_table('merge_sources')

    with op.batch_alter_table('merges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_merges_result_id'))
        batch_op.drop_index(batch_op.f('ix_merges_event_id'))

    op.drop_table('merges')


