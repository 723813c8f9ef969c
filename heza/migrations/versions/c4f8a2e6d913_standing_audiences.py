"""standing audiences: each organizer's default invitees, by group and by recommendation field

A new table; no existing data changes.

Revision ID: c4f8a2e6d913
Revises: b7e2d4a91c3f
Create Date: 2026-12-02 12:05:00

"""
from alembic import op
import sqlalchemy as sa
import heza.base  # noqa: F401  (UTCDateTime)


revision = 'c4f8a2e6d913'
down_revision = 'b7e2d4a91c3f'
branch_labels = None
depends_on = None

GROUPS = ('city_leaders', 'agencies', 'local', 'media')
FIELDS = ('investment', 'planning', 'land', 'environment', 'labour', 'tax', 'customs', 'infrastructure',
          'fire_safety', 'administrative', 'other')


def upgrade():
    op.create_table(
        'standing_invitees',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organizer_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('group', sa.Enum(*GROUPS, name='invitee_group', native_enum=False, create_constraint=True,
                                   length=12), nullable=False),
        sa.Column('field', sa.Enum(*FIELDS, name='standing_invitee_field', native_enum=False,
                                   create_constraint=True, length=14), nullable=True),
        sa.Column('created_dt', heza.base.UTCDateTime(), nullable=False),
        sa.Column('updated_dt', heza.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['organizer_id'], ['organizers.id'],
                                name=op.f('fk_standing_invitees_organizer_id_organizers'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_standing_invitees_unit_id_units'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_standing_invitees')),
        sa.UniqueConstraint('organizer_id', 'unit_id', 'field',
                            name=op.f('uq_standing_invitees_organizer_id_unit_id_field')),
    )
    op.create_index(op.f('ix_standing_invitees_organizer_id'), 'standing_invitees', ['organizer_id'], unique=False)
    op.create_index(op.f('ix_standing_invitees_unit_id'), 'standing_invitees', ['unit_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_standing_invitees_unit_id'), table_name='standing_invitees')
    op.drop_index(op.f('ix_standing_invitees_organizer_id'), table_name='standing_invitees')
    op.drop_table('standing_invitees')
