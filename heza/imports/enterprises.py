"""Enterprises from a spreadsheet: each row checked against the directory, then written all or nothing.

Rows are matched by tax code (an existing enterprise is updated, never duplicated). The header row
accepts the columns of the admin's own export (``/admin/enterprise/export/csv/`` or ``xlsx``), in
Vietnamese or English, and common Vietnamese headings (``MST``, ``Tên DN``, ``Khu``…); other columns
are listed and left out. A column the file does not have leaves that field as it is.

Empty text cells clear the field (that is what an emptied spreadsheet cell means), empty choice cells
(type, language, active) keep it. A cell the export marked as text (``'=HYPERLINK(...)``) is read
back without the apostrophe, so export → import changes nothing; formulas stay text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from heza.directory.models import Enterprise, EnterpriseKind, Language, Organizer, Zone
from heza.extensions import db
from heza.imports.reading import MAX_CELL, Table
from heza.validation import InvalidValue, already_clean, clean_email, clean_email_list, clean_tax_code

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
ACTION_LABELS = {
    CREATE: _l("Thêm mới"),
    UPDATE: _l("Cập nhật"),
    UNCHANGED: _l("Không đổi"),
    ERROR: _l("Lỗi"),
}

# field -> headings accepted besides the admin's own column labels (in either language).
FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("Tên doanh nghiệp", "Tên DN", "Tên", "Tên đơn vị", "Enterprise name", "Name", "name"),
    "tax_code": ("Mã số thuế", "MST", "Mã số doanh nghiệp", "Tax code", "tax_code"),
    "kind": ("Loại hình", "Loại hình doanh nghiệp", "Loại", "Type of business", "Kind", "kind"),
    "zone": ("Khu công nghiệp, khu kinh tế", "Khu", "KCN", "KCN, KKT", "Khu công nghiệp", "Zone", "zone"),
    "ward": ("Phường, xã", "Phường", "Xã", "Ward", "ward"),
    "address": ("Địa chỉ", "Địa chỉ trụ sở", "Address", "address"),
    "contact_name": ("Người liên hệ", "Người đại diện", "Contact person", "Contact", "contact_name"),
    "phone": ("Điện thoại", "Số điện thoại", "SĐT", "Phone", "phone"),
    "email": ("Email nhận thư mời, trả lời", "Email", "Thư điện tử", "E-mail", "email"),
    "cc_emails": ("Email đồng gửi (trả lời kiến nghị)", "Email đồng gửi", "CC", "cc_emails"),
    "language": ("Ngôn ngữ nhận thư", "Ngôn ngữ", "Email language", "Language", "language"),
    "active": ("Đang hoạt động", "Hoạt động", "Active", "active"),
}
TEXT_FIELDS = ("name", "address", "contact_name", "phone")
REQUIRED_COLUMNS = ("tax_code",)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TRUE = {"co", "x", "1", "yes", "true", "dung", "y"}
_FALSE = {"khong", "0", "no", "false", "sai", "n"}


def norm(text: str) -> str:
    """``"Mã số thuế"`` → ``"masothue"``: headings and names compared without case, marks or punctuation."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "", text)


@dataclass
class RowCheck:
    """One data row: what it would do, its cells by field, and the reason beside each bad cell."""

    line: int
    cells: dict[str, str]
    action: str = UNCHANGED
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    target: Any = None  # the existing enterprise an update changes

    @property
    def tax_code(self) -> str:
        return self.values.get("tax_code") or self.cells.get("tax_code", "")


@dataclass
class ImportCheck:
    """A whole file checked: every row's verdict, the columns used and left out, file-level errors."""

    columns: dict[int, str]
    ignored: list[str]
    rows: list[RowCheck]
    file_errors: list[str] = field(default_factory=list)

    @property
    def counts(self) -> Counter[str]:
        return Counter(r.action for r in self.rows)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(r.action == ERROR for r in self.rows)

    @property
    def fields(self) -> list[str]:
        return list(self.columns.values())


def header_map() -> dict[str, str]:
    """Normalised heading -> field: the admin's labels in Vietnamese and English, then the aliases."""
    from heza.directory.admin import EnterpriseView

    mapping: dict[str, str] = {}
    for locale in ("vi", "en"):
        with force_locale(locale):
            for name in FIELDS:
                label = EnterpriseView.column_labels.get(name)
                if label is not None:
                    mapping.setdefault(norm(str(label)), name)
    for name, aliases in FIELDS.items():
        for alias in aliases:
            mapping.setdefault(norm(alias), name)
    return mapping


def _choices(enum_cls: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for member in enum_cls:
        found[norm(member.value)] = member
        for locale in ("vi", "en"):
            with force_locale(locale):
                found.setdefault(norm(str(member.label)), member)
    return found


class _Directory:
    """Zones, wards and the existing enterprises the file names, read once per check."""

    def __init__(self, tax_codes: list[str]) -> None:
        self.zones: dict[str, int] = {}
        for zid, name, code in db.session.execute(sa.select(Zone.id, Zone.name, Zone.code)):
            self.zones.setdefault(norm(name), zid)
            self.zones.setdefault(norm(code), zid)
        self.wards: dict[str, int] = {}
        for oid, name, short, slug in db.session.execute(
                sa.select(Organizer.id, Organizer.name, Organizer.short_name, Organizer.slug)):
            for key in (short, name, slug):
                if key:
                    self.wards.setdefault(norm(key), oid)
        self.kinds = _choices(EnterpriseKind)
        self.languages = _choices(Language)
        self.existing: dict[str, Enterprise] = {}
        codes = sorted(set(tax_codes))
        for start in range(0, len(codes), 500):
            chunk = codes[start:start + 500]
            for row in db.session.scalars(sa.select(Enterprise).where(Enterprise.tax_code.in_(chunk))):
                self.existing[row.tax_code] = row


def _max_length(name: str) -> int | None:
    column = Enterprise.__table__.c.get(name)
    return getattr(column.type, "length", None) if column is not None else None


def _cell(raw: str) -> str:
    value = (raw or "").strip()
    if value.startswith("'") and value[1:2] and value[1:].startswith(_FORMULA_STARTS):
        value = value[1:]  # the export's "this is text" mark
    return value


def check_table(table: Table) -> ImportCheck:
    """Every row of ``table`` checked against the database; nothing is written."""
    known = header_map()
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
    for name in REQUIRED_COLUMNS:
        if name not in columns.values():
            file_errors.append(_("Thiếu cột bắt buộc: %(col)s.", col=FIELDS[name][0]))
    rows = [RowCheck(line=line, cells={name: _cell(cells[i]) if i < len(cells) else ""
                                       for i, name in columns.items()})
            for line, cells in table.rows]
    if file_errors:
        return ImportCheck(columns, ignored, rows, file_errors)

    codes: list[str] = []
    for row in rows:
        try:
            row.values["tax_code"] = clean_tax_code(row.cells.get("tax_code", ""))
            codes.append(row.values["tax_code"])
        except InvalidValue as exc:
            row.errors["tax_code"] = str(exc)
    first_line: dict[str, int] = {}
    for row in rows:
        code = row.values.get("tax_code")
        if code is None:
            continue
        if code in first_line:
            row.errors["tax_code"] = _("Trùng mã số thuế với dòng %(n)d của tệp.", n=first_line[code])
        else:
            first_line[code] = row.line
    directory = _Directory(codes)
    for row in rows:
        _check_row(row, directory)
    return ImportCheck(columns, ignored, rows, file_errors)


def _check_row(row: RowCheck, d: _Directory) -> None:
    cells, values, errors = row.cells, row.values, row.errors
    for name, value in cells.items():
        if _CONTROL.search(value):
            errors[name] = _("Ô có ký tự điều khiển không hợp lệ.")
        elif len(value) > MAX_CELL or (_max_length(name) and name in TEXT_FIELDS and len(value) > _max_length(name)):
            errors[name] = _("Quá dài: tối đa %(n)d ký tự.", n=_max_length(name) or MAX_CELL)
    existing = d.existing.get(values.get("tax_code", ""))
    for name in TEXT_FIELDS:
        if name in cells and name not in errors:
            values[name] = cells[name]
    if "name" in cells and not cells["name"] and "name" not in errors:
        errors["name"] = _("Thiếu tên doanh nghiệp.")
    if existing is None and "name" not in cells and "tax_code" not in errors:
        errors["tax_code"] = _("Doanh nghiệp chưa có trong danh mục: tệp cần cột Tên doanh nghiệp để thêm mới.")
    for name, table, message in (("zone", d.zones, _("Không có khu \"%(v)s\" trong danh mục khu.")),
                                 ("ward", d.wards, _("Không có phường, xã \"%(v)s\" trong danh mục."))):
        if name in cells and name not in errors:
            value = cells[name]
            if not value:
                values[name + "_id"] = None
            elif norm(value) in table:
                values[name + "_id"] = table[norm(value)]
            else:
                errors[name] = message % {"v": value}
    for name, table in (("kind", d.kinds), ("language", d.languages)):
        if cells.get(name) and name not in errors:
            member = table.get(norm(cells[name]))
            if member is None:
                errors[name] = _("Giá trị \"%(v)s\" không có trong danh sách.", v=cells[name])
            else:
                values[name] = member
    if cells.get("active") and "active" not in errors:
        flag = norm(cells["active"])
        if flag in _TRUE:
            values["active"] = True
        elif flag in _FALSE:
            values["active"] = False
        else:
            errors["active"] = _("Ghi Có hoặc Không.")
    if "cc_emails" in cells and "cc_emails" not in errors:
        try:
            values["cc_emails"] = clean_email_list(cells["cc_emails"])
        except InvalidValue as exc:
            errors["cc_emails"] = str(exc)
    if "email" in cells and "email" not in errors:
        try:
            values["email"] = clean_email(cells["email"]) if cells["email"] else ""
        except InvalidValue as exc:
            errors["email"] = str(exc)

    # What the row would make of the enterprise.
    if existing is None:
        if not values.get("email") and "email" not in errors:
            errors["email"] = _("Thiếu email nhận thư mời.")
        if not values.get("zone_id") and not values.get("ward_id") and not ({"zone", "ward"} & errors.keys()):
            errors["zone" if "zone" in cells or "ward" not in cells else "ward"] = _(
                "Cần ghi khu công nghiệp, khu kinh tế hoặc phường, xã của doanh nghiệp.")
        row.action = ERROR if errors else CREATE
        return
    row.target = existing
    for name, value in values.items():
        if getattr(existing, name) != value:
            row.changed.append(name)
    if "email" in row.changed and not values.get("email") and "email" not in errors:
        errors["email"] = _("Thiếu email nhận thư mời.")
    zone_id = values.get("zone_id", existing.zone_id)
    ward_id = values.get("ward_id", existing.ward_id)
    if zone_id is None and ward_id is None and not ({"zone", "ward"} & errors.keys()):
        errors["zone" if "zone" in cells else "ward"] = _(
            "Cần ghi khu công nghiệp, khu kinh tế hoặc phường, xã của doanh nghiệp.")
    row.action = ERROR if errors else (UPDATE if row.changed else UNCHANGED)


@dataclass
class Applied:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def apply(check: ImportCheck, session: Any = None, *, chunk: int = 2000) -> Applied:
    """Write a checked file in the session's transaction and commit; refuse one with any error.

    Changes go through the ORM so the audit log records each created and changed enterprise.
    On any failure the transaction is rolled back: nothing of the file is written.
    """
    if not check.ok:
        raise InvalidValue(_("Tệp còn lỗi nên không nhập dòng nào."))
    session = session or db.session
    result = Applied()
    pending: list[Any] = []
    clean = {row.values[name] for row in check.rows for name in ("email", "cc_emails") if row.values.get(name)}
    try:
        with already_clean(clean):
            _write(check, session, result, pending, chunk)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return result


def _write(check: ImportCheck, session: Any, result: Applied, pending: list[Any], chunk: int) -> None:
    for row in check.rows:
        if row.action == CREATE:
            obj = Enterprise(**row.values)
            session.add(obj)
            pending.append(obj)
            result.created += 1
        elif row.action == UPDATE:
            obj = row.target
            for name in row.changed:
                setattr(obj, name, row.values[name])
            pending.append(obj)
            result.updated += 1
        else:
            result.unchanged += 1
        if len(pending) >= chunk:
            session.flush()
            for obj in pending:
                session.expunge(obj)
            pending.clear()
    session.flush()
