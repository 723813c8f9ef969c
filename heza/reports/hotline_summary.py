"""The Office's report on hotline intake and handling for a month or a quarter (seed 002, R11).

Received by channel and kind, handled on time or late, still open (and overdue), per unit; as a
DOCX report to the organizer's leaders and as an XLSX workbook with the full list.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from docx.document import Document
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook

from heza import tenancy
from heza.directory.models import Organizer, Unit
from heza.extensions import db
from heza.hotline import legal
from heza.hotline.models import HotlineChannel, HotlineItem, HotlineKind
from heza.reports import docx_layout as L
from heza.reports import sheets as S
from heza.reports.stats import HotlineStats, Period, hotline_handled_on_time, hotline_stats, is_overdue


def sole_organizer(viewer: tenancy.Viewer = tenancy.SYSTEM) -> Organizer | None:
    """The only organizer ``viewer`` may see, or None when there are several (or none).

    For callers that were given no organizer: the summary is always some organizer's, and which
    one is the caller's choice (the web view asks a city-wide user to choose, the CLI likewise).
    """
    found = db.session.scalars(tenancy.scope(sa.select(Organizer), Organizer, viewer).order_by(Organizer.id)
                               .limit(2)).all()
    return found[0] if len(found) == 1 else None


def summary_stats(period: Period, today: date | None = None, *, organizer: Organizer | None,
                  unit_id: int | None = None) -> HotlineStats:
    """The hotline counts of ``organizer`` (all organizers when None) for ``period``."""
    return hotline_stats(period, today, organizer_id=organizer.id if organizer else None, unit_id=unit_id)


def item_result(item: HotlineItem, today: date) -> str:
    """"Đúng hạn", "Quá hạn", "Đang xử lý" or "Đang xử lý (quá hạn)" for one item."""
    verdict = hotline_handled_on_time(item)
    if verdict is True:
        return _("Đúng hạn")
    if verdict is False:
        return _("Quá hạn")
    return _("Đang xử lý (quá hạn)") if is_overdue(item.due_on, today) else _("Đang xử lý")


def _channel_rows(stats: HotlineStats) -> tuple[list[list[object]], list[object]]:
    rows: list[list[object]] = []
    for channel in HotlineChannel:
        counts = [stats.by_channel_kind.get((channel, kind), 0) for kind in HotlineKind]
        rows.append([str(channel.label), *counts, sum(counts)])
    total = [_("Tổng cộng"), *[stats.kind_total(k) for k in HotlineKind], stats.total]
    return rows, total


def _unit_rows(stats: HotlineStats) -> tuple[list[list[object]], list[object]]:
    rows = [[i, u.name, u.received, u.on_time, u.late, u.open, u.overdue] for i, u in enumerate(stats.units, 1)]
    total = ["", _("Tổng cộng"), stats.total, stats.on_time, stats.late, stats.open, stats.overdue]
    return rows, total


def _office(organizer: Organizer | None) -> Unit | None:
    return organizer.office_unit if organizer is not None else None


def _scope_suffix(unit_id: int | None) -> str:
    if unit_id is None:
        return ""
    unit = db.session.get(Unit, unit_id)
    return " " + _("(đơn vị: %(unit)s)", unit=str(unit) if unit else unit_id)


def build_hotline_docx(period: Period, today: date | None = None, *, organizer: Organizer | None,
                       unit_id: int | None = None, language: str = "vi") -> Document:
    """The hotline report of ``organizer`` for ``period`` as a python-docx Document, issued by its Office.

    The Office writes under the organizer's name (its header name over the Office's), reports to
    the organizer's leaders and cites the organizer's plan for R11 when one sets it.
    """
    with force_locale(language):
        stats = summary_stats(period, today, organizer=organizer, unit_id=unit_id)
        office = _office(organizer)
        issuer = [L.header_lines(organizer)[-1], L.clean_text(office.name if office else _("Văn phòng")).upper()]
        leaders = L.leaders(organizer)
        doc = L.new_document()
        subtitle = _("Kết quả tiếp nhận, xử lý thông tin phản ánh, kiến nghị, khiếu nại, tố cáo %(period)s",
                     period=period.label) + _scope_suffix(unit_id)
        doc.core_properties.title = L.clean_text(subtitle)
        L.national_heading(doc, organizer, "BC", issuer=issuer, code="VP")
        L.title_block(doc, _("BÁO CÁO"), subtitle)
        L.addressees(doc, [leaders])
        dates = {"period": period.label, "start": L.fmt_day(period.start), "end": L.fmt_day(period.end),
                 "today": L.fmt_day(stats.today)}
        citation = L.plan_citation(organizer.settings().basis if organizer else (), ("R11",))
        if citation:  # the organizer's own notice of its hotline, as its plans record it
            L.paragraph(doc, _("Căn cứ %(plan)s; Văn phòng báo cáo kết quả tiếp nhận, xử lý thông tin %(period)s (từ "
                               "ngày %(start)s đến ngày %(end)s), số liệu tính đến ngày %(today)s, như sau:",
                               plan=L.clean_text(citation).strip(), **dates))
        else:
            L.paragraph(doc, _("Thực hiện Thông báo về số điện thoại đường dây nóng và trang Facebook tiếp nhận thông "
                               "tin phản ánh, kiến nghị, khiếu nại, tố cáo của tổ chức, cá nhân, doanh nghiệp; Văn "
                               "phòng báo cáo kết quả tiếp nhận, xử lý thông tin %(period)s (từ ngày %(start)s đến "
                               "ngày %(end)s), số liệu tính đến ngày %(today)s, như sau:", **dates))
        L.section_heading(doc, _("1. Tình hình tiếp nhận"))
        L.paragraph(doc, _("Tổng số thông tin tiếp nhận: %(n)d.", n=stats.total))
        rows, total = _channel_rows(stats)
        L.data_table(doc, [_("Kênh tiếp nhận"), *[str(k.label) for k in HotlineKind], _("Tổng cộng")], rows,
                     [4.5, 2.4, 2.4, 2.4, 2.4, 2.4], total=total, numeric_from=1,
                     index_column=False)
        L.section_heading(doc, _("2. Kết quả xử lý"))
        L.paragraph(doc, _("- Đã xử lý, phản hồi đúng hạn: %(n)d.", n=stats.on_time))
        L.paragraph(doc, _("- Đã xử lý, phản hồi quá hạn: %(n)d.", n=stats.late))
        L.paragraph(doc, _("- Đang xử lý: %(n)d (trong đó quá hạn: %(m)d).", n=stats.open, m=stats.overdue))
        L.lead_in(doc, _("Kết quả theo đơn vị được phân công:"))
        rows, total = _unit_rows(stats)
        L.data_table(doc, [_("STT"), _("Đơn vị"), _("Tiếp nhận"), _("Đúng hạn"), _("Quá hạn"), _("Đang xử lý"),
                           _("Đang xử lý quá hạn")], rows, [1.2, 5.3, 2.0, 2.0, 2.0, 2.0, 2.0], total=total,
                     numeric_from=2)
        pending = [i for i in stats.items if i.is_open]
        if pending:
            L.section_heading(doc, _("3. Thông tin chưa xử lý xong"))
            rows = [[n, i.reference or "", L.fmt_day(i.received_dt), str(i.kind.label), i.content,
                     str(i.assigned_unit) if i.assigned_unit else _("Chưa phân công"), L.fmt_day(i.due_on),
                     item_result(i, stats.today)] for n, i in enumerate(pending, 1)]
            L.data_table(doc, [_("STT"), _("Số tham chiếu"), _("Ngày tiếp nhận"), _("Loại"), _("Nội dung"),
                               _("Đơn vị xử lý"), _("Hạn xử lý"), _("Tình trạng")], rows,
                         [1.2, 2.9, 2.3, 1.6, 3.0, 1.7, 2.3, 1.5])
        L.section_heading(doc, _("%(n)s. Đề xuất", n="4" if pending else "3"))
        L.paragraph(doc, _("(Đề xuất, kiến nghị của Văn phòng)"), italic=True)
        L.paragraph(doc, _("Văn phòng kính báo cáo %(leaders)s xem xét, chỉ đạo./.", leaders=leaders))
        archive = _("Lưu: VT, %(unit)s.", unit=str(office) if office else "VP")
        L.recipients_block(doc, organizer, [_("Như trên;"), archive], signer=[_("CHÁNH VĂN PHÒNG")])
        return doc


def build_hotline_xlsx(period: Period, today: date | None = None, *, organizer: Organizer | None,
                       unit_id: int | None = None, language: str = "vi") -> Workbook:
    """The hotline summary of ``organizer`` (every organizer's when None) for ``period`` as an openpyxl
    Workbook: summary, per unit, and the list."""
    with force_locale(language):
        stats = summary_stats(period, today, organizer=organizer, unit_id=unit_id)
        wb = S.new_workbook()
        heading = [
            _("TỔNG HỢP TIẾP NHẬN, XỬ LÝ PHẢN ÁNH, KIẾN NGHỊ, KHIẾU NẠI, TỐ CÁO") + _scope_suffix(unit_id),
            _("Kỳ báo cáo: %(period)s (từ %(start)s đến %(end)s)", period=period.label,
              start=L.fmt_day(period.start), end=L.fmt_day(period.end)),
            _("Đơn vị tổng hợp: %(org)s. Số liệu tính đến ngày %(today)s.",
              org=L.organizer_name(organizer) if organizer else _("tất cả"), today=L.fmt_day(stats.today)),
        ]
        ws = S.add_sheet(wb, _("Tổng hợp"))
        width = len(HotlineKind) + 2
        row = S.title_rows(ws, heading, width)
        rows, total = _channel_rows(stats)
        row = S.table(ws, row, [_("Kênh tiếp nhận"), *[str(k.label) for k in HotlineKind], _("Tổng cộng")], rows,
                      widths=[28, 14, 14, 14, 14, 14], total=total)
        S.table(ws, row, [_("Kết quả xử lý"), _("Số lượng")], [
            [_("Tổng số tiếp nhận"), stats.total],
            [_("Đã xử lý đúng hạn"), stats.on_time],
            [_("Đã xử lý quá hạn"), stats.late],
            [_("Đang xử lý"), stats.open],
            [_("Đang xử lý quá hạn"), stats.overdue],
        ])
        ws = S.add_sheet(wb, _("Khiếu nại, tố cáo"))
        row = S.title_rows(ws, heading[:2], 5)
        S.table(ws, row, [_("Loại"), _("Bước giải quyết"), _("Số lượng"), _("Trong hạn"), _("Quá hạn")],
                [[str(k.label), str(st.label), n, ok, lat] for k, st, n, ok, lat in stats.legal_by_stage()],
                widths=[16, 34, 12, 12, 12])
        ws = S.add_sheet(wb, _("Theo đơn vị"))
        row = S.title_rows(ws, heading[:2], 7)
        rows, total = _unit_rows(stats)
        S.table(ws, row, [_("STT"), _("Đơn vị"), _("Tiếp nhận"), _("Đúng hạn"), _("Quá hạn"), _("Đang xử lý"),
                          _("Đang xử lý quá hạn")], rows, widths=[6, 40, 12, 12, 12, 12, 14], total=total)
        ws = S.add_sheet(wb, _("Danh sách"))
        row = S.title_rows(ws, heading[:2], 13)
        rows = [[n, i.reference or "", i.received_dt, str(i.channel.label), str(i.kind.label), legal.shown_person(i),
                 i.content, str(i.assigned_unit) if i.assigned_unit else _("Chưa phân công"), str(i.status.label),
                 i.due_on, i.responded_dt, item_result(i, stats.today), i.response]
                for n, i in enumerate(stats.items, 1)]
        S.table(ws, row, [_("STT"), _("Số tham chiếu"), _("Thời điểm tiếp nhận"), _("Kênh"), _("Loại"),
                          _("Người phản ánh"), _("Nội dung"), _("Đơn vị xử lý"), _("Trạng thái"), _("Hạn xử lý"),
                          _("Thời điểm phản hồi"), _("Kết quả"), _("Nội dung phản hồi")], rows,
                widths=[6, 17, 17, 16, 12, 22, 50, 24, 15, 12, 17, 18, 50], wrap=(6, 12), repeat_header=True)
        return wb


def hotline_docx_bytes(period: Period, today: date | None = None, **kwargs: object) -> bytes:
    """The hotline report as the bytes of a .docx file."""
    data = L.save(build_hotline_docx(period, today, **kwargs))  # type: ignore[arg-type]
    assert data is not None
    return data


def hotline_xlsx_bytes(period: Period, today: date | None = None, **kwargs: object) -> bytes:
    """The hotline summary as the bytes of a .xlsx file."""
    data = S.save_workbook(build_hotline_xlsx(period, today, **kwargs))  # type: ignore[arg-type]
    assert data is not None
    return data
