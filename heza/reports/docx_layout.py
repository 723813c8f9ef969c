"""The Vietnamese administrative layout shared by every generated document (Decree 30/2020/NĐ-CP).

One import for the builders (``from heza.reports import docx_layout as L``); the parts live by concept:

- :mod:`heza.reports.text` — cleaning any value for DOCX/XLSX, dates dd/mm/yyyy, the "…" placeholder;
- :mod:`heza.reports.docx_document` — A4 page, Times New Roman 13pt, paragraphs, saving;
- :mod:`heza.reports.docx_tables` — layout tables and bordered data tables;
- :mod:`heza.reports.issuer` — the issuing organizer as its documents name it (header, number
  symbol, place, signer, leaders, the plan it cites), from its own record;
- :mod:`heza.reports.docx_blocks` — the heading, title, "Kính gửi:" and "Nơi nhận:"/signature blocks.
"""

from __future__ import annotations

from heza.reports.docx_blocks import (
    DEFAULT_ADDRESSEES,
    addressees,
    issuer_lines,
    national_heading,
    recipients_block,
    title_block,
)
from heza.reports.docx_document import (
    BODY_SIZE,
    DOCX_MIMETYPE,
    FONT_NAME,
    TABLE_SIZE,
    XLSX_MIMETYPE,
    add_run,
    centered,
    landscape_section,
    lead_in,
    new_document,
    page_break,
    paragraph,
    save,
    section_heading,
)
from heza.reports.docx_tables import cell_lines, data_table, layout_table, no_borders, set_widths
from heza.reports.issuer import (
    conference_basis,
    document_number_text,
    document_symbol,
    header_lines,
    leaders,
    number_line,
    organizer_name,
    owner_lines,
    place_date_line,
    plan_citation,
    signature_title,
    signer_name,
)
from heza.reports.text import EXCEL_CELL_LIMIT, PLACEHOLDER, clean_text, fmt_day, split_recipients

# Older names of the same things.
issuing_body_lines = header_lines
document_code = document_symbol

__all__ = [
    "BODY_SIZE", "DEFAULT_ADDRESSEES", "DOCX_MIMETYPE", "EXCEL_CELL_LIMIT", "FONT_NAME", "PLACEHOLDER", "TABLE_SIZE",
    "XLSX_MIMETYPE", "add_run", "addressees", "cell_lines", "centered", "clean_text", "conference_basis",
    "data_table", "document_code", "document_number_text", "document_symbol", "fmt_day", "header_lines",
    "issuer_lines", "issuing_body_lines", "landscape_section", "layout_table", "lead_in", "leaders",
    "national_heading", "new_document", "no_borders", "number_line", "organizer_name", "owner_lines",
    "page_break", "paragraph", "place_date_line", "plan_citation", "recipients_block", "save", "section_heading",
    "set_widths", "signature_title", "signer_name", "split_recipients", "title_block",
]
