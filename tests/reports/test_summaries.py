"""The hotline summary (DOCX, XLSX) and the newsletter issue status (XLSX), read back."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

from docx import Document as open_docx

from heza.reports.hotline_summary import hotline_docx_bytes, hotline_xlsx_bytes, sole_organizer
from heza.reports.newsletter_status import newsletter_xlsx_bytes
from heza.reports.stats import month_period, quarter_period
from tests.reports.conftest import FORMULA, HOSTILE_CLEAN, find_table, open_xlsx, rows_after_header, table_rows

JUNE_10 = date(2026, 6, 10)


def test_hotline_docx(hotline_may):
    org = sole_organizer()
    assert org.id == hotline_may.organizer.id  # the only organizer; the caller passes it
    doc = open_docx(BytesIO(hotline_docx_bytes(month_period("2026-05"), JUNE_10, organizer=org)))
    heading = doc.tables[0].rows[0].cells[0].text.splitlines()
    assert heading[:2] == ["BAN QUẢN LÝ KHU KINH TẾ HẢI PHÒNG", "VĂN PHÒNG"] and "Số: ………/BC-VP" in heading
    texts = [p.text for p in doc.paragraphs]
    assert ("Kết quả tiếp nhận, xử lý thông tin phản ánh, kiến nghị, khiếu nại, tố cáo tháng 05 năm 2026"
            in texts)
    assert "Kính gửi: Lãnh đạo Ban Quản lý Khu kinh tế Hải Phòng" in texts
    assert "Tổng số thông tin tiếp nhận: 5." in texts
    assert "- Đã xử lý, phản hồi đúng hạn: 2." in texts and "- Đã xử lý, phản hồi quá hạn: 1." in texts
    assert "- Đang xử lý: 2 (trong đó quá hạn: 1)." in texts
    matrix = {r[0]: r[1:] for r in table_rows(find_table(doc, "Kênh tiếp nhận"))}
    assert matrix["Kênh tiếp nhận"] == ["Phản ánh", "Kiến nghị", "Khiếu nại", "Tố cáo", "Tổng cộng"]
    assert matrix["Đường dây nóng"] == ["2", "0", "0", "0", "2"]
    assert matrix["Trang Facebook"] == ["0", "1", "0", "0", "1"]
    assert matrix["Tổng cộng"] == ["2", "1", "1", "1", "5"]
    units = {r[1]: r[2:] for r in table_rows(find_table(doc, "STT", "Đơn vị"))[1:]}
    assert units == {"QLĐT": ["2", "1", "1", "0", "0"], "QLLĐ": ["2", "1", "0", "1", "1"],
                     "Chưa phân công": ["1", "0", "0", "1", "0"], "Tổng cộng": ["5", "2", "1", "2", "1"]}
    pending = table_rows(find_table(doc, "STT", "Số tham chiếu", "Ngày tiếp nhận"))
    assert [r[1] for r in pending[1:]] == [hotline_may.items["cmp1"].reference, hotline_may.items["den1"].reference]
    assert pending[1][4] == HOSTILE_CLEAN and pending[1][7] == "Đang xử lý (quá hạn)"
    assert "CHÁNH VĂN PHÒNG" in doc.tables[-1].rows[0].cells[1].text


def test_hotline_xlsx(hotline_may):
    wb = open_xlsx(BytesIO(hotline_xlsx_bytes(quarter_period("2026-2"), JUNE_10,
                                              organizer=hotline_may.organizer)))
    assert wb.sheetnames == ["Tổng hợp", "Khiếu nại, tố cáo", "Theo đơn vị", "Danh sách"]
    # Issue 15: complaints and denunciations by legal stage, in time or late, as reported to the inspectorate.
    _, legal_rows = rows_after_header(wb["Khiếu nại, tố cáo"], "Loại")
    assert [list(r[:5]) for r in legal_rows] == [["Khiếu nại", "Tiếp nhận, chờ thụ lý", 1, 0, 1],
                                                 ["Tố cáo", "Đã thụ lý", 1, 1, 0]]
    summary = wb["Tổng hợp"]
    assert summary["A2"].value == "Kỳ báo cáo: quý II năm 2026 (từ 01/04/2026 đến 30/06/2026)"
    header, body = rows_after_header(summary, "Kênh tiếp nhận")
    assert header == ("Kênh tiếp nhận", "Phản ánh", "Kiến nghị", "Khiếu nại", "Tố cáo", "Tổng cộng")
    assert body[0] == ("Đường dây nóng", 4, 0, 0, 0, 4)
    assert body[-1] == ("Tổng cộng", 4, 1, 1, 1, 7)
    _, results = rows_after_header(summary, "Kết quả xử lý")
    assert dict(r[:2] for r in results) == {"Tổng số tiếp nhận": 7, "Đã xử lý đúng hạn": 2, "Đã xử lý quá hạn": 1,
                             "Đang xử lý": 4, "Đang xử lý quá hạn": 3}
    _, units = rows_after_header(wb["Theo đơn vị"], "STT")
    assert [u[1:] for u in units] == [("QLĐT", 4, 1, 1, 2, 2), ("QLLĐ", 2, 1, 0, 1, 1),
                                      ("Chưa phân công", 1, 0, 0, 1, 0), ("Tổng cộng", 7, 2, 1, 4, 3)]
    listing = wb["Danh sách"]
    header, items = rows_after_header(listing, "STT")
    assert len(items) == 7
    first = items[0]
    assert first[1] == hotline_may.items["april"].reference
    assert first[2] == datetime(2026, 4, 29, 9, 0)  # local wall-clock time, shown dd/mm/yyyy hh:mm
    by_ref = {r[1]: r for r in items}
    formula_row = by_ref[hotline_may.items["rec1"].reference]
    assert formula_row[6] == FORMULA and formula_row[11] == "Quá hạn"
    column = header.index("Nội dung") + 1
    formula_cell = next(c for c in listing.iter_rows(min_col=column, max_col=column) if c[0].value == FORMULA)[0]
    assert formula_cell.data_type == "s"  # stored as text, never evaluated as a formula
    assert by_ref[hotline_may.items["cmp1"].reference][6] == HOSTILE_CLEAN


def test_hotline_xlsx_for_one_unit(hotline_may):
    wb = open_xlsx(BytesIO(hotline_xlsx_bytes(month_period("2026-05"), JUNE_10, organizer=hotline_may.organizer,
                                              unit_id=hotline_may.unit_b.id)))
    assert "(đơn vị: QLLĐ)" in wb["Tổng hợp"]["A1"].value
    _, units = rows_after_header(wb["Theo đơn vị"], "STT")
    assert [u[1] for u in units] == ["QLLĐ", "Tổng cộng"]
    _, items = rows_after_header(wb["Danh sách"], "STT")
    assert {r[1] for r in items} == {hotline_may.items[k].reference for k in ("cmp1", "late_night")}


def test_hotline_for_an_empty_month(hotline_may):
    doc = open_docx(BytesIO(hotline_docx_bytes(month_period("2026-08"), JUNE_10, organizer=hotline_may.organizer)))
    assert "Tổng số thông tin tiếp nhận: 0." in [p.text for p in doc.paragraphs]
    wb = open_xlsx(BytesIO(hotline_xlsx_bytes(month_period("2026-08"), JUNE_10, organizer=hotline_may.organizer)))
    _, items = rows_after_header(wb["Danh sách"], "STT")
    assert items == []


def test_newsletter_xlsx(newsletter):
    wb = open_xlsx(BytesIO(newsletter_xlsx_bytes(newsletter.issue, date(2023, 3, 25))))
    assert wb.sheetnames == ["Tình trạng tin bài", "Đơn vị chậm nộp"]
    ws = wb["Tình trạng tin bài"]
    assert ws["A1"].value == "TÌNH TRẠNG NỘP TIN BÀI BẢN TIN SỐ 01.2023"
    assert ws["A2"].value == "Đơn vị phát hành: Ban Quản lý Khu kinh tế Hải Phòng."
    assert ws["A3"].value == "Hạn nộp chung: 20/03/2023. Dung lượng: 1 trang A4 = 350 từ."
    assert ws["A4"].value == "Đã nộp 2/5 tin bài. Số liệu tính đến ngày 25/03/2023."
    header, rows = rows_after_header(ws, "STT")
    assert header[4:9] == ("Số lượng tin", "Dung lượng (trang A4)", "Số từ dự kiến", "Số từ đã nộp",
                           "Tỷ lệ số từ so với dự kiến")
    by_topic = {r[2]: r for r in rows}
    focus = by_topic["Tiêu điểm"]
    assert focus[3] == "Trung tâm Xúc tiến đầu tư và Dịch vụ việc làm"
    assert focus[4:9] == (10, 2.0, 700, 650, 650 / 700)
    assert focus[9] == datetime(2023, 3, 20) and focus[10] == datetime(2023, 3, 18) and focus[11] == "Đã nộp"
    plan = by_topic["Thông tin mới về phát triển các khu công nghiệp"]
    assert plan[6:8] == (1400, 1500) and plan[11] == "Nộp muộn"
    labour = by_topic["Tình hình lao động Quý I năm 2023 " + HOSTILE_CLEAN]
    assert labour[5:8] == (0.5, 175, None) and labour[10] is None and labour[11] == "Quá hạn, chưa nộp"
    assert by_topic["Hoạt động của Đoàn Thanh niên"][11] == "Chưa nộp (còn hạn)"
    assert by_topic[FORMULA][6] is None and by_topic[FORMULA][11] == "Quá hạn, chưa nộp"
    total = rows[-1]
    assert total[1] == "Tổng cộng" and total[6:8] == (2625, 2150) and total[11] == "Đã nộp 2/5"
    _, late = rows_after_header(wb["Đơn vị chậm nộp"], "STT")
    assert [r[1:4] for r in late] == [("Phòng Quản lý Lao động", 2, 0),
                                      ("Phòng Quản lý Quy hoạch và Xây dựng", 0, 1)]
    assert "Tình hình lao động Quý I năm 2023" in late[0][4] and "(quá hạn, chưa nộp)" in late[0][4]


def test_newsletter_xlsx_for_one_unit(newsletter):
    wb = open_xlsx(BytesIO(newsletter_xlsx_bytes(newsletter.issue, date(2023, 3, 25),
                                                 unit_id=newsletter.units["qh"].id)))
    _, rows = rows_after_header(wb["Tình trạng tin bài"], "STT")
    assert [r[3] for r in rows[:-1]] == ["Phòng Quản lý Quy hoạch và Xây dựng"]
