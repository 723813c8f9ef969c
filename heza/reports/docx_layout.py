"""The Vietnamese administrative layout shared by every generated document (Decree 30/2020/NĐ-CP).

A4 portrait, Times New Roman 13pt, the national heading on the right and the issuing body on the
left, "Số: …/BC-…" and "Hải Phòng, ngày … tháng … năm …" left for the clerk to fill, "Kính gửi:",
and the "Nơi nhận:" block beside the signature. Every string that reaches a document or a
spreadsheet goes through :func:`clean_text` first: user text may carry characters XML refuses
(control characters such as ``\\x0b`` pasted from Word), which would otherwise abort generation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import IO, Any

from docx import Document as new_docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from flask_babel import gettext as _

from heza.directory.models import Organizer, OrganizerKind

FONT_NAME = "Times New Roman"
BODY_SIZE = Pt(13)
TABLE_SIZE = Pt(11)
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PLACEHOLDER = "…"
CITY = "Hải Phòng"

# XML 1.0 forbids C0 controls other than tab, newline and carriage return, lone surrogates and
# U+FFFE/U+FFFF; C1 controls are allowed but never meant in office text. Vertical tab and form
# feed are what Word writes for a manual line break and a page break, so they become newlines.
_LINE_BREAKS = re.compile(r"[\x0b\x0c\u2028\u2029]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
EXCEL_CELL_LIMIT = 32767


def clean_text(value: Any) -> str:
    """Any value as text a DOCX or XLSX file can hold: NFC-normalised, without XML-illegal characters."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = _LINE_BREAKS.sub("\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return unicodedata.normalize("NFC", _ILLEGAL.sub("", text))


def fmt_day(value: Any) -> str:
    """dd/mm/yyyy, or an empty string for no date."""
    from heza.i18n import format_day

    return format_day(value)


# Document set-up --------------------------------------------------------------------------------


def _set_run_font(run_or_style: Any, size: Pt | None = None) -> None:
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
        _set_run_font(style, BODY_SIZE if name == "Normal" else None)
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
    _set_run_font(run, size)
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


# Children of w:tblPr that must come after w:tblBorders (ECMA-376 order; Word rejects other orders).
_AFTER_TBL_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")


def _no_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    successor = next((tbl_pr.find(qn(tag)) for tag in _AFTER_TBL_BORDERS if tbl_pr.find(qn(tag)) is not None), None)
    if successor is not None:
        successor.addprevious(borders)
    else:
        tbl_pr.append(borders)


def _first_paragraph(cell: _Cell) -> Paragraph:
    """The cell's own empty paragraph, reused so cells do not start with a blank line."""
    return cell.paragraphs[0]


def _cell_lines(cell: _Cell, lines: Sequence[tuple[str, dict[str, Any]]], align: WD_ALIGN_PARAGRAPH) -> None:
    first = True
    for text, style in lines:
        para = _first_paragraph(cell) if first else cell.add_paragraph()
        first = False
        para.alignment = align
        para.paragraph_format.space_after = Pt(0)
        para.paragraph_format.first_line_indent = None
        add_run(para, text, **style)


# The heading block --------------------------------------------------------------------------------


def issuing_body_lines(organizer: Organizer | None) -> list[str]:
    """The issuing body as written top left: the superior body, then the issuer itself, upper-case."""
    if organizer is None:
        return [PLACEHOLDER]
    if organizer.kind == OrganizerKind.WARD:
        return [_("ỦY BAN NHÂN DÂN"), organizer.name.upper()]
    return [_("UBND THÀNH PHỐ HẢI PHÒNG"), organizer.name.upper()]


def document_code(organizer: Organizer | None) -> str:
    """The issuer's code in document numbers: BQL for the authority, UBND for a ward."""
    if organizer is not None and organizer.kind == OrganizerKind.WARD:
        return "UBND"
    return "BQL"


def document_number_text(kind_code: str, organizer: Organizer | None, document_number: str = "",
                         code: str | None = None) -> str:
    """"…/BC-BQL" with the number left blank, or the number already given to the document.

    ``code`` replaces the issuer's code (for example "VP" for a report of the Office).
    """
    if clean_text(document_number).strip():
        return clean_text(document_number).strip()
    return f"{PLACEHOLDER * 3}/{kind_code}-{code or document_code(organizer)}"


def number_line(kind_code: str, organizer: Organizer | None, document_number: str = "",
                code: str | None = None) -> str:
    """"Số: …/BC-BQL", or the number already given to the document."""
    return _("Số: %(number)s", number=document_number_text(kind_code, organizer, document_number, code))


def place_date_line() -> str:
    """"Hải Phòng, ngày … tháng … năm …", filled in by hand when the document is signed."""
    return _("%(city)s, ngày %(d)s tháng %(d)s năm %(d)s", city=CITY, d=PLACEHOLDER)


def national_heading(doc: Document, organizer: Organizer | None, kind_code: str = "BC",
                     document_number: str = "", subject: str = "", *, issuer: Sequence[str] | None = None,
                     code: str | None = None) -> Table:
    """The two-column heading: issuing body and number left, the national motto and date right.

    ``subject`` is the "V/v …" line some letters carry under the number; ``issuer`` replaces the
    issuing-body lines and ``code`` the issuer's code (a report of the Office, say).
    """
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    left, right = table.rows[0].cells
    set_widths(table, (7, 9.5))
    body = list(issuer) if issuer else issuing_body_lines(organizer)
    lines_left: list[tuple[str, dict[str, Any]]] = [(body[0], {"size": Pt(12)})]
    lines_left += [(line, {"bold": True, "size": Pt(12)}) for line in body[1:]]
    lines_left.append(("", {}))
    lines_left.append((number_line(kind_code, organizer, document_number, code), {"size": Pt(13)}))
    if subject:
        lines_left.append((subject, {"size": Pt(12)}))
    _cell_lines(left, lines_left, WD_ALIGN_PARAGRAPH.CENTER)
    _cell_lines(right, [
        (_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), {"bold": True, "size": Pt(12)}),
        (_("Độc lập - Tự do - Hạnh phúc"), {"bold": True, "size": Pt(13)}),
        ("", {}),
        (place_date_line(), {"italic": True, "size": Pt(13)}),
    ], WD_ALIGN_PARAGRAPH.CENTER)
    doc.add_paragraph()
    return table


def title_block(doc: Document, title: str, subtitle: str = "") -> None:
    """The document's name ("BÁO CÁO") and its summary line, centred and bold."""
    centered(doc, title, bold=True, size=Pt(14), space_after=Pt(0))
    if subtitle:
        centered(doc, subtitle, bold=True, space_after=Pt(12))


def split_recipients(recipients: str) -> list[str]:
    """"UBND thành phố; Sở Tài chính" as a list of addressees."""
    return [r.strip() for r in clean_text(recipients).replace("\n", ";").split(";") if r.strip()]


DEFAULT_ADDRESSEES = "UBND thành phố; Sở Tài chính"


def addressees(doc: Document, names: Iterable[str]) -> None:
    """"Kính gửi:" followed by the addressees, one per line when there are several."""
    names = [clean_text(n) for n in names if clean_text(n).strip()]
    if len(names) <= 1:
        para = centered(doc, "")
        add_run(para, _("Kính gửi: "))
        add_run(para, names[0] if names else PLACEHOLDER)
        return
    para = centered(doc, _("Kính gửi:"), space_after=Pt(0))
    para.paragraph_format.space_after = Pt(0)
    for i, name in enumerate(names):
        end = "." if i == len(names) - 1 else ";"
        line = paragraph(doc, f"- {name}{end}", align=WD_ALIGN_PARAGRAPH.LEFT, indent=False, space_after=Pt(0))
        line.paragraph_format.left_indent = Cm(5)
    doc.add_paragraph()


def signature_title(organizer: Organizer | None) -> list[str]:
    """Who signs: "KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN" at the authority, "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" in a ward."""
    if organizer is not None and organizer.kind == OrganizerKind.WARD:
        return [_("TM. ỦY BAN NHÂN DÂN"), _("CHỦ TỊCH")]
    return [_("KT. TRƯỞNG BAN"), _("PHÓ TRƯỞNG BAN")]


def recipients_block(doc: Document, organizer: Organizer | None, recipients: Iterable[str], *,
                     signer: Sequence[str] | None = None) -> Table:
    """The closing block: "Nơi nhận:" and its list on the left, the signature on the right.

    ``signer`` replaces the signing title (default :func:`signature_title`).
    """
    doc.add_paragraph()
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    _no_borders(table)
    left, right = table.rows[0].cells
    set_widths(table, (8, 8.5))
    lines: list[tuple[str, dict[str, Any]]] = [(_("Nơi nhận:"), {"bold": True, "italic": True, "size": Pt(12)})]
    lines += [(f"- {clean_text(r)}", {"size": Pt(11)}) for r in recipients]
    _cell_lines(left, lines, WD_ALIGN_PARAGRAPH.LEFT)
    sign = [(line, {"bold": True, "size": Pt(13)}) for line in (signer or signature_title(organizer))]
    sign += [("", {})] * 4
    sign.append((PLACEHOLDER * 6, {"bold": True}))
    _cell_lines(right, sign, WD_ALIGN_PARAGRAPH.CENTER)
    return table


# Tables ---------------------------------------------------------------------------------------------


def _shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def data_table(doc: Document, headers: Sequence[str], rows: Iterable[Sequence[Any]],
               widths: Sequence[float] | None = None, *, total: Sequence[Any] | None = None,
               numeric_from: int | None = None, spacer: bool = True, index_column: bool = True) -> Table:
    """A bordered table: bold shaded header repeated on every page, cleaned cells, an optional total row.

    ``widths`` are in centimetres; columns from ``numeric_from`` on are centred (counts), and so is
    the first column when it is a row number (``index_column``). The
    table is followed by an empty line, or with ``spacer=False`` (a table ending the document) by
    a 1-point paragraph, which Word needs after a table but must not push onto a page of its own.
    """
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    _repeat_header(header)
    for cell, text in zip(header.cells, headers, strict=True):
        _shade(cell, "E7E6E6")
        _cell_lines(cell, [(text, {"bold": True, "size": TABLE_SIZE})], WD_ALIGN_PARAGRAPH.CENTER)
    body_rows = [list(r) for r in rows]
    if total is not None:
        body_rows.append(list(total))
    for index, values in enumerate(body_rows):
        is_total = total is not None and index == len(body_rows) - 1
        cells = table.add_row().cells
        for col, (cell, value) in enumerate(zip(cells, values, strict=True)):
            centred = (numeric_from is not None and col >= numeric_from) or (col == 0 and index_column)
            align = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT
            _cell_lines(cell, [(clean_text(value), {"bold": is_total, "size": TABLE_SIZE})], align)
    if widths:
        set_widths(table, widths)
    if spacer:
        doc.add_paragraph()
    else:
        end = doc.add_paragraph()
        end.paragraph_format.space_before = end.paragraph_format.space_after = Pt(0)
        end.paragraph_format.line_spacing = Pt(1)
        add_run(end, " ", size=Pt(1))
    return table


def set_widths(table: Table, widths: Sequence[float]) -> None:
    """Column widths in centimetres, on the grid (read by LibreOffice) and on every cell (read by Word)."""
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def save(doc: Document, target: str | IO[bytes] | None = None) -> bytes | None:
    """Write the document to a path or stream; without a target, return its bytes."""
    if target is None:
        buffer = BytesIO()
        doc.save(buffer)
        return buffer.getvalue()
    doc.save(target)
    return None
