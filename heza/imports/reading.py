"""An uploaded spreadsheet as rows of text: CSV (UTF-8 with or without BOM, else cp1258 / cp1252) or XLSX.

Every refusal is an :class:`ImportRefused` with a Vietnamese sentence; nothing here raises anything
else for a hostile file (wrong type, a zip bomb, broken encodings, too many rows or columns).
Cells stay text: a formula cell (``=HYPERLINK(...)``) is read as its formula text, never evaluated.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from flask_babel import gettext as _

MAX_BYTES = 10 * 1024 * 1024  # the upload itself
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # what an XLSX may unpack to (a zip bomb is refused before reading)
MAX_ROWS = 200_000
MAX_COLUMNS = 60
MAX_CELL = 2000


class ImportRefused(ValueError):
    """A file that cannot be read at all; ``str()`` is the Vietnamese reason to show."""


@dataclass
class Table:
    """The header row and the data rows, each with its line number in the file (1 = the header)."""

    headers: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    encoding: str = ""


def read_table(data: bytes, filename: str, *, max_bytes: int | None = MAX_BYTES) -> Table:
    """The table in ``data``; the kind is told by the content (a ZIP is XLSX), the name only helps."""
    if not data:
        raise ImportRefused(_("Tệp rỗng, không có dữ liệu."))
    if max_bytes is not None and len(data) > max_bytes:
        raise ImportRefused(_("Tệp quá lớn: tối đa %(mb)d MB.", mb=max_bytes // (1024 * 1024)))
    name = (filename or "").lower()
    if data[:4] == b"PK\x03\x04":
        table = _read_xlsx(data)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or name.endswith(".xls"):
        raise ImportRefused(_("Tệp Excel cũ (.xls) chưa được hỗ trợ: hãy lưu lại thành .xlsx hoặc .csv."))
    elif name.endswith((".xlsx", ".xlsm")):
        raise ImportRefused(_("Tệp .xlsx bị hỏng hoặc không phải tệp Excel."))
    elif name and not name.endswith((".csv", ".txt")):
        raise ImportRefused(_("Chỉ nhận tệp .csv hoặc .xlsx."))
    else:
        table = _read_csv(data)
    if not table.headers or not any(h.strip() for h in table.headers):
        raise ImportRefused(_("Tệp không có dòng tiêu đề."))
    if len(table.headers) > MAX_COLUMNS:
        raise ImportRefused(_("Tệp có quá nhiều cột (tối đa %(n)d).", n=MAX_COLUMNS))
    if len(table.rows) > MAX_ROWS:
        raise ImportRefused(_("Tệp có quá nhiều dòng (tối đa %(n)d).", n=MAX_ROWS))
    return table


# --------------------------------------------------------------------------- CSV


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in: UTF-8 (BOM or not), else Windows-1258, else Windows-1252."""
    if b"\x00" in data[:4096]:
        # UTF-16 (Excel's "Unicode text") or a binary file.
        raise ImportRefused(_("Không đọc được tệp: hãy lưu từ Excel dưới dạng CSV UTF-8 (.csv) hoặc .xlsx."))
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        pass
    vietnamese, western = _try_decode(data, "cp1258"), _try_decode(data, "cp1252")
    # Both code pages read almost any byte. Vietnamese text in cp1258 carries its tones as combining
    # marks after a letter; a Western file has none there (its ã, õ, ð would read as ă, ơ, đ).
    if vietnamese is not None and (western is None or _TONE_AFTER_LETTER.search(vietnamese)):
        return vietnamese, "cp1258"
    if western is not None:
        return western, "cp1252"
    raise ImportRefused(_("Không đọc được bảng mã của tệp: hãy lưu từ Excel dưới dạng CSV UTF-8."))


_TONE_AFTER_LETTER = re.compile("[A-Za-z\u00c0-\u01b0][\u0300\u0301\u0303\u0309\u0323]")


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _read_csv(data: bytes) -> Table:
    text, encoding = decode(data)
    if encoding != "utf-8-sig":
        import unicodedata

        text = unicodedata.normalize("NFC", text)  # cp1258 spells tones as combining marks
    sample = text[:8192]
    first_line = sample.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table = Table(headers=[], encoding=encoding)
    try:
        for index, row in enumerate(reader):
            if index == 0:
                table.headers = [c.strip() for c in row]
                continue
            if len(table.rows) > MAX_ROWS:
                break
            if any(c.strip() for c in row):
                table.rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise ImportRefused(_("Tệp CSV bị hỏng ở dòng %(n)d.", n=reader.line_num)) from exc
    return table


# --------------------------------------------------------------------------- XLSX


def _read_xlsx(data: bytes) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES or len(infos) > 10_000:
                raise ImportRefused(_("Tệp .xlsx giải nén ra quá lớn nên bị từ chối."))
            if "xl/workbook.xml" not in {i.filename for i in infos}:
                raise ImportRefused(_("Tệp .xlsx bị hỏng hoặc không phải tệp Excel."))
    except zipfile.BadZipFile as exc:
        raise ImportRefused(_("Tệp .xlsx bị hỏng hoặc không phải tệp Excel.")) from exc
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except ImportRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise ImportRefused(_("Tệp .xlsx bị hỏng hoặc không phải tệp Excel.")) from exc
    try:
        sheet = book.worksheets[0]
        table = Table(headers=[], encoding="xlsx")
        for index, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values[:MAX_COLUMNS + 1]]
            if index == 1:
                table.headers = [c.strip() for c in cells]
                continue
            if len(table.rows) > MAX_ROWS:
                break
            if any(c.strip() for c in cells):
                table.rows.append((index, cells))
    except Exception as exc:  # noqa: BLE001
        raise ImportRefused(_("Tệp .xlsx bị hỏng hoặc không phải tệp Excel.")) from exc
    finally:
        book.close()
    return table


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")  # type: ignore[union-attr]
    return str(value)
