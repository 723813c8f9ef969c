"""Tables in generated documents: borderless layout tables (heading, signature) and bordered data tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell

from heza.reports.docx_document import TABLE_SIZE, add_run
from heza.reports.text import clean_text

# Children of w:tblPr that must come after w:tblBorders (ECMA-376 order; Word rejects other orders).
_AFTER_TBL_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")


def no_borders(table: Table) -> None:
    """Hide every border of ``table`` (a table used for layout only)."""
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


def cell_lines(cell: _Cell, lines: Sequence[tuple[str, dict[str, Any]]], align: WD_ALIGN_PARAGRAPH) -> None:
    """Fill a cell with one paragraph per ``(text, run style)``, starting in the cell's own empty paragraph."""
    first = True
    for text, style in lines:
        para = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        para.alignment = align
        para.paragraph_format.space_after = Pt(0)
        para.paragraph_format.first_line_indent = None
        add_run(para, text, **style)


def layout_table(doc: Document, widths: Sequence[float], *, centred: bool = False) -> Table:
    """A borderless one-row, two-column table, for blocks set side by side."""
    table = doc.add_table(rows=1, cols=2)
    if centred:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    no_borders(table)
    set_widths(table, widths)
    return table


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
        cell_lines(cell, [(text, {"bold": True, "size": TABLE_SIZE})], WD_ALIGN_PARAGRAPH.CENTER)
    body_rows = [list(r) for r in rows]
    if total is not None:
        body_rows.append(list(total))
    for index, values in enumerate(body_rows):
        is_total = total is not None and index == len(body_rows) - 1
        cells = table.add_row().cells
        for col, (cell, value) in enumerate(zip(cells, values, strict=True)):
            centred = (numeric_from is not None and col >= numeric_from) or (col == 0 and index_column)
            align = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT
            cell_lines(cell, [(clean_text(value), {"bold": is_total, "size": TABLE_SIZE})], align)
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
