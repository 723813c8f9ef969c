"""Importing enterprises from a spreadsheet: preview, all-or-nothing confirmation, round trip with the export."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile

import openpyxl
import pytest
import sqlalchemy as sa

from heza.accounts.models import AuditEvent, Role
from heza.directory.models import Enterprise, Organizer, OrganizerKind
from heza.extensions import db
from heza.imports.models import ImportUpload
from heza.imports.reading import MAX_BYTES, ImportRefused, read_table
from tests import factories as f

HEADER_VI = "Tên doanh nghiệp,Mã số thuế,Khu công nghiệp, khu kinh tế,Email nhận thư mời, trả lời\n"


def _upload(client, csrf, data: bytes, filename: str = "dn.csv"):
    return client.post("/admin/import/preview", data={
        "csrf_token": csrf("/admin/import/"), "kind": "enterprises",
        "file": (io.BytesIO(data), filename)}, content_type="multipart/form-data")


def _confirm(client, csrf, page: str):
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    return client.post("/admin/import/confirm", data={"csrf_token": csrf("/admin/import/"), "token": token})


def _count(page: str, action: str) -> int:
    return int(re.search(rf'data-count="{action}">[^<:]*: (\d+)<', page).group(1))


def _enterprise_events() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.model == "Enterprise"))


TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes it: the tone marks as combining characters after the letter."""
    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out.append((base + "".join(c for c in parts if c in TONES)).encode("cp1258"))
    return b"".join(out)


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def test_export_then_import_changes_nothing_and_a_bad_tax_code_writes_nothing(client, login_as, csrf, world):
    f.enterprise(world.zone, name='=HYPERLINK("http://evil.example","Nhấn")', contact_name="Trần Thị Bình",
                 cc_emails="a@x.vn, b@x.vn", phone="+84 225 3836 123")
    ward = f.ward(name="Phường Phù Liễn", short_name="Phù Liễn")
    f.enterprise(None, ward=ward, active=False, address="Số 1, Lạch Tray")
    db.session.commit()
    login_as(Role.OFFICER)
    exported = client.get("/admin/enterprise/export/csv/").get_data()
    before = _enterprise_events()

    page = _upload(client, csrf, exported).get_data(as_text=True)
    assert _count(page, "unchanged") == 3
    assert _count(page, "create") == _count(page, "update") == _count(page, "error") == 0
    assert _confirm(client, csrf, page).status_code == 302
    assert _enterprise_events() == before  # nothing changed, nothing audited
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)) == 3

    # The xlsx export round-trips too.
    book = client.get("/admin/enterprise/export/xlsx/").get_data()
    page = _upload(client, csrf, book, "dn.xlsx").get_data(as_text=True)
    assert _count(page, "unchanged") == 3 and _count(page, "error") == 0

    # One tax code made invalid, another row changed: the preview says why, and nothing is written.
    waiting = db.session.scalar(sa.select(sa.func.count()).select_from(ImportUpload))
    text = exported.decode("utf-8-sig")
    broken = text.replace(world.enterprise.tax_code, "02012AB", 1).replace("Số 1, Lạch Tray", "Số 2, Lạch Tray")
    response = _upload(client, csrf, broken.encode("utf-8"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert _count(page, "error") == 1 and _count(page, "update") == 1
    assert "Mã số thuế phải gồm 10 chữ số" in page
    assert 'id="import-confirm"' not in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportUpload)) == waiting  # none kept
    db.session.expire_all()
    assert db.session.scalar(sa.select(Enterprise.address).where(Enterprise.ward_id == ward.id)) == "Số 1, Lạch Tray"


def test_vietnamese_headings_create_and_update_by_tax_code_with_an_audit_trail(client, login_as, csrf, world):
    officer = login_as(Role.OFFICER)
    data = ("MST;Tên DN;Khu;Email;Người liên hệ\n"
            f"{world.enterprise.tax_code};Công ty TNHH Thép Đình Vũ (mới);{world.zone.code};"
            f"{world.enterprise.email};Lê Văn Cường\n"
            f"0209999999;Công ty CP Cảng Hải Phòng;{world.zone.name};cang@hp.vn;\n")
    data = cp1258(data)
    page = _upload(client, csrf, data, "dn.csv").get_data(as_text=True)
    assert _count(page, "create") == 1 and _count(page, "update") == 1
    response = _confirm(client, csrf, page)
    assert response.status_code == 302
    db.session.expire_all()
    rows = db.session.scalars(sa.select(Enterprise).order_by(Enterprise.tax_code)).all()
    assert len(rows) == 2
    assert {r.name for r in rows} == {"Công ty TNHH Thép Đình Vũ (mới)", "Công ty CP Cảng Hải Phòng"}
    assert db.session.get(Enterprise, world.enterprise.id).contact_name == "Lê Văn Cường"
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.model == "Enterprise",
                                                            AuditEvent.user_id == officer.id)).all()
    assert sorted(e.action for e in events) == ["create", "update"]
    update = next(e for e in events if e.action == "update")
    assert update.changes["contact_name"] == ["", "Lê Văn Cường"]
    # The upload is gone once confirmed; a second confirmation finds nothing.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportUpload)) == 0


def test_row_errors_are_shown_beside_their_cells(client, login_as, csrf, world):
    login_as(Role.ADMIN)
    data = (HEADER_VI.replace(",Khu công nghiệp, khu kinh tế,", ',"Khu công nghiệp, khu kinh tế",').replace(
        ",Email nhận thư mời, trả lời", ',"Email nhận thư mời, trả lời"') +
        f'A,0201111111,{world.zone.name},a@x.vn\n'
        f'B,0201111111,{world.zone.name},b@x.vn\n'
        'C,0202222222,KCN Không Có,c@x.vn\n'
        f'D,0203333333,{world.zone.name},\n'
        f'E,0204444444,{world.zone.name},khong-phai-email\n').encode("utf-8-sig")
    response = _upload(client, csrf, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Trùng mã số thuế với dòng 2" in page
    assert "Không có khu" in page and "KCN Không Có" in page
    assert "Thiếu email nhận thư mời" in page
    assert "Địa chỉ email không hợp lệ" in page
    assert _count(page, "error") == 4 and _count(page, "create") == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)) == 1


def test_hostile_uploads_are_refused_clearly(client, login_as, csrf, world):
    login_as(Role.OFFICER)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<x/>")
        archive.writestr("xl/worksheets/big.xml", b"\0" * (210 * 1024 * 1024))
    cases = {
        ("virus.exe", b"MZ\x90\x00binary"): "Chỉ nhận tệp .csv hoặc .xlsx",
        ("cu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100): "Tệp Excel cũ (.xls)",
        ("hong.xlsx", b"PK\x03\x04 not really a zip"): "Tệp .xlsx bị hỏng",
        ("bom.xlsx", bomb.getvalue()): "giải nén ra quá lớn",
        ("utf16.csv", "Mã số thuế\n0201111111\n".encode("utf-16")): "CSV UTF-8",
        ("rong.csv", b""): "Tệp rỗng",
        ("thieu.csv", "Tên doanh nghiệp\nA\n".encode()): "Thiếu cột bắt buộc",
    }
    for (name, data), message in cases.items():
        response = _upload(client, csrf, data, name)
        assert response.status_code in (400, 422), name
        assert message in response.get_data(as_text=True), name
    # Broken bytes that are neither UTF-8 nor cp1258 still read as cp1252 or are refused; never a 500.
    response = _upload(client, csrf, b"M\xe3 s\xf4 thu\xea\n\x81\x8d\x8f\x90\x9d\n")
    assert response.status_code in (400, 422)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)) == 1


def test_a_file_over_the_limit_is_refused_before_reading(app):
    with app.test_request_context():
        line = b"0201234567,Cong ty TNHH thu nghiem so mot tram nghin dong\n"
        big = b"Ma so thue,Ten\n" + line * (MAX_BYTES // len(line) + 1)
        with pytest.raises(ImportRefused, match="Tệp quá lớn"):
            read_table(big, "lon.csv")
        assert len(read_table(big, "lon.csv", max_bytes=None).rows) == MAX_BYTES // len(line) + 1  # CLI: no limit
        with pytest.raises(ImportRefused, match="Tệp CSV bị hỏng"):
            read_table(b"a" * 200_000, "mot-o-qua-dai.csv")


def test_formula_cells_in_xlsx_stay_text(client, login_as, csrf, world):
    login_as(Role.OFFICER)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mã số thuế", "Tên doanh nghiệp", "Khu", "Email"])
    sheet.append(["0205555555", '=HYPERLINK("http://evil.example","Nhấn")', world.zone.name, "x@y.vn"])
    sheet.append([201234567, "Số mất số 0", world.zone.name, "z@y.vn"])  # a number cell: 9 digits, refused
    out = io.BytesIO()
    book.save(out)
    page = _upload(client, csrf, out.getvalue(), "dn.xlsx").get_data(as_text=True)
    assert _count(page, "error") == 1 and "201234567" in page
    sheet.delete_rows(3)
    out = io.BytesIO()
    book.save(out)
    page = _upload(client, csrf, out.getvalue(), "dn.xlsx").get_data(as_text=True)
    assert _confirm(client, csrf, page).status_code == 302
    assert db.session.scalar(sa.select(Enterprise.name).where(Enterprise.tax_code == "0205555555")) == \
        '=HYPERLINK("http://evil.example","Nhấn")'


def test_viewers_and_units_cannot_import_and_uploads_are_personal(client, login_as, csrf, world):
    login_as(Role.OFFICER)
    page = _upload(client, csrf, _csv([["Mã số thuế", "Tên doanh nghiệp", "Khu", "Email"],
                                       ["0206666666", "X", world.zone.code, "x@y.vn"]])).get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    login_as(Role.ADMIN)  # someone else: the token is not theirs
    response = client.post("/admin/import/confirm", data={"csrf_token": csrf("/admin/import/"), "token": token})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)) == 1
    login_as(Role.VIEWER)
    assert client.get("/admin/import/").status_code == 403


def test_cli_import_with_dry_run(runner, world, tmp_path):
    path = tmp_path / "dn.csv"
    path.write_bytes(_csv([["Mã số thuế", "Tên doanh nghiệp", "Phường, xã", "Email"],
                           ["0207777777", "Hộ kinh doanh A", "Phù Liễn", "a@b.vn"]]))
    result = runner.invoke(args=["heza", "import", "enterprises", str(path), "--dry-run"])
    assert result.exit_code == 1 and "Không có phường, xã" in result.output
    db.session.add(Organizer(name="Phường Phù Liễn", short_name="Phù Liễn", kind=OrganizerKind.WARD))
    db.session.commit()
    result = runner.invoke(args=["heza", "import", "enterprises", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "thêm mới 1" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)) == 1
    result = runner.invoke(args=["heza", "import", "enterprises", str(path)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)) == 2


def test_a_western_cp1252_file_is_not_read_as_vietnamese(app):
    """cp1258 decodes nearly any byte, so a Portuguese or Icelandic name in cp1252 (ã, õ, ð) came out as ă, ơ, đ."""
    from heza.imports.reading import decode

    western = "Tax code,Name\n0201234567,São João Comércio Ltda\n".encode("cp1252")
    assert decode(western) == ("Tax code,Name\n0201234567,São João Comércio Ltda\n", "cp1252")
    vietnamese = cp1258("Mã số thuế,Tên\n0201234567,Công ty Hải Phòng\n")
    text, encoding = decode(vietnamese)
    assert encoding == "cp1258" and unicodedata.normalize("NFC", text).endswith("Công ty Hải Phòng\n")
