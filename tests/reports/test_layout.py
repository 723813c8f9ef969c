"""The shared layout helpers: hostile text in, valid DOCX and XLSX out."""

from __future__ import annotations

import unicodedata
from io import BytesIO

import pytest
from docx import Document as open_docx
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from heza.reports import docx_layout as L
from heza.reports import sheets as S


def test_clean_text_removes_what_xml_refuses_and_keeps_vietnamese():
    raw = "Tiếng Việt\x00 có\x08 dấu\x0bxuống dòng\x0ctrang\r\nCRLF\rCR\x7f\x85\ud800\ufffe\uffff\tTab"
    assert L.clean_text(raw) == "Tiếng Việt có dấu\nxuống dòng\ntrang\nCRLF\nCR\tTab"
    assert L.clean_text(None) == "" and L.clean_text(12) == "12"
    decomposed = unicodedata.normalize("NFD", "Hải Phòng")
    assert L.clean_text(decomposed) == "Hải Phòng" and len(L.clean_text(decomposed)) == 9


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-16", exclude_categories=()), max_size=60))
def test_any_text_survives_a_docx_and_an_xlsx(text):
    doc = L.new_document()
    L.paragraph(doc, text)
    L.data_table(doc, ["STT", "Nội dung"], [[1, text]])
    out = BytesIO(L.save(doc))
    again = open_docx(out)
    assert again.tables[0].rows[1].cells[1].text.replace("\t", "").replace("\n", "") == \
        L.clean_text(text).replace("\t", "").replace("\n", "")
    wb = S.new_workbook()
    ws = S.add_sheet(wb, text or "x")
    S.set_cell(ws, 1, 1, text)
    book = load_workbook(BytesIO(S.save_workbook(wb)))
    assert (book.worksheets[0]["A1"].value or "") == L.clean_text(text)


def test_formulas_and_long_text_stay_text():
    wb = S.new_workbook()
    ws = S.add_sheet(wb, "Thử: [công thức]?")
    S.set_cell(ws, 1, 1, "=1+1")
    S.set_cell(ws, 2, 1, "x" * 40000)
    book = load_workbook(BytesIO(S.save_workbook(wb)))
    sheet = book.worksheets[0]
    assert sheet.title == "Thử   công thức"
    assert sheet["A1"].value == "=1+1" and sheet["A1"].data_type == "s"
    assert len(sheet["A2"].value) == 32767


@pytest.mark.parametrize("names, expected", [
    (["UBND thành phố", "Sở Tài chính"], ["Kính gửi:", "- UBND thành phố;", "- Sở Tài chính."]),
    (["UBND thành phố"], ["Kính gửi: UBND thành phố"]),
])
def test_addressees(names, expected, app):
    with app.app_context():
        doc = L.new_document()
        L.addressees(doc, names)
        assert [p.text for p in doc.paragraphs if p.text] == expected


def test_split_recipients():
    assert L.split_recipients("UBND thành phố; Sở Tài chính;\nVăn phòng UBND TP ") == [
        "UBND thành phố", "Sở Tài chính", "Văn phòng UBND TP"]
