"""Units (departments, ward units, city agencies, leaders, media) from a spreadsheet, all or nothing.

A row is matched by its name (compared without case or diacritics) within its organizer: the file's
*Đơn vị tổ chức* column when it has one (an empty cell there is a city-wide unit, as the export
writes it), else the importing organizer (an officer's own; the one an admin chose, or city-wide).
An officer never reads nor writes another organizer's units, and only admins create or change a
city-wide unit. The supervisor is named like the export writes it (short name, else name): a unit
of the same organizer, a city-wide one, or another row of the file.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from heza import tenancy
from heza.directory.models import Language, Organizer, Unit, UnitKind
from heza.extensions import db
from heza.imports.checking import CREATE, UPDATE, Applied, Context, ImportCheck, Kind, RowCheck, choices, norm
from heza.validation import InvalidValue, clean_email_list

FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("Tên đơn vị", "Tên cơ quan", "Tên", "Unit name", "Name", "name"),
    "short_name": ("Tên viết tắt", "Viết tắt", "Short name", "short_name"),
    "kind": ("Loại", "Loại đơn vị", "Kind", "Type", "kind"),
    "organizer": ("Đơn vị tổ chức", "Organizer", "organizer"),
    "emails": ("Email nhận thư", "Email", "Emails", "Thư điện tử", "emails"),
    "supervisor": ("Đơn vị giám sát", "Đơn vị cấp trên", "Supervisor", "supervisor"),
    "language": ("Ngôn ngữ nhận thư", "Ngôn ngữ", "Language", "language"),
    "active": ("Đang hoạt động", "Hoạt động", "Active", "active"),
}
SUPERVISOR_ID = "supervisor_id"
NEW_SUPERVISOR = "new_supervisor"  # a row of the same file (created in the same go)


class _Directory:
    """Organizers and the units the importer may see, read once per check."""

    def __init__(self, viewer: tenancy.Viewer) -> None:
        self.organizers: dict[str, int] = {}
        query = sa.select(Organizer.id, Organizer.name, Organizer.short_name, Organizer.slug)
        for oid, name, short, slug in db.session.execute(tenancy.scope(query, Organizer, viewer)):
            for key in (short, name, slug):
                if key:
                    self.organizers.setdefault(norm(key), oid)
        self.by_name: dict[tuple[int | None, str], Unit] = {}
        self.by_label: dict[tuple[int | None, str], Unit] = {}  # name or short name, for supervisors
        for unit in db.session.scalars(tenancy.scope(sa.select(Unit).order_by(Unit.id), Unit, viewer)):
            self.by_name.setdefault((unit.organizer_id, norm(unit.name)), unit)
            for label in (unit.short_name, unit.name):
                if label:
                    self.by_label.setdefault((unit.organizer_id, norm(label)), unit)
        self.kinds = choices(UnitKind)
        self.languages = choices(Language)


class Units(Kind):
    """Agencies, departments, leaders and media, matched by name within their organizer."""

    key = "units"
    label = _l("Đơn vị, cơ quan")
    view = "heza.directory.admin:UnitView"
    model = Unit
    fields = FIELDS
    required_columns = ("name",)
    text_fields = ("name", "short_name")
    list_endpoint = "unit.index_view"

    def check_rows(self, rows: list[RowCheck], context: Context) -> None:
        d = _Directory(context.viewer)
        home = context.importing_organizer
        for row in rows:
            self.check_cells(row)
            self._organizer(row, d, context, home)
            if not row.cells.get("name") and "name" not in row.errors:
                row.errors["name"] = _("Thiếu tên đơn vị.")
        self.mark_duplicates(rows, _key, "name", lambda n: _("Trùng tên đơn vị với dòng %(n)d của tệp.", n=n))
        in_file = {}
        for row in rows:
            key = _key(row)
            if key is not None:
                row.target = d.by_name.get(key)
                for label in (row.cells.get("short_name"), row.cells.get("name")):
                    if label:
                        in_file.setdefault((key[0], norm(label)), row)
        for row in rows:
            self._check_row(row, d, context, in_file)

    def _organizer(self, row: RowCheck, d: _Directory, context: Context, home: int | None) -> None:
        if "organizer" not in row.cells:
            row.values["organizer_id"] = home
            return
        value = row.cells["organizer"]
        if not value:
            row.values["organizer_id"] = None  # the export's empty cell: a city-wide unit
            return
        found = d.organizers.get(norm(value))
        fixed = not context.viewer.city_wide or context.organizer_id is not None
        if found is None or (fixed and found != home):
            row.errors["organizer"] = _("Không nhập được vào đơn vị tổ chức \"%(v)s\": chỉ nhập vào đơn vị "
                                        "tổ chức đang chọn, hoặc để trống với đơn vị dùng chung.", v=value)
        else:
            row.values["organizer_id"] = found

    def _check_row(self, row: RowCheck, d: _Directory, context: Context,
                   in_file: dict[tuple[int | None, str], RowCheck]) -> None:
        cells, values, errors = row.cells, row.values, row.errors
        self.check_choice(row, "kind", d.kinds)
        self.check_choice(row, "language", d.languages)
        self.check_flag(row, "active")
        if "emails" in cells and "emails" not in errors:
            try:
                values["emails"] = clean_email_list(cells["emails"])
            except InvalidValue as exc:
                errors["emails"] = str(exc)
        organizer_id = values.get("organizer_id")
        if cells.get("supervisor") and "supervisor" not in errors and "organizer" not in errors:
            label = norm(cells["supervisor"])
            found = d.by_label.get((organizer_id, label)) or d.by_label.get((None, label))
            other = in_file.get((organizer_id, label)) or in_file.get((None, label))
            if found is not None:
                values[SUPERVISOR_ID] = found.id
            elif other is not None and other is not row and other.target is None:
                values[NEW_SUPERVISOR] = other
            else:
                errors["supervisor"] = _("Không có đơn vị \"%(v)s\" để làm đơn vị giám sát.", v=cells["supervisor"])
        elif "supervisor" in cells and not cells["supervisor"]:
            values[SUPERVISOR_ID] = None
        if row.target is None:
            if "kind" not in values and "kind" not in errors:
                errors["kind"] = _("Thiếu loại đơn vị.")
        else:
            for name, value in values.items():
                if name != NEW_SUPERVISOR and getattr(row.target, name) != value:
                    row.changed.append(name)
            if NEW_SUPERVISOR in values:
                row.changed.append(SUPERVISOR_ID)
        if organizer_id is None and not context.viewer.city_wide and (row.target is None or row.changed):
            errors.setdefault("organizer" if "organizer" in cells else "name", _(
                "Chỉ quản trị viên được thêm, sửa đơn vị dùng chung toàn thành phố (ô Đơn vị tổ chức để trống)."))
        row.settle()

    def clean_values(self, check: ImportCheck) -> Collection[str]:
        return {row.values["emails"] for row in check.rows if row.values.get("emails")}

    def write(self, check: ImportCheck, session: Any, result: Applied, **_options: Any) -> None:
        made: dict[int, Unit] = {}
        for row in check.rows:
            plain = {k: v for k, v in row.values.items() if k != NEW_SUPERVISOR}
            if row.action == CREATE:
                made[id(row)] = Unit(**plain)
                session.add(made[id(row)])
                result.created += 1
            elif row.action == UPDATE:
                for name in row.changed:
                    if name in plain:
                        setattr(row.target, name, plain[name])
                made[id(row)] = row.target
                result.updated += 1
            else:
                result.unchanged += 1
        # A supervisor created by the same file: linked as an object, so the flush inserts it first.
        for row in check.rows:
            other = row.values.get(NEW_SUPERVISOR)
            if other is not None and id(row) in made:
                made[id(row)].supervisor = made[id(other)]


def _key(row: RowCheck) -> tuple[int | None, str] | None:
    """The row's identity: its organizer and normalised name (None while either is in error)."""
    if "name" in row.errors or "organizer" in row.errors or not row.cells.get("name"):
        return None
    return row.values.get("organizer_id"), norm(row.cells["name"])


KIND = Units()
