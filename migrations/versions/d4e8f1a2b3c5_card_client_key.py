"""cards.client_key: a client-chosen idempotency key, so a card resent after a lost ack is not doubled.

Revision ID: d4e8f1a2b3c5
Revises: 7887b71495ec
Create Date: 2026-11-21 22:25:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4e8f1a2b3c5'
down_revision = '7887b71495ec'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_key', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_cards_workshop_id_client_key'), ['workshop_id', 'client_key'])


def downgrade():
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_cards_workshop_id_client_key'), type_='unique')
        batch_op.drop_column('client_key')
