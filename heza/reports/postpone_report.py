"""The report proposing to postpone or cancel a conference short of the quorum (R3), as a DOCX draft.

Seed 001: if by the cutoff (R2) fewer than 15 enterprises registered or fewer than 5
recommendations arrived, the lead unit drafts a report to the City People's Committee and the
Department of Finance on stopping or postponing the conference.
"""

from __future__ import annotations

from datetime import date

from docx.document import Document
from flask_babel import force_locale
from flask_babel import gettext as _

from heza.conferences.models import Conference, ConferenceStatus, ReportKind
from heza.reports import docx_layout as L
from heza.reports.records import find_report
from heza.reports.result_report import owner_lines, plan_basis
from heza.reports.stats import ConferenceStats, conference_stats


class QuorumMet(ValueError):
    """The conference met the quorum and was neither postponed nor cancelled: nothing to report."""


def basis_day(conference: Conference) -> date:
    """The conference day the quorum was judged for: the original day of a postponed conference."""
    return conference.postponed_from or conference.held_on


def postpone_stats(conference: Conference, today: date | None = None) -> ConferenceStats:
    """The counts at the cutoff of the day the quorum was judged for."""
    return conference_stats(conference, today, basis_day=basis_day(conference))


def check_reportable(conference: Conference, stats: ConferenceStats) -> None:
    """Refuse a postpone/cancel report for a conference that met the quorum and goes ahead."""
    postponed = conference.status in (ConferenceStatus.POSTPONED, ConferenceStatus.CANCELLED)
    if stats.quorum.met and not postponed:
        raise QuorumMet(_("Hội nghị đã đủ điều kiện tổ chức (%(explain)s); không cần báo cáo dừng, hoãn.",
                          explain=stats.quorum.explain()))


def _what(conference: Conference) -> str:
    if conference.status == ConferenceStatus.CANCELLED:
        return _("dừng")
    if conference.status == ConferenceStatus.POSTPONED:
        return _("hoãn")
    return _("dừng hoặc hoãn")


def _proposal(conference: Conference) -> str:
    if conference.status == ConferenceStatus.CANCELLED:
        return _("Đề xuất UBND thành phố, Sở Tài chính cho phép dừng tổ chức Hội nghị.")
    if conference.status == ConferenceStatus.POSTPONED and conference.postponed_from:
        return _("Đề xuất UBND thành phố, Sở Tài chính cho phép hoãn tổ chức Hội nghị đến ngày %(day)s.",
                 day=L.fmt_day(conference.held_on))
    return _("Đề xuất UBND thành phố, Sở Tài chính cho phép hoãn tổ chức Hội nghị đến ngày %(d)s (hoặc dừng "
             "tổ chức Hội nghị).", d=L.PLACEHOLDER)


def _body(doc: Document, conference: Conference, stats: ConferenceStats) -> None:
    org = conference.organizer
    q = stats.quorum
    day = basis_day(conference)
    L.paragraph(doc, _("%(org)s dự kiến tổ chức %(title)s vào ngày %(day)s tại %(place)s.",
                       org=L.organizer_name(org), title=conference.title, day=L.fmt_day(day),
                       place=conference.place or L.PLACEHOLDER))
    L.paragraph(doc, _("Theo Kế hoạch, Hội nghị đủ điều kiện tổ chức khi có tối thiểu %(ne)d doanh nghiệp đăng "
                       "ký tham dự và tối thiểu %(nr)d kiến nghị được tiếp nhận trước %(n)d ngày làm việc diễn "
                       "ra Hội nghị.", ne=q.needed_enterprises, nr=q.needed_recommendations,
                       n=stats.settings.cutoff_working_days))
    L.paragraph(doc, _("Tính đến hết ngày %(cutoff)s (hạn tiếp nhận đăng ký và kiến nghị), %(org)s đã tiếp nhận "
                       "%(e)d doanh nghiệp đăng ký tham dự và %(r)d kiến nghị của doanh nghiệp; chưa đủ điều "
                       "kiện tổ chức Hội nghị.", cutoff=L.fmt_day(stats.cutoff.due),
                       org=L.organizer_name(org), e=q.enterprises, r=q.recommendations)
                if not q.met else
                _("Tính đến hết ngày %(cutoff)s (hạn tiếp nhận đăng ký và kiến nghị), %(org)s đã tiếp nhận "
                  "%(e)d doanh nghiệp đăng ký tham dự và %(r)d kiến nghị của doanh nghiệp.",
                  cutoff=L.fmt_day(stats.cutoff.due), org=L.organizer_name(org),
                  e=q.enterprises, r=q.recommendations))
    headers = [_("STT"), _("Tiêu chí"), _("Yêu cầu tối thiểu"), _("Thực tế tiếp nhận"), _("Còn thiếu")]
    rows = [
        [1, _("Doanh nghiệp đăng ký tham dự"), q.needed_enterprises, q.enterprises, q.missing_enterprises],
        [2, _("Kiến nghị của các doanh nghiệp đăng ký tham dự"), q.needed_recommendations, q.recommendations,
         q.missing_recommendations],
    ]
    L.data_table(doc, headers, rows, [1.2, 6.3, 3.0, 3.0, 3.0], numeric_from=2)
    if q.excluded_recommendations:
        L.paragraph(doc, q.excluded_text())
    note = L.clean_text(conference.status_note).strip()
    if note:
        L.paragraph(doc, _("Lý do khác: %(note)s", note=note))
    L.paragraph(doc, _proposal(conference))
    in_time = [r for r in stats.recommendations if stats.received_in_time(r)]
    if in_time:
        L.lead_in(doc, _("Các kiến nghị đã tiếp nhận trong hạn sẽ được %(org)s trả lời bằng văn bản theo quy "
                           "định:", org=L.organizer_name(org)))
        headers = [_("STT"), _("Doanh nghiệp"), _("Lĩnh vực"), _("Nội dung kiến nghị")]
        rows = [[i, rec.enterprise.name if rec.enterprise else "", rec.field.label, rec.content]
                for i, rec in enumerate(in_time, start=1)]
        L.data_table(doc, headers, rows, [1.2, 4.5, 3.0, 7.8])


def build_postpone_report(conference: Conference, today: date | None = None, *, language: str = "vi"
                          ) -> Document:
    """The postpone/cancel report of ``conference`` as a python-docx Document.

    Raises :class:`QuorumMet` when the quorum was met and the conference was not postponed or
    cancelled.
    """
    with force_locale(language):
        stats = postpone_stats(conference, today)
        check_reportable(conference, stats)
        report = find_report(conference, ReportKind.POSTPONE_CANCEL)
        org = conference.organizer
        recipients = L.split_recipients(report.recipients if report else L.DEFAULT_ADDRESSEES)
        doc = L.new_document()
        what = _what(conference)
        doc.core_properties.title = L.clean_text(_("Báo cáo việc %(what)s %(title)s", what=what,
                                                   title=conference.title))
        L.national_heading(doc, org, "BC", report.document_number if report else "")
        L.title_block(doc, _("BÁO CÁO"), _("Về việc %(what)s tổ chức %(title)s", what=what, title=conference.title))
        L.addressees(doc, recipients)
        L.paragraph(doc, plan_basis(conference, "R3"))
        _body(doc, conference, stats)
        L.paragraph(doc, _("%(org)s kính báo cáo %(to)s xem xét, chỉ đạo./.", org=L.organizer_name(org),
                           to=", ".join(recipients) or L.PLACEHOLDER))
        L.recipients_block(doc, org, owner_lines(conference))
        return doc


def postpone_report_bytes(conference: Conference, today: date | None = None, *, language: str = "vi") -> bytes:
    """The postpone/cancel report as the bytes of a .docx file."""
    data = L.save(build_postpone_report(conference, today, language=language))
    assert data is not None
    return data
