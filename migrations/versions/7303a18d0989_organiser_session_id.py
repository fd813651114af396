"""organiser session id: logout revokes cookies, tokens and sockets issued before it.

Existing accounts get an empty session id, which matches no cookie or token: their organisers
log in once more after the upgrade, and login gives them a session id.

Revision ID: 7303a18d0989
Revises: 2f1bdcc51585
Create Date: 2026-11-21 21:54:06.539802

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7303a18d0989'
down_revision = '2f1bdcc51585'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_id', sa.String(length=32), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('organisers', schema=None) as batch_op:
        batch_op.drop_column('session_id')
