"""organizers as tenants: identity, plans, staff per organizer, supervisor role

Existing data is carried over:
* every organizer gets a slug from its short name, its header line (a ward's People's Committee
  under its own name only), the parent body of its kind and, as its plan, the document its kind acted under until now (HEZA's 2025 plan for the
  authority, the ward plan for a ward) with the rules that plan sets;
* users go to the organizer of their unit, or else to the economic-zone authority (admins stay
  city-wide);
* topic proposals go to the authority; emails in the outbox to their conference's organizer.

Revision ID: a3c1f0e2b7d4
Revises: 7417b5c45fa4
Create Date: 2026-12-02 11:20:00

"""
import re
import unicodedata
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa
import heza.base  # noqa: F401  (UTCDateTime)


revision = 'a3c1f0e2b7d4'
down_revision = '7417b5c45fa4'
branch_labels = None
depends_on = None

OLD_KINDS = ('authority', 'ward')
NEW_KINDS = ('authority', 'ward', 'department')
OLD_ROLES = ('admin', 'officer', 'unit', 'viewer')
NEW_ROLES = ('admin', 'officer', 'unit', 'viewer', 'supervisor')

# What each kind acted under before plans were data (the SOURCES of heza/rules.py at 7417b5c45fa4).
_PLANS = {
    'authority': [
        ('Kế hoạch tổ chức Hội nghị đối thoại doanh nghiệp năm 2025', 2025, 'R1,R2,R3,R5,R6,R7'),
        ('Công văn 971/BQL-TTXTĐT ngày 10/3/2023 về Bản tin số 01.2023', 2023, 'R10'),
        ('Thông báo đường dây nóng và trang Facebook (5/2026)', 2026, 'R11'),
        ('Công văn triển khai Quy chế đối thoại (QĐ 1155/QĐ-TU), 12/2023', 2023, 'R12'),
    ],
    'ward': [
        ('Kế hoạch tổ chức Hội nghị đối thoại với doanh nghiệp, hợp tác xã, hộ kinh doanh năm 2026', 2026,
         'R4,R8,R9'),
    ],
}
# A People's Committee heads its documents with its own name only (Decree 30/2020/NĐ-CP).
_PARENT = {'authority': 'UBND THÀNH PHỐ HẢI PHÒNG', 'ward': ''}


def _slug(text):
    text = (text or '').replace('đ', 'd').replace('Đ', 'D')
    text = unicodedata.normalize('NFKD', text).encode('ascii', 'ignore').decode()
    return re.sub(r'[^a-z0-9]+', '-', text.lower()).strip('-')[:50] or 'don-vi'


def _enum_check(table, name, column, values):
    quoted = ', '.join(f"'{v}'" for v in values)
    return dict(constraint_name=op.f(f'ck_{table}_{name}'), condition=f'{column} IN ({quoted})')


def upgrade():
    bind = op.get_bind()
    now = datetime.now(timezone.utc)

    # -- organizers: identity columns, the new kind
    with op.batch_alter_table('organizers') as b:
        b.drop_constraint(op.f('ck_organizers_organizer_kind'), type_='check')
        b.alter_column('kind', type_=sa.String(length=10), existing_nullable=False)
        for name, length, default in (('parent_body', 200, ''), ('header_name', 200, ''),
                                      ('place_name', 100, 'Hải Phòng'), ('document_symbol', 30, ''),
                                      ('signer_authority', 120, ''), ('signer_title', 120, ''),
                                      ('signer_name', 200, '')):
            b.add_column(sa.Column(name, sa.String(length=length), nullable=False, server_default=default))
        b.add_column(sa.Column('slug', sa.String(length=60), nullable=True))
        b.create_check_constraint(**_enum_check('organizers', 'organizer_kind', 'kind', NEW_KINDS))

    organizers = sa.table('organizers', sa.column('id', sa.Integer), sa.column('name', sa.String),
                          sa.column('short_name', sa.String), sa.column('kind', sa.String),
                          sa.column('slug', sa.String), sa.column('parent_body', sa.String),
                          sa.column('header_name', sa.String), sa.column('document_symbol', sa.String))
    rows = bind.execute(sa.select(organizers.c.id, organizers.c.name, organizers.c.short_name,
                                  organizers.c.kind).order_by(organizers.c.id)).all()
    taken = set()
    for id_, name, short_name, kind in rows:
        slug = base = _slug(short_name or name)
        n = 2
        while slug in taken:
            slug, n = f'{base}-{n}', n + 1
        taken.add(slug)
        bind.execute(organizers.update().where(organizers.c.id == id_).values(
            slug=slug, parent_body=_PARENT.get(kind, ''),
            header_name=('ỦY BAN NHÂN DÂN ' + name).upper() if kind == 'ward' else name.upper(),
            document_symbol='BQL' if kind == 'authority' else 'UBND'))

    with op.batch_alter_table('organizers') as b:
        b.alter_column('slug', existing_type=sa.String(length=60), nullable=False)
        b.create_unique_constraint(op.f('uq_organizers_slug'), ['slug'])
        for name in ('parent_body', 'header_name', 'place_name', 'document_symbol', 'signer_authority',
                     'signer_title', 'signer_name'):
            b.alter_column(name, server_default=None)

    # -- plans
    op.create_table(
        'plans',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organizer_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=60), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=True),
        sa.Column('title', sa.String(length=500), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('rules', sa.String(length=100), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('pdf_name', sa.String(length=200), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=True),
        sa.Column('created_dt', heza.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_dt', heza.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint('year >= 2000 AND year <= 2100', name=op.f('ck_plans_year_range')),
        sa.ForeignKeyConstraint(['organizer_id'], ['organizers.id'], name=op.f('fk_plans_organizer_id_organizers'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    )
    op.create_index(op.f('ix_plans_organizer_id'), 'plans', ['organizer_id'], unique=False)
    plans = sa.table('plans', *(sa.column(c) for c in (
        'organizer_id', 'number', 'title', 'year', 'rules', 'active', 'pdf_name', 'created_dt', 'updated_dt')))
    for id_, _name, _short, kind in rows:
        for title, year, rules in _PLANS.get(kind, []):
            bind.execute(plans.insert().values(organizer_id=id_, number='', title=title, year=year, rules=rules,
                                               active=True, pdf_name='', created_dt=now, updated_dt=now))

    authority = next((r[0] for r in rows if r[3] == 'authority'), rows[0][0] if rows else None)

    # -- users: an organizer each (admins and supervisors city-wide), the supervisor role
    with op.batch_alter_table('users') as b:
        b.drop_constraint(op.f('ck_users_user_role'), type_='check')
        b.alter_column('role', type_=sa.String(length=10), existing_nullable=False)
        b.add_column(sa.Column('organizer_id', sa.Integer(), nullable=True))
        b.create_foreign_key(op.f('fk_users_organizer_id_organizers'), 'organizers', ['organizer_id'], ['id'],
                             ondelete='RESTRICT')
        b.create_index(op.f('ix_users_organizer_id'), ['organizer_id'], unique=False)
        b.create_check_constraint(**_enum_check('users', 'user_role', 'role', NEW_ROLES))

    users = sa.table('users', sa.column('id', sa.Integer), sa.column('role', sa.String),
                     sa.column('unit_id', sa.Integer), sa.column('organizer_id', sa.Integer))
    units = sa.table('units', sa.column('id', sa.Integer), sa.column('organizer_id', sa.Integer))
    bind.execute(users.update().where(users.c.role != 'admin').values(organizer_id=sa.select(
        units.c.organizer_id).where(units.c.id == users.c.unit_id).scalar_subquery()))
    staff_left = bind.execute(sa.select(sa.func.count()).select_from(users).where(
        users.c.role != 'admin', users.c.organizer_id.is_(None))).scalar()
    if staff_left and authority is None:
        raise RuntimeError('Có tài khoản cán bộ nhưng chưa có đơn vị tổ chức nào: hãy tạo đơn vị tổ chức trước '
                           '(hoặc đổi các tài khoản đó thành quản trị) rồi chạy lại "heza init".')
    bind.execute(users.update().where(users.c.role != 'admin', users.c.organizer_id.is_(None))
                 .values(organizer_id=authority))
    with op.batch_alter_table('users') as b:
        b.create_check_constraint(op.f('ck_users_staff_has_organizer'),
                                  "role IN ('admin', 'supervisor') OR organizer_id IS NOT NULL")

    # -- topic proposals go to an organizer's chair
    with op.batch_alter_table('topic_proposals') as b:
        b.add_column(sa.Column('organizer_id', sa.Integer(), nullable=True))
    proposals = sa.table('topic_proposals', sa.column('organizer_id', sa.Integer))
    if authority is not None:
        bind.execute(proposals.update().values(organizer_id=authority))
    elif bind.execute(sa.select(sa.func.count()).select_from(proposals)).scalar():
        raise RuntimeError('Có đề xuất nội dung đối thoại nhưng chưa có đơn vị tổ chức nào: hãy tạo đơn vị tổ '
                           'chức trước rồi chạy lại "heza init".')
    with op.batch_alter_table('topic_proposals') as b:
        b.alter_column('organizer_id', existing_type=sa.Integer(), nullable=False)
        b.create_foreign_key(op.f('fk_topic_proposals_organizer_id_organizers'), 'organizers', ['organizer_id'],
                             ['id'], ondelete='RESTRICT')
        b.create_index(op.f('ix_topic_proposals_organizer_id'), ['organizer_id'], unique=False)

    # -- the outbox: each email speaks for its conference's organizer
    with op.batch_alter_table('outbound_emails') as b:
        b.add_column(sa.Column('organizer_id', sa.Integer(), nullable=True))
        b.create_foreign_key(op.f('fk_outbound_emails_organizer_id_organizers'), 'organizers', ['organizer_id'],
                             ['id'], ondelete='SET NULL')
        b.create_index(op.f('ix_outbound_emails_organizer_id'), ['organizer_id'], unique=False)
    emails = sa.table('outbound_emails', sa.column('organizer_id', sa.Integer), sa.column('conference_id', sa.Integer))
    conferences = sa.table('conferences', sa.column('id', sa.Integer), sa.column('organizer_id', sa.Integer))
    bind.execute(emails.update().where(emails.c.conference_id.is_not(None)).values(organizer_id=sa.select(
        conferences.c.organizer_id).where(conferences.c.id == emails.c.conference_id).scalar_subquery()))


def downgrade():
    bind = op.get_bind()
    with op.batch_alter_table('outbound_emails') as b:
        b.drop_index(op.f('ix_outbound_emails_organizer_id'))
        b.drop_constraint(op.f('fk_outbound_emails_organizer_id_organizers'), type_='foreignkey')
        b.drop_column('organizer_id')
    with op.batch_alter_table('topic_proposals') as b:
        b.drop_index(op.f('ix_topic_proposals_organizer_id'))
        b.drop_constraint(op.f('fk_topic_proposals_organizer_id_organizers'), type_='foreignkey')
        b.drop_column('organizer_id')
    # Supervisors cannot exist before this revision: they become viewers.
    bind.execute(sa.text("UPDATE users SET role = 'viewer' WHERE role = 'supervisor'"))
    with op.batch_alter_table('users') as b:
        b.drop_constraint(op.f('ck_users_staff_has_organizer'), type_='check')
        b.drop_constraint(op.f('ck_users_user_role'), type_='check')
        b.drop_index(op.f('ix_users_organizer_id'))
        b.drop_constraint(op.f('fk_users_organizer_id_organizers'), type_='foreignkey')
        b.drop_column('organizer_id')
        b.alter_column('role', type_=sa.String(length=7), existing_nullable=False)
        b.create_check_constraint(**_enum_check('users', 'user_role', 'role', OLD_ROLES))
    op.drop_index(op.f('ix_plans_organizer_id'), table_name='plans')
    op.drop_table('plans')
    bind.execute(sa.text("UPDATE organizers SET kind = 'authority' WHERE kind = 'department'"))
    with op.batch_alter_table('organizers') as b:
        b.drop_constraint(op.f('uq_organizers_slug'), type_='unique')
        b.drop_constraint(op.f('ck_organizers_organizer_kind'), type_='check')
        for name in ('slug', 'parent_body', 'header_name', 'place_name', 'document_symbol', 'signer_authority',
                     'signer_title', 'signer_name'):
            b.drop_column(name)
        b.alter_column('kind', type_=sa.String(length=9), existing_nullable=False)
        b.create_check_constraint(**_enum_check('organizers', 'organizer_kind', 'kind', OLD_KINDS))
