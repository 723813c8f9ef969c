"""The calendar screens: a year of working days, holidays and overrides; the overrides themselves.

The year view asks :mod:`heza.workdays` about every day (which already merges the ``holidays``
package, the shipped declared days and the overrides) and only lays the answers out. Saving or
deleting an override recomputes the due dates of every open item (:mod:`heza.deadlines`), so a
day declared off moves the deadlines that counted it.
"""

from __future__ import annotations

import calendar as _calendar
import contextlib
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from heza import deadlines, workdays
from heza.accounts.models import Role
from heza.admin.base import ProtectedModelView, ProtectedView
from heza.base import local_today
from heza.calendar.models import CalendarOverride
from heza.extensions import db
from heza.i18n import weekday_name

CATEGORY = _l("Lịch làm việc")

# How a day is drawn, from what the calendar says about it.
KIND_LABELS: dict[str, Any] = {
    "working": _l("Ngày làm việc"),
    "weekend": _l("Nghỉ cuối tuần"),
    "holiday": _l("Ngày nghỉ lễ, Tết, nghỉ bù"),
    "makeup": _l("Ngày làm bù"),
    "override-working": _l("Quản trị viên đặt là ngày làm việc"),
    "override-off": _l("Quản trị viên đặt là ngày nghỉ"),
}
WEEKDAY_HEADERS = (_l("T2"), _l("T3"), _l("T4"), _l("T5"), _l("T6"), _l("T7"), _l("CN"))


def day_kind(info: workdays.DayInfo) -> str:
    """The kind of a day for the year view (a key of :data:`KIND_LABELS`)."""
    if info.origin == "override":
        return "override-working" if info.is_working else "override-off"
    if info.is_working:
        return "makeup" if info.date.weekday() >= 5 else "working"
    return "weekend" if info.origin == "weekend" else "holiday"


@dataclass(frozen=True)
class DayCell:
    info: workdays.DayInfo
    kind: str
    override_id: int | None

    @property
    def day(self) -> date:
        return self.info.date

    @property
    def title(self) -> str:
        return f"{self.day:%d/%m/%Y} {weekday_name(self.day)}: {self.info.reason}"


@dataclass(frozen=True)
class MonthGrid:
    month: int
    name: str
    weeks: list[list[DayCell | None]]


def year_grid(year: int, override_ids: dict[date, int]) -> list[MonthGrid]:
    """Twelve month grids (weeks from Monday) of explained days; days of other months are ``None``."""
    months = []
    cal = _calendar.Calendar(firstweekday=0)
    for month in range(1, 13):
        weeks = []
        for week in cal.monthdatescalendar(year, month):
            row: list[DayCell | None] = []
            for d in week:
                if d.month != month:
                    row.append(None)
                    continue
                info = workdays.explain_day(d)
                row.append(DayCell(info, day_kind(info), override_ids.get(d)))
            weeks.append(row)
        months.append(MonthGrid(month, _("Tháng %(m)d", m=month), weeks))
    return months


def _override_ids(year: int) -> dict[date, int]:
    rows = db.session.execute(
        sa.select(CalendarOverride.day, CalendarOverride.id).where(
            CalendarOverride.day.between(date(year, 1, 1), date(year, 12, 31))
        )
    )
    return {day: oid for day, oid in rows}


def _can_edit_overrides() -> bool:
    from flask_login import current_user

    return bool(getattr(current_user, "is_authenticated", False) and current_user.role == Role.ADMIN)


class CalendarYearView(ProtectedView):
    """``/admin/calendar/?year=2026``: the year's working days, holidays, make-up days and overrides."""

    read_roles = (Role.ADMIN, Role.OFFICER, Role.UNIT, Role.VIEWER)

    @expose("/")
    def index(self) -> str:
        year = request.args.get("year", default=local_today().year, type=int)
        if year not in workdays.COVERED_YEARS:
            abort(404)
        months = year_grid(year, _override_ids(year))
        counts = Counter(cell.kind for m in months for week in m.weeks for cell in week if cell is not None)
        working = sum(1 for m in months for week in m.weeks for cell in week if cell and cell.info.is_working)
        return self.render(
            "admin/calendar_year.html",
            year=year,
            months=months,
            counts=counts,
            working_total=working,
            kind_labels=KIND_LABELS,
            weekday_headers=WEEKDAY_HEADERS,
            exceptions=workdays.year_calendar(year),
            differences=workdays.differences(year),
            package_label=workdays.package_label(),
            years=workdays.COVERED_YEARS,
            can_edit=_can_edit_overrides(),
            return_url=url_for(".index", year=year),
        )


def _day_in_calendar(form: Any, field: Any) -> None:
    if field.data is not None and field.data.year not in workdays.COVERED_YEARS:
        raise ValidationError(
            _("Lịch làm việc chỉ có các năm %(first)d–%(last)d.", first=workdays.FIRST_YEAR, last=workdays.LAST_YEAR)
        )


class CalendarOverrideView(ProtectedModelView):
    """Administrators declare a day worked or off; every open deadline is then recomputed."""

    read_roles = (Role.ADMIN, Role.OFFICER, Role.VIEWER)
    write_roles = (Role.ADMIN,)

    column_list = ("day", "is_working", "note", "source", "updated_dt")
    column_default_sort = ("day", True)
    column_filters = ("day", "is_working")
    column_labels = {
        "day": _l("Ngày"),
        "is_working": _l("Là ngày làm việc"),
        "note": _l("Ghi chú"),
        "source": _l("Văn bản căn cứ"),
        "updated_dt": _l("Cập nhật lúc"),
        "created_dt": _l("Tạo lúc"),
    }
    column_descriptions = {
        "is_working": _l("Đánh dấu nếu là ngày làm việc (ví dụ thứ Bảy làm bù); bỏ đánh dấu nếu là ngày nghỉ."),
        "source": _l("Văn bản công bố ngày nghỉ, làm bù (số, ngày ban hành)."),
    }
    form_columns = ("day", "is_working", "note", "source")
    form_args = {"day": {"validators": [_day_in_calendar]}}
    column_formatters = {
        "day": lambda v, c, m, n: f"{m.day:%d/%m/%Y} ({weekday_name(m.day)})",
    }
    column_formatters_export = {"day": lambda v, c, m, n: f"{m.day:%d/%m/%Y}"}

    def create_form(self, obj: Any = None) -> Any:
        form = super().create_form(obj)
        # The year view links here with ?day=YYYY-MM-DD to declare that day.
        if request.method == "GET" and request.args.get("day"):
            with contextlib.suppress(ValueError):
                form.day.data = date.fromisoformat(request.args["day"])
        return form

    def after_model_change(self, form: Any, model: Any, is_created: bool) -> None:
        super().after_model_change(form, model, is_created)
        self._recompute()

    def after_model_delete(self, model: Any) -> None:
        super().after_model_delete(model)
        self._recompute()

    def _recompute(self) -> None:
        # The commit already dropped the cached calendar; this rebuilds it with the change.
        moved = deadlines.refresh_open_deadlines(db.session)
        db.session.commit()
        flash(_("Đã tính lại hạn của các việc đang mở theo lịch mới: %(n)d việc được đổi hạn.", n=moved), "info")


def register(admin: Any) -> None:
    """Add the calendar screens to ``admin``."""
    admin.add_view(CalendarYearView(name=_l("Lịch năm"), category=CATEGORY, endpoint="calendar",
                                    url="calendar"))
    admin.add_view(CalendarOverrideView(CalendarOverride, db, name=_l("Điều chỉnh ngày làm việc"),
                                        category=CATEGORY, endpoint="calendaroverride"))
