"""What every kind of import shares: reading the header row, cleaning cells, the verdicts, writing all or nothing.

A kind is a small :class:`Kind`: its fields with the headings accepted besides the admin's labels, the
admin view whose labels (and so whose export) it mirrors, how a row is matched and checked
(:meth:`Kind.check_rows`) and how a checked row is written (:meth:`Kind.write`). The header row takes
the view's ``column_labels`` in Vietnamese and English, then each field's aliases; headings are
compared without case, diacritics or punctuation (:func:`norm`).

A cell the export marked as text (``'=HYPERLINK(...)``) is read back without the apostrophe, so
export → import changes nothing; formulas stay text, control characters are refused.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, ClassVar

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from heza import tenancy
from heza.chunks import chunked
from heza.extensions import db
from heza.imports.reading import MAX_CELL, Table
from heza.validation import InvalidValue, already_clean

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
ACTION_LABELS = {
    CREATE: _l("Thêm mới"),
    UPDATE: _l("Cập nhật"),
    UNCHANGED: _l("Không đổi"),
    ERROR: _l("Lỗi"),
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TRUE = {"co", "x", "1", "yes", "true", "dung", "y"}
_FALSE = {"khong", "0", "no", "false", "sai", "n"}
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+(\d{1,2}):(\d{2})(?::\d{2})?)?$")


def norm(text: str) -> str:
    """``"Mã số thuế"`` → ``"masothue"``: headings and names compared without case, marks or punctuation."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "", text)


def clean_cell(raw: str) -> str:
    """A cell stripped, without the apostrophe the export puts before a formula-looking text."""
    value = (raw or "").strip()
    if value.startswith("'") and value[1:2] and value[1:].startswith(FORMULA_STARTS):
        value = value[1:]  # the export's "this is text" mark
    return value


def read_flag(value: str) -> bool | None:
    """``Có``/``Không`` (and x, 1, yes…) as a boolean; None when it is neither."""
    flag = norm(value)
    if flag in _TRUE:
        return True
    if flag in _FALSE:
        return False
    return None


def read_day(value: str) -> tuple[date, time | None]:
    """``dd/mm/yyyy`` (optionally with ``HH:MM``, as the export writes instants); InvalidValue otherwise."""
    match = _DATE.match((value or "").strip())
    try:
        if match is None:
            raise ValueError(value)
        day, month, year, hour, minute = match.groups()
        when = date(int(year), int(month), int(day))
        return when, (time(int(hour), int(minute)) if hour is not None else None)
    except ValueError as exc:
        raise InvalidValue(_("Ngày không hợp lệ: ghi theo dạng dd/mm/yyyy, ví dụ 17/03/2026.")) from exc


def choices(enum_cls: Any) -> dict[str, Any]:
    """Normalised value and label (Vietnamese and English) -> member of a LabelledEnum."""
    found: dict[str, Any] = {}
    for member in enum_cls:
        found[norm(member.value)] = member
        for locale in ("vi", "en"):
            with force_locale(locale):
                found.setdefault(norm(str(member.label)), member)
    return found


@dataclass
class RowCheck:
    """One data row: what it would do, its cells by field, and the reason beside each bad cell."""

    line: int
    cells: dict[str, str]
    action: str = UNCHANGED
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    target: Any = None  # the existing record an update changes

    @property
    def tax_code(self) -> str:
        return self.values.get("tax_code") or self.cells.get("tax_code", "")

    def settle(self) -> None:
        """The verdict once every cell is checked: error, else create (no target), update or unchanged."""
        if self.errors:
            self.action = ERROR
        elif self.target is None:
            self.action = CREATE
        else:
            self.action = UPDATE if self.changed else UNCHANGED


@dataclass
class ImportCheck:
    """A whole file checked: every row's verdict, the columns used and left out, file-level errors."""

    columns: dict[int, str]
    ignored: list[str]
    rows: list[RowCheck]
    file_errors: list[str] = field(default_factory=list)
    kind: str = ""

    @property
    def counts(self) -> Counter[str]:
        return Counter(r.action for r in self.rows)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(r.action == ERROR for r in self.rows)

    @property
    def fields(self) -> list[str]:
        return list(self.columns.values())


@dataclass
class Applied:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class Context:
    """Who imports, and into which organizer (an officer's own; an admin's choice, or None)."""

    viewer: tenancy.Viewer = tenancy.SYSTEM
    organizer_id: int | None = None

    @property
    def importing_organizer(self) -> int | None:
        return self.organizer_id if self.viewer.city_wide else self.viewer.organizer_id


class Kind:
    """One kind of import; subclasses fill in the fields, the view, and how rows are checked and written."""

    key: ClassVar[str]
    label: ClassVar[Any]
    view: ClassVar[str]  # "module:ViewClass", the admin screen whose labels and export the file mirrors
    model: ClassVar[Any]
    # field -> headings accepted besides the admin's own column labels (in either language).
    fields: ClassVar[dict[str, tuple[str, ...]]]
    required_columns: ClassVar[tuple[str, ...]] = ()
    text_fields: ClassVar[tuple[str, ...]] = ()  # kept as typed, limited to the column's length
    done_message: ClassVar[Any] = ""
    list_endpoint: ClassVar[str] = ""

    # -- the header row

    def view_class(self) -> Any:
        module, name = self.view.split(":")
        return getattr(importlib.import_module(module), name)

    def write_roles(self) -> Collection[Any]:
        return self.view_class().write_roles

    def labels(self) -> dict[str, str]:
        """Field -> the heading shown for it (the admin's label, else the first alias)."""
        own = self.view_class().column_labels or {}
        return {name: str(own.get(name, aliases[0])) for name, aliases in self.fields.items()}

    def header_map(self) -> dict[str, str]:
        """Normalised heading -> field: the admin's labels in Vietnamese and English, then the aliases."""
        own = self.view_class().column_labels or {}
        mapping: dict[str, str] = {}
        for locale in ("vi", "en"):
            with force_locale(locale):
                for name in self.fields:
                    label = own.get(name)
                    if label is not None:
                        mapping.setdefault(norm(str(label)), name)
        for name, aliases in self.fields.items():
            for alias in aliases:
                mapping.setdefault(norm(alias), name)
        return mapping

    def check_table(self, table: Table, context: Context | None = None) -> ImportCheck:
        """Every row of ``table`` checked against the database; nothing is written."""
        known = self.header_map()
        columns: dict[int, str] = {}
        ignored: list[str] = []
        file_errors: list[str] = []
        for index, heading in enumerate(table.headers):
            name = known.get(norm(heading))
            if name is None:
                if heading.strip():
                    ignored.append(heading.strip())
            elif name in columns.values():
                file_errors.append(_("Cột \"%(col)s\" xuất hiện hai lần.", col=heading))
            else:
                columns[index] = name
        for name in self.required_columns:
            if name not in columns.values():
                file_errors.append(_("Thiếu cột bắt buộc: %(col)s.", col=self.fields[name][0]))
        rows = [RowCheck(line=line, cells={name: clean_cell(cells[i]) if i < len(cells) else ""
                                           for i, name in columns.items()})
                for line, cells in table.rows]
        check = ImportCheck(columns, ignored, rows, file_errors, kind=self.key)
        if not file_errors:
            self.check_rows(rows, context or Context())
        return check

    def check_rows(self, rows: list[RowCheck], context: Context) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- shared checks

    def max_length(self, name: str) -> int | None:
        column = self.model.__table__.c.get(name)
        return getattr(column.type, "length", None) if column is not None else None

    def cell_limit(self, name: str) -> int:
        """The longest cell ``name`` may hold (columns without a length of their own)."""
        return MAX_CELL

    def check_cells(self, row: RowCheck) -> None:
        """Control characters and lengths of every cell; text fields copied into the values."""
        for name, value in row.cells.items():
            limit = (self.max_length(name) if name in self.text_fields else None) or self.cell_limit(name)
            if CONTROL.search(value):
                row.errors[name] = _("Ô có ký tự điều khiển không hợp lệ.")
            elif len(value) > limit:
                row.errors[name] = _("Quá dài: tối đa %(n)d ký tự.", n=limit)
        for name in self.text_fields:
            if name in row.cells and name not in row.errors:
                row.values[name] = row.cells[name]

    def check_choice(self, row: RowCheck, name: str, table: dict[str, Any]) -> None:
        """A non-empty choice cell read through ``table`` (see :func:`choices`)."""
        value = row.cells.get(name)
        if value and name not in row.errors:
            member = table.get(norm(value))
            if member is None:
                row.errors[name] = _("Giá trị \"%(v)s\" không có trong danh sách.", v=value)
            else:
                row.values[name] = member

    def check_flag(self, row: RowCheck, name: str) -> None:
        if row.cells.get(name) and name not in row.errors:
            flag = read_flag(row.cells[name])
            if flag is None:
                row.errors[name] = _("Ghi Có hoặc Không.")
            else:
                row.values[name] = flag

    @staticmethod
    def mark_duplicates(rows: Iterable[RowCheck], key: Callable[[RowCheck], Any], name: str,
                        message: Callable[[int], str]) -> None:
        """Every row whose ``key`` (not None) an earlier row has gets ``message(first line)`` on ``name``."""
        first: dict[Any, int] = {}
        for row in rows:
            value = key(row)
            if value is None:
                continue
            if value in first:
                row.errors.setdefault(name, message(first[value]))
            else:
                first[value] = row.line

    @staticmethod
    def compare(row: RowCheck) -> None:
        """The fields whose value differs from the target's."""
        for name, value in row.values.items():
            if getattr(row.target, name) != value:
                row.changed.append(name)

    # -- writing

    def clean_values(self, check: ImportCheck) -> Collection[str]:
        """Addresses already cleaned by the check, which the models' validators need not parse again."""
        return ()

    def apply(self, check: ImportCheck, session: Any = None, **options: Any) -> Applied:
        """Write a checked file in the session's transaction and commit; refuse one with any error.

        Changes go through the ORM so the audit log records each created and changed row.
        On any failure the transaction is rolled back: nothing of the file is written.
        """
        if not check.ok:
            raise InvalidValue(_("Tệp còn lỗi nên không nhập dòng nào."))
        session = session or db.session
        result = Applied()
        try:
            with already_clean(self.clean_values(check)):
                self.write(check, session, result, **options)
                session.flush()
            session.commit()
        except Exception:
            session.rollback()
            raise
        return result

    def write(self, check: ImportCheck, session: Any, result: Applied, **options: Any) -> None:
        """Create and update what the checked rows say (default: plain ORM rows from the values)."""
        for row in check.rows:
            if row.action == CREATE:
                session.add(self.model(**row.values))
                result.created += 1
            elif row.action == UPDATE:
                for name in row.changed:
                    setattr(row.target, name, row.values[name])
                result.updated += 1
            else:
                result.unchanged += 1


def at_local(day: date, when: time | None) -> datetime:
    """A Hai Phong wall-clock day (and time) as an aware UTC instant."""
    from datetime import UTC

    from heza.base import LOCAL_ZONE

    return datetime.combine(day, when or time(0, 0), tzinfo=LOCAL_ZONE).astimezone(UTC)


def rows_where_in(column: Any, values: Iterable[str], viewer: tenancy.Viewer | None = None,
                  size: int = 500) -> Iterator[Any]:
    """The rows of ``column``'s model whose ``column`` is one of ``values``, read in IN-lists of ``size``
    (a file may name 100,000 keys); scoped for ``viewer`` when given."""
    model = column.class_
    keys = sorted(set(values))
    for chunk in chunked(keys, size):
        query = sa.select(model).where(column.in_(chunk))
        yield from db.session.scalars(query if viewer is None else tenancy.scope(query, model, viewer))
