"""Errors people can read: constraint violations as Vietnamese sentences, deletes refused up front."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

# A row of no organizer (a city agency, leader or outlet) is shared: changed by city-wide people only.
SHARED_ROW = _l("Bản ghi dùng chung toàn thành phố (không thuộc đơn vị tổ chức nào) chỉ quản trị viên được sửa "
                "hoặc xoá.")


class DeleteRefused(Exception):
    """A row other records still depend on; ``str()`` is the message to show."""


_UNIQUE_SQLITE = re.compile(r"UNIQUE constraint failed: ([\w., ]+)")
_UNIQUE_PG = re.compile(r"Key \(([^)]+)\)=")


def _unique_columns(exc: IntegrityError) -> list[str]:
    text = str(exc.orig)
    if m := _UNIQUE_SQLITE.search(text):
        return [part.strip().split(".")[-1] for part in m.group(1).split(",")]
    if "unique" in text.lower() and (m := _UNIQUE_PG.search(text)):
        return [part.strip().strip('"') for part in m.group(1).split(",")]
    return []


def integrity_message(exc: IntegrityError, labels: dict[str, Any] | None = None) -> str:
    """A Vietnamese sentence for a constraint the database refused."""
    text = str(exc.orig).lower()
    labels = labels or {}
    if "unique" in text or "duplicate" in text:
        columns = _unique_columns(exc)
        if columns:
            names = ", ".join(str(labels.get(c, c)) for c in columns)
            return _("Đã có một bản ghi khác với cùng giá trị: %(fields)s. Hãy nhập giá trị khác.", fields=names)
        return _("Đã có một bản ghi khác với cùng giá trị. Hãy kiểm tra các trường không được trùng.")
    if "foreign key" in text:
        return _("Không thực hiện được vì bản ghi này còn liên quan đến dữ liệu khác "
                 "(hoặc dữ liệu được chọn không còn tồn tại).")
    if "not null" in text or "null value" in text:
        return _("Còn trường bắt buộc chưa nhập.")
    if "check" in text:
        return _("Giá trị không hợp lệ: vi phạm ràng buộc dữ liệu (ví dụ số âm, hoặc người dùng vai trò "
                 "đơn vị chưa chọn đơn vị).")
    return _("Dữ liệu không hợp lệ nên chưa được lưu.")



def dependents(row: Any) -> list[tuple[str, int]]:
    """``[(table, count)]`` of the rows whose RESTRICT foreign keys point at ``row``.

    Foreign keys that cascade or set null are skipped, and so are children the ORM deletes with
    the row (a relationship with ``cascade="all, delete-orphan"``).
    """
    from heza.extensions import db

    mapper = sa.inspect(row).mapper
    table = mapper.local_table
    orm_deleted = set()
    for rel in mapper.relationships:
        if rel.cascade.delete:
            orm_deleted.update(rel.remote_side)
    found: list[tuple[str, int]] = []
    for other in db.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is not table or fk.parent in orm_deleted:
                continue
            if (fk.ondelete or "").upper() in {"CASCADE", "SET NULL", "SET DEFAULT"}:
                continue
            value = getattr(row, mapper.get_property_by_column(fk.column).key)
            if value is None:
                continue
            condition = fk.parent == value
            if other is table:
                pk = table.primary_key.columns.values()[0]
                condition = sa.and_(condition, pk != sa.inspect(row).identity[0])
            count = db.session.scalar(sa.select(sa.func.count()).select_from(other).where(condition)) or 0
            if count:
                found.append((other.name, count))
    return found


def delete_refusal(row: Any, labels: dict[str, str] | None = None) -> str | None:
    """The Vietnamese refusal for deleting ``row``, or None when nothing depends on it."""
    found = dependents(row)
    if not found:
        return None
    labels = labels or {}
    parts = ", ".join(f"{labels.get(table, table)} ({count})" for table, count in found)
    return _("Không xóa được \"%(row)s\": còn dữ liệu liên quan: %(parts)s. Hãy xóa hoặc chuyển các dữ liệu đó "
             "trước, hoặc đánh dấu ngừng hoạt động thay vì xóa.", row=str(row), parts=parts)

