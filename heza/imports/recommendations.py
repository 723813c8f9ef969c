"""Recommendations handed in on paper (at a conference) from a spreadsheet, all or nothing.

A row with a reference (``KN-2026-000123``, the export's first column) is that recommendation of the
importing organizer: its content, field and responsible unit are updated while it is open; an
answered or withdrawn one can only be left unchanged. A row without a reference is a new
recommendation, unless the same enterprise already has the same content at the same conference
(the file imported twice), which then counts as that one. New rows are created like the admin form
creates them (ORM rows with their relations): the due date (R5), the reference and the search text
are set by the same listeners, and the audit log records them.

The enterprise is named by its tax code (the *Mã số thuế* column, or the export's *Doanh nghiệp*
cell "Name (0201234567)"); the conference by its id, its title, or "title (dd/mm/yyyy)" as exported,
and only among the importing organizer's; the field and channel by their labels; the responsible
unit by its short name or name.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from heza import tenancy
from heza.base import now_utc
from heza.conferences.models import Channel, Conference
from heza.directory.models import Enterprise, Organizer, Unit
from heza.extensions import db
from heza.imports.checking import Context, Kind, RowCheck, at_local, choices, norm, read_day, rows_where_in
from heza.recommendations.models import OPEN_STATUSES, Field, Recommendation
from heza.validation import TAX_CODE_RE, InvalidValue, clean_tax_code

FIELDS: dict[str, tuple[str, ...]] = {
    "reference": ("Số tham chiếu", "Mã kiến nghị", "Reference", "reference"),
    "tax_code": ("Mã số thuế", "MST", "Tax code", "tax_code"),
    "enterprise": ("Doanh nghiệp", "Tên doanh nghiệp", "Enterprise", "enterprise"),
    "conference": ("Hội nghị", "Conference", "conference"),
    "field": ("Lĩnh vực", "Field", "field"),
    "content": ("Nội dung kiến nghị", "Nội dung", "Kiến nghị", "Content", "content"),
    "received_dt": ("Tiếp nhận lúc", "Ngày tiếp nhận", "Ngày nhận", "Received", "received_dt"),
    "channel": ("Hình thức tiếp nhận", "Kênh tiếp nhận", "Channel", "channel"),
    "responsible_unit": ("Đơn vị xử lý", "Đơn vị chủ trì", "Responsible unit", "responsible_unit"),
}
UPDATABLE = ("content", "field", "responsible_unit")  # what a row may change on an open recommendation
CONTENT_LIMIT = 20_000
_TRAILING_CODE = re.compile(r"\(([\d\s-]+)\)\s*$")


class _Directory:
    """The enterprises, conferences, units and recommendations the file may name, read once per check."""

    def __init__(self, rows: list[RowCheck], viewer: tenancy.Viewer) -> None:
        codes = (r.values["tax_code"] for r in rows if r.values.get("tax_code"))
        self.enterprises: dict[str, Enterprise] = {e.tax_code: e for e in rows_where_in(Enterprise.tax_code, codes)}
        self.conferences: dict[str, list[Conference]] = {}
        for conf in db.session.scalars(tenancy.scope(sa.select(Conference), Conference, viewer)):
            for label in (str(conf.id), str(conf), conf.title):
                self.conferences.setdefault(norm(label), []).append(conf)
        self.units: dict[tuple[int | None, str], Unit] = {}
        for unit in db.session.scalars(tenancy.scope(sa.select(Unit).order_by(Unit.id), Unit, viewer)):
            for label in (unit.short_name, unit.name):
                if label:
                    self.units.setdefault((unit.organizer_id, norm(label)), unit)
        refs = (r.cells["reference"].upper() for r in rows if r.cells.get("reference"))
        self.references: dict[str, Recommendation] = {
            rec.reference or "": rec for rec in rows_where_in(Recommendation.reference, refs, viewer)}
        self.fields = choices(Field)
        self.channels = choices(Channel)


class Recommendations(Kind):
    """Recommendations of the importing organizer, matched by reference; new ones created."""

    key = "recommendations"
    label = _l("Kiến nghị của doanh nghiệp")
    view = "heza.recommendations.admin:RecommendationView"
    model = Recommendation
    fields = FIELDS
    required_columns = ("content",)
    text_fields = ("content",)
    list_endpoint = "recommendation.index_view"

    def cell_limit(self, name: str) -> int:
        return CONTENT_LIMIT if name == "content" else super().cell_limit(name)

    def check_rows(self, rows: list[RowCheck], context: Context) -> None:
        for row in rows:
            self.check_cells(row)
            self._tax_code(row)
        d = _Directory(rows, context.viewer)
        home = context.importing_organizer
        fixed = not context.viewer.city_wide or context.organizer_id is not None
        for row in rows:
            self._check_row(row, d, home, fixed)
        with_ref = [r for r in rows if r.cells.get("reference")]
        self.mark_duplicates(with_ref, lambda r: r.target.id if r.target is not None else None, "reference",
                             lambda n: _("Trùng số tham chiếu với dòng %(n)d của tệp.", n=n))
        self.mark_duplicates([r for r in rows if not r.cells.get("reference")],
                             lambda r: r.target.id if r.target is not None else _new_key(r), "content",
                             lambda n: _("Trùng kiến nghị với dòng %(n)d của tệp.", n=n))
        for row in rows:
            row.settle()

    def _tax_code(self, row: RowCheck) -> None:
        """The enterprise's tax code: its own column, else the export's "Name (tax code)" cell."""
        name, value = "tax_code", row.cells.get("tax_code", "")
        if not value and row.cells.get("enterprise"):
            name, value = "enterprise", row.cells["enterprise"]
            match = _TRAILING_CODE.search(value)
            if match is not None:
                value = match.group(1)
            elif not TAX_CODE_RE.match(value.replace(" ", "")):
                row.errors.setdefault(name, _("Ghi mã số thuế của doanh nghiệp (cột Mã số thuế)."))
                return
        if not value or name in row.errors:
            return
        try:
            row.values["tax_code"] = clean_tax_code(value)
        except InvalidValue as exc:
            row.errors[name] = str(exc)

    def _check_row(self, row: RowCheck, d: _Directory, home: int | None, fixed: bool) -> None:
        cells, values, errors = row.cells, row.values, row.errors
        code = values.pop("tax_code", None)
        where = "tax_code" if "tax_code" in cells else "enterprise"
        enterprise = d.enterprises.get(code) if code else None
        if code and enterprise is None:
            errors[where] = _("Không có doanh nghiệp mã số thuế %(v)s trong danh mục.", v=code)
        conference = None
        if cells.get("conference") and "conference" not in errors:
            found = [c for c in d.conferences.get(norm(cells["conference"]), [])
                     if not fixed or c.organizer_id == home]
            if len({c.id for c in found}) > 1:
                errors["conference"] = _("Có nhiều hội nghị tên \"%(v)s\": ghi kèm ngày như tệp xuất, ví dụ "
                                         "\"Tên hội nghị (17/03/2026)\".", v=cells["conference"])
            elif not found:
                errors["conference"] = _("Không có hội nghị \"%(v)s\" của đơn vị tổ chức đang nhập.",
                                         v=cells["conference"])
            else:
                conference = found[0]
        referenced = d.references.get(cells.get("reference", "").upper())
        organizer_id = (referenced.organizer_id if referenced is not None
                        else conference.organizer_id if conference is not None else home)
        self.check_choice(row, "field", d.fields)
        self.check_choice(row, "channel", d.channels)
        if cells.get("responsible_unit") and "responsible_unit" not in errors:
            label = norm(cells["responsible_unit"])
            unit = d.units.get((organizer_id, label)) or d.units.get((None, label))
            if unit is None:
                errors["responsible_unit"] = _("Không có đơn vị \"%(v)s\" của đơn vị tổ chức đang nhập.",
                                               v=cells["responsible_unit"])
            else:
                values["responsible_unit"] = unit
        elif "responsible_unit" in cells and not cells["responsible_unit"]:
            values["responsible_unit"] = None
        if "content" in cells and not cells["content"] and "content" not in errors:
            errors["content"] = _("Thiếu nội dung kiến nghị.")

        if cells.get("reference"):
            self._existing(row, d, enterprise, conference, home, fixed)
            return
        if "received_dt" in cells and cells["received_dt"] and "received_dt" not in errors:
            try:
                values["received_dt"] = at_local(*read_day(cells["received_dt"]))
            except InvalidValue as exc:
                errors["received_dt"] = str(exc)
        if enterprise is None and where not in errors:
            errors[where] = _("Thiếu mã số thuế của doanh nghiệp.")
        if organizer_id is None and "conference" not in errors:
            errors["conference"] = _("Ghi hội nghị, hoặc chọn đơn vị tổ chức khi tải tệp lên.")
        if errors:
            return
        same = db.session.scalars(sa.select(Recommendation).where(
            Recommendation.enterprise_id == enterprise.id,  # type: ignore[union-attr]
            Recommendation.conference_id == (conference.id if conference else None),
            Recommendation.organizer_id == organizer_id)).all()
        row.target = next((r for r in same if norm(r.content) == norm(values["content"])), None)
        if row.target is not None:  # the same file imported again: that recommendation, not a second one
            self._compare(row)
            return
        values.update(enterprise=enterprise, conference=conference, organizer=db.session.get(Organizer, organizer_id))
        values.setdefault("field", Field.OTHER)
        values.setdefault("channel", Channel.AT_CONFERENCE)
        values.setdefault("received_dt", now_utc())

    def _existing(self, row: RowCheck, d: _Directory, enterprise: Enterprise | None,
                  conference: Conference | None, home: int | None, fixed: bool) -> None:
        reference = row.cells["reference"].upper()
        target = d.references.get(reference)
        if target is None or (fixed and target.organizer_id != home):
            row.errors["reference"] = _("Không có kiến nghị số %(v)s của đơn vị tổ chức đang nhập.", v=reference)
            return
        row.target = target
        if enterprise is not None and enterprise.id != target.enterprise_id:
            row.errors.setdefault("tax_code" if "tax_code" in row.cells else "enterprise",
                                  _("Không đổi được doanh nghiệp của kiến nghị đã có."))
        if conference is not None and conference.id != target.conference_id:
            row.errors.setdefault("conference", _("Không đổi được hội nghị của kiến nghị đã có."))
        self._compare(row)

    @staticmethod
    def _compare(row: RowCheck) -> None:
        """Only the content, field and responsible unit of an existing one change, and only while open."""
        for name in list(row.values):
            if name not in UPDATABLE:
                del row.values[name]
            elif getattr(row.target, name) != row.values[name] and not (
                    name == "content" and row.target.content.strip() == row.values[name]):
                row.changed.append(name)
        if row.changed and row.target.status not in OPEN_STATUSES:
            row.errors.setdefault(row.changed[0], _(
                "Kiến nghị %(ref)s đã ở trạng thái \"%(s)s\": không sửa qua nhập tệp.",
                ref=row.target.reference, s=row.target.status.label))


def _new_key(row: RowCheck) -> tuple[Any, ...] | None:
    """A new row's identity within the file: enterprise, conference and content."""
    if row.errors or "enterprise" not in row.values:
        return None
    conference = row.values.get("conference")
    return row.values["enterprise"].id, conference.id if conference else None, norm(row.values.get("content", ""))


KIND = Recommendations()
