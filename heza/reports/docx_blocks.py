"""The fixed blocks of an administrative document (Decree 30/2020/NĐ-CP), in the issuing organizer's name.

The two-column heading (issuing body and number left; national motto and "<place>, ngày …"
right), the title, "Kính gửi:", and the closing "Nơi nhận:" list beside the signature. What the
blocks say about the organizer comes from :mod:`heza.reports.issuer`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.table import Table
from flask_babel import gettext as _

from heza.directory.models import Organizer
from heza.reports.docx_document import add_run, centered, paragraph
from heza.reports.docx_tables import cell_lines, layout_table
from heza.reports.issuer import header_lines, number_line, place_date_line, signature_title, signer_name
from heza.reports.text import PLACEHOLDER, clean_text

# Every organizer's conference reports go to the City People's Committee and the Department of Finance.
DEFAULT_ADDRESSEES = "UBND thành phố; Sở Tài chính"

Lines = list[tuple[str, dict[str, Any]]]


def issuer_lines(body: Sequence[str]) -> Lines:
    """The issuing-body lines styled as Decree 30 writes them: the superior body plain, the issuer bold."""
    if len(body) == 1:
        return [(body[0], {"bold": True, "size": Pt(12)})]
    return [(body[0], {"size": Pt(12)})] + [(line, {"bold": True, "size": Pt(12)}) for line in body[1:]]


def national_heading(doc: Document, organizer: Organizer | None, kind_code: str = "BC",
                     document_number: str = "", subject: str = "", *, issuer: Sequence[str] | None = None,
                     code: str | None = None) -> Table:
    """The two-column heading: issuing body and number left, the national motto and date right.

    ``subject`` is the "V/v …" line some letters carry under the number; ``issuer`` replaces the
    issuing-body lines and ``code`` the organizer's symbol (a report of the Office, say).
    """
    table = layout_table(doc, (7, 9.5), centred=True)
    left, right = table.rows[0].cells
    lines_left = issuer_lines(list(issuer) if issuer else header_lines(organizer))
    lines_left.append(("", {}))
    lines_left.append((number_line(kind_code, organizer, document_number, code), {"size": Pt(13)}))
    if subject:
        lines_left.append((subject, {"size": Pt(12)}))
    cell_lines(left, lines_left, WD_ALIGN_PARAGRAPH.CENTER)
    cell_lines(right, [
        (_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), {"bold": True, "size": Pt(12)}),
        (_("Độc lập - Tự do - Hạnh phúc"), {"bold": True, "size": Pt(13)}),
        ("", {}),
        (place_date_line(organizer), {"italic": True, "size": Pt(13)}),
    ], WD_ALIGN_PARAGRAPH.CENTER)
    doc.add_paragraph()
    return table


def title_block(doc: Document, title: str, subtitle: str = "") -> None:
    """The document's name ("BÁO CÁO") and its summary line, centred and bold."""
    centered(doc, title, bold=True, size=Pt(14), space_after=Pt(0))
    if subtitle:
        centered(doc, subtitle, bold=True, space_after=Pt(12))


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


def recipients_block(doc: Document, organizer: Organizer | None, recipients: Iterable[str], *,
                     signer: Sequence[str] | None = None, name: str | None = None) -> Table:
    """The closing block: "Nơi nhận:" and its list on the left, the signature on the right.

    The signature is the organizer's signer (:func:`heza.reports.issuer.signature_title` and
    :func:`~heza.reports.issuer.signer_name`); ``signer`` replaces the title lines and ``name``
    the name (a report the Office signs, say), a blank line to fill when ``name`` is empty.
    """
    doc.add_paragraph()
    table = layout_table(doc, (8, 8.5))
    left, right = table.rows[0].cells
    lines: Lines = [(_("Nơi nhận:"), {"bold": True, "italic": True, "size": Pt(12)})]
    lines += [(f"- {clean_text(r)}", {"size": Pt(11)}) for r in recipients]
    cell_lines(left, lines, WD_ALIGN_PARAGRAPH.LEFT)
    titles = list(signer) if signer else signature_title(organizer)
    signed_by = signer_name(organizer) if signer is None else (clean_text(name).strip() or PLACEHOLDER * 6)
    sign: Lines = [(line, {"bold": True, "size": Pt(13)}) for line in titles]
    sign += [("", {})] * 4
    sign.append((signed_by, {"bold": True}))
    cell_lines(right, sign, WD_ALIGN_PARAGRAPH.CENTER)
    return table
