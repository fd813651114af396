"""cards.client_key is unique per author and board, no longer per board.

Another participant sending a key already used on the board got someone else's card (and lost
their text). The key is now scoped: unique (workshop, author participant, key), and among the
organisers' cards (no participant author) unique (workshop, key) through a partial index.
Existing rows already satisfy both (the old constraint was stricter). From now on, erasing a
participant empties their cards' keys along with the author, so they never collide there.

Revision ID: b2d4f6a8c0e1
Revises: a1c3e5f7b9d2
Create Date: 2026-11-23 11:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2d4f6a8c0e1'
down_revision = 'a1c3e5f7b9d2'
branch_labels = None
depends_on = None

NO_AUTHOR = sa.text("author_participant_id IS NULL")


def upgrade():
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_cards_workshop_id_client_key'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_cards_workshop_id_author_participant_id_client_key'),
                                          ['workshop_id', 'author_participant_id', 'client_key'])
        batch_op.create_index('uq_cards_organiser_client_key', ['workshop_id', 'client_key'], unique=True,
                              sqlite_where=NO_AUTHOR, postgresql_where=NO_AUTHOR)


def downgrade():
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.drop_index('uq_cards_organiser_client_key')
        batch_op.drop_constraint(batch_op.f('uq_cards_workshop_id_author_participant_id_client_key'), type_='unique')
    # two authors' cards may share a key now: keep the first card's, as the old constraint allows
    op.execute("UPDATE cards SET client_key = NULL WHERE client_key IS NOT NULL AND id NOT IN ("
               "SELECT min(id) FROM cards GROUP BY workshop_id, client_key)")
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_cards_workshop_id_client_key'), ['workshop_id', 'client_key'])
