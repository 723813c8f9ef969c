"""A Vietnamese administrative document in python-docx (Decree 30/2020/NĐ-CP): page, fonts, paragraphs.

A4 portrait, Times New Roman 13pt, margins 2/2/3/1.5 cm; body paragraphs justified with the first
line indented; every run holds text cleaned by :func:`heza.reports.text.clean_text`.
"""

from __future__ import annotations

from io import BytesIO
from typing import IO, Any

from docx import Document as new_docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from heza.reports.formats import DOCX_MIMETYPE, XLSX_MIMETYPE  # noqa: F401  (re-exported)
from heza.reports.text import clean_text

FONT_NAME = "Times New Roman"
BODY_SIZE = Pt(13)
TABLE_SIZE = Pt(11)


def set_run_font(run_or_style: Any, size: Pt | None = None) -> None:
    """Times New Roman for every script slot, so Word does not substitute a font for Vietnamese."""
    font = run_or_style.font
    font.name = FONT_NAME
    if size is not None:
        font.size = size
    fonts = run_or_style.element.get_or_add_rPr().get_or_add_rFonts()  # keeps the schema's element order
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT_NAME)


def new_document() -> Document:
    """An empty A4 document with the administrative margins and Times New Roman 13pt."""
    doc = new_docx()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    for name in ("Normal", "Table Grid"):
        style = doc.styles[name]
        set_run_font(style, BODY_SIZE if name == "Normal" else None)
    normal = doc.styles["Normal"].paragraph_format
    normal.space_before, normal.space_after = Pt(0), Pt(6)
    normal.line_spacing = 1.15
    _document_defaults(doc)
    doc.core_properties.language = "vi-VN"
    return doc


def _document_defaults(doc: Document) -> None:
    """Times New Roman and Vietnamese as the document defaults, replacing the template's theme fonts.

    A theme font attribute (``w:asciiTheme``) wins over an explicit font name, so it is removed.
    """
    for rpr in doc.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr"):
        fonts = rpr.get_or_add_rFonts()
        for attr in list(fonts.attrib):
            if attr.endswith("Theme") or attr.endswith("theme"):
                del fonts.attrib[attr]
        for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(slot), FONT_NAME)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), "vi-VN")


def landscape_section(doc: Document) -> None:
    """Start a new page in A4 landscape (for wide tables such as the list of recommendations)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(2), Cm(1.5)


def paragraph(doc_or_cell: Document | _Cell, text: Any = "", *, bold: bool = False, italic: bool = False,
              align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = True,
              size: Pt | None = None, space_after: Pt | None = None) -> Paragraph:
    """A body paragraph (justified, first line indented 1 cm) holding cleaned text."""
    para = doc_or_cell.add_paragraph()
    if align is not None:
        para.alignment = align
    if indent:
        para.paragraph_format.first_line_indent = Cm(1)
    if space_after is not None:
        para.paragraph_format.space_after = space_after
    if text != "":
        add_run(para, text, bold=bold, italic=italic, size=size)
    return para


def add_run(para: Paragraph, text: Any, *, bold: bool = False, italic: bool = False, size: Pt | None = None
            ) -> Any:
    """Append cleaned text to a paragraph in the document font."""
    run = para.add_run(clean_text(text))
    run.bold = bold or None
    run.italic = italic or None
    set_run_font(run, size)
    return run


def centered(doc_or_cell: Document | _Cell, text: Any, *, bold: bool = False, italic: bool = False,
             size: Pt | None = None, space_after: Pt | None = None) -> Paragraph:
    """A centred line, as used for titles and the heading blocks."""
    return paragraph(doc_or_cell, text, bold=bold, italic=italic, align=WD_ALIGN_PARAGRAPH.CENTER,
                     indent=False, size=size, space_after=space_after)


def section_heading(doc: Document, text: Any) -> Paragraph:
    """A bold part heading such as "I. THÔNG TIN CHUNG", kept on the page of what follows it."""
    para = paragraph(doc, text, bold=True, space_after=Pt(6))
    para.paragraph_format.keep_with_next = True
    return para


def lead_in(doc: Document, text: Any) -> Paragraph:
    """A line introducing a table ("Phân loại theo lĩnh vực:"), kept on the table's page."""
    para = paragraph(doc, text)
    para.paragraph_format.keep_with_next = True
    return para


def page_break(doc: Document) -> None:
    """Continue on a new page."""
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def save(doc: Document, target: str | IO[bytes] | None = None) -> bytes | None:
    """Write the document to a path or stream; without a target, return its bytes."""
    if target is None:
        buffer = BytesIO()
        doc.save(buffer)
        return buffer.getvalue()
    doc.save(target)
    return None
