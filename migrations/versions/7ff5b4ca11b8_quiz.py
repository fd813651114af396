"""quiz: the forum's quiz choice, quiz runs and answers.

The new phase `icebreaker` needs no DDL: phases are stored as non-native enums (VARCHAR(20),
no CHECK constraint), so ICEBREAKER fits the existing column.

Revision ID: 7ff5b4ca11b8
Revises: 4599e6062d6a
Create Date: 2026-11-21 21:10:16.652137

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7ff5b4ca11b8'
down_revision = '4599e6062d6a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('quiz_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.Enum('SELF_PACED', 'LIVE', name='quizmode', native_enum=False, length=20), nullable=False),
    sa.Column('status', sa.Enum('WAITING', 'OPEN', 'CLOSED', 'RESULTS', name='livestatus', native_enum=False, length=20), nullable=False),
    sa.Column('current_question', sa.Integer(), nullable=True),
    sa.Column('question_opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('countdown_seconds', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('distribution', sa.JSON(), nullable=True),
    sa.Column('distribution_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('countdown_seconds IS NULL OR (countdown_seconds >= 5 AND countdown_seconds <= 600)', name=op.f('ck_quiz_runs_countdown_range')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_quiz_runs_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_runs')),
    sa.UniqueConstraint('event_id', name=op.f('uq_quiz_runs_event_id'))
    )
    op.create_table('quiz_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.Integer(), nullable=False),
    sa.Column('choice', sa.Integer(), nullable=False),
    sa.Column('response_ms', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('choice >= 0', name=op.f('ck_quiz_answers_choice_index')),
    sa.CheckConstraint('question >= 0', name=op.f('ck_quiz_answers_question_index')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_quiz_answers_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_quiz_answers_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_answers')),
    sa.UniqueConstraint('participant_id', 'question', name=op.f('uq_quiz_answers_participant_id_question'))
    )
    with op.batch_alter_table('quiz_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_answers_event_id'), ['event_id'], unique=False)

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quiz_slug', sa.String(length=60), server_default='style-innovation', nullable=False))



def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('quiz_slug')

    with op.batch_alter_table('quiz_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_answers_event_id'))

    op.drop_table('quiz_answers')
    op.drop_table('quiz_runs')
