"""The admin list pages measured three ways: through the app, as a bare SQLAlchemy + Jinja page over the same
query, and as the raw SQL floor (used by bench_city.py; not a test)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Flask

from tests.bench.common import StatementCounter, pct, row, time_calls

SEARCH_TARGET_MS = 150
DIALECT = "sqlite"  # of the database measured (set by bench_city.run())


def _searched(table: sa.Table, words: str, *order: object) -> tuple[sa.Select, sa.Select]:
    """The page and count a list's search runs (:func:`heza.search.condition` on the table)."""
    from heza.search import condition

    where = condition(table, words, DIALECT)
    return (sa.select(table).where(where).order_by(*order).limit(50),
            sa.select(sa.func.count()).select_from(table).where(where))


# The bare page: the same rows through SQLAlchemy into a plain Jinja table, no Flask-Admin (bench_lists).
BARE_PAGE = ("<table>{% for row in rows %}<tr>{% for name in columns %}<td>{{ cell(row, name) }}</td>{% endfor %}"
             "</tr>{% endfor %}</table><p>{{ total }}</p>")


def _cell(row: object, name: str) -> object:
    """A list cell as plainly as it can be shown: a label for an enum, dd/mm/yyyy for a day."""
    import enum
    from datetime import datetime

    value = getattr(row, name, None)  # a column only a formatter shows (due_state) stays empty
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return getattr(value, "label", value.value)
    return f"{value:%d/%m/%Y %H:%M}" if isinstance(value, datetime) else (
        f"{value:%d/%m/%Y}" if isinstance(value, date) else value)


def bare_page(app: Flask, endpoint: str, page_q: sa.Select, count_q: sa.Select):  # noqa: ANN201
    """A callable rendering the page without Flask-Admin: the admin list's 50 rows (``page_q``, its related
    rows by selectinload) and count, each column the admin list shows into :data:`BARE_PAGE`."""
    import jinja2
    from sqlalchemy import orm

    from heza.extensions import db

    view = next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", None) == endpoint)
    columns = [name for name, _ in view._list_columns]
    related = sa.inspect(view.model).relationships
    query = sa.select(view.model).from_statement(page_q).options(
        *[orm.selectinload(getattr(view.model, name)) for name in columns if name in related])
    template = jinja2.Environment(autoescape=True).from_string(BARE_PAGE)

    def render() -> None:
        rows = db.session.scalars(query).all()
        template.render(rows=rows, columns=columns, cell=_cell, total=db.session.scalar(count_q))

    return render


def bench_lists(app: Flask, repeat: int) -> None:
    """Each list through the test client, next to the same page as bare SQLAlchemy + Jinja (what Flask-Admin
    adds) and to the SQL floor (SELECT … LIMIT 50 plus the count), with the target p95 <= 3 x floor + 15 ms."""
    from heza.accounts.models import Role, User
    from heza.extensions import db

    t = db.metadata.tables
    with app.app_context():
        user = User(email="bench@heza.gov.vn", name="Bench", role=Role.ADMIN)
        user.set_password("bench-password-123")
        db.session.add(user)
        db.session.commit()
        uid = user.id
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(uid)
        session["_fresh"] = True
    rec, ent, out, hot = t["recommendations"], t["enterprises"], t["outbound_emails"], t["hotline_items"]
    cases = [
        ("recommendations, first page", "/admin/recommendation/",
         sa.select(rec).order_by(rec.c.due_on, rec.c.id).limit(50), sa.select(sa.func.count()).select_from(rec)),
        ("recommendations, search", "/admin/recommendation/?search=KN-2025",
         *_searched(rec, "KN-2025", rec.c.due_on, rec.c.id)),
        ("recommendations, sorted by received", "/admin/recommendation/?sort=4&desc=1",
         sa.select(rec).order_by(rec.c.received_dt.desc()).limit(50), sa.select(sa.func.count()).select_from(rec)),
        ("enterprises, first page", "/admin/enterprise/",
         sa.select(ent).order_by(ent.c.name).limit(50), sa.select(sa.func.count()).select_from(ent)),
        ("enterprises, search tax code", "/admin/enterprise/?search=0200001234",
         *_searched(ent, "0200001234", ent.c.name)),
        ("enterprises, sorted by tax code", "/admin/enterprise/?sort=1",
         sa.select(ent).order_by(ent.c.tax_code).limit(50), sa.select(sa.func.count()).select_from(ent)),
        ("outbox, first page", "/admin/outbox/",
         sa.select(out).order_by(out.c.created_dt.desc()).limit(50), sa.select(sa.func.count()).select_from(out)),
        ("outbox, filtered failed", "/admin/outbox/?flt0_0=failed",
         sa.select(out).where(out.c.status == "failed").order_by(out.c.created_dt.desc()).limit(50),
         sa.select(sa.func.count()).select_from(out).where(out.c.status == "failed")),
        ("hotline, first page", "/admin/hotline/",
         sa.select(hot).order_by(hot.c.received_dt.desc(), hot.c.id.desc()).limit(50),
         sa.select(sa.func.count()).select_from(hot)),
        ("hotline, sorted by due date", "/admin/hotline/?sort=4",
         sa.select(hot).order_by(hot.c.due_on).limit(50), sa.select(sa.func.count()).select_from(hot)),
    ]
    conf = t["conferences"]
    with app.app_context():  # a reference as printed on a receipt, typed whole
        reference = db.session.scalar(sa.select(rec.c.reference).where(rec.c.id == 123))
    # Free text as people type it: without diacritics, several words (heza.search); target p95 <= 150 ms.
    searches = [
        ("recommendations, 'thu tuc dat dai'", "recommendation", "thu tuc dat dai", rec, (rec.c.due_on, rec.c.id)),
        ("recommendations, 'ĐẤT ĐAI'", "recommendation", "ĐẤT ĐAI", rec, (rec.c.due_on, rec.c.id)),
        (f"recommendations, reference {reference}", "recommendation", reference, rec, (rec.c.due_on, rec.c.id)),
        ("enterprises, 'cong ty thep 12'", "enterprise", "cong ty thep 12", ent, (ent.c.name,)),
        ("hotline, 'phan anh so 432'", "hotline", "phan anh so 432", hot, (hot.c.received_dt.desc(), hot.c.id.desc())),
        ("conferences, 'hoi nghi doi thoai 5'", "conference", "hoi nghi doi thoai 5", conf, (conf.c.held_on.desc(),)),
        ("outbox, 'thu moi 1234'", "outbox", "thu moi 1234", out, (out.c.created_dt.desc(),)),
    ]
    for label, endpoint, words, table, order in searches:
        cases.append((f"search: {label}", f"/admin/{endpoint}/?{urlencode({'search': words})}",
                      *_searched(table, words, *order)))
    with app.app_context():
        for label, url, page_q, count_q in cases:
            statuses = set()

            def hit(url=url, statuses=statuses) -> None:  # noqa: ANN001
                response = client.get(url)
                statuses.add(response.status_code)

            with StatementCounter(db.engine) as counter:
                client.get(url)
            web = time_calls(hit, repeat)

            def floor(page_q=page_q, count_q=count_q) -> None:  # noqa: ANN001
                with db.engine.connect() as conn:
                    conn.execute(page_q).all()
                    conn.execute(count_q).scalar()

            raw = time_calls(floor, repeat)
            # Where Flask-Admin itself is the cost: the same page as bare SQLAlchemy + Jinja (no request).
            bare = time_calls(bare_page(app, url.split("/")[2], page_q, count_q), repeat)
            note = (f"bare SQLAlchemy+Jinja p50 {pct(bare, .5):.1f} ms, p95 {pct(bare, .95):.1f} ms; "
                    f"SQL floor p50 {pct(raw, .5):.1f} ms; {counter.count} statements/page; HTTP {sorted(statuses)}")
            if label.startswith("search: "):
                with db.engine.connect() as conn:
                    hits = conn.execute(count_q).scalar()
                verdict = "met" if pct(web, .95) <= SEARCH_TARGET_MS else "MISSED"
                note += f"; {hits:,} rows match; target p95 <= {SEARCH_TARGET_MS} ms {verdict}"
                what = label
            else:  # the target for a list page: p95 <= 3 x its SQL floor + 15 ms
                target = 3 * pct(raw, .5) + 15
                verdict = "met" if pct(web, .95) <= target else "MISSED"
                note += f"; target p95 <= 3x floor + 15 ms = {target:.0f} ms {verdict}"
                what = f"list: {label}"
            row(what, f"p50 {pct(web, .5):.0f} ms, p95 {pct(web, .95):.0f} ms", note)
