"""participants.kind: a secret ballot's stand-in voters are a kind of participant row, not a token prefix.

The stand-ins sealing leaves behind (one per voter) were told apart by their token_hash prefix
`sealed:`, and every count that forgot the prefix counted them as people (« 6 participants » for 3).
Existing stand-ins are the rows with that prefix.

Revision ID: c4e6a8b0d2f3
Revises: b2d4f6a8c0e1
Create Date: 2026-11-23 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e6a8b0d2f3'
down_revision = 'b2d4f6a8c0e1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('PERSON', 'STAND_IN', name='participantkind', native_enum=False,
                                                      length=20), server_default='PERSON', nullable=False))
    op.execute("UPDATE participants SET kind = 'STAND_IN' WHERE token_hash LIKE 'sealed:%'")


def downgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('kind')
