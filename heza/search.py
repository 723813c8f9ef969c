"""Search the way Vietnamese users type: without diacritics, in any case ("thu tuc dat dai" finds
"Thủ tục đất đai", "ĐẤT ĐAI" too, đ/Đ read as d).

One concept: a searchable model (:class:`Searchable`) names its searchable fields once
(``__search_fields__``, dotted for a related row's column: ``"enterprise.name"``), and keeps their
folded text (:func:`fold`: unaccented, lower case) in its ``search_text`` column, indexed (a
``pg_trgm`` GIN index on PostgreSQL, a plain one on SQLite). The admin lists search that column
(:meth:`heza.admin.base.ProtectedModelView._apply_search`), one ``LIKE`` per word typed, so a
search needs no function on the column and works the same on both backends.

The column is kept by the ORM: before each flush for new and changed rows, and for the rows that
show a related row's field when that field changes (an enterprise renamed). Core inserts fill it
from their own parameters (the column's default); one that also shows a related row's field
passes ``search_text`` itself (invitations, the benchmark's generator).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def _slow_fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_EXTRA))
    return "".join(c for c in text if not unicodedata.combining(c))


# Latin letters with diacritics (Vietnamese lies in Latin Extended Additional) and combining marks,
# folded once: the common case is then one translate, not a normalisation per character.
_TABLE = {cp: _slow_fold(chr(cp)) or None for cp in range(0x80, 0x2000) if _slow_fold(chr(cp)) != chr(cp)}


def fold(value: Any) -> str:
    """``value`` as searched: without diacritics, lower case, single spaces (``"ĐẤT  Đai"`` -> ``"dat dai"``)."""
    if value is None:
        return ""
    text = str(value).lower().translate(_TABLE)
    if not text.isascii():
        text = _slow_fold(text).lower()
    return " ".join(text.split())


def join_fold(values: Iterable[Any]) -> str:
    """The ``search_text`` of a row whose searchable fields hold ``values``."""
    return fold(" ".join(str(v) for v in values if v is not None and v != ""))


def like_pattern(term: str) -> str:
    """``%term%`` for ``LIKE … ESCAPE '\\'``, the term folded and its wildcards taken literally."""
    term = fold(term).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{term}%"


def _from_parameters(context: Any) -> str:
    """The column's default for a Core insert: the row's own searchable fields from its parameters."""
    params = context.get_current_parameters()
    fields = _OWN_FIELDS.get(context.current_column.table.name, ())
    return join_fold(params.get(name) for name in fields)


_OWN_FIELDS: dict[str, tuple[str, ...]] = {}


class Searchable:
    """Mixin of a model its admin list searches; name the fields in ``__search_fields__``."""

    __search_fields__: ClassVar[tuple[str, ...]] = ()

    search_text: Mapped[str] = mapped_column(sa.Text, default=_from_parameters, server_default="",
                                             nullable=False)


@event.listens_for(Searchable, "after_mapper_constructed", propagate=True)
def _mapped(mapper: Any, cls: type) -> None:
    table = mapper.local_table
    _OWN_FIELDS[table.name] = tuple(f for f in cls.__search_fields__ if "." not in f)
    search_index(table.name, table.c.search_text)


def search_index(table: str, column: Any = "search_text") -> sa.Index:
    """The index on ``search_text``: trigrams (GIN) on PostgreSQL, a plain index elsewhere."""
    return sa.Index(f"ix_{table}_search_text", column, postgresql_using="gin",
                    postgresql_ops={"search_text": "gin_trgm_ops"})


def text_of(obj: Any) -> str:
    """What ``obj.search_text`` should hold now."""
    values = []
    for path in type(obj).__search_fields__:
        value: Any = obj
        for name in path.split("."):
            value = getattr(value, name, None) if value is not None else None
        values.append(value)
    return join_fold(values)


def condition(model: Any, search: str, dialect: str = "postgresql") -> Any:
    """Every word of ``search`` (folded) somewhere in the row's searchable fields; None if no word.
    ``model`` is a searchable model or its table.

    PostgreSQL answers the ``LIKE``s from the trigram index. SQLite has no index for a ``LIKE '%…%'``
    but scans the (covering) ``search_text`` index far faster than the table, whose rows may be long
    (an email with its bodies): there the rows are picked by id from that scan.
    """
    words = [w for w in search.split() if fold(w)]
    if not words:
        return None
    table = model if isinstance(model, sa.Table) else None
    text = table.c.search_text if table is not None else model.search_text
    # The patterns are rendered into the statement: a prepared statement's generic plan (psycopg prepares
    # after five runs) cannot see what a pattern selects and chose plans three times slower.
    where = sa.and_(*(text.like(sa.bindparam(None, like_pattern(w), type_=sa.Text, literal_execute=True),
                                escape="\\") for w in words))
    if dialect != "sqlite":
        return where
    key = list(table.primary_key)[0] if table is not None else sa.inspect(model).primary_key[0]
    return key.in_(sa.select(key).where(where))


@cache
def _dependents() -> dict[type, list[tuple[type, str, str]]]:
    """Related model -> [(searchable model, relationship, field)] for every dotted search field."""
    from heza.extensions import db

    out: dict[type, list[tuple[type, str, str]]] = {}
    for mapper in db.Model.registry.mappers:
        cls = mapper.class_
        if not issubclass(cls, Searchable):
            continue
        for path in cls.__search_fields__:
            if "." in path:
                rel, field = path.split(".", 1)
                target = mapper.relationships[rel].mapper.class_
                out.setdefault(target, []).append((cls, rel, field))
    return out


@cache
def _watched(cls: type) -> frozenset[str]:
    """The attributes whose change changes ``cls``'s search text (own fields, relationships, their keys)."""
    mapper = sa.inspect(cls)
    names = set()
    for path in cls.__search_fields__:
        name = path.split(".")[0]
        names.add(name)
        if name in mapper.relationships:
            names.update(mapper.get_property_by_column(c).key for c in mapper.relationships[name].local_columns)
    return frozenset(names)


def _changed(obj: Any) -> bool:
    attrs = sa.inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in _watched(type(obj)))


def _refresh(obj: Any) -> None:
    text = text_of(obj)
    if obj.search_text != text:
        obj.search_text = text


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    with session.no_autoflush:
        for obj in session.new:
            if isinstance(obj, Searchable):
                _refresh(obj)
        for obj in list(session.dirty):
            if isinstance(obj, Searchable) and _changed(obj):
                _refresh(obj)
        for obj in list(session.dirty):
            attrs = sa.inspect(obj).attrs
            stale = {(model, rel) for model, rel, field in _dependents().get(type(obj), ())
                     if field in attrs and attrs[field].history.has_changes()}
            for model, rel in stale:  # an enterprise renamed: the rows that show its name
                for row in session.scalars(sa.select(model).where(getattr(model, rel) == obj)):
                    _refresh(row)


event.listen(Session, "before_flush", _before_flush)
