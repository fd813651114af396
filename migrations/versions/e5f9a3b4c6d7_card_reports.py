"""reports of workshop cards: reports.card_id, proposal_id optional, exactly one target.

Revision ID: e5f9a3b4c6d7
Revises: d4e8f1a2b3c5
Create Date: 2026-11-21 22:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5f9a3b4c6d7'
down_revision = 'd4e8f1a2b3c5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('card_id', sa.Integer(), nullable=True))
        batch_op.alter_column('proposal_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_reports_card_id'), ['card_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_reports_card_id_cards'), 'cards', ['card_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.create_unique_constraint(batch_op.f('uq_reports_participant_id_card_id'), ['participant_id', 'card_id'])
        batch_op.create_check_constraint(batch_op.f('ck_reports_one_target'), '(proposal_id IS NULL) <> (card_id IS NULL)')


def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_reports_one_target'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_reports_participant_id_card_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_reports_card_id_cards'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reports_card_id'))
        batch_op.alter_column('proposal_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('card_id')
