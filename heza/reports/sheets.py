"""Spreadsheet helpers (openpyxl): titled sheets with bordered tables, safe cells, dd/mm/yyyy dates.

Every text cell goes through :func:`heza.reports.text.clean_text` (openpyxl refuses control
characters), is cut to Excel's 32,767 characters, and is stored as text even when it starts with
"=": user text must never become a formula.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from heza.base import to_local
from heza.reports.docx_document import FONT_NAME
from heza.reports.text import EXCEL_CELL_LIMIT, clean_text

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
PERCENT_FORMAT = "0%"
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="E7E6E6")
_FONT = Font(name=FONT_NAME, size=12)
_BOLD = Font(name=FONT_NAME, size=12, bold=True)
_TITLE = Font(name=FONT_NAME, size=14, bold=True)


def new_workbook() -> Workbook:
    """An empty workbook (its default sheet removed; add sheets with :func:`add_sheet`)."""
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def add_sheet(wb: Workbook, title: str) -> Worksheet:
    """A sheet named ``title`` (cut to Excel's 31 characters, without the characters Excel forbids)."""
    name = clean_text(title)
    for ch in "[]:*?/\\":
        name = name.replace(ch, " ")
    ws = wb.create_sheet(name.strip()[:31] or "Sheet")
    # Printed on A4 landscape, one page wide, as many pages long as needed.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    return ws


def set_cell(ws: Worksheet, row: int, column: int, value: Any, *, bold: bool = False,
             number_format: str | None = None) -> Any:
    """Write one value safely: text cleaned and kept as text, dates as dates shown dd/mm/yyyy."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, datetime):
        cell.value = to_local(value).replace(tzinfo=None)
        cell.number_format = number_format or DATETIME_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = number_format or DATE_FORMAT
    elif isinstance(value, bool) or value is None:
        cell.value = value
    elif isinstance(value, (int, float)):
        cell.value = value
        if number_format:
            cell.number_format = number_format
    elif isinstance(value, Decimal):
        cell.value = float(value)
    else:
        cell.value = clean_text(value)[:EXCEL_CELL_LIMIT]
        cell.data_type = "s"  # never a formula, whatever the text starts with
    cell.font = _BOLD if bold else _FONT
    return cell


def title_rows(ws: Worksheet, lines: Sequence[str], width: int) -> int:
    """Title lines merged across ``width`` columns; returns the next free row."""
    for index, line in enumerate(lines, start=1):
        cell = set_cell(ws, index, 1, line, bold=index == 1)
        cell.font = _TITLE if index == 1 else _FONT
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if width > 1:
            ws.merge_cells(start_row=index, start_column=1, end_row=index, end_column=width)
    return len(lines) + 2


def table(ws: Worksheet, start_row: int, headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
          widths: Sequence[float] | None = None, total: Sequence[Any] | None = None,
          formats: dict[int, str] | None = None, wrap: Sequence[int] = (), repeat_header: bool = False) -> int:
    """A bordered table with a shaded header from ``start_row``; returns the next free row.

    ``formats`` maps 0-based columns to number formats; columns in ``wrap`` wrap their text;
    ``repeat_header`` prints the header row again on every page.
    """
    formats = formats or {}
    if repeat_header:
        ws.print_title_rows = f"{start_row}:{start_row}"
    for col, text in enumerate(headers, start=1):
        cell = set_cell(ws, start_row, col, text, bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    row_index = start_row
    body = [list(r) for r in rows]
    if total is not None:
        body.append(list(total))
    for n, values in enumerate(body):
        row_index += 1
        is_total = total is not None and n == len(body) - 1
        for col, value in enumerate(values):
            cell = set_cell(ws, row_index, col + 1, value, bold=is_total, number_format=formats.get(col))
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=col in wrap)
    if widths:
        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
        # Neither openpyxl nor every spreadsheet program sizes rows to wrapped text: estimate it.
        _fit_height(ws, start_row, headers, widths, range(len(headers)))
        for n, values in enumerate(body, start=1):
            _fit_height(ws, start_row + n, values, widths, wrap)
    return row_index + 2


_LINE_HEIGHT = 15.75  # points, for 12pt text


def _lines(value: Any, width: float) -> int:
    per_line = max(1, int(width * 1.1))  # characters of 12pt Times New Roman per unit of column width
    return sum(max(1, -(-len(part) // per_line)) for part in clean_text(value).split("\n"))


def _fit_height(ws: Worksheet, row: int, values: Sequence[Any], widths: Sequence[float], wrap: Iterable[int]
                ) -> None:
    lines = max((_lines(values[c], widths[c]) for c in wrap if c < len(values) and c < len(widths)
                 and isinstance(values[c], str)), default=1)
    if lines > 1:
        ws.row_dimensions[row].height = min(409, lines * _LINE_HEIGHT)


def save_workbook(wb: Workbook, target: str | IO[bytes] | None = None) -> bytes | None:
    """Write the workbook to a path or stream; without a target, return its bytes."""
    if target is None:
        buffer = BytesIO()
        wb.save(buffer)
        return buffer.getvalue()
    wb.save(target)
    return None
