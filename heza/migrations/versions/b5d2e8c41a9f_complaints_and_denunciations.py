"""complaints and denunciations by law: legal stages on hotline items, their history, reclassified recommendations

Existing data is carried over: every hotline item already entered as a complaint or a
denunciation starts at the stage "received" (its acceptance period is stamped from its receipt
the next time it or the calendar changes); other kinds keep no stage. No recommendation changes
status.

Revision ID: b5d2e8c41a9f
Revises: a3c1f0e2b7d4
Create Date: 2026-12-02 12:00:00

"""
from alembic import op
import sqlalchemy as sa
import heza.base  # noqa: F401  (UTCDateTime)


revision = 'b5d2e8c41a9f'
down_revision = 'a3c1f0e2b7d4'
branch_labels = None
depends_on = None

STAGES = ('received', 'accepted', 'refused', 'verified', 'resolved', 'transferred')
OLD_REC = ('received', 'assigned', 'answered', 'withdrawn')
NEW_REC = ('received', 'assigned', 'answered', 'withdrawn', 'reclassified')


def _enum_check(table, name, column, values):
    quoted = ', '.join(f"'{v}'" for v in values)
    return dict(constraint_name=op.f(f'ck_{table}_{name}'), condition=f'{column} IN ({quoted})')


def upgrade():
    with op.batch_alter_table('hotline_items') as b:
        b.add_column(sa.Column('legal_stage', sa.String(length=11), nullable=True))
        b.add_column(sa.Column('officer_id', sa.Integer(), nullable=True))
        b.add_column(sa.Column('accepted_on', sa.Date(), nullable=True))
        b.add_column(sa.Column('complex_case', sa.Boolean(), server_default=sa.false(), nullable=False))
        b.add_column(sa.Column('remote_area', sa.Boolean(), server_default=sa.false(), nullable=False))
        b.add_column(sa.Column('extensions', sa.Integer(), server_default='0', nullable=False))
        b.add_column(sa.Column('extended_due_on', sa.Date(), nullable=True))
        b.add_column(sa.Column('stage_note', sa.Text(), server_default='', nullable=False))
        b.add_column(sa.Column('decision_on', sa.Date(), nullable=True))
        b.add_column(sa.Column('transferred_to', sa.String(length=300), server_default='', nullable=False))
        b.add_column(sa.Column('source_recommendation_id', sa.Integer(), nullable=True))
        b.create_check_constraint(**_enum_check('hotline_items', 'hotline_legal_stage', 'legal_stage', STAGES))
        b.create_foreign_key(op.f('fk_hotline_items_officer_id_users'), 'users', ['officer_id'], ['id'],
                             ondelete='SET NULL')
        b.create_foreign_key(op.f('fk_hotline_items_source_recommendation_id_recommendations'), 'recommendations',
                             ['source_recommendation_id'], ['id'], ondelete='SET NULL')
        b.create_index(b.f('ix_hotline_items_legal_stage'), ['legal_stage'], unique=False)
        b.create_index(b.f('ix_hotline_items_officer_id'), ['officer_id'], unique=False)
        b.create_index(b.f('ix_hotline_items_source_recommendation_id'), ['source_recommendation_id'], unique=False)

    op.execute("UPDATE hotline_items SET legal_stage = 'received' WHERE kind IN ('complaint', 'denunciation')")

    op.create_table(
        'hotline_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('at_dt', heza.base.UTCDateTime(), nullable=False),
        sa.Column('actor', sa.String(length=300), nullable=False),
        sa.Column('action', sa.String(length=30), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['item_id'], ['hotline_items.id'], name=op.f('fk_hotline_events_item_id_hotline_items'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hotline_events')),
    )
    with op.batch_alter_table('hotline_events') as b:
        b.create_index(b.f('ix_hotline_events_item_id'), ['item_id'], unique=False)

    with op.batch_alter_table('recommendations') as b:
        b.drop_constraint(op.f('ck_recommendations_recommendation_status'), type_='check')
        b.alter_column('status', type_=sa.String(length=12), existing_nullable=False)
        b.create_check_constraint(**_enum_check('recommendations', 'recommendation_status', 'status', NEW_REC))


def downgrade():
    # Reclassified recommendations go back to "received" (their hotline items are dropped with the columns).
    op.execute("UPDATE recommendations SET status = 'received' WHERE status = 'reclassified'")
    with op.batch_alter_table('recommendations') as b:
        b.drop_constraint(op.f('ck_recommendations_recommendation_status'), type_='check')
        b.alter_column('status', type_=sa.String(length=9), existing_nullable=False)
        b.create_check_constraint(**_enum_check('recommendations', 'recommendation_status', 'status', OLD_REC))

    with op.batch_alter_table('hotline_events') as b:
        b.drop_index(b.f('ix_hotline_events_item_id'))
    op.drop_table('hotline_events')

    with op.batch_alter_table('hotline_items') as b:
        b.drop_index(b.f('ix_hotline_items_source_recommendation_id'))
        b.drop_index(b.f('ix_hotline_items_officer_id'))
        b.drop_index(b.f('ix_hotline_items_legal_stage'))
        b.drop_constraint(op.f('fk_hotline_items_source_recommendation_id_recommendations'), type_='foreignkey')
        b.drop_constraint(op.f('fk_hotline_items_officer_id_users'), type_='foreignkey')
        b.drop_constraint(op.f('ck_hotline_items_hotline_legal_stage'), type_='check')
        for name in ('source_recommendation_id', 'transferred_to', 'decision_on', 'stage_note', 'extended_due_on',
                     'extensions', 'remote_area', 'complex_case', 'accepted_on', 'officer_id', 'legal_stage'):
            b.drop_column(name)
