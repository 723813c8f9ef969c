"""What the demo's hotline log, newsletters, digital posts and topic proposals say.

Dates are not here: :mod:`heza.demo_data.office` places every row relative to the load day.
Unit references are keys of :data:`heza.demo_data.organizers.UNITS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class HotlineRow:
    channel: str
    kind: str
    status: str
    received: int  # working days relative to the last working day on or before the load day
    unit: str | None
    person: str
    contact: str
    content: str
    response: str = ""


HOTLINE: tuple[HotlineRow, ...] = (
    HotlineRow("hotline", "feedback", "answered", -15, "vpdd", "Nguyễn Thị Hoài Thu", "0120 555 0101",
               "Phản ánh xe container đỗ dưới lòng đường trước cổng KCN Đình Vũ vào giờ tan ca, gây mất an toàn.",
               "Văn phòng đại diện đã phối hợp với chủ đầu tư hạ tầng bố trí bãi chờ và biển cấm đỗ."),
    HotlineRow("hotline", "recommendation", "answered", -12, "qlld", "Trần Văn Kiên", "0120 555 0102",
               "Kiến nghị hướng dẫn thủ tục gia hạn giấy phép lao động cho chuyên gia nước ngoài.",
               "Đã hướng dẫn qua điện thoại và gửi danh mục hồ sơ qua email."),
    HotlineRow("facebook", "feedback", "closed", -10, "tnmt", "Lê Minh Hiếu", "facebook.com/lmh.demo",
               "Phản ánh mùi khó chịu từ khu xử lý nước thải tập trung vào ban đêm.",
               "Đã kiểm tra hiện trường, yêu cầu đơn vị vận hành khắc phục; kết quả quan trắc đạt quy chuẩn."),
    HotlineRow("in_person", "complaint", "in_progress", -14, "tnmt", "Phạm Thị Ngọc Diệp",
               "Trực tiếp tại Phòng họp số 2",
               "Khiếu nại về việc chậm trả kết quả thẩm định báo cáo đánh giá tác động môi trường."),
    HotlineRow("email", "denunciation", "assigned", -3, "vp", "Người gửi đề nghị giữ bí mật",
               "nguoigui@dn.demo.heza.vn",
               "Tố cáo một đơn vị cho thuê lại nhà xưởng không đúng mục đích trong khu công nghiệp."),
    HotlineRow("hotline", "recommendation", "received", -11, "qhxd", "Hoàng Đức Anh Tú", "0120 555 0106",
               "Kiến nghị công khai quy hoạch chi tiết phân khu mới để doanh nghiệp chủ động kế hoạch mở rộng."),
    HotlineRow("facebook", "feedback", "received", -7, None, "Vũ Thị Mai Phương", "facebook.com/vtmp.demo",
               "Phản ánh đèn chiếu sáng tuyến đường trục chính KCN Nam Cầu Kiền hỏng nhiều ngày."),
    HotlineRow("hotline", "complaint", "answered", -9, "qldt", "Đặng Văn Hào", "0120 555 0108",
               "Khiếu nại về việc hồ sơ điều chỉnh dự án bị yêu cầu bổ sung nhiều lần.",
               "Đã làm việc với doanh nghiệp, thống nhất danh mục hồ sơ một lần; kết quả trả đúng hạn."),
    HotlineRow("email", "recommendation", "assigned", -2, "dn", "Bùi Thị Thùy Dung",
               "thuydung@dn.demo.heza.vn",
               "Kiến nghị tổ chức hội nghị đối thoại chuyên đề về thủ tục phòng cháy chữa cháy."),
    HotlineRow("facebook", "recommendation", "received", -1, None, "Đỗ Minh Quân", "facebook.com/dmq.demo",
               "Đề nghị bổ sung tuyến xe buýt đưa đón công nhân từ trung tâm thành phố tới KCN Tràng Duệ."),
    HotlineRow("in_person", "feedback", "answered", -6, "qlld", "Ngô Thị Lệ Quyên", "Trực tiếp tại Phòng họp số 2",
               "Phản ánh doanh nghiệp chậm đóng bảo hiểm xã hội cho người lao động.",
               "Đã chuyển Bảo hiểm xã hội thành phố kiểm tra; doanh nghiệp đã nộp đủ trong tuần."),
    HotlineRow("hotline", "feedback", "received", -4, None, "Dương Văn Lâm", "0120 555 0112",
               "Phản ánh thời gian chờ tại Bộ phận một cửa kéo dài vào buổi sáng thứ Hai."),
)


@dataclass(frozen=True)
class ArticleRow:
    section: str
    topic: str
    unit: str
    count: int = 1
    pages: Decimal | None = None


# Seed 003: the table attached to letter 971/BQL-TTXTĐT, issue 01.2023 (deadline 20/3/2023). Row I.6 names
# "Phòng Quản lý Doanh nghiệp", the department's name in 2023, now DN&GSĐT; row IV.1 names no unit, so the
# editor (Trung tâm XTĐT) holds it.
_S1 = "I. TÌNH HÌNH KINH TẾ - XÃ HỘI QUÝ I NĂM 2023"
_S2 = "II. TIN TỨC - SỰ KIỆN"
_S3 = "III. ĐỒNG HÀNH CÙNG DOANH NGHIỆP"
_S4 = "IV. THÔNG TIN CHÍNH SÁCH, PHÁP LUẬT"
_S5 = "V. HOẠT ĐỘNG ĐẢNG, ĐOÀN THỂ KHU KINH TẾ"
ISSUE_01_2023: tuple[ArticleRow, ...] = (
    ArticleRow(_S1, "Tình hình kinh tế - xã hội thành phố Hải Phòng Quý I năm 2023; Tình hình thu hút FDI theo đối "
                    "tác đầu tư Quý I năm 2023", "ttxt", pages=Decimal("1")),
    ArticleRow(_S1, "Báo cáo tình hình và kết quả hoạt động Quý I của Ban Quản lý Khu Kinh tế Hải Phòng", "khth"),
    ArticleRow(_S1, "Tình hình thu hút đầu tư trong các khu công nghiệp, Khu kinh tế Quý I năm 2023", "qldt"),
    ArticleRow(_S1, "Thông tin mới về tình hình phát triển các khu công nghiệp giai đoạn 2021-2025", "qhxd",
               pages=Decimal("4")),
    ArticleRow(_S1, "Tình hình lao động Quý I năm 2023, báo cáo số liệu lao động theo giới tính, lứa tuổi, lao động "
                    "Việt Nam, lao động nước ngoài, lao động trong thành phố, lao động ngoại tỉnh", "qlld"),
    ArticleRow(_S1, "Tình hình hoạt động của các doanh nghiệp Quý I năm 2023", "dn"),
    ArticleRow(_S2, "Tiêu điểm", "ttxt", count=10, pages=Decimal("2")),
    ArticleRow(_S2, "Thường trực Thành ủy làm việc với Ban Quản lý Khu Kinh tế Hải Phòng", "ttxt", pages=Decimal("3")),
    ArticleRow(_S2, "Trích lược tham luận của đồng chí Chủ tịch UBND thành phố tại Hội nghị triển khai Chương trình "
                    "hành động của Chính phủ thực hiện Nghị quyết số 30 của Bộ Chính trị", "ttxt", pages=Decimal("1")),
    ArticleRow(_S3, "Ban Quản lý Khu Kinh tế Hải Phòng gặp gỡ và đối thoại doanh nghiệp tại Khu công nghiệp Nhật Bản "
                    "- Hải Phòng", "ttxt", pages=Decimal("1")),
    ArticleRow(_S3, "Hội thảo khoa học “Giải pháp xử lý, tiêu thụ bã gyps tại Nhà máy sản xuất phân bón DAP - "
                    "Vinachem, KCN Đình Vũ - Hải Phòng”", "ttxt", pages=Decimal("2")),
    ArticleRow(_S3, "Hoạch định một tương lai xanh - Khu công nghiệp sinh thái, làm tổ đón đại bàng", "deepc",
               pages=Decimal("3")),
    ArticleRow(_S4, "Giới thiệu một số nội dung Nghị quyết số 06-NQ/TU ngày 07/4/2022 của Ban Thường vụ Thành ủy",
               "ttxt", pages=Decimal("2")),
    ArticleRow(_S5, "Hoạt động tiêu biểu của Đảng ủy Khu Kinh tế Hải Phòng trong quý I năm 2023", "dangUy",
               pages=Decimal("2")),
    ArticleRow(_S5, "Hoạt động tiêu biểu của Công đoàn Khu kinh tế Hải Phòng trong quý I năm 2023", "cdKkt",
               pages=Decimal("2")),
    ArticleRow(_S5, "Hoạt động tiêu biểu của Đoàn Thanh niên Khu kinh tế Hải Phòng trong quý I năm 2023", "dtnKkt",
               pages=Decimal("0.5")),
    ArticleRow(_S5, "Hoạt động của Hội Cựu chiến binh Khu kinh tế Hải Phòng trong quý I năm 2023", "ccb",
               pages=Decimal("0.5")),
    ArticleRow(_S5, "Hoạt động của Đoàn Thanh niên Cơ quan Ban Quản lý trong quý I năm 2023", "dtnCq",
               pages=Decimal("0.5")),
    ArticleRow(_S5, "Hoạt động của Công đoàn Cơ quan Ban Quản lý trong quý I năm 2023", "cdCq", pages=Decimal("0.5")),
)
# Rows of issue 01.2023 that arrived after the deadline (by index), to show late submissions.
ISSUE_01_2023_LATE = (4, 15)

ROMAN_QUARTERS = ("I", "II", "III", "IV")


def current_issue_rows(quarter: int, year: int) -> tuple[tuple[ArticleRow, str], ...]:
    """The current quarter's assignments with their state: "on_time", "late_submitted" or "missing"."""
    q = f"QUÝ {ROMAN_QUARTERS[quarter - 1]} NĂM {year}"
    q_lower = f"quý {ROMAN_QUARTERS[quarter - 1]} năm {year}"
    return (
        (ArticleRow(f"I. TÌNH HÌNH KINH TẾ - XÃ HỘI {q}", f"Tình hình thu hút đầu tư trong các khu công nghiệp, "
                    f"Khu kinh tế {q_lower}", "qldt", pages=Decimal("2")), "on_time"),
        (ArticleRow(f"I. TÌNH HÌNH KINH TẾ - XÃ HỘI {q}", f"Tình hình lao động {q_lower}", "qlld",
                    pages=Decimal("1.5")), "missing"),
        (ArticleRow(f"I. TÌNH HÌNH KINH TẾ - XÃ HỘI {q}", f"Tình hình hoạt động của các doanh nghiệp {q_lower}", "dn",
                    pages=Decimal("2")), "late_submitted"),
        (ArticleRow("II. TIN TỨC - SỰ KIỆN", "Tiêu điểm", "ttxt", count=8, pages=Decimal("2")), "on_time"),
        (ArticleRow("III. ĐỒNG HÀNH CÙNG DOANH NGHIỆP", "Kết quả Hội nghị đối thoại doanh nghiệp của Ban Quản lý",
                    "dn", pages=Decimal("1")), "missing"),
        (ArticleRow("III. ĐỒNG HÀNH CÙNG DOANH NGHIỆP", "Cập nhật tiến độ hạ tầng các khu công nghiệp mới thành lập",
                    "qhxd", pages=Decimal("3")), "missing"),
        (ArticleRow("V. HOẠT ĐỘNG ĐẢNG, ĐOÀN THỂ KHU KINH TẾ", f"Hoạt động tiêu biểu của Công đoàn Khu kinh tế "
                    f"{q_lower}", "cdKkt", pages=Decimal("1")), "on_time"),
        (ArticleRow("V. HOẠT ĐỘNG ĐẢNG, ĐOÀN THỂ KHU KINH TẾ", f"Hoạt động của Đoàn Thanh niên Khu kinh tế {q_lower}",
                    "dtnKkt", pages=Decimal("0.5")), "missing"),
    )


# R9: Phù Liễn's posts on digital channels, (channel, title) per slot; one completed month is left empty.
POST_TITLES: tuple[tuple[str, str], ...] = (
    ("portal", "Phường Phù Liễn triển khai kế hoạch hỗ trợ doanh nghiệp, hợp tác xã, hộ kinh doanh"),
    ("zalo", "Hướng dẫn hộ kinh doanh sử dụng hóa đơn điện tử khởi tạo từ máy tính tiền"),
    ("facebook", "Giới thiệu sản phẩm của các hợp tác xã trên địa bàn phường"),
    ("radio", "Chuyên mục Doanh nghiệp: chính sách phát triển kinh tế tư nhân theo Nghị quyết 68-NQ/TW"),
    ("portal", "Thông báo lịch tiếp nhận kiến nghị của doanh nghiệp qua Tổ tư vấn, hỗ trợ doanh nghiệp phường"),
    ("zalo", "Cảnh báo các hình thức lừa đảo mạo danh cơ quan thuế"),
    ("facebook", "Hộ kinh doanh tiêu biểu tháng: chuyển đổi số trong bán hàng"),
    ("radio", "Chuyên mục Doanh nghiệp: thủ tục chuyển đổi hộ kinh doanh thành doanh nghiệp"),
)

# R9: Hải Triều's posts, one a month (the invented ward keeps its plan).
HAI_TRIEU_POST_TITLES: tuple[tuple[str, str], ...] = (
    ("portal", "Phường Hải Triều lấy ý kiến doanh nghiệp, hợp tác xã trước hội nghị đối thoại"),
    ("zalo", "Hướng dẫn hợp tác xã nghề cá đăng ký nhãn hiệu sản phẩm"),
    ("facebook", "Kết quả Hội nghị đối thoại với doanh nghiệp, hợp tác xã, hộ kinh doanh phường Hải Triều"),
    ("portal", "Chính sách hỗ trợ hộ kinh doanh chuyển đổi thành doanh nghiệp"),
)

# R12: topics proposed to the chair, (proposer key, addressee, topic, content); "ent:<slug>" or "unit:<key>".
TOPIC_PROPOSALS: tuple[tuple[str, str, str, str], ...] = (
    ("ent:saobien", "heza_head", "Thủ tục môi trường cho dự án hóa chất",
     "Đề xuất đối thoại về trình tự cấp, điều chỉnh giấy phép môi trường đối với dự án hóa chất trong KCN."),
    ("ent:northmere", "heza_head", "Logistics và thông quan",
     "Proposal: a dialogue on customs clearance times and logistics connections between the zones and the port."),
    ("ent:truongphat", "city_chairman", "Nhà ở cho công nhân",
     "Đề xuất đối thoại về quỹ đất và chính sách nhà ở xã hội cho công nhân các khu công nghiệp."),
    ("unit:qlld", "heza_head", "Nguồn nhân lực cho các khu công nghiệp mới",
     "Đề xuất đối thoại giữa doanh nghiệp và các cơ sở đào tạo nghề về nhu cầu lao động kỹ thuật."),
    ("ent:tienphong", "city_chairman", "Hạ tầng giao thông kết nối Cát Hải",
     "Đề xuất đối thoại về tiến độ các tuyến giao thông kết nối Khu kinh tế Đình Vũ – Cát Hải."),
)
