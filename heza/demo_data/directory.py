"""Organizers, units, zones and enterprises of the demo.

Units and zones are real organisations named as in the seeds (001, 003, 004); their email
addresses are invented on ``demo.heza.vn``. Enterprises, cooperatives and household businesses
are invented, with invented contact people.
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_DOMAIN = "demo.heza.vn"

HEZA = {
    "name": "Ban Quản lý Khu kinh tế Hải Phòng",
    "short_name": "HEZA",
    "address": "Số 24 Cù Chính Lan, Hồng Bàng, Hải Phòng",
    "email": f"banquanly@{DEMO_DOMAIN}",
}

PHU_LIEN = {
    "name": "Phường Phù Liễn",
    "short_name": "Phù Liễn",
    "address": "Số 9/157 đường Nguyễn Lương Bằng, Tổ dân phố Lý Thường Kiệt 2, phường Phù Liễn, "
               "thành phố Hải Phòng",
    "email": f"ubnd@phulien.{DEMO_DOMAIN}",
}

# Seed 004 sets no quorum for ward conferences (15/5 is HEZA's, seed 001): the demo ward keeps a
# smaller one of its own, which also shows that settings are per organizer.
PHU_LIEN_SETTINGS = {"quorum_enterprises": 10, "quorum_recommendations": 3}


@dataclass(frozen=True)
class UnitRow:
    key: str
    name: str
    short_name: str
    kind: str  # a UnitKind value
    organizer: str | None  # "heza", "ward" or None (city agencies, media)
    email: str
    supervisor: str | None = None


_H = DEMO_DOMAIN
_W = f"phulien.{DEMO_DOMAIN}"
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
    UnitRow("ktht", "Phòng Kinh tế, Hạ tầng và Đô thị", "KTHT&ĐT", "ward_unit", "ward", f"kinhte@{_W}"),
    UnitRow("vphd", "Văn phòng HĐND-UBND", "VP HĐND-UBND", "ward_unit", "ward", f"vanphong@{_W}", "ktht"),
    UnitRow("ttdv", "Trung tâm dịch vụ Sự nghiệp công", "TT DVSNC", "ward_unit", "ward", f"trungtam@{_W}", "ktht"),
    UnitRow("thue5", "Thuế cơ sở 5 thành phố Hải Phòng", "Thuế cơ sở 5", "ward_unit", "ward",
            f"thuecoso5@{_W}", "ktht"),
    UnitRow("ldp", "Lãnh đạo UBND phường", "Lãnh đạo phường", "leader", "ward", f"lanhdao@{_W}"),
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

HEZA_LEAD_UNIT, HEZA_OFFICE_UNIT = "dn", "vp"
WARD_LEAD_UNIT, WARD_OFFICE_UNIT = "ktht", "vphd"

# (code, name, kind): real zones of Hai Phong.
ZONES: tuple[tuple[str, str, str], ...] = (
    ("KCN-DV", "KCN Đình Vũ", "industrial"),
    ("KCN-NOMURA", "KCN Nomura - Hải Phòng", "industrial"),
    ("KCN-TD", "KCN Tràng Duệ", "industrial"),
    ("KCN-VSIP", "KCN VSIP Hải Phòng", "industrial"),
    ("KCN-DS", "KCN Đồ Sơn", "industrial"),
    ("KCN-NCK", "KCN Nam Cầu Kiền", "industrial"),
    ("KCN-AD", "KCN An Dương", "industrial"),
    ("KCN-DEEPC2", "KCN Deep C II", "industrial"),
    ("KCN-TT", "KCN Tân Trào", "industrial"),
    ("KCN-NDV", "KCN Nam Đình Vũ", "industrial"),
    ("KKT-DVCH", "Khu kinh tế Đình Vũ – Cát Hải", "economic"),
)


@dataclass(frozen=True)
class EnterpriseRow:
    name: str
    slug: str  # the local part of the demo email address
    kind: str  # an EnterpriseKind value
    zone: str | None  # a zone code; None for a business in the ward
    contact: str
    language: str = "vi"
    branch_of: str | None = None  # the slug of the head office: tax code + "-001"


ENTERPRISES: tuple[EnterpriseRow, ...] = (
    EnterpriseRow("Công ty TNHH Hóa chất Sao Biển Đình Vũ", "saobien", "enterprise", "KCN-DV", "Nguyễn Văn Khải"),
    EnterpriseRow("Công ty Cổ phần Kho vận Bến Nghé Xanh", "benngheXanh", "enterprise", "KCN-DV", "Trần Thị Thu Hằng"),
    EnterpriseRow("Công ty TNHH Cơ khí Chính xác Hạ Long Việt", "halongviet", "enterprise", "KCN-DV", "Phạm Đức Thắng"),
    EnterpriseRow("Công ty Cổ phần Nhựa Kỹ thuật Đông Hải", "nhuadonghai", "enterprise", "KCN-DV", "Lê Thị Minh Ngọc"),
    EnterpriseRow("Công ty TNHH Phân bón Hữu cơ Đồng Xanh", "dongxanh", "enterprise", "KCN-DV", "Hoàng Văn Tài"),
    EnterpriseRow("Công ty TNHH Linh kiện Điện tử Sakuraba Việt Nam", "sakuraba", "enterprise", "KCN-NOMURA",
                  "Kenta Morishige", "en"),
    EnterpriseRow("Công ty TNHH Bao bì Giấy Thiên Phúc", "thienphuc", "enterprise", "KCN-NOMURA", "Vũ Thị Hồng Nhung"),
    EnterpriseRow("Công ty TNHH Kazemori Precision Việt Nam", "kazemori", "enterprise", "KCN-NOMURA",
                  "Aiko Tanabe", "en"),
    EnterpriseRow("Công ty TNHH Động cơ Mini Hoa Sen Việt", "hoasenviet", "enterprise", "KCN-NOMURA", "Đặng Quốc Bảo"),
    EnterpriseRow("Công ty TNHH May mặc Trường Phát Hải Phòng", "truongphat", "enterprise", "KCN-TD",
                  "Bùi Thị Lan Anh"),
    EnterpriseRow("Công ty TNHH Điện tử Hanvel Vina", "hanvel", "enterprise", "KCN-TD", "Seo Min-jun", "en"),
    EnterpriseRow("Công ty Cổ phần Sợi Thủy Nguyên An", "soithuynguyen", "enterprise", "KCN-TD", "Đỗ Văn Hiếu"),
    EnterpriseRow("Công ty TNHH Gỗ Nội thất Lạc Hồng Xanh", "lachong", "enterprise", "KCN-TD", "Ngô Thị Phương Thảo"),
    EnterpriseRow("Công ty Cổ phần Bao bì Carton Việt Hưng Thịnh", "viethungthinh", "enterprise", "KCN-TD",
                  "Dương Minh Tuấn"),
    EnterpriseRow("Công ty TNHH Dược phẩm Thiên Hà Bắc Bộ", "thienhaduoc", "enterprise", "KCN-VSIP", "Hồ Thị Kim Oanh"),
    EnterpriseRow("Công ty TNHH Thực phẩm Đông Sơn Hải Phòng", "dongsonfood", "enterprise", "KCN-VSIP",
                  "Nguyễn Hữu Phước"),
    EnterpriseRow("Công ty TNHH Northmere Logistics Việt Nam", "northmere", "enterprise", "KCN-VSIP",
                  "Daniel Whitcombe", "en"),
    EnterpriseRow("Công ty Cổ phần Thiết bị Y tế An Khang Phát", "ankhangphat", "enterprise", "KCN-VSIP",
                  "Trần Quang Vinh"),
    EnterpriseRow("Công ty TNHH Linh kiện Nhựa Thành Đạt Phát", "thanhdatphat", "enterprise", "KCN-VSIP",
                  "Lê Thị Thanh Tâm"),
    EnterpriseRow("Công ty TNHH Giày da Vạn Xuân Đồ Sơn", "vanxuan", "enterprise", "KCN-DS", "Phạm Thị Hải Yến"),
    EnterpriseRow("Công ty TNHH Phụ tùng Ô tô Hùng Cường Phát", "hungcuong", "enterprise", "KCN-DS", "Hoàng Minh Đức"),
    EnterpriseRow("Công ty TNHH Trang sức Mỹ nghệ Ngọc Trai Biển", "ngoctraibien", "enterprise", "KCN-DS",
                  "Vũ Thị Ngọc Ánh"),
    EnterpriseRow("Công ty Cổ phần Thép hình Kiến An Việt", "thepkienan", "enterprise", "KCN-NCK", "Đặng Văn Lực"),
    EnterpriseRow("Công ty TNHH Tấm lợp Bền Vững Miền Bắc", "benvung", "enterprise", "KCN-NCK", "Bùi Quang Huy"),
    EnterpriseRow("Công ty TNHH Cơ điện lạnh Tân Hưng Long", "tanhunglong", "enterprise", "KCN-NCK", "Đỗ Thị Mỹ Linh"),
    EnterpriseRow("Công ty TNHH Xử lý Môi trường Lục Bảo", "lucbao", "enterprise", "KCN-NCK", "Ngô Đức Mạnh"),
    EnterpriseRow("Công ty TNHH Kính xây dựng Ánh Dương", "kinhanhduong", "enterprise", "KCN-AD",
                  "Dương Thị Hà Phương"),
    EnterpriseRow("Công ty TNHH Sơn công nghiệp Trúc Lâm", "sontruclam", "enterprise", "KCN-AD", "Hồ Văn Thành"),
    EnterpriseRow("Công ty TNHH Pinecrest Electronics Việt Nam", "pinecrest", "enterprise", "KCN-AD",
                  "Sophie Lindqvist", "en"),
    EnterpriseRow("Công ty TNHH Thiết bị Điện Bình Minh An", "binhminhan", "enterprise", "KCN-AD",
                  "Nguyễn Thị Bích Thủy"),
    EnterpriseRow("Công ty TNHH Năng lượng Mặt trời Biển Đông Xanh", "biendongxanh", "enterprise", "KCN-DEEPC2",
                  "Trần Văn Nghĩa"),
    EnterpriseRow("Công ty TNHH Vật liệu Composite Hải Âu", "compositehaiau", "enterprise", "KCN-DEEPC2",
                  "Lê Minh Châu"),
    EnterpriseRow("Công ty TNHH Khí công nghiệp Sông Hồng Xanh", "songhongxanh", "enterprise", "KCN-DEEPC2",
                  "Phạm Thị Thu Trang"),
    EnterpriseRow("Chi nhánh Công ty TNHH Hóa chất Sao Biển Đình Vũ tại KCN Deep C II", "saobien.deepc",
                  "enterprise", "KCN-DEEPC2", "Hoàng Thị Diệu Linh", branch_of="saobien"),
    EnterpriseRow("Công ty TNHH Cáp điện Quang Minh Tiến", "quangminhtien", "enterprise", "KCN-TT", "Vũ Đình Trọng"),
    EnterpriseRow("Công ty TNHH Dệt kim Phú Thịnh Hưng", "phuthinhhung", "enterprise", "KCN-TT", "Đặng Thị Kiều Oanh"),
    EnterpriseRow("Công ty TNHH Ống thép Hòa Thịnh Phát", "hoathinhphat", "enterprise", "KCN-TT", "Bùi Văn Hòa"),
    EnterpriseRow("Công ty Cổ phần Cảng cạn Sông Cấm Xanh", "songcam", "enterprise", "KCN-NDV", "Đỗ Minh Khoa"),
    EnterpriseRow("Công ty TNHH Dịch vụ Hàng hải Lạch Huyện Mới", "lachhuyen", "enterprise", "KCN-NDV",
                  "Ngô Thị Thúy Hằng"),
    EnterpriseRow("Chi nhánh Công ty Cổ phần Kho vận Bến Nghé Xanh tại KCN Nam Đình Vũ", "benngheXanh.ndv",
                  "enterprise", "KCN-NDV", "Dương Văn Toàn", branch_of="benngheXanh"),
    EnterpriseRow("Công ty TNHH Hóa dầu Cát Vàng", "catvang", "enterprise", "KCN-NDV", "Hồ Thị Mai Lan"),
    EnterpriseRow("Công ty TNHH Đóng tàu Cát Hải Tiến Phong", "tienphong", "enterprise", "KKT-DVCH",
                  "Nguyễn Quốc Cường"),
    EnterpriseRow("Công ty Cổ phần Thủy sản Đảo Ngọc Cát Bà", "daongoc", "enterprise", "KKT-DVCH", "Trần Thị Hải Hà"),
    EnterpriseRow("Công ty TNHH Vận tải Biển Sóng Bạc", "songbac", "enterprise", "KKT-DVCH", "Lê Văn Thịnh"),
    EnterpriseRow("Công ty Cổ phần Logistics Cửa Biển Đình Vũ", "cuabien", "enterprise", "KKT-DVCH",
                  "Phạm Minh Hoàng"),
    EnterpriseRow("Công ty TNHH Silverwake Marine Services", "silverwake", "enterprise", "KKT-DVCH",
                  "Thomas Ashgrove", "en"),
    # Phù Liễn ward (seed 004): enterprises, cooperatives and household businesses.
    EnterpriseRow("Công ty TNHH Thương mại Phù Liễn Phát", "phulienphat", "enterprise", None, "Hoàng Thị Thanh Xuân"),
    EnterpriseRow("Công ty TNHH In ấn Quảng cáo Kiến Thụy Mới", "kienthuymoi", "enterprise", None, "Vũ Văn Quyết"),
    EnterpriseRow("Công ty Cổ phần Xây dựng Trường Sơn Hải", "truongsonhai", "enterprise", None, "Đặng Minh Sơn"),
    EnterpriseRow("Công ty TNHH Dịch vụ Ăn uống Bếp Việt Phù Liễn", "bepviet", "enterprise", None,
                  "Bùi Thị Hương Giang"),
    EnterpriseRow("Công ty TNHH Thiết bị Văn phòng Minh Khang", "minhkhang", "enterprise", None, "Đỗ Quang Khải"),
    EnterpriseRow("Công ty TNHH Vận tải Hành khách Đồi Thiên Văn", "thienvan", "enterprise", None, "Ngô Văn Bình"),
    EnterpriseRow("Hợp tác xã Dịch vụ Nông nghiệp Phù Liễn Xanh", "htx.phulienxanh", "cooperative", None,
                  "Dương Văn Khánh"),
    EnterpriseRow("Hợp tác xã Rau sạch Đồng Hòa Mới", "htx.donghoa", "cooperative", None, "Hồ Thị Thu Hiền"),
    EnterpriseRow("Hợp tác xã Vận tải Thủy bộ Kiến An Hợp Lực", "htx.hopluc", "cooperative", None, "Nguyễn Văn Tiến"),
    EnterpriseRow("Hộ kinh doanh Trần Thị Bích Ngọc", "hkd.bichngoc", "household", None, "Trần Thị Bích Ngọc"),
    EnterpriseRow("Hộ kinh doanh Phạm Văn Hưng", "hkd.vanhung", "household", None, "Phạm Văn Hưng"),
    EnterpriseRow("Hộ kinh doanh Lê Thị Mai Hương", "hkd.maihuong", "household", None, "Lê Thị Mai Hương"),
    EnterpriseRow("Hộ kinh doanh Vũ Đình Khải", "hkd.dinhkhai", "household", None, "Vũ Đình Khải"),
    EnterpriseRow("Hộ kinh doanh Đỗ Thị Thanh Nhàn", "hkd.thanhnhan", "household", None, "Đỗ Thị Thanh Nhàn"),
)

WARD_STREETS = ("đường Nguyễn Lương Bằng", "đường Phan Đăng Lưu", "đường Trần Tất Văn", "đường Trần Nhân Tông")


def tax_code(index: int) -> str:
    """A fictional head-office tax code: 10 digits in the never-issued ``0299`` block, unique per index.

    Multiplying by a number coprime with 10 permutes the six digits, so the codes look varied.
    """
    return f"0299{(104729 * (index + 1)) % 1_000_000:06d}"


def enterprise_email(row: EnterpriseRow) -> str:
    return f"{row.slug.lower()}@dn.{DEMO_DOMAIN}"


# Invented people: attendees, hotline callers, duty officers.
PEOPLE: tuple[str, ...] = (
    "Nguyễn Thị Hoài Thu", "Trần Văn Kiên", "Lê Minh Hiếu", "Phạm Thị Ngọc Diệp", "Hoàng Đức Anh Tú",
    "Vũ Thị Mai Phương", "Đặng Văn Hào", "Bùi Thị Thùy Dung", "Đỗ Minh Quân", "Ngô Thị Lệ Quyên",
    "Dương Văn Lâm", "Hồ Thị Ánh Tuyết", "Nguyễn Quang Trung", "Trần Thị Kim Liên", "Lê Văn Phúc",
    "Phạm Ngọc Sơn", "Hoàng Thị Huyền Trang", "Vũ Minh Nhật", "Đặng Thị Bảo Ngân", "Bùi Văn Thuận",
    "Đỗ Thị Khánh Linh", "Ngô Văn Đạt", "Dương Thị Thanh Hương", "Hồ Minh Triết", "Nguyễn Văn Duy",
    "Trần Thị Phương Nga", "Lê Quốc Huy", "Phạm Thị Hà My", "Hoàng Văn Lợi", "Vũ Thị Kim Dung",
)

POSITIONS: tuple[str, ...] = (
    "Giám đốc", "Phó Giám đốc", "Trưởng phòng Hành chính - Nhân sự", "Kế toán trưởng",
    "Trưởng phòng Kỹ thuật", "Chuyên viên pháp chế",
)
HOUSEHOLD_POSITION = "Chủ hộ kinh doanh"
COOPERATIVE_POSITION = "Chủ nhiệm hợp tác xã"

# Seed 002 names real officials as the hotline's duty officers; the demo uses invented ones.
DUTY_OFFICERS: tuple[str, ...] = (
    "Bà Nguyễn Thị Thanh Vân (cán bộ trực, Văn phòng)",
    "Ông Lê Hoàng Phúc (cán bộ trực, Văn phòng)",
)

# Login accounts created by the demo: (email, name, role, unit key).
DEMO_USERS: tuple[tuple[str, str, str, str | None], ...] = (
    (f"admin@{DEMO_DOMAIN}", "Quản trị viên (dữ liệu mẫu)", "admin", None),
    (f"canbo@{DEMO_DOMAIN}", "Phạm Thu Giang (cán bộ nghiệp vụ, dữ liệu mẫu)", "officer", None),
    (f"dngsdt@{DEMO_DOMAIN}", "Trịnh Văn Hải Nam (Phòng DN&GSĐT, dữ liệu mẫu)", "unit", "dn"),
    (f"xem@{DEMO_DOMAIN}", "Người xem (dữ liệu mẫu)", "viewer", None),
)
