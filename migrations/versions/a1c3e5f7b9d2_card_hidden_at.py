"""cards.hidden_at: moderation hides a card without touching its author's deletion (deleted_at).

Until now hiding and deleting shared `deleted_at`, so restoring a reported card brought back one its
author had deleted. The cards moderation hid are told apart by their reports: a confirmed report, or
at least the forum's threshold (default 3) of open ones. A card its author deleted *while* it was
hidden cannot be told apart any more; it is counted as hidden (the old behaviour for it).

Revision ID: a1c3e5f7b9d2
Revises: f7b2c4d6e8a1
Create Date: 2026-11-23 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c3e5f7b9d2'
down_revision = 'f7b2c4d6e8a1'
branch_labels = None
depends_on = None

#: the cards moderation hid: a confirmed report, or open reports up to the forum's threshold
HIDDEN_BY_MODERATION = """
    deleted_at IS NOT NULL AND merged_into_id IS NULL AND (
        EXISTS (SELECT 1 FROM reports r WHERE r.card_id = cards.id AND r.status = 'CONFIRMED')
        OR (SELECT count(*) FROM reports r WHERE r.card_id = cards.id AND r.status = 'OPEN') >= COALESCE(
            (SELECT p.report_threshold FROM event_policies p JOIN workshops w ON w.event_id = p.event_id
             WHERE w.id = cards.workshop_id), 3)
    )
"""


def upgrade():
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True))
    op.execute(f"UPDATE cards SET hidden_at = deleted_at, deleted_at = NULL WHERE {HIDDEN_BY_MODERATION}")


def downgrade():
    op.execute("UPDATE cards SET deleted_at = COALESCE(deleted_at, hidden_at) WHERE hidden_at IS NOT NULL")
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.drop_column('hidden_at')
