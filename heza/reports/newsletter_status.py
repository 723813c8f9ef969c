"""The state of a newsletter issue's submissions (seed 003, R10) as an XLSX workbook.

Per assignment: submitted or not, on time or late, words against the planned A4 pages
(1 page = 350 words); and the units to chase.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook

from heza.extensions import db
from heza.newsletter.models import NewsletterIssue
from heza.reports import docx_layout as L
from heza.reports import sheets as S
from heza.reports.stats import newsletter_stats
from heza.rules import WORDS_PER_A4_PAGE


class IssueLookupError(LookupError):
    """No issue, or several organizers' issues, carry the number asked for."""


def find_issue(number: str, organizer_id: int | None = None) -> NewsletterIssue:
    """The issue numbered ``number`` ("01.2023"); ``organizer_id`` settles a number two organizers use."""
    query = sa.select(NewsletterIssue).where(NewsletterIssue.number == (number or "").strip())
    if organizer_id is not None:
        query = query.where(NewsletterIssue.organizer_id == organizer_id)
    issues = db.session.scalars(query.limit(2)).all()
    if not issues:
        raise IssueLookupError(_("Không tìm thấy bản tin số %(number)s.", number=number))
    if len(issues) > 1:
        raise IssueLookupError(_("Có nhiều bản tin số %(number)s; hãy chọn ban tổ chức (--organizer).",
                                 number=number))
    return issues[0]


def build_newsletter_xlsx(issue: NewsletterIssue, today: date | None = None, *, unit_id: int | None = None,
                          language: str = "vi") -> Workbook:
    """The issue's status as an openpyxl Workbook: one row per assignment, then the late units.

    The heading names the organizer publishing the issue.
    """
    with force_locale(language):
        stats = newsletter_stats(issue, today, unit_id=unit_id)
        wb = S.new_workbook()
        ws = S.add_sheet(wb, _("Tình trạng tin bài"))
        heading = [
            _("TÌNH TRẠNG NỘP TIN BÀI BẢN TIN SỐ %(number)s", number=issue.number),
            _("Đơn vị phát hành: %(org)s.", org=L.organizer_name(issue.organizer)),
            _("Hạn nộp chung: %(deadline)s. Dung lượng: 1 trang A4 = %(words)d từ.",
              deadline=L.fmt_day(issue.deadline), words=WORDS_PER_A4_PAGE),
            _("Đã nộp %(done)d/%(total)d tin bài. Số liệu tính đến ngày %(today)s.", done=stats.submitted,
              total=len(stats.rows), today=L.fmt_day(stats.today)),
        ]
        row = S.title_rows(ws, heading, 12)
        rows = []
        for n, r in enumerate(stats.rows, 1):
            a = r.assignment
            rows.append([n, a.section, a.topic, str(a.unit or ""), a.article_count,
                         float(a.pages) if a.pages is not None else None, r.planned_words, r.words, r.words_ratio,
                         r.due, r.submitted_on, r.state.label])
        total = ["", _("Tổng cộng"), "", "", sum(r.assignment.article_count for r in stats.rows),
                 float(sum(r.assignment.pages or 0 for r in stats.rows)), stats.planned_words, stats.words,
                 (stats.words / stats.planned_words) if stats.planned_words else None, None, None,
                 _("Đã nộp %(done)d/%(total)d", done=stats.submitted, total=len(stats.rows))]
        S.table(ws, row, [_("STT"), _("Chuyên mục"), _("Nội dung tin bài"), _("Đơn vị chủ trì"), _("Số lượng tin"),
                          _("Dung lượng (trang A4)"), _("Số từ dự kiến"), _("Số từ đã nộp"),
                          _("Tỷ lệ số từ so với dự kiến"), _("Hạn nộp"), _("Ngày nộp"), _("Tình trạng")],
                rows, widths=[6, 24, 50, 28, 10, 12, 12, 12, 14, 12, 12, 20], total=total,
                formats={8: S.PERCENT_FORMAT}, wrap=(1, 2, 3), repeat_header=True)
        ws.freeze_panes = ws.cell(row=row + 1, column=1)
        ws = S.add_sheet(wb, _("Đơn vị chậm nộp"))
        row = S.title_rows(ws, [_("CÁC ĐƠN VỊ CHẬM NỘP TIN BÀI BẢN TIN SỐ %(number)s", number=issue.number),
                                heading[1], heading[3]], 5)
        late_rows = []
        for n, unit in enumerate(stats.late_units, 1):
            topics = [f"{a.topic} ({_('quá hạn, chưa nộp')})" for a in unit.overdue]
            topics += [f"{a.topic} ({_('nộp muộn')})" for a in unit.submitted_late]
            late_rows.append([n, str(unit.unit or _("Chưa giao đơn vị")),
                              len(unit.overdue), len(unit.submitted_late), "\n".join(topics)])
        S.table(ws, row, [_("STT"), _("Đơn vị"), _("Quá hạn, chưa nộp"), _("Nộp muộn"), _("Tin bài")], late_rows,
                widths=[6, 36, 16, 12, 80], wrap=(1, 4))
        return wb


def newsletter_xlsx_bytes(issue: NewsletterIssue, today: date | None = None, **kwargs: object) -> bytes:
    """The issue's status as the bytes of a .xlsx file."""
    data = S.save_workbook(build_newsletter_xlsx(issue, today, **kwargs))  # type: ignore[arg-type]
    assert data is not None
    return data
