"""The result report (R6) read back with python-docx: layout, counts, full table, hostile text."""

from __future__ import annotations

from io import BytesIO

import pytest
from docx import Document as open_docx
from docx.shared import Pt

from heza.conferences.models import ConferenceStatus, Report, ReportKind
from heza.extensions import db as _db
from heza.reports import records
from heza.reports.result_report import NotHeld, build_result_report, result_report_bytes
from tests.reports.conftest import AS_OF, FORMULA, HOSTILE_CLEAN, find_table, table_rows


@pytest.fixture()
def report_doc(held):
    return open_docx(BytesIO(result_report_bytes(held.conference, AS_OF)))


def test_administrative_layout(report_doc):
    heading = table_rows(report_doc.tables[0])[0]
    assert heading[0].splitlines()[:2] == ["UBND THÀNH PHỐ HẢI PHÒNG", "BAN QUẢN LÝ KHU KINH TẾ HẢI PHÒNG"]
    assert "Số: ………/BC-BQL" in heading[0]
    assert heading[1].splitlines()[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert "Hải Phòng, ngày … tháng … năm …" in heading[1]
    texts = [p.text for p in report_doc.paragraphs]
    assert "BÁO CÁO" in texts
    assert "Kết quả tổ chức Hội nghị đối thoại doanh nghiệp năm 2026" in texts
    assert "Kính gửi:" in texts and "- UBND thành phố;" in texts and "- Sở Tài chính." in texts
    closing = [t for t in table_rows(report_doc.tables[-2])[0]]  # the Nơi nhận block precedes the appendix
    assert closing[0].startswith("Nơi nhận:") and "Lưu: VT, DN&GSĐT." in closing[0]
    assert "KT. TRƯỞNG BAN" in closing[1]
    section = report_doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    appendix = report_doc.sections[-1]
    assert appendix.page_width > appendix.page_height  # the full list is landscape
    normal = report_doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size == Pt(13)


def test_counts_match_the_data(report_doc):
    text = "\n".join(p.text for p in report_doc.paragraphs)
    assert "- Cơ quan, đơn vị được mời: 3 (Cục Thuế thành phố; Sở Nông nghiệp và Môi trường; Sở Tài chính)." in text
    assert "- Doanh nghiệp được mời: 4." in text
    assert ("- Doanh nghiệp đăng ký tham dự: 4 (trong đó 3 doanh nghiệp đăng ký trước hạn ngày 24/02/2026), "
            "với 3 đại biểu.") in text
    assert ("- Doanh nghiệp thực tế tham dự (đã điểm danh): 0, với 0 đại biểu (trong đó 0 đại biểu đến trực tiếp "
            "không đăng ký trước).") in text
    assert ("Tổng số kiến nghị tiếp nhận: 5, trong đó 3 kiến nghị tiếp nhận trước hạn (hết ngày 24/02/2026) và 2 "
            "kiến nghị tiếp nhận sau hạn. Ngoài ra có 1 kiến nghị doanh nghiệp đã rút.") in text
    assert "- Trả lời trực tiếp tại Hội nghị: 1 kiến nghị." in text
    assert "- Trả lời bằng văn bản đúng hạn: 1 kiến nghị." in text
    assert "- Trả lời bằng văn bản quá hạn: 1 kiến nghị." in text
    assert "- Chưa trả lời: 2 kiến nghị (trong đó 1 kiến nghị đã quá hạn), số liệu tính đến ngày 20/03/2026." in text
    assert "hạn 12/03/2026" in text and "hạn 23/03/2026" in text


def test_table_by_field(report_doc):
    rows = table_rows(find_table(report_doc, "STT", "Lĩnh vực"))
    assert rows[0] == ["STT", "Lĩnh vực", "Tổng số", "Trước hạn", "Sau hạn", "Trả lời tại hội nghị",
                       "Trả lời bằng văn bản đúng hạn", "Trả lời bằng văn bản quá hạn", "Chưa trả lời"]
    body = {r[1]: r[2:] for r in rows[1:]}
    assert body == {
        "Đất đai": ["2", "2", "0", "1", "1", "0", "0"],
        "Tài nguyên, môi trường": ["2", "1", "1", "0", "0", "1", "1"],
        "Lao động, việc làm": ["1", "0", "1", "0", "0", "0", "1"],
        "Tổng cộng": ["5", "3", "2", "1", "1", "1", "2"],
    }


def test_open_recommendations_with_due_dates(held, report_doc):
    rows = table_rows(find_table(report_doc, "STT", "Số tham chiếu", "Doanh nghiệp", "Nội dung kiến nghị"))
    assert [(r[1], r[5], r[6]) for r in rows[1:]] == [
        (held.recs["env2"].reference, "12/03/2026", "Quá hạn"),
        (held.recs["lab1"].reference, "23/03/2026", "Trong hạn"),
    ]
    assert rows[2][4] == "Chưa giao"


def test_full_table_with_answers(held, report_doc):
    rows = table_rows(find_table(report_doc, "STT", "Số tham chiếu", "Doanh nghiệp", "Lĩnh vực"))
    assert len(rows) == 1 + 6  # every recommendation, the withdrawn one included
    by_ref = {r[1]: r for r in rows[1:]}
    land1 = by_ref[held.recs["land1"].reference]
    assert land1[7] == "Trả lời land1: đã hướng dẫn doanh nghiệp."
    assert land1[8] == "Trả lời tại hội nghị\n03/03/2026"
    assert by_ref[held.recs["env1"].reference][8] == "Trả lời bằng văn bản\n16/03/2026 (quá hạn)"
    assert by_ref[held.recs["tax1"].reference][8] == "Doanh nghiệp rút"
    assert by_ref[held.recs["env2"].reference][9] == "12/03/2026"
    assert by_ref[held.recs["land2"].reference][4] == HOSTILE_CLEAN  # cleaned, Vietnamese intact
    assert by_ref[held.recs["env1"].reference][4] == FORMULA
    assert "Công ty TNHH Đông Á số" in land1[2] and "(02" in land1[2]


def test_conclusions_and_hostile_text(report_doc):
    texts = [p.text for p in report_doc.paragraphs]
    assert "Giao các phòng chuyên môn trả lời đúng hạn." in texts
    joined = "\n".join(texts)
    assert "Kết luận về đất đai: Đề nghị <b>giảm</b> phí & lệ phí" in joined
    assert "\x0b" not in joined and "\x01" not in joined


def test_document_number_and_recipients_come_from_the_report_row(held):
    report = records.ensure_report(held.conference, ReportKind.RESULT)
    report.document_number, report.recipients = "125/BC-BQL", "UBND thành phố"
    _db.session.commit()
    doc = build_result_report(held.conference, AS_OF)
    assert "Số: 125/BC-BQL" in doc.tables[0].rows[0].cells[0].text
    assert "Kính gửi: UBND thành phố" in [p.text for p in doc.paragraphs]
    assert any("(Kèm theo Báo cáo số 125/BC-BQL" in p.text for p in doc.paragraphs)


def test_only_for_a_held_conference(held):
    held.conference.status = ConferenceStatus.ANNOUNCED
    _db.session.commit()
    with pytest.raises(NotHeld, match="chưa được đánh dấu"):
        build_result_report(held.conference, AS_OF)


def test_another_language_renders_through_the_catalog_and_falls_back_to_vietnamese(held):
    doc = build_result_report(held.conference, AS_OF, language="en")
    texts = [p.text for p in doc.paragraphs]
    # Strings the English catalog does not know yet stay in the source language, Vietnamese.
    assert "- Doanh nghiệp được mời: 4." in texts or "- Enterprises invited: 4." in texts


def test_mark_drafted_creates_the_report_row_with_its_r6_due_date(held):
    report = records.mark_drafted(held.conference, ReportKind.RESULT)
    _db.session.commit()
    assert report.drafted_dt is not None and report.submitted_dt is None
    assert report.due_on.isoformat() == "2026-03-12"
    assert report.responsible_unit_id == held.conference.organizer.lead_unit_id
    assert report.title == "Báo cáo kết quả Hội nghị đối thoại doanh nghiệp năm 2026"
    again = records.mark_drafted(held.conference, ReportKind.RESULT)
    _db.session.commit()
    assert again.id == report.id
    assert _db.session.query(Report).count() == 1


def test_mark_drafted_uses_a_row_another_process_created_meanwhile(held, monkeypatch):
    first = records.mark_drafted(held.conference, ReportKind.RESULT)
    first.document_number = "7/BC-BQL"
    _db.session.commit()
    monkeypatch.setattr(records, "find_report", lambda conference, kind: None)  # the look-up ran before the insert
    report = records.mark_drafted(held.conference, ReportKind.RESULT)
    _db.session.commit()
    assert report.id == first.id and report.document_number == "7/BC-BQL"
    assert _db.session.query(Report).count() == 1


def test_the_chair_comes_from_the_conference(held):
    texts = [p.text for p in build_result_report(held.conference, AS_OF).paragraphs]
    assert "4. Chủ trì Hội nghị: Ông Bùi Ngọc Hải, Phó Trưởng ban." in texts
    held.conference.chair = "Ông Lê Trung Kiên, Trưởng ban"
    _db.session.commit()
    texts = [p.text for p in build_result_report(held.conference, AS_OF).paragraphs]
    assert "4. Chủ trì Hội nghị: Ông Lê Trung Kiên, Trưởng ban." in texts
    assert not any(t.startswith("4. Chủ trì Hội nghị: …") for t in texts)


def test_attended_beside_registered(held):
    """Checked-in people and walk-ins are counted as attended; walk-ins do not inflate the registrations."""
    from heza.base import now_utc
    from heza.conferences.models import Attendee, Channel, Registration
    from heza.reports.conclusion import conclusion_notice
    from tests import factories as f

    conference = held.conference
    regs = sorted(conference.registrations, key=lambda r: r.id)
    regs[0].attendees[0].checked_in_dt = now_utc()
    walk_in = Registration(conference=conference, enterprise=f.enterprise(name="Công ty Đến Sau"),
                           channel=Channel.AT_CONFERENCE, received_dt=now_utc(),
                           attendees=[Attendee(name="Vũ Văn Khách", walk_in=True, checked_in_dt=now_utc())])
    _db.session.add(walk_in)
    _db.session.commit()
    doc = open_docx(BytesIO(result_report_bytes(conference, AS_OF)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "- Doanh nghiệp đăng ký tham dự: 4 (trong đó 3 doanh nghiệp" in text and "với 3 đại biểu." in text
    assert ("- Doanh nghiệp thực tế tham dự (đã điểm danh): 2, với 2 đại biểu (trong đó 1 đại biểu đến trực tiếp "
            "không đăng ký trước).") in text
    notice = conclusion_notice(conference, AS_OF).body
    assert "và 2 doanh nghiệp (2 đại biểu doanh nghiệp; 4 doanh nghiệp đã đăng ký tham dự)." in notice
