"""workshops.deleted_at: the organiser deletes a workshop (soft delete).

Revision ID: f7b2c4d6e8a1
Revises: e5f9a3b4c6d7
Create Date: 2026-11-22 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f7b2c4d6e8a1'
down_revision = 'e5f9a3b4c6d7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
