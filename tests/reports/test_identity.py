"""Every document speaks in its own organizer's name: header, number, place, signer, recipients, plan cited.

A Phù Liễn-like ward with its own identity and plan, next to HEZA: the ward's documents read back
with python-docx / openpyxl carry the ward's data and no word of HEZA's, and HEZA's carry HEZA's.
"""

from __future__ import annotations

import zipfile
from datetime import date
from io import BytesIO
from typing import Any

import pytest
from docx import Document as open_docx

from heza.conferences.models import ConferenceStatus
from heza.directory.models import Organizer, OrganizerKind
from heza.extensions import db as _db
from heza.newsletter.models import NewsletterIssue
from heza.plans.models import Plan
from heza.reports import docx_layout as L
from heza.reports.conclusion import conclusion_notice
from heza.reports.hotline_summary import hotline_docx_bytes, hotline_xlsx_bytes, sole_organizer
from heza.reports.newsletter_status import newsletter_xlsx_bytes
from heza.reports.postpone_report import postpone_report_bytes
from heza.reports.result_report import result_report_bytes
from heza.reports.stats import month_period
from tests import factories as f
from tests.reports.conftest import (
    AS_OF,
    HEZA_PLAN_TITLE,
    WARD_PLAN_TITLE,
    docx_text,
    heza_organizer,
    open_xlsx,
    table_rows,
)

# Words only HEZA's own data holds; none may appear in a ward's document.
HEZA_WORDS = ("ban quản lý", "khu kinh tế", "bql", "heza", "trưởng ban", "bùi ngọc hải", "dn&gsđt",
              "hải phòng, ngày")
WARD_AS_OF = date(2026, 6, 10)


def docx_xml_text(data: bytes) -> str:
    """Every XML part of a .docx (body, properties, styles), lower-cased: nothing can hide outside the body."""
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist()
                         if name.endswith(".xml")).casefold()


def assert_no_heza(text: str) -> None:
    lowered = text.casefold()
    found = [word for word in HEZA_WORDS if word in lowered]
    assert not found, f"HEZA's words in a ward's document: {found}"


def heading_cells(doc: Any) -> tuple[list[str], list[str]]:
    left, right = table_rows(doc.tables[0])[0]
    return left.splitlines(), right.splitlines()


def closing_cells(doc: Any, index: int = -1) -> tuple[list[str], list[str]]:
    left, right = table_rows(doc.tables[index])[0]
    return left.splitlines(), [line for line in right.splitlines() if line]


# The ward ------------------------------------------------------------------------------------------


def test_a_wards_result_report_is_in_the_wards_name(ward_held):
    data = result_report_bytes(ward_held.conference, WARD_AS_OF)
    doc = open_docx(BytesIO(data))
    left, right = heading_cells(doc)
    assert left[0] == "ỦY BAN NHÂN DÂN PHƯỜNG PHÙ LIỄN"
    assert "Số: ………/BC-UBND" in left
    assert "Phù Liễn, ngày … tháng … năm …" in right
    first_run = doc.tables[0].rows[0].cells[0].paragraphs[0].runs[0]
    assert first_run.bold  # a one-line issuer is the issuing body itself: bold
    texts = [p.text for p in doc.paragraphs]
    assert f"Căn cứ {WARD_PLAN_TITLE};" in texts  # the ward's own plan (seed 004), not HEZA's or the city's
    assert any(t.startswith("Phường Phù Liễn báo cáo kết quả tổ chức") for t in texts)
    recipients, signature = closing_cells(doc, -2)  # the Nơi nhận block precedes the appendix
    assert recipients == ["Nơi nhận:", "- Như trên;", "- Lãnh đạo UBND phường;", "- Lưu: VT, KTHT&ĐT."]
    assert signature == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Phạm Văn Diện"]
    assert "Kèm theo Báo cáo số ………/BC-UBND" in docx_text(BytesIO(data))
    assert_no_heza(docx_text(BytesIO(data)))
    assert_no_heza(docx_xml_text(data))


def test_a_wards_postpone_report_and_conclusion_notice_are_in_the_wards_name(ward_held):
    conf = ward_held.conference
    conf.status = ConferenceStatus.ANNOUNCED  # 2 registrations, 1 recommendation in time: short of the quorum
    _db.session.commit()
    data = postpone_report_bytes(conf, WARD_AS_OF)
    doc = open_docx(BytesIO(data))
    left, right = heading_cells(doc)
    assert left[0] == "ỦY BAN NHÂN DÂN PHƯỜNG PHÙ LIỄN" and "Số: ………/BC-UBND" in left
    assert "Phù Liễn, ngày … tháng … năm …" in right
    assert f"Căn cứ {WARD_PLAN_TITLE};" in [p.text for p in doc.paragraphs]
    assert closing_cells(doc)[1] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Phạm Văn Diện"]
    assert_no_heza(docx_xml_text(data))
    conf.status = ConferenceStatus.HELD
    _db.session.commit()
    notice = conclusion_notice(conf, WARD_AS_OF)
    assert notice.body.startswith(f"Căn cứ {WARD_PLAN_TITLE};\n\nNgày 20/05/2026, tại Hội trường Đảng ủy phường, "
                                  "Phường Phù Liễn đã tổ chức")
    assert_no_heza(notice.title + notice.body)


def test_a_wards_hotline_summary_and_newsletter_are_in_the_wards_name(ward_held):
    ward = ward_held.conference.organizer
    heza_organizer()  # another organizer with its own hotline office exists
    _db.session.commit()
    data = hotline_docx_bytes(month_period("2026-05"), WARD_AS_OF, organizer=ward)
    doc = open_docx(BytesIO(data))
    left, right = heading_cells(doc)
    assert left[:2] == ["ỦY BAN NHÂN DÂN PHƯỜNG PHÙ LIỄN", "VĂN PHÒNG HĐND-UBND"]
    assert "Phù Liễn, ngày … tháng … năm …" in right
    texts = [p.text for p in doc.paragraphs]
    assert "Kính gửi: Lãnh đạo UBND phường" in texts
    assert "Tổng số thông tin tiếp nhận: 1." in texts
    assert "Văn phòng kính báo cáo Lãnh đạo UBND phường xem xét, chỉ đạo./." in texts
    assert closing_cells(doc)[0] == ["Nơi nhận:", "- Như trên;", "- Lưu: VT, VP HĐND-UBND."]
    assert_no_heza(docx_xml_text(data))
    wb = open_xlsx(BytesIO(hotline_xlsx_bytes(month_period("2026-05"), WARD_AS_OF, organizer=ward)))
    assert "Đơn vị tổng hợp: Phường Phù Liễn." in wb["Tổng hợp"]["A3"].value
    issue = NewsletterIssue(organizer=ward, number="01.2026", year=2026, quarter=1, deadline=date(2026, 3, 20))
    _db.session.add(issue)
    _db.session.commit()
    wb = open_xlsx(BytesIO(newsletter_xlsx_bytes(issue, WARD_AS_OF)))
    assert wb["Tình trạng tin bài"]["A2"].value == "Đơn vị phát hành: Phường Phù Liễn."
    for ws in wb.worksheets:
        assert_no_heza(" ".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None))


def test_the_caller_chooses_whose_hotline_is_summarised(ward_held):
    assert sole_organizer() == ward_held.conference.organizer
    heza_organizer()
    _db.session.commit()
    assert sole_organizer() is None  # two organizers: no silent default to "the" authority


# HEZA -------------------------------------------------------------------------------------------------


def test_hezas_result_report_is_in_hezas_name_and_cites_its_plan(held):
    org = held.conference.organizer
    _db.session.add(Plan(organizer=org, title=HEZA_PLAN_TITLE, year=2025, rules="R1,R2,R3,R5,R6,R7"))
    _db.session.commit()
    _db.session.expire(org, ["plans"])
    data = result_report_bytes(held.conference, AS_OF)
    doc = open_docx(BytesIO(data))
    left, right = heading_cells(doc)
    assert left[:2] == ["UBND THÀNH PHỐ HẢI PHÒNG", "BAN QUẢN LÝ KHU KINH TẾ HẢI PHÒNG"]
    runs = [p.runs[0] for p in doc.tables[0].rows[0].cells[0].paragraphs[:2]]
    assert not runs[0].bold and runs[1].bold  # the superior body plain, the issuer bold (Decree 30)
    assert "Số: ………/BC-BQL" in left and "Hải Phòng, ngày … tháng … năm …" in right
    assert f"Căn cứ {HEZA_PLAN_TITLE};" in [p.text for p in doc.paragraphs]
    recipients, signature = closing_cells(doc, -2)
    assert recipients == ["Nơi nhận:", "- Như trên;", "- Lãnh đạo Ban Quản lý Khu kinh tế Hải Phòng;",
                          "- Lưu: VT, DN&GSĐT."]
    assert signature == ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Bùi Ngọc Hải"]
    assert "phù liễn" not in docx_xml_text(data)
    with pytest.raises(AssertionError, match="HEZA's words"):  # the check the ward's documents pass can fail
        assert_no_heza(docx_xml_text(data))


def test_an_organizer_without_a_plan_leaves_the_basis_for_the_clerk(held):
    texts = [p.text for p in open_docx(BytesIO(result_report_bytes(held.conference, AS_OF))).paragraphs]
    assert ("Căn cứ Kế hoạch số … ngày … của Ban Quản lý Khu kinh tế Hải Phòng về tổ chức Hội nghị đối thoại với "
            "doanh nghiệp năm 2026;") in texts


# Fallbacks ---------------------------------------------------------------------------------------------


@pytest.fixture()
def bare(db) -> Organizer:
    """A department that filled in nothing but its name."""
    return f.organizer(name="Sở Thử nghiệm", short_name="STN", kind=OrganizerKind.DEPARTMENT, place_name="")


def test_empty_identity_fields_fall_back_to_blanks_never_to_another_organizers_words(bare):
    assert L.header_lines(bare) == ["SỞ THỬ NGHIỆM"]  # no parent body; the name in capitals
    assert L.number_line("BC", bare) == "Số: ………/BC-…"
    assert L.place_date_line(bare) == "…, ngày … tháng … năm …"
    assert L.signature_title(bare) == ["…"] and L.signer_name(bare) == "…" * 6
    assert L.owner_lines(bare) == ["Như trên;", "Lãnh đạo Sở Thử nghiệm;", "Lưu: VT, …."]
    assert L.number_line("BC", bare, " 12/BC-STN ") == "Số: 12/BC-STN"


def test_identity_text_is_cleaned(db):
    org = f.organizer(name="Phường Kiểm\x0btra", short_name="PKT", kind=OrganizerKind.WARD,
                      header_name="ỦY BAN NHÂN DÂN\x01 PHƯỜNG KIỂM TRA", signer_name="Nguyễn\x1f Văn A",
                      document_symbol="UBND")
    doc = L.new_document()
    L.national_heading(doc, org)
    L.recipients_block(doc, org, L.owner_lines(org))
    out = open_docx(BytesIO(L.save(doc)))
    assert heading_cells(out)[0][0] == "ỦY BAN NHÂN DÂN PHƯỜNG KIỂM TRA"
    assert closing_cells(out)[1][-1] == "Nguyễn Văn A"
