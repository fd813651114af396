"""resources: forum resources, forum terms, attachments

Revision ID: 2ceaf3deec20
Revises: 9f56135b390d
Create Date: 2026-11-21 21:56:25.977063

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2ceaf3deec20'
down_revision = '9f56135b390d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('forum_resources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('author', sa.String(length=300), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('date', sa.String(length=10), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_forum_resources_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_resources'))
    )
    with op.batch_alter_table('forum_resources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_resources_event_id'), ['event_id'], unique=False)

    op.create_table('forum_terms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=80), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_forum_terms_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_terms')),
    sa.UniqueConstraint('event_id', 'term', name=op.f('uq_forum_terms_event_id_term'))
    )
    with op.batch_alter_table('forum_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_terms_event_id'), ['event_id'], unique=False)

    op.create_table('resource_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=True),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('resource_key', sa.String(length=60), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('(workshop_id IS NULL) <> (proposal_id IS NULL)', name=op.f('ck_resource_attachments_one_target')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_resource_attachments_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_resource_attachments_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_resource_attachments_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_attachments')),
    sa.UniqueConstraint('proposal_id', 'resource_key', name=op.f('uq_resource_attachments_proposal_id_resource_key')),
    sa.UniqueConstraint('workshop_id', 'resource_key', name=op.f('uq_resource_attachments_workshop_id_resource_key'))
    )
    with op.batch_alter_table('resource_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_attachments_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resource_attachments_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resource_attachments_workshop_id'), ['workshop_id'], unique=False)



def downgrade():
    with op.batch_alter_table('resource_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_attachments_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_resource_attachments_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_resource_attachments_event_id'))

    op.drop_table('resource_attachments')
    with op.batch_alter_table('forum_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_terms_event_id'))

    op.drop_table('forum_terms')
    with op.batch_alter_table('forum_resources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_resources_event_id'))

    op.drop_table('forum_resources')
