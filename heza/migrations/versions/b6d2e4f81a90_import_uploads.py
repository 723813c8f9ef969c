"""import uploads: a spreadsheet kept between its preview and the confirmation (heza/imports)

Revision ID: b6d2e4f81a90
Revises: c4f8a2e6d913
Create Date: 2026-12-02 12:00:00

"""
from alembic import op
import sqlalchemy as sa
import heza.base


revision = 'b6d2e4f81a90'
down_revision = 'c4f8a2e6d913'  # after the standing-audiences migration (merged branches)
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_dt', heza.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_import_uploads_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_uploads')),
    sa.UniqueConstraint('token', name=op.f('uq_import_uploads_token'))
    )
    with op.batch_alter_table('import_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_uploads_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('import_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_uploads_user_id'))
    op.drop_table('import_uploads')
