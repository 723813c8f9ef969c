"""The City overview screen (``/admin/overview/``) and its XLSX export, for admins and supervisors only.

``?year=2026`` chooses the year (the current local year by default; anything else that is no year
of the calendar gets a message, never an error page), ``?sort=<column>&desc=1`` the order (only the
columns of :data:`COLUMNS`). Every figure links to the admin list behind it (:mod:`heza.overview.links`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from flask import request, send_file
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from heza import tenancy, workdays
from heza.accounts.models import Role
from heza.admin.base import ProtectedView
from heza.admin.formatters import safe_cell
from heza.base import local_today
from heza.overview.links import overview_links, row_urls
from heza.overview.queries import OVERDUE_KINDS, OrganizerFigures, Overview, Ratio, city_overview
from heza.reports.stats import vi_sort_key

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """A column of the table: its key (the ``sort`` argument), its header and how it sorts (None last)."""

    key: str
    label: Any
    sort_key: Callable[[OrganizerFigures], Any]
    help: Any = ""


def _ratio_key(ratio: Ratio) -> tuple[float, int] | None:
    return (ratio.rate, ratio.judged) if ratio.rate is not None else None


def _overdue_key(kind: str) -> Callable[[OrganizerFigures], int]:
    return lambda row: row.overdue[kind]


OVERDUE_LABELS: dict[str, Any] = {
    "recommendations": _l("Kiến nghị quá hạn"),
    "tasks": _l("Nhiệm vụ quá hạn"),
    "hotline": _l("Phản ánh quá hạn"),
    "articles": _l("Tin bài quá hạn"),
}

COLUMNS: tuple[Column, ...] = (
    Column("organizer", _l("Đơn vị tổ chức"), lambda row: vi_sort_key(row.name)),
    Column("held", _l("Hội nghị đã tổ chức"), lambda row: row.held,
           _l("Hội nghị đã tổ chức trong năm.")),
    Column("minimum", _l("Tối thiểu (R8)"), lambda row: None if row.minimum is None else (row.shortfall, row.minimum),
           _l("Số hội nghị tối thiểu mỗi năm theo kế hoạch; “—” khi kế hoạch của đơn vị không đặt quy định R8. "
              "Sắp xếp theo số hội nghị còn thiếu.")),
    Column("reports", _l("Báo cáo kết quả đúng hạn (R6)"), lambda row: _ratio_key(row.reports),
           _l("Báo cáo kết quả đã đến hạn trong năm và số báo cáo gửi trong hạn.")),
    Column("answers", _l("Kiến nghị trả lời đúng hạn (R5)"), lambda row: _ratio_key(row.answers),
           _l("Kiến nghị đã đến hạn trả lời trong năm (trừ kiến nghị doanh nghiệp rút) và số kiến nghị "
              "trả lời trong hạn.")),
    *(Column(kind, OVERDUE_LABELS[kind], _overdue_key(kind), _l("Việc đang mở đã quá hạn tính đến hôm nay."))
      for kind in OVERDUE_KINDS),
    Column("overdue_total", _l("Tổng số việc quá hạn"), lambda row: row.overdue_total),
    Column("attendance", _l("Doanh nghiệp tham dự / đăng ký"),
           lambda row: (row.enterprises_attended, row.enterprises_registered),
           _l("Ở các hội nghị đã tổ chức trong năm: số doanh nghiệp có người điểm danh tại hội nghị, trên số "
              "doanh nghiệp đã đăng ký; trong ngoặc là số đại biểu đã điểm danh.")),
    Column("called_off", _l("Hoãn, dừng do không đủ điều kiện (R3)"), lambda row: row.called_off,
           _l("Hội nghị trong năm bị hoãn hoặc dừng khi chưa đủ số doanh nghiệp đăng ký hoặc số kiến nghị "
              "đến hạn tiếp nhận (R2).")),
)
SORTS: dict[str, Column] = {c.key: c for c in COLUMNS}
DEFAULT_SORT = "organizer"


def sort_rows(rows: Sequence[OrganizerFigures], key: str, desc: bool) -> list[OrganizerFigures]:
    """Rows in the order of column ``key`` (a whitelisted one), rows without a value last, then by name."""
    column = SORTS.get(key, SORTS[DEFAULT_SORT])
    by_name = sorted(rows, key=lambda row: vi_sort_key(row.name))
    valued = [row for row in by_name if column.sort_key(row) is not None]
    empty = [row for row in by_name if column.sort_key(row) is None]
    return sorted(valued, key=column.sort_key, reverse=desc) + empty


class YearError(ValueError):
    """A ``year`` argument that is no year of the working-day calendar."""


def parse_year(raw: str | None, default: int) -> int:
    """The year asked for (``default`` when none); :class:`YearError` with a message for anything else."""
    if raw is None or not raw.strip():
        return default
    text = raw.strip()
    if text.isascii() and text.isdigit() and int(text) in workdays.COVERED_YEARS:
        return int(text)
    raise YearError(_("Năm “%(value)s” không hợp lệ: chọn một năm từ %(first)d đến %(last)d.",
                      value=raw[:20], first=workdays.FIRST_YEAR, last=workdays.LAST_YEAR))


class CityOverviewView(ProtectedView):
    """Every organizer's figures for a year, for the City People's Committee office and Department of Finance."""

    read_roles = frozenset({Role.ADMIN, Role.SUPERVISOR})

    def _request(self) -> tuple[int | None, str | None, str, bool]:
        """``(year, error, sort, desc)`` from the query string; ``year`` None with an error message."""
        sort = request.args.get("sort", DEFAULT_SORT)
        if sort not in SORTS:
            sort = DEFAULT_SORT
        desc = request.args.get("desc") == "1"
        try:
            return parse_year(request.args.get("year"), local_today().year), None, sort, desc
        except YearError as exc:
            return None, str(exc), sort, desc

    def _refused(self, error: str, sort: str, desc: bool) -> tuple[str, int]:
        return self.render("admin/overview.html", overview=None, error=error, year=local_today().year,
                           years=_years(), sort=sort, desc=desc, columns=COLUMNS, rows=[], urls={}), 400

    @expose("/")
    def index(self) -> Any:
        year, error, sort, desc = self._request()
        if year is None:
            return self._refused(error or "", sort, desc)
        overview = city_overview(year, local_today(), tenancy.current_viewer())
        rows = sort_rows(overview.rows, sort, desc)
        links = overview_links(self.admin, overview)
        return self.render(
            "admin/overview.html",
            overview=overview,
            error=None,
            year=year,
            years=_years(),
            sort=sort,
            desc=desc,
            columns=COLUMNS,
            rows=rows,
            urls={row.organizer_id: row_urls(links, row.organizer_id) for row in rows},
            overdue_kinds=OVERDUE_KINDS,
            period=period_text(overview),
        )

    @expose("/export.xlsx")
    def export(self) -> Any:
        year, error, sort, desc = self._request()
        if year is None:
            return self._refused(error or "", sort, desc)
        overview = city_overview(year, local_today(), tenancy.current_viewer())
        data = overview_xlsx(overview, sort_rows(overview.rows, sort, desc))
        response = send_file(BytesIO(data), mimetype=XLSX_MIMETYPE, as_attachment=True,
                             download_name=f"tong-hop-doi-thoai-{year}.xlsx", max_age=0)
        response.headers["Cache-Control"] = "private, no-store"
        return response


def _years() -> list[int]:
    """The years offered, newest first."""
    return sorted(workdays.COVERED_YEARS, reverse=True)


# --------------------------------------------------------------------------- XLSX


def export_headers() -> list[str]:
    return [
        _("Đơn vị tổ chức"), _("Loại đơn vị"), _("Hội nghị đã tổ chức"), _("Số hội nghị tối thiểu (R8)"),
        _("Báo cáo kết quả gửi đúng hạn (R6)"), _("Báo cáo kết quả đã đến hạn"), _("Tỷ lệ báo cáo đúng hạn"),
        _("Kiến nghị trả lời đúng hạn (R5)"), _("Kiến nghị đã đến hạn trả lời"), _("Tỷ lệ trả lời đúng hạn"),
        *(str(OVERDUE_LABELS[kind]) for kind in OVERDUE_KINDS), _("Tổng số việc quá hạn"),
        _("Hoãn, dừng do không đủ điều kiện (R3)"),
    ]


def export_row(row: OrganizerFigures) -> list[Any]:
    """One line of the sheet: numbers as numbers, "—" where the plan sets no minimum or nothing was due."""
    return [
        safe_cell(row.name), safe_cell(row.kind), row.held, row.minimum if row.minimum is not None else "—",
        row.reports.on_time, row.reports.judged, row.reports.rate if row.reports.rate is not None else "—",
        row.answers.on_time, row.answers.judged, row.answers.rate if row.answers.rate is not None else "—",
        *(row.overdue[kind] for kind in OVERDUE_KINDS), row.overdue_total, row.called_off,
    ]


def overview_xlsx(overview: Overview, rows: Sequence[OrganizerFigures]) -> bytes:
    """The overview as a workbook: a title, the period, one line per organizer and the city's total."""
    from heza.reports import sheets

    headers = export_headers()
    wb = sheets.new_workbook()
    ws = sheets.add_sheet(wb, _("Tổng hợp năm %(year)d", year=overview.year))
    start = sheets.title_rows(ws, [
        _("TÌNH HÌNH TỔ CHỨC ĐỐI THOẠI DOANH NGHIỆP NĂM %(year)d", year=overview.year),
        period_text(overview),
    ], len(headers))
    percent = {6: sheets.PERCENT_FORMAT, 9: sheets.PERCENT_FORMAT}
    widths = [40, 18, 12, 12, 14, 14, 12, 14, 14, 12, 12, 12, 12, 12, 12, 16]
    sheets.table(ws, start, headers, [export_row(row) for row in rows], total=export_row(overview.total),
                 widths=widths, formats=percent, wrap=(0,), repeat_header=True)
    return sheets.save_workbook(wb) or b""


def period_text(overview: Overview) -> str:
    """What the figures cover, in words, with dates dd/mm/yyyy."""
    today = f"{overview.today:%d/%m/%Y}"
    if overview.window.empty:
        return _("Số liệu đến ngày %(today)s; chưa có báo cáo, kiến nghị nào đến hạn trong năm.", today=today)
    start, end = f"{overview.window.start:%d/%m/%Y}", f"{overview.window.end:%d/%m/%Y}"
    return _("Số liệu đến ngày %(today)s; báo cáo kết quả và kiến nghị có hạn từ %(start)s đến %(end)s.",
             today=today, start=start, end=end)


def register(admin: Any) -> None:
    """Add the City overview to ``admin`` (its menu entry shows only to admins and supervisors)."""
    admin.add_view(CityOverviewView(name=_l("Tổng hợp toàn thành phố"), endpoint="overview", url="overview"))

