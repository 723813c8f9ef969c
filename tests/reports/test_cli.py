"""``heza report …`` writes the documents and marks the result report as drafted (never as submitted)."""

from __future__ import annotations

import sqlalchemy as sa
from docx import Document as open_docx
from openpyxl import load_workbook

from heza.conferences.models import ConferenceStatus, Report, ReportKind
from heza.extensions import db as _db
from heza.reports.cli import report_group
from tests.reports.conftest import docx_text, find_table, rows_after_header, table_rows


def _report(kind: ReportKind) -> Report | None:
    _db.session.expire_all()
    return _db.session.scalar(sa.select(Report).where(Report.kind == kind))


def test_result_command_writes_the_docx_and_marks_the_report_drafted(runner, held, tmp_path):
    out = tmp_path / "bao-cao.docx"
    result = runner.invoke(report_group, ["result", str(held.conference.id), "-o", str(out), "--as-of", "20/03/2026"])
    assert result.exit_code == 0, result.output
    assert "hạn gửi 12/03/2026" in result.output
    doc = open_docx(out)
    total = table_rows(find_table(doc, "STT", "Lĩnh vực"))[-1]
    assert total[1:] == ["Tổng cộng", "5", "3", "2", "1", "1", "1", "2"]
    report = _report(ReportKind.RESULT)
    assert report is not None and report.drafted_dt is not None and report.submitted_dt is None
    assert report.due_on.isoformat() == "2026-03-12"
    assert [p.name for p in tmp_path.iterdir()] == ["bao-cao.docx"]  # no temporary file left behind


def test_result_command_refuses_a_conference_not_held(runner, held, tmp_path):
    held.conference.status = ConferenceStatus.ANNOUNCED
    _db.session.commit()
    out = tmp_path / "bao-cao.docx"
    result = runner.invoke(report_group, ["result", str(held.conference.id), "-o", str(out)])
    assert result.exit_code != 0 and "chưa được đánh dấu" in result.output
    assert not out.exists() and _report(ReportKind.RESULT) is None


def test_result_command_errors(runner, held, tmp_path):
    missing = runner.invoke(report_group, ["result", "999999", "-o", str(tmp_path / "a.docx")])
    assert missing.exit_code != 0 and "Không tìm thấy hội nghị" in missing.output
    wrong = runner.invoke(report_group, ["result", str(held.conference.id), "-o", str(tmp_path / "a.pdf")])
    assert wrong.exit_code != 0 and ".docx" in wrong.output
    no_dir = runner.invoke(report_group, ["result", str(held.conference.id), "-o", str(tmp_path / "x" / "a.docx")])
    assert no_dir.exit_code != 0 and "Thư mục không tồn tại" in no_dir.output
    bad_date = runner.invoke(report_group, ["result", str(held.conference.id), "-o", str(tmp_path / "a.docx"),
                                            "--as-of", "31/02/2026"])
    assert bad_date.exit_code != 0 and "Ngày không hợp lệ" in bad_date.output


def test_postpone_command(runner, held, tmp_path):
    held.conference.status = ConferenceStatus.ANNOUNCED
    _db.session.commit()
    out = tmp_path / "hoan.docx"
    result = runner.invoke(report_group, ["postpone", str(held.conference.id), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Về việc dừng hoặc hoãn tổ chức" in docx_text(out)
    report = _report(ReportKind.POSTPONE_CANCEL)
    assert report.drafted_dt is not None and report.submitted_dt is None and report.due_on is None


def test_hotline_command(runner, hotline_may, tmp_path):
    out = tmp_path / "duong-day-nong.xlsx"
    result = runner.invoke(report_group, ["hotline", "--month", "2026-05", "-o", str(out), "--as-of", "2026-06-10"])
    assert result.exit_code == 0, result.output
    _, rows = rows_after_header(load_workbook(out)["Tổng hợp"], "Kênh tiếp nhận")
    assert rows[-1] == ("Tổng cộng", 2, 1, 1, 1, 5)
    docx = tmp_path / "duong-day-nong.docx"
    result = runner.invoke(report_group, ["hotline", "--quarter", "2026-2", "-o", str(docx),
                                          "--organizer", str(hotline_may.organizer.id)])
    assert result.exit_code == 0, result.output
    assert "Tổng số thông tin tiếp nhận: 7." in docx_text(docx)


def test_hotline_command_needs_exactly_one_period(runner, hotline_may, tmp_path):
    out = str(tmp_path / "a.xlsx")
    both = runner.invoke(report_group, ["hotline", "--month", "2026-05", "--quarter", "2026-2", "-o", out])
    assert both.exit_code != 0 and "--month" in both.output
    neither = runner.invoke(report_group, ["hotline", "-o", out])
    assert neither.exit_code != 0
    bad = runner.invoke(report_group, ["hotline", "--month", "05-2026", "-o", out])
    assert bad.exit_code != 0 and "YYYY-MM" in bad.output
    organizer = runner.invoke(report_group, ["hotline", "--month", "2026-05", "--organizer", "999999", "-o", out])
    assert organizer.exit_code != 0 and "Không tìm thấy ban tổ chức" in organizer.output


def test_newsletter_command(runner, newsletter, tmp_path):
    out = tmp_path / "ban-tin.xlsx"
    result = runner.invoke(report_group, ["newsletter", "01.2023", "-o", str(out), "--as-of", "2023-03-25"])
    assert result.exit_code == 0, result.output
    _, late = rows_after_header(load_workbook(out)["Đơn vị chậm nộp"], "STT")
    assert [r[1] for r in late] == ["Phòng Quản lý Lao động", "Phòng Quản lý Quy hoạch và Xây dựng"]
    missing = runner.invoke(report_group, ["newsletter", "02.2023", "-o", str(out)])
    assert missing.exit_code != 0 and "Không tìm thấy bản tin số 02.2023" in missing.output


def test_conclusion_command(runner, held):
    printed = runner.invoke(report_group, ["conclusion", str(held.conference.id), "--as-of", "2026-03-20"])
    assert printed.exit_code == 0, printed.output
    assert printed.output.startswith("Thông báo kết luận Hội nghị đối thoại doanh nghiệp năm 2026\n")
    saved = runner.invoke(report_group, ["conclusion", str(held.conference.id), "--save"])
    assert saved.exit_code == 0, saved.output
    _db.session.expire_all()
    assert held.conference.announcements[0].body.startswith("Ngày 03/03/2026")


def test_group_commands():
    assert report_group.name == "report"
    assert set(report_group.commands) == {"result", "postpone", "hotline", "newsletter", "conclusion"}
