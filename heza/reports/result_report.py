"""The result report of a held conference (R6): a DOCX draft for the City People's Committee and
the Department of Finance, in the layout of Appendix I of plan 121/KH-UBND.

Attendance, recommendations received (in time, late) by field, answered at the conference, in
writing on time or late, still open with their due dates, the conference's conclusions, and in a
landscape appendix the full list of recommendations with their answers.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from docx.document import Document
from docx.shared import Pt
from flask_babel import force_locale
from flask_babel import gettext as _

from heza import rules
from heza.conferences.models import Conference, ConferenceStatus, ReportKind
from heza.reports import docx_layout as L
from heza.reports.records import find_report
from heza.reports.stats import ConferenceStats, Outcome, conference_stats, is_overdue, recommendation_outcome


class NotHeld(ValueError):
    """A result report is drafted only for a conference marked as held."""


def check_held(conference: Conference) -> None:
    """Refuse a result report for a conference not (yet) held."""
    if conference.status != ConferenceStatus.HELD:
        raise NotHeld(_("Hội nghị chưa được đánh dấu là đã tổ chức (trạng thái hiện tại: %(status)s).",
                        status=conference.status.label))


def plan_basis(conference: Conference, rule: str = "R6") -> str:
    """The "Căn cứ …" sentence citing the organizer's plan that sets ``rule`` (R6 for the result report)."""
    return L.conference_basis(conference.settings().basis, rule, conference.organizer, conference.held_on.year)


def when_text(conference: Conference) -> str:
    """"08 giờ 00, ngày 03/03/2026"."""
    day = L.fmt_day(conference.held_on)
    if conference.start_time is None:
        return _("Ngày %(day)s", day=day)
    return _("%(h)02d giờ %(m)02d, ngày %(day)s", h=conference.start_time.hour, m=conference.start_time.minute,
             day=day)


def answer_text(rec: Any) -> str:
    """How and when a recommendation was answered, or where it stands."""
    outcome = recommendation_outcome(rec)
    if outcome in (Outcome.OPEN, Outcome.WITHDRAWN):
        return str(rec.status.label)
    text = f"{rec.answer_method.label}\n{L.fmt_day(rec.answered_dt)}"
    if outcome == Outcome.WRITTEN_LATE:
        text += " (" + _("quá hạn") + ")"
    return text


def owner_lines(conference: Conference) -> list[str]:
    """The closing "Nơi nhận" list: the addressees, the organizer's leaders, its archive."""
    return L.owner_lines(conference.organizer)


def _general(doc: Document, stats: ConferenceStats) -> None:
    conf = stats.conference
    L.section_heading(doc, _("I. THÔNG TIN CHUNG VỀ HỘI NGHỊ"))
    L.paragraph(doc, _("1. Thời gian: %(when)s.", when=when_text(conf)))
    L.paragraph(doc, _("2. Địa điểm: %(place)s.", place=conf.place or L.PLACEHOLDER))
    L.paragraph(doc, _("3. Hình thức tổ chức: %(format)s.", format=conf.format.label))
    L.paragraph(doc, _("4. Chủ trì Hội nghị: %(chair)s.", chair=conf.chair or L.PLACEHOLDER))
    L.paragraph(doc, _("5. Thành phần tham dự:"))
    agencies = stats.agencies_invited
    if agencies:
        L.paragraph(doc, _("- Cơ quan, đơn vị được mời: %(n)d (%(names)s).", n=len(agencies),
                           names="; ".join(agencies)))
    else:
        L.paragraph(doc, _("- Cơ quan, đơn vị được mời: %(n)d.", n=0))
    L.paragraph(doc, _("- Doanh nghiệp được mời: %(n)d.", n=stats.enterprises_invited))
    L.paragraph(doc, _("- Doanh nghiệp đăng ký tham dự: %(n)d (trong đó %(in_time)d doanh nghiệp đăng ký "
                       "trước hạn ngày %(cutoff)s), với %(people)d đại biểu.",
                       n=stats.enterprises_registered, in_time=stats.enterprises_registered_in_time,
                       cutoff=L.fmt_day(stats.cutoff.due), people=stats.attendees))
    L.paragraph(doc, _("- Doanh nghiệp thực tế tham dự (đã điểm danh): %(n)d, với %(people)d đại biểu (trong đó "
                       "%(walk)d đại biểu đến trực tiếp không đăng ký trước).",
                       n=stats.enterprises_attended, people=stats.attendees_attended, walk=stats.walk_ins))


def _received(doc: Document, stats: ConferenceStats) -> None:
    total = stats.total
    L.section_heading(doc, _("II. KẾT QUẢ TIẾP NHẬN KIẾN NGHỊ CỦA DOANH NGHIỆP"))
    text = _("Tổng số kiến nghị tiếp nhận: %(n)d, trong đó %(in_time)d kiến nghị tiếp nhận trước hạn "
             "(hết ngày %(cutoff)s) và %(late)d kiến nghị tiếp nhận sau hạn.",
             n=total.received, in_time=total.in_time, late=total.late, cutoff=L.fmt_day(stats.cutoff.due))
    if stats.withdrawn:
        text += " " + _("Ngoài ra có %(n)d kiến nghị doanh nghiệp đã rút.", n=stats.withdrawn)
    L.paragraph(doc, text)
    L.lead_in(doc, _("Phân loại theo lĩnh vực:"))
    headers = [_("STT"), _("Lĩnh vực"), _("Tổng số"), _("Trước hạn"), _("Sau hạn"), _("Trả lời tại hội nghị"),
               _("Trả lời bằng văn bản đúng hạn"), _("Trả lời bằng văn bản quá hạn"), _("Chưa trả lời")]
    rows = [[i, row.field.label, row.received, row.in_time, row.late, row.at_conference, row.written_on_time,
             row.written_late, row.open] for i, row in enumerate(stats.by_field, start=1)]
    totals = ["", _("Tổng cộng"), total.received, total.in_time, total.late, total.at_conference,
              total.written_on_time, total.written_late, total.open]
    L.data_table(doc, headers, rows, [1.1, 3.2, 1.4, 1.6, 1.4, 1.9, 2.0, 2.0, 1.9], total=totals, numeric_from=2)


def _answered(doc: Document, stats: ConferenceStats) -> None:
    conf, total = stats.conference, stats.total
    L.section_heading(doc, _("III. KẾT QUẢ TRẢ LỜI, GIẢI QUYẾT KIẾN NGHỊ"))
    normal = rules.answer_due(conf.held_on, False, stats.settings)
    coordinated = rules.answer_due(conf.held_on, True, stats.settings)
    L.paragraph(doc, _("Thời hạn trả lời bằng văn bản: chậm nhất %(n)d ngày làm việc sau Hội nghị (hạn "
                       "%(due)s); %(m)d ngày làm việc (hạn %(due2)s) đối với kiến nghị cần phối hợp với các "
                       "đơn vị liên quan.", n=stats.settings.answer_working_days, due=L.fmt_day(normal.due),
                       m=stats.settings.answer_coordination_working_days, due2=L.fmt_day(coordinated.due)))
    L.paragraph(doc, _("- Trả lời trực tiếp tại Hội nghị: %(n)d kiến nghị.", n=total.at_conference))
    L.paragraph(doc, _("- Trả lời bằng văn bản đúng hạn: %(n)d kiến nghị.", n=total.written_on_time))
    L.paragraph(doc, _("- Trả lời bằng văn bản quá hạn: %(n)d kiến nghị.", n=total.written_late))
    L.paragraph(doc, _("- Chưa trả lời: %(n)d kiến nghị (trong đó %(overdue)d kiến nghị đã quá hạn), số liệu "
                       "tính đến ngày %(today)s.", n=total.open, overdue=stats.overdue,
                       today=L.fmt_day(stats.today)))
    if not stats.open_items:
        return
    L.lead_in(doc, _("Các kiến nghị chưa trả lời:"))
    headers = [_("STT"), _("Số tham chiếu"), _("Doanh nghiệp"), _("Nội dung kiến nghị"), _("Đơn vị xử lý"),
               _("Hạn trả lời"), _("Tình trạng")]
    rows = []
    for i, rec in enumerate(stats.open_items, start=1):
        state = _("Quá hạn") if is_overdue(rec.due_on, stats.today) else _("Trong hạn")
        rows.append([i, rec.reference or "", rec.enterprise.name if rec.enterprise else "", rec.content,
                     str(rec.responsible_unit) if rec.responsible_unit else _("Chưa giao"), L.fmt_day(rec.due_on),
                     state])
    L.data_table(doc, headers, rows, [1.1, 2.9, 2.8, 3.6, 2.0, 2.3, 1.8])


def _conclusions(doc: Document, stats: ConferenceStats) -> None:
    L.section_heading(doc, _("IV. KẾT LUẬN CỦA HỘI NGHỊ"))
    text = L.clean_text(stats.conference.conclusions).strip()
    if not text:
        L.paragraph(doc, _("(Nội dung kết luận của chủ trì Hội nghị)"), italic=True)
        return
    for line in text.split("\n"):
        if line.strip():
            L.paragraph(doc, line.strip())


def _appendix(doc: Document, stats: ConferenceStats, number: str) -> None:
    L.landscape_section(doc)
    L.centered(doc, _("PHỤ LỤC"), bold=True, space_after=Pt(0))
    L.centered(doc, _("DANH SÁCH KIẾN NGHỊ CỦA DOANH NGHIỆP VÀ KẾT QUẢ TRẢ LỜI"), bold=True, space_after=Pt(0))
    org = stats.conference.organizer
    L.centered(doc, _("(Kèm theo Báo cáo số %(number)s ngày %(d)s của %(org)s)", number=number, d=L.PLACEHOLDER,
                      org=L.organizer_name(org)), italic=True, space_after=Pt(12))
    headers = [_("STT"), _("Số tham chiếu"), _("Doanh nghiệp"), _("Lĩnh vực"), _("Nội dung kiến nghị"),
               _("Ngày tiếp nhận"), _("Đơn vị xử lý"), _("Nội dung trả lời"), _("Hình thức, ngày trả lời"),
               _("Hạn trả lời")]
    rows = []
    for i, rec in enumerate(stats.recommendations, start=1):
        enterprise = f"{rec.enterprise.name} ({rec.enterprise.tax_code})" if rec.enterprise else ""
        rows.append([i, rec.reference or "", enterprise, rec.field.label, rec.content, L.fmt_day(rec.received_dt),
                     str(rec.responsible_unit) if rec.responsible_unit else "", rec.answer, answer_text(rec),
                     L.fmt_day(rec.due_on)])
    L.data_table(doc, headers, rows, [1.1, 2.9, 3.2, 2.2, 4.0, 2.3, 1.8, 3.8, 2.4, 2.3],
                 spacer=False)


def build_result_report(conference: Conference, today: date | None = None, *, language: str = "vi"
                        ) -> Document:
    """The result report of ``conference`` as a python-docx Document (Vietnamese unless asked otherwise).

    Raises :class:`NotHeld` for a conference not marked as held. Does not touch the Report row:
    see :func:`heza.reports.records.mark_drafted`.
    """
    with force_locale(language):
        check_held(conference)
        stats = conference_stats(conference, today)
        report = find_report(conference, ReportKind.RESULT)
        org = conference.organizer
        recipients = L.split_recipients(report.recipients if report else L.DEFAULT_ADDRESSEES)
        number = L.document_number_text("BC", org, report.document_number if report else "")
        doc = L.new_document()
        doc.core_properties.title = L.clean_text(_("Báo cáo kết quả %(title)s", title=conference.title))
        L.national_heading(doc, org, "BC", report.document_number if report else "")
        L.title_block(doc, _("BÁO CÁO"), _("Kết quả tổ chức %(title)s", title=conference.title))
        L.addressees(doc, recipients)
        L.paragraph(doc, plan_basis(conference, "R6"))
        L.paragraph(doc, _("%(org)s báo cáo kết quả tổ chức %(title)s như sau:",
                           org=L.organizer_name(org), title=conference.title))
        _general(doc, stats)
        _received(doc, stats)
        _answered(doc, stats)
        _conclusions(doc, stats)
        L.section_heading(doc, _("V. ĐÁNH GIÁ CHUNG VÀ ĐỀ XUẤT, KIẾN NGHỊ"))
        L.paragraph(doc, _("(Đánh giá kết quả Hội nghị; đề xuất, kiến nghị với UBND thành phố, Sở Tài chính)"),
                    italic=True)
        L.paragraph(doc, _("Trên đây là báo cáo kết quả tổ chức %(title)s của %(org)s, kính báo cáo %(to)s./.",
                           title=conference.title, org=L.organizer_name(org),
                           to=", ".join(recipients) or L.PLACEHOLDER))
        L.recipients_block(doc, org, owner_lines(conference))
        _appendix(doc, stats, number)
        return doc


def result_report_bytes(conference: Conference, today: date | None = None, *, language: str = "vi") -> bytes:
    """The result report as the bytes of a .docx file."""
    data = L.save(build_result_report(conference, today, language=language))
    assert data is not None
    return data
