"""attendee check-in: a code per attendee (back-filled), when they were checked in, walk-ins

Revision ID: c4e8a2d9f317
Revises: b6d2e4f81a90
Create Date: 2026-12-02 12:10:00

"""
import secrets

from alembic import op
import sqlalchemy as sa
import heza.base


revision = 'c4e8a2d9f317'
down_revision = 'b6d2e4f81a90'
branch_labels = None
depends_on = None

ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"  # heza.conferences.models.CHECKIN_ALPHABET, frozen here


def upgrade():
    with op.batch_alter_table('attendees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checkin_code', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('checked_in_dt', heza.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('walk_in', sa.Boolean(), nullable=False, server_default=sa.false()))

    # Every attendee registered so far gets a code of its own.
    conn = op.get_bind()
    ids = [row[0] for row in conn.execute(sa.text("SELECT id FROM attendees ORDER BY id"))]
    used: set[str] = set()
    for attendee_id in ids:
        code = "".join(secrets.choice(ALPHABET) for _ in range(6))
        while code in used:
            code = "".join(secrets.choice(ALPHABET) for _ in range(6))
        used.add(code)
        conn.execute(sa.text("UPDATE attendees SET checkin_code = :code WHERE id = :id"),
                     {"code": code, "id": attendee_id})

    with op.batch_alter_table('attendees', schema=None) as batch_op:
        batch_op.alter_column('checkin_code', existing_type=sa.String(length=12), nullable=False)
        batch_op.alter_column('walk_in', existing_type=sa.Boolean(), server_default=None)
        batch_op.create_unique_constraint(batch_op.f('uq_attendees_checkin_code'), ['checkin_code'])


def downgrade():
    with op.batch_alter_table('attendees', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_attendees_checkin_code'), type_='unique')
        batch_op.drop_column('walk_in')
        batch_op.drop_column('checked_in_dt')
        batch_op.drop_column('checkin_code')
