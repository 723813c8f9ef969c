"""Text as every generated document and spreadsheet holds it: cleaned, dates dd/mm/yyyy.

Every string that reaches a document or a spreadsheet goes through :func:`clean_text` first: user
text may carry characters XML refuses (control characters such as ``\\x0b`` pasted from Word),
which would otherwise abort generation.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

PLACEHOLDER = "…"
EXCEL_CELL_LIMIT = 32767

# XML 1.0 forbids C0 controls other than tab, newline and carriage return, lone surrogates and
# U+FFFE/U+FFFF; C1 controls are allowed but never meant in office text. Vertical tab and form
# feed are what Word writes for a manual line break and a page break, so they become newlines.
_LINE_BREAKS = re.compile(r"[\x0b\x0c\u2028\u2029]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


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


def split_recipients(recipients: str) -> list[str]:
    """"UBND thành phố; Sở Tài chính" as a list of addressees."""
    return [r.strip() for r in clean_text(recipients).replace("\n", ";").split(";") if r.strip()]
