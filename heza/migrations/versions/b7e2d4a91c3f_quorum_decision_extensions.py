"""quorum decision, republished notices, reasoned extensions, proposal year rollover

* conferences: the "goes ahead anyway" decision on a missed quorum (when, who, why);
* announcements: when a postponement rewrote the notice for the new day;
* recommendations and hotline items: a reasoned extension of the counted deadline (new date,
  reason, who, when);
* organizers: from which day of the year topic proposals go to next year's plan (1 December);
* newsletter article assignments: a kind (tin/bài, existing rows are "bài") and no unit required.

Existing rows are carried over unchanged: no decision, no revision, no extension; every organizer
gets the default rollover day.

Revision ID: b7e2d4a91c3f
Revises: b5d2e8c41a9f
Create Date: 2026-12-02 11:50:00

"""
from alembic import op
import sqlalchemy as sa
import heza.base  # noqa: F401  (UTCDateTime)


revision = 'b7e2d4a91c3f'
down_revision = 'b5d2e8c41a9f'  # after the complaints migration (merged branches)
branch_labels = None
depends_on = None

_EXTENDED = ('recommendations', 'hotline_items')


def upgrade():
    with op.batch_alter_table('conferences') as b:
        b.add_column(sa.Column('quorum_waived_dt', heza.base.UTCDateTime(), nullable=True))
        b.add_column(sa.Column('quorum_waived_by', sa.String(length=200), nullable=False, server_default=''))
        b.add_column(sa.Column('quorum_waiver_reason', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('announcements') as b:
        b.add_column(sa.Column('revised_dt', heza.base.UTCDateTime(), nullable=True))
    for table in _EXTENDED:
        with op.batch_alter_table(table) as b:
            b.add_column(sa.Column('extended_to', sa.Date(), nullable=True))
            b.add_column(sa.Column('extension_reason', sa.Text(), nullable=False, server_default=''))
            b.add_column(sa.Column('extended_by', sa.String(length=200), nullable=False, server_default=''))
            b.add_column(sa.Column('extended_dt', heza.base.UTCDateTime(), nullable=True))
    with op.batch_alter_table('organizers') as b:
        b.add_column(sa.Column('proposal_rollover_month', sa.Integer(), nullable=False, server_default='12'))
        b.add_column(sa.Column('proposal_rollover_day', sa.Integer(), nullable=False, server_default='1'))
        b.create_check_constraint(op.f('ck_organizers_proposal_rollover_month_not_negative'),
                                  'proposal_rollover_month IS NULL OR proposal_rollover_month >= 0')
        b.create_check_constraint(op.f('ck_organizers_proposal_rollover_day_not_negative'),
                                  'proposal_rollover_day IS NULL OR proposal_rollover_day >= 0')
    with op.batch_alter_table('article_assignments') as b:
        b.add_column(sa.Column('kind', sa.Enum('news', 'article', name='article_kind', native_enum=False,
                                               create_constraint=True, length=7),
                               nullable=False, server_default='article'))
        b.alter_column('unit_id', existing_type=sa.Integer(), nullable=True)


def downgrade():
    conn = op.get_bind()
    # Rows without a unit go back to their issue's editor; with none, the downgrade would lose them.
    conn.execute(sa.text("UPDATE article_assignments SET unit_id = (SELECT editor_unit_id FROM newsletter_issues "
                         "WHERE newsletter_issues.id = article_assignments.issue_id) WHERE unit_id IS NULL"))
    if conn.execute(sa.text("SELECT count(*) FROM article_assignments WHERE unit_id IS NULL")).scalar():
        raise RuntimeError("article assignments without a unit (and no issue editor): assign them before downgrading")
    with op.batch_alter_table('article_assignments') as b:
        b.alter_column('unit_id', existing_type=sa.Integer(), nullable=False)
        b.drop_constraint(op.f('ck_article_assignments_article_kind'), type_='check')
        b.drop_column('kind')
    with op.batch_alter_table('organizers') as b:
        b.drop_constraint(op.f('ck_organizers_proposal_rollover_day_not_negative'), type_='check')
        b.drop_constraint(op.f('ck_organizers_proposal_rollover_month_not_negative'), type_='check')
        b.drop_column('proposal_rollover_day')
        b.drop_column('proposal_rollover_month')
    for table in _EXTENDED:
        with op.batch_alter_table(table) as b:
            b.drop_column('extended_dt')
            b.drop_column('extended_by')
            b.drop_column('extension_reason')
            b.drop_column('extended_to')
    with op.batch_alter_table('announcements') as b:
        b.drop_column('revised_dt')
    with op.batch_alter_table('conferences') as b:
        b.drop_column('quorum_waiver_reason')
        b.drop_column('quorum_waived_by')
        b.drop_column('quorum_waived_dt')
