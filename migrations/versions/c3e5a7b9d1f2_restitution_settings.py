"""restitution: the organiser's introduction, chapter order, pseudonyms option and publication.

Revision ID: c3e5a7b9d1f2
Revises: 7303a18d0989
Create Date: 2026-11-21 22:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3e5a7b9d1f2'
down_revision = '7303a18d0989'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('restitution_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('context', sa.Text(), nullable=False),
    sa.Column('dates', sa.String(length=200), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('thanks', sa.Text(), nullable=False),
    sa.Column('chapter_order', sa.JSON(), nullable=False),
    sa.Column('include_names', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('public_token', sa.String(length=64), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_restitution_settings_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_restitution_settings')),
    sa.UniqueConstraint('event_id', name=op.f('uq_restitution_settings_event_id')),
    sa.UniqueConstraint('public_token', name=op.f('uq_restitution_settings_public_token'))
    )


def downgrade():
    op.drop_table('restitution_settings')
