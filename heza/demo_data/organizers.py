"""The demo's organizers: who each is, the plans it acts under, and its units.

HEZA and Phù Liễn are real and carry what their own documents say (seeds 000–004): names, headers,
addresses, signers, plans and the rules each plan sets. Phường Hải Triều is an invented ward, and
the Sở Công Thương's plan is invented (the department is real, plan 121/KH-UBND asks it to hold
dialogue conferences): every invented number, address or signer says so ("số mẫu", "địa chỉ mẫu",
"dữ liệu mẫu"). Every email address is invented, on ``demo.heza.vn``.

A ward's document header has no parent body (Decree 30/2020/NĐ-CP: a People's Committee writes
only its own name, "ỦY BAN NHÂN DÂN PHƯỜNG PHÙ LIỄN" as in seed 004); HEZA and a department
write "UBND THÀNH PHỐ HẢI PHÒNG" over their own name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from heza.demo_data.dates import plan_issued_day
from heza.directory.models import Organizer, OrganizerKind, Unit, UnitKind
from heza.plans.models import Plan

if TYPE_CHECKING:
    from heza.demo_data.context import Demo

DEMO_DOMAIN = "demo.heza.vn"
DEMO_NOTE = "dữ liệu mẫu"  # added to every invented name, number or address an organizer prints


@dataclass(frozen=True)
class PlanRow:
    """A plan or other basis document. ``year`` None: an invented plan of the load year ("{year}" in the title)."""

    title: str
    rules: str
    year: int | None = None
    number: str = ""
    issued_on: date | None = None


@dataclass(frozen=True)
class OrganizerRow:
    key: str  # the slug, and the key the other tables use
    kind: str  # an OrganizerKind value
    identity: dict[str, str]
    plans: tuple[PlanRow, ...]
    lead_unit: str
    office_unit: str
    mail_domain: str  # where its staff's demo addresses live
    settings: dict[str, int] = field(default_factory=dict)


_CITY = "UBND THÀNH PHỐ HẢI PHÒNG"

HEZA = OrganizerRow(
    "heza", "authority",
    {
        "name": "Ban Quản lý Khu kinh tế Hải Phòng", "short_name": "HEZA",
        "parent_body": _CITY, "header_name": "BAN QUẢN LÝ KHU KINH TẾ",
        "place_name": "Hải Phòng", "document_symbol": "BQL",
        "address": "Số 24 Cù Chính Lan, Hồng Bàng, Hải Phòng",  # seed 000
        "phone": "(0225) 3569170", "email": f"banquanly@{DEMO_DOMAIN}",
        "signer_authority": "KT. TRƯỞNG BAN", "signer_title": "PHÓ TRƯỞNG BAN", "signer_name": "Bùi Ngọc Hải",
    },
    (
        PlanRow("Kế hoạch tổ chức Hội nghị đối thoại doanh nghiệp của Ban Quản lý Khu kinh tế Hải Phòng năm 2025",
                "R1,R2,R3,R5,R6,R7", 2025),  # seed 001 (its number is not in the copy)
        PlanRow("Công văn phối hợp xuất bản Bản tin quý (Bản tin số 01.2023)", "R10", 2023,
                "971/BQL-TTXTĐT", date(2023, 3, 10)),  # seed 003
        PlanRow("Thông báo số điện thoại đường dây nóng và trang Facebook tiếp nhận thông tin phản ánh, kiến nghị, "
                "khiếu nại, tố cáo (tháng 5/2026)", "R11", 2026),  # seed 002
        PlanRow("Công văn triển khai thực hiện Quy chế đối thoại giữa người đứng đầu cấp ủy, chính quyền các cấp "
                "với Nhân dân (tháng 12/2023)", "R12", 2023),  # seed 000
    ),
    lead_unit="dn", office_unit="vp", mail_domain=DEMO_DOMAIN,
)

PHU_LIEN = OrganizerRow(
    "phu-lien", "ward",
    {
        "name": "Phường Phù Liễn", "short_name": "Phù Liễn",
        "parent_body": "", "header_name": "ỦY BAN NHÂN DÂN PHƯỜNG PHÙ LIỄN",
        "place_name": "Phù Liễn", "document_symbol": "UBND",
        "address": "Số 9/157 đường Nguyễn Lương Bằng, Tổ dân phố Lý Thường Kiệt 2, phường Phù Liễn, "
                   "thành phố Hải Phòng",
        "email": f"ubnd@phulien.{DEMO_DOMAIN}",
        "signer_authority": "TM. ỦY BAN NHÂN DÂN", "signer_title": "CHỦ TỊCH", "signer_name": "Phạm Văn Diện",
    },
    (
        # Seed 004 ("Số: /KH-UBND": not numbered yet): R4 (tasks 3 days before), R8 (twice a year), R9 (monthly posts).
        PlanRow("Kế hoạch tổ chức Hội nghị đối thoại với doanh nghiệp, hợp tác xã, hộ kinh doanh phường Phù Liễn "
                "năm 2026", "R4,R8,R9", 2026),
    ),
    lead_unit="ktht", office_unit="vphd", mail_domain=f"phulien.{DEMO_DOMAIN}",
    # Seed 004 sets no quorum for ward conferences (15/5 is HEZA's, seed 001): the demo ward keeps a
    # smaller one of its own, which also shows that settings are per organizer.
    settings={"quorum_enterprises": 10, "quorum_recommendations": 3},
)

HAI_TRIEU = OrganizerRow(
    "hai-trieu", "ward",
    {
        "name": "Phường Hải Triều", "short_name": "Hải Triều",
        "parent_body": "", "header_name": "ỦY BAN NHÂN DÂN PHƯỜNG HẢI TRIỀU",
        "place_name": "Hải Triều", "document_symbol": "UBND",
        "address": f"Số 1 đường Hải Triều, phường Hải Triều, thành phố Hải Phòng (địa chỉ mẫu, {DEMO_NOTE})",
        "phone": "0120 555 0300", "email": f"ubnd@haitrieu.{DEMO_DOMAIN}",
        "signer_authority": "TM. ỦY BAN NHÂN DÂN", "signer_title": "CHỦ TỊCH",
        "signer_name": f"Đỗ Văn Thịnh ({DEMO_NOTE})",
    },
    (
        PlanRow("Kế hoạch tổ chức Hội nghị đối thoại với doanh nghiệp, hợp tác xã, hộ kinh doanh phường Hải Triều "
                "năm {year}", "R4,R8,R9", number="12/KH-UBND (số mẫu)"),
    ),
    lead_unit="ht.ktht", office_unit="ht.vphd", mail_domain=f"haitrieu.{DEMO_DOMAIN}",
    settings={"quorum_enterprises": 6, "quorum_recommendations": 3},
)

SO_CONG_THUONG = OrganizerRow(
    "so-cong-thuong", "department",
    {
        "name": "Sở Công Thương thành phố Hải Phòng", "short_name": "Sở Công Thương",
        "parent_body": _CITY, "header_name": "SỞ CÔNG THƯƠNG",
        "place_name": "Hải Phòng", "document_symbol": "SCT",
        "address": f"Trụ sở Sở Công Thương, phường Hồng Bàng, thành phố Hải Phòng (địa chỉ mẫu, {DEMO_NOTE})",
        "phone": "0120 555 0400", "email": f"vanphong@socongthuong.{DEMO_DOMAIN}",
        "signer_authority": "KT. GIÁM ĐỐC", "signer_title": "PHÓ GIÁM ĐỐC",
        "signer_name": f"Trần Quốc Hưng ({DEMO_NOTE})",
    },
    (
        # Plan 121/KH-UBND asks every city department to hold a dialogue conference each year (seed 001 cites it).
        PlanRow("Kế hoạch tổ chức Hội nghị đối thoại doanh nghiệp năm {year} (thực hiện Kế hoạch số 121/KH-UBND "
                "ngày 19/5/2025 của UBND thành phố)", "R1,R2,R3,R5,R6,R7", number="35/KH-SCT (số mẫu)"),
    ),
    lead_unit="sct.kh", office_unit="sct.vp", mail_domain=f"socongthuong.{DEMO_DOMAIN}",
)

ORGANIZERS: tuple[OrganizerRow, ...] = (HEZA, PHU_LIEN, HAI_TRIEU, SO_CONG_THUONG)


@dataclass(frozen=True)
class UnitRow:
    key: str
    name: str
    short_name: str
    kind: str  # a UnitKind value
    organizer: str | None  # an organizer key; None for city agencies and media every organizer invites
    email: str
    supervisor: str | None = None


_H = DEMO_DOMAIN
_W = f"phulien.{DEMO_DOMAIN}"
_T = f"haitrieu.{DEMO_DOMAIN}"
_S = f"socongthuong.{DEMO_DOMAIN}"
_C = f"thanhpho.{DEMO_DOMAIN}"
_M = f"baochi.{DEMO_DOMAIN}"

UNITS: tuple[UnitRow, ...] = (
    # HEZA (seeds 001, 003): DN&GSĐT collects recommendations, the answering departments are
    # copied to it; the Office (Văn phòng) supervises the rest.
    UnitRow("vp", "Văn phòng", "VP", "department", "heza", f"vanphong@{_H}"),
    UnitRow("dn", "Phòng Doanh nghiệp và Giám sát đầu tư", "DN&GSĐT", "department", "heza",
            f"doanhnghiep@{_H}, giamsat@{_H}", "vp"),
    UnitRow("qldt", "Phòng Quản lý Đầu tư", "QLĐT", "department", "heza", f"quanlydautu@{_H}", "dn"),
    UnitRow("qhxd", "Phòng Quản lý Quy hoạch và Xây dựng", "QLQH&XD", "department", "heza",
            f"quyhoach@{_H}", "dn"),
    UnitRow("tnmt", "Phòng Tài nguyên và Môi trường", "TN&MT", "department", "heza", f"moitruong@{_H}", "dn"),
    UnitRow("qlld", "Phòng Quản lý Lao động", "QLLĐ", "department", "heza", f"laodong@{_H}", "dn"),
    UnitRow("khth", "Phòng Kế hoạch - Tổng hợp", "KH-TH", "department", "heza", f"kehoach@{_H}", "vp"),
    UnitRow("vpdd", "Văn phòng đại diện tại các KCN", "VPĐD", "department", "heza", f"daidien@{_H}", "dn"),
    UnitRow("ttxt", "Trung tâm Xúc tiến đầu tư và Dịch vụ việc làm", "TT XTĐT", "department", "heza",
            f"xuctien@{_H}", "vp"),
    UnitRow("dangUy", "Đảng ủy Khu kinh tế", "Đảng ủy KKT", "organisation", "heza", f"danguy@{_H}", "vp"),
    UnitRow("cdKkt", "Công đoàn Khu kinh tế", "CĐ KKT", "organisation", "heza", f"congdoan@{_H}", "vp"),
    UnitRow("dtnKkt", "Đoàn Thanh niên Khu kinh tế", "ĐTN KKT", "organisation", "heza", f"doanthanhnien@{_H}", "vp"),
    UnitRow("ccb", "Hội Cựu chiến binh Khu kinh tế", "Hội CCB KKT", "organisation", "heza",
            f"cuuchienbinh@{_H}", "vp"),
    UnitRow("dtnCq", "Đoàn Thanh niên Cơ quan Ban Quản lý", "ĐTN CQ", "organisation", "heza",
            f"doanthanhnien.cq@{_H}", "vp"),
    UnitRow("cdCq", "Công đoàn Cơ quan Ban Quản lý", "CĐ CQ", "organisation", "heza", f"congdoan.cq@{_H}", "vp"),
    UnitRow("deepc", "Khu công nghiệp Đình Vũ-Deep C", "Deep C", "organisation", "heza",
            f"deepc.truyenthong@{_H}", "ttxt"),
    UnitRow("ldb", "Lãnh đạo Ban Quản lý", "Lãnh đạo Ban", "leader", "heza", f"lanhdao@{_H}"),
    # Phù Liễn ward (seed 004): the economic department leads and supervises.
    UnitRow("ktht", "Phòng Kinh tế, Hạ tầng và Đô thị", "KTHT&ĐT", "ward_unit", "phu-lien", f"kinhte@{_W}"),
    UnitRow("vphd", "Văn phòng HĐND-UBND", "VP HĐND-UBND", "ward_unit", "phu-lien", f"vanphong@{_W}", "ktht"),
    UnitRow("ttdv", "Trung tâm dịch vụ Sự nghiệp công", "TT DVSNC", "ward_unit", "phu-lien", f"trungtam@{_W}",
            "ktht"),
    UnitRow("thue5", "Thuế cơ sở 5 thành phố Hải Phòng", "Thuế cơ sở 5", "ward_unit", "phu-lien",
            f"thuecoso5@{_W}", "ktht"),
    UnitRow("ldp", "Lãnh đạo UBND phường", "Lãnh đạo phường", "leader", "phu-lien", f"lanhdao@{_W}"),
    # Hải Triều (invented ward): the same units a ward has under seed 004's model.
    UnitRow("ht.ktht", "Phòng Kinh tế, Hạ tầng và Đô thị", "KTHT&ĐT", "ward_unit", "hai-trieu", f"kinhte@{_T}"),
    UnitRow("ht.vphd", "Văn phòng HĐND-UBND", "VP HĐND-UBND", "ward_unit", "hai-trieu", f"vanphong@{_T}",
            "ht.ktht"),
    UnitRow("ht.ttdv", "Trung tâm dịch vụ Sự nghiệp công", "TT DVSNC", "ward_unit", "hai-trieu",
            f"trungtam@{_T}", "ht.ktht"),
    UnitRow("ht.ldp", "Lãnh đạo UBND phường", "Lãnh đạo phường", "leader", "hai-trieu", f"lanhdao@{_T}"),
    # Sở Công Thương: the planning department collects recommendations, the Office publishes.
    UnitRow("sct.vp", "Văn phòng Sở", "VP Sở", "department", "so-cong-thuong", f"vanphong@{_S}"),
    UnitRow("sct.kh", "Phòng Kế hoạch - Tài chính - Tổng hợp", "KH-TC-TH", "department", "so-cong-thuong",
            f"kehoach@{_S}", "sct.vp"),
    UnitRow("sct.cn", "Phòng Quản lý Công nghiệp", "QLCN", "department", "so-cong-thuong", f"congnghiep@{_S}",
            "sct.kh"),
    UnitRow("sct.tm", "Phòng Quản lý Thương mại", "QLTM", "department", "so-cong-thuong", f"thuongmai@{_S}",
            "sct.kh"),
    UnitRow("sct.nl", "Phòng Quản lý Năng lượng", "QLNL", "department", "so-cong-thuong", f"nangluong@{_S}",
            "sct.kh"),
    UnitRow("sct.ld", "Lãnh đạo Sở", "Lãnh đạo Sở", "leader", "so-cong-thuong", f"lanhdao@{_S}"),
    # City bodies, invited or reported to; no organizer.
    UnitRow("ubnd", "Ủy ban nhân dân thành phố Hải Phòng", "UBND TP", "city_agency", None, f"ubnd@{_C}"),
    UnitRow("stc", "Sở Tài chính", "Sở TC", "city_agency", None, f"sotaichinh@{_C}"),
    UnitRow("sct", "Sở Công Thương", "Sở CT", "city_agency", None, f"socongthuong@{_C}"),
    UnitRow("skhcn", "Sở Khoa học và Công nghệ", "Sở KH&CN", "city_agency", None, f"sokhcn@{_C}"),
    UnitRow("qltt8", "Đội quản lý thị trường số 8", "Đội QLTT số 8", "city_agency", None, f"qltt8@{_C}"),
    UnitRow("cong", "Cổng thông tin điện tử thành phố", "Cổng TTĐT TP", "media", None, f"congttdt@{_M}"),
    UnitRow("bao", "Báo và Phát thanh truyền hình Hải Phòng", "Báo và PTTH HP", "media", None, f"toasoan@{_M}"),
    UnitRow("ttbc", "Trung tâm Báo chí và Truyền thông thành phố", "TT BC&TT", "media", None,
            f"trungtambaochi@{_M}"),
)


def load_organizers(demo: Demo) -> None:
    """The organizers with their identity, plans and units, each with its lead and office unit."""
    for row in ORGANIZERS:
        organizer = demo.add(Organizer(kind=OrganizerKind(row.kind), slug=row.key, **row.identity, **row.settings))
        for plan in row.plans:
            year = plan.year or demo.today.year
            issued_on = plan.issued_on if plan.year else plan_issued_day(demo.today)
            organizer.plans.append(Plan(number=plan.number, issued_on=issued_on, title=plan.title.format(year=year),
                                        year=year, rules=plan.rules))
        demo.organizers[row.key] = organizer
    for unit in UNITS:
        demo.units[unit.key] = demo.add(Unit(
            name=unit.name, short_name=unit.short_name, kind=UnitKind(unit.kind), emails=unit.email,
            organizer=demo.organizers[unit.organizer] if unit.organizer else None,
        ))
    for unit in UNITS:
        if unit.supervisor:
            demo.units[unit.key].supervisor = demo.units[unit.supervisor]
    for row in ORGANIZERS:
        organizer = demo.organizers[row.key]
        organizer.lead_unit, organizer.office_unit = demo.units[row.lead_unit], demo.units[row.office_unit]
