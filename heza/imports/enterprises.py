"""Enterprises from a spreadsheet: each row checked against the directory, then written all or nothing.

Rows are matched by tax code (an existing enterprise is updated, never duplicated). The header row
accepts the columns of the admin's own export (``/admin/enterprise/export/csv/`` or ``xlsx``), in
Vietnamese or English, and common Vietnamese headings (``MST``, ``Tên DN``, ``Khu``…); other columns
are listed and left out. A column the file does not have leaves that field as it is.

Empty text cells clear the field (that is what an emptied spreadsheet cell means), empty choice cells
(type, language, active) keep it. What every kind shares (headings, cells, verdicts, writing all or
nothing) is in :mod:`heza.imports.checking`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from heza.directory.models import Enterprise, EnterpriseKind, Language, Organizer, Zone
from heza.extensions import db
from heza.imports.checking import (  # noqa: F401  (re-exported: the enterprise import's names)
    ACTION_LABELS,
    CREATE,
    ERROR,
    UNCHANGED,
    UPDATE,
    Applied,
    Context,
    ImportCheck,
    Kind,
    RowCheck,
    choices,
    norm,
    rows_where_in,
)
from heza.validation import InvalidValue, clean_email, clean_email_list, clean_tax_code

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
        self.kinds = choices(EnterpriseKind)
        self.languages = choices(Language)
        self.existing: dict[str, Enterprise] = {row.tax_code: row for row in
                                                 rows_where_in(Enterprise.tax_code, tax_codes)}


class Enterprises(Kind):
    """Enterprises, cooperatives and household businesses, matched by tax code (a shared directory)."""

    key = "enterprises"
    label = _l("Doanh nghiệp")
    view = "heza.directory.admin:EnterpriseView"
    model = Enterprise
    fields = FIELDS
    required_columns = REQUIRED_COLUMNS
    text_fields = TEXT_FIELDS
    list_endpoint = "enterprise.index_view"

    def check_rows(self, rows: list[RowCheck], context: Context) -> None:
        codes: list[str] = []
        for row in rows:
            try:
                row.values["tax_code"] = clean_tax_code(row.cells.get("tax_code", ""))
                codes.append(row.values["tax_code"])
            except InvalidValue as exc:
                row.errors["tax_code"] = str(exc)
        self.mark_duplicates(rows, lambda r: r.values.get("tax_code"), "tax_code",
                             lambda n: _("Trùng mã số thuế với dòng %(n)d của tệp.", n=n))
        directory = _Directory(codes)
        for row in rows:
            self._check_row(row, directory)

    def _check_row(self, row: RowCheck, d: _Directory) -> None:
        cells, values, errors = row.cells, row.values, row.errors
        self.check_cells(row)
        existing = d.existing.get(values.get("tax_code", ""))
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
        self.check_choice(row, "kind", d.kinds)
        self.check_choice(row, "language", d.languages)
        self.check_flag(row, "active")
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
            row.settle()
            return
        row.target = existing
        self.compare(row)
        if "email" in row.changed and not values.get("email") and "email" not in errors:
            errors["email"] = _("Thiếu email nhận thư mời.")
        zone_id = values.get("zone_id", existing.zone_id)
        ward_id = values.get("ward_id", existing.ward_id)
        if zone_id is None and ward_id is None and not ({"zone", "ward"} & errors.keys()):
            errors["zone" if "zone" in cells else "ward"] = _(
                "Cần ghi khu công nghiệp, khu kinh tế hoặc phường, xã của doanh nghiệp.")
        row.settle()

    def clean_values(self, check: ImportCheck) -> Collection[str]:
        return {row.values[name] for row in check.rows for name in ("email", "cc_emails") if row.values.get(name)}

    def write(self, check: ImportCheck, session: Any, result: Applied, *, chunk: int = 2000, **_options: Any) -> None:
        # 100,000 rows: flushed and let go of in chunks so the session does not hold them all.
        pending: list[Any] = []
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


KIND = Enterprises()


def header_map() -> dict[str, str]:
    """Normalised heading -> field (see :meth:`Kind.header_map`)."""
    return KIND.header_map()


def check_table(table: Any, context: Context | None = None) -> ImportCheck:
    """Every row of ``table`` checked against the directory; nothing is written."""
    return KIND.check_table(table, context)


def apply(check: ImportCheck, session: Any = None, *, chunk: int = 2000) -> Applied:
    """Write a checked file all or nothing (see :meth:`Kind.apply`)."""
    return KIND.apply(check, session, chunk=chunk)
