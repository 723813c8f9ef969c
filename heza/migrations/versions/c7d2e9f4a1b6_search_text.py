"""search without diacritics: a folded ``search_text`` column and its index on every searchable table

Each searchable table gets ``search_text`` (its searchable fields unaccented and in lower case, see
heza/search.py) with an index: trigrams (``pg_trgm``, GIN) on PostgreSQL, a plain one on SQLite.
Existing rows are filled in batches of 1,000.

Revision ID: c7d2e9f4a1b6
Revises: c4e8a2d9f317
Create Date: 2026-12-02 11:45:00

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = 'c7d2e9f4a1b6'
down_revision = 'c4e8a2d9f317'  # after the check-in migration (merged branches)
branch_labels = None
depends_on = None

BATCH = 1000

# Table -> its own searchable columns and (foreign key, related table, its columns), frozen here as
# the models' __search_fields__ read at this revision.
SEARCHABLE = {
    'agenda_items': (('content', 'presenter'), ('conference_id', 'conferences', ('title',))),
    'announcements': (('title', 'body'), ('conference_id', 'conferences', ('title',))),
    'article_assignments': (('topic', 'section'), ('issue_id', 'newsletter_issues', ('number',))),
    'audit_events': (('summary', 'actor', 'record_id', 'model'), None),
    'calendar_overrides': (('note', 'source'), None),
    'conferences': (('title', 'place', 'chair'), None),
    'digital_posts': (('title', 'url'), None),
    'enterprises': (('name', 'tax_code', 'email', 'contact_name', 'phone'), None),
    # Not the person's name or contact: a search must not reveal who sent a denunciation.
    'hotline_items': (('reference', 'content', 'response'), None),
    'invitations': (('note',), ('enterprise_id', 'enterprises', ('name', 'tax_code'))),
    'job_runs': (('job', 'error', 'host'), None),
    'newsletter_issues': (('number',), None),
    'organizers': (('name', 'short_name', 'email', 'slug'), None),
    'outbound_emails': (('to_addr', 'to_name', 'subject', 'key'), None),
    'plans': (('number', 'title'), None),
    'recommendations': (('reference', 'content', 'answer'), ('enterprise_id', 'enterprises', ('name', 'tax_code'))),
    'registrations': (('note',), ('enterprise_id', 'enterprises', ('name', 'tax_code'))),
    'reports': (('title', 'document_number', 'recipients'), None),
    'tasks': (('description', 'note'), None),
    'topic_proposals': (('proposer_name', 'tax_code', 'topic', 'content', 'email'), None),
    'units': (('name', 'short_name', 'emails'), None),
    'users': (('email', 'name'), None),
    'zones': (('code', 'name'), None),
}

_EXTRA = str.maketrans({'đ': 'd', 'Đ': 'd', 'ð': 'd', 'Ð': 'd'})


def _fold(values):
    """heza.search.join_fold at this revision."""
    text = ' '.join(str(v) for v in values if v is not None and v != '')
    text = unicodedata.normalize('NFKD', text.translate(_EXTRA))
    text = ''.join(c for c in text if not unicodedata.combining(c))
    return ' '.join(text.lower().split())


def _fill(bind, name, own, related):
    meta = sa.MetaData()
    table = sa.Table(name, meta, autoload_with=bind)
    columns = [table.c.id, *(table.c[c] for c in own)]
    source = table
    if related:
        fk, other_name, other_columns = related
        other = sa.Table(other_name, meta, autoload_with=bind)
        columns += [other.c[c] for c in other_columns]
        source = table.outerjoin(other, table.c[fk] == other.c.id)
    update = table.update().where(table.c.id == sa.bindparam('row_id')).values(
        search_text=sa.bindparam('text'))
    last = None
    while True:
        query = sa.select(*columns).select_from(source).order_by(table.c.id).limit(BATCH)
        if last is not None:
            query = query.where(table.c.id > last)
        rows = bind.execute(query).all()
        if not rows:
            break
        params = [{'row_id': r[0], 'text': _fold(r[1:])} for r in rows]
        params = [p for p in params if p['text']]
        if params:
            bind.execute(update, params)
        last = rows[-1][0]


def upgrade():
    bind = op.get_bind()
    postgresql = bind.dialect.name == 'postgresql'
    if postgresql:
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        # The extension may live in a schema outside this connection's search_path (a deployment in
        # its own schema on a server where public already has pg_trgm): name its operator class fully.
        where = bind.execute(sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'pg_trgm'")).scalar_one()
        trigrams = bind.dialect.identifier_preparer.quote_schema(where) + '.gin_trgm_ops'
    for name, (own, related) in SEARCHABLE.items():
        with op.batch_alter_table(name) as b:
            b.add_column(sa.Column('search_text', sa.Text(), server_default='', nullable=False))
        _fill(bind, name, own, related)
        index = op.f(f'ix_{name}_search_text')
        if postgresql:
            op.create_index(index, name, ['search_text'], postgresql_using='gin',
                            postgresql_ops={'search_text': trigrams})
        else:
            op.create_index(index, name, ['search_text'])


def downgrade():
    for name in SEARCHABLE:
        op.drop_index(op.f(f'ix_{name}_search_text'), table_name=name)
        with op.batch_alter_table(name) as b:
            b.drop_column('search_text')
