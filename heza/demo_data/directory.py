"""Zones, enterprises and people of the demo (the organizers and their units: :mod:`.organizers`).

Zones are real, named as in the seeds. Enterprises, cooperatives and household businesses are
invented, with invented contact people; so are attendees, callers and duty officers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from heza.demo_data.organizers import DEMO_DOMAIN
from heza.directory.models import Enterprise, EnterpriseKind, Language, Zone, ZoneKind

if TYPE_CHECKING:
    from heza.demo_data.context import Demo

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
    zone: str | None  # a zone code; None for a business in a ward
    contact: str
    language: str = "vi"
    branch_of: str | None = None  # the slug of the head office: tax code + "-001"
    ward: str = "phu-lien"  # the ward's organizer key, when ``zone`` is None


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
    # Hải Triều (the invented ward).
    EnterpriseRow("Công ty TNHH Thương mại Dịch vụ Hải Triều Xanh", "haitrieuxanh", "enterprise", None,
                  "Lương Văn Hậu", ward="hai-trieu"),
    EnterpriseRow("Công ty TNHH Cơ khí Sửa chữa Tàu thuyền Ven Sông", "vensong", "enterprise", None,
                  "Mạc Thị Thanh Huyền", ward="hai-trieu"),
    EnterpriseRow("Công ty Cổ phần Chế biến Hải sản Bến Triều", "bentrieu", "enterprise", None,
                  "Tô Minh Quang", ward="hai-trieu"),
    EnterpriseRow("Công ty TNHH Vật liệu Xây dựng Triều Dương", "trieuduong", "enterprise", None,
                  "Phí Thị Ngọc Lan", ward="hai-trieu"),
    EnterpriseRow("Hợp tác xã Nuôi trồng Thủy sản Hải Triều", "htx.haitrieu", "cooperative", None,
                  "Khúc Văn Sơn", ward="hai-trieu"),
    EnterpriseRow("Hợp tác xã Dịch vụ Nghề cá Cửa Triều", "htx.cuatrieu", "cooperative", None,
                  "Lã Thị Mận", ward="hai-trieu"),
    EnterpriseRow("Hộ kinh doanh Cao Văn Tuấn", "hkd.vantuan", "household", None, "Cao Văn Tuấn",
                  ward="hai-trieu"),
    EnterpriseRow("Hộ kinh doanh Đinh Thị Hoa", "hkd.thihoa", "household", None, "Đinh Thị Hoa",
                  ward="hai-trieu"),
)

# Streets for the addresses of businesses in each ward (Hải Triều's are as invented as the ward).
WARD_STREETS: dict[str, tuple[str, ...]] = {
    "phu-lien": ("đường Nguyễn Lương Bằng", "đường Phan Đăng Lưu", "đường Trần Tất Văn", "đường Trần Nhân Tông"),
    "hai-trieu": ("đường Hải Triều", "đường Ven Sông", "đường Bến Triều"),
}


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


def load_directory(demo: Demo) -> None:
    """The zones and the enterprises, cooperatives and household businesses (after the organizers: wards)."""
    for code, name, kind in ZONES:
        demo.zones[code] = demo.add(Zone(code=code, name=name, kind=ZoneKind(kind)))
    codes: dict[str, str] = {}
    lots = iter(range(1, 1000))
    for i, row in enumerate(ENTERPRISES):
        if row.branch_of:
            code = f"{codes[row.branch_of]}-001"
        else:
            code = tax_code(i)
            codes[row.slug] = code
        zone = demo.zones[row.zone] if row.zone else None
        ward = None if zone else demo.organizers[row.ward]
        if zone is not None:
            address = f"Lô {chr(65 + i % 8)}{next(lots)}, {zone.name}, thành phố Hải Phòng"
        else:
            streets = WARD_STREETS[row.ward]
            address = f"Số {12 + 7 * i} {streets[i % len(streets)]}, phường {ward.short_name}, thành phố Hải Phòng"
        demo.enterprises[row.slug] = demo.add(Enterprise(
            name=row.name, kind=EnterpriseKind(row.kind), tax_code=code, zone=zone, ward=ward, address=address,
            contact_name=row.contact, phone=f"0120 555 {1000 + i:04d}", email=enterprise_email(row),
            language=Language(row.language),
        ))
