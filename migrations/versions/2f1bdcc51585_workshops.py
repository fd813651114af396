"""workshops: workshops, their topics and members, board cards and dots on proposals.

The new phase `workshops` needs no DDL: phases are stored as non-native enums (VARCHAR(20)).

Revision ID: 2f1bdcc51585
Revises: 7ff5b4ca11b8
Create Date: 2026-11-21 21:51:30.328610

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2f1bdcc51585'
down_revision = '7ff5b4ca11b8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('workshops',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('facilitator_organiser_id', sa.Integer(), nullable=True),
    sa.Column('facilitator_token_hash', sa.String(length=64), nullable=True),
    sa.Column('facilitator_participant_id', sa.Integer(), nullable=True),
    sa.Column('dots_budget', sa.Integer(), server_default='3', nullable=False),
    sa.Column('max_per_card', sa.Integer(), server_default='2', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('dots_budget >= 1 AND dots_budget <= 100', name=op.f('ck_workshops_dots_budget_range')),
    sa.CheckConstraint('max_per_card >= 1 AND max_per_card <= dots_budget', name=op.f('ck_workshops_max_per_card_range')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_workshops_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['facilitator_organiser_id'], ['organisers.id'], name=op.f('fk_workshops_facilitator_organiser_id_organisers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['facilitator_participant_id'], ['participants.id'], name=op.f('fk_workshops_facilitator_participant_id_participants'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshops')),
    sa.UniqueConstraint('facilitator_token_hash', name=op.f('uq_workshops_facilitator_token_hash'))
    )
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshops_event_id'), ['event_id'], unique=False)

    op.create_table('cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('section', sa.Enum('CONSTAT', 'QUESTIONS', 'PROPOSITIONS', 'PISTES', 'CONSEILS', 'PROCHAINE_ETAPE', 'INDICATEURS', name='cardsection', native_enum=False, length=20), nullable=False),
    sa.Column('text', sa.String(length=2000), nullable=False),
    sa.Column('gain', sa.String(length=2000), nullable=True),
    sa.Column('indicator', sa.String(length=2000), nullable=True),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('author_participant_id', sa.Integer(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('number IS NULL OR number >= 1', name=op.f('ck_cards_number_positive')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_cards_version_positive')),
    sa.ForeignKeyConstraint(['author_participant_id'], ['participants.id'], name=op.f('fk_cards_author_participant_id_participants'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['merged_into_id'], ['cards.id'], name=op.f('fk_cards_merged_into_id_cards'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_cards_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cards'))
    )
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cards_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cards_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('workshop_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_workshop_members_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_workshop_members_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_members')),
    sa.UniqueConstraint('workshop_id', 'participant_id', name=op.f('uq_workshop_members_workshop_id_participant_id'))
    )
    with op.batch_alter_table('workshop_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_members_participant_id'), ['participant_id'], unique=False)

    op.create_table('workshop_topics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_workshop_topics_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_workshop_topics_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_topics')),
    sa.UniqueConstraint('workshop_id', 'proposal_id', name=op.f('uq_workshop_topics_workshop_id_proposal_id'))
    )
    with op.batch_alter_table('workshop_topics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_topics_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('card_dots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('value >= 0', name=op.f('ck_card_dots_value_non_negative')),
    sa.ForeignKeyConstraint(['card_id'], ['cards.id'], name=op.f('fk_card_dots_card_id_cards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_card_dots_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_card_dots_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_card_dots')),
    sa.UniqueConstraint('participant_id', 'card_id', name=op.f('uq_card_dots_participant_id_card_id'))
    )
    with op.batch_alter_table('card_dots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_card_dots_card_id'), ['card_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_card_dots_workshop_id'), ['workshop_id'], unique=False)



def downgrade():
    with op.batch_alter_table('card_dots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_card_dots_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_card_dots_card_id'))

    op.drop_table('card_dots')
    with op.batch_alter_table('workshop_topics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_topics_proposal_id'))

    op.drop_table('workshop_topics')
    with op.batch_alter_table('workshop_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_members_participant_id'))

    op.drop_table('workshop_members')
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cards_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_cards_merged_into_id'))

    op.drop_table('cards')
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshops_event_id'))

    op.drop_table('workshops')
