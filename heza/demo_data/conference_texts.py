"""What the demo's conferences say: places, chairs, programmes, unit tasks and recommendations.

Dates are not here: :mod:`heza.demo_data.conferences` places every row relative to the load day
through :mod:`heza.rules` and :mod:`heza.workdays`. Unit references are keys of
:data:`heza.demo_data.organizers.UNITS`.
"""

from __future__ import annotations

from dataclasses import dataclass

AgendaRow = tuple[str, str, tuple[str, ...]]  # (content, presenter, unit keys)


@dataclass(frozen=True)
class Style:
    """How an organizer's conferences read: where, who chairs, what they cover, the programme."""

    place: str
    chair: str
    description: str
    agenda: tuple[AgendaRow, ...]
    # Who an invitation notice addresses ("Kính mời các ...").
    invitees: str = "doanh nghiệp đang hoạt động tại các khu công nghiệp và Khu kinh tế Đình Vũ – Cát Hải"


_WARD_INVITEES = "doanh nghiệp, hợp tác xã, hộ kinh doanh trên địa bàn phường"

STYLES: dict[str, Style] = {
    "heza": Style(
        "Hội trường Ban Quản lý Khu kinh tế Hải Phòng, Số 24 Cù Chính Lan, Hồng Bàng, Hải Phòng",
        "Lãnh đạo Ban Quản lý Khu kinh tế Hải Phòng",
        # Seed 001, II.1 and III.1: what a HEZA conference covers.
        "Kịp thời giải quyết, tháo gỡ những khó khăn, vướng mắc cho các doanh nghiệp trong quá trình hoạt động "
        "sản xuất kinh doanh liên quan đến thủ tục hành chính; tuyên truyền, phổ biến về Khu kinh tế ven biển phía "
        "Nam Hải Phòng, một số khu công nghiệp mới thành lập và những chính sách pháp luật mới được ban hành.",
        (
            ("Đón tiếp đại biểu", "Văn phòng Ban Quản lý", ("vp",)),
            ("Phát biểu khai mạc hội nghị", "Lãnh đạo Ban Quản lý", ("ldb",)),
            ("Thông tin về Khu kinh tế ven biển phía Nam Hải Phòng, các khu công nghiệp mới thành lập và chính "
             "sách pháp luật mới ban hành", "Lãnh đạo Phòng Doanh nghiệp và Giám sát đầu tư", ("dn",)),
            ("Các doanh nghiệp phát biểu ý kiến, kiến nghị", "Đại diện các doanh nghiệp", ()),
            ("Giải đáp kiến nghị, vướng mắc của doanh nghiệp", "Lãnh đạo Ban và các phòng chuyên môn",
             ("dn", "qldt", "qhxd", "tnmt", "qlld", "vpdd")),
            ("Kết luận và bế mạc hội nghị", "Lãnh đạo Ban Quản lý", ("ldb",)),
        ),
    ),
    "phu-lien": Style(
        "Hội trường Đảng ủy phường Phù Liễn (Số 9/157 đường Nguyễn Lương Bằng, Tổ dân phố Lý Thường Kiệt 2, "
        "phường Phù Liễn, thành phố Hải Phòng)",
        "Lãnh đạo UBND phường Phù Liễn",
        # Seed 004, I.1.
        "Trực tiếp trao đổi, thảo luận giữa Ủy ban nhân dân phường, các phòng, ban chuyên môn của phường, Thuế cơ "
        "sở 5 và các doanh nghiệp, hợp tác xã, hộ kinh doanh trên địa bàn phường; kịp thời tháo gỡ khó khăn, vướng "
        "mắc, góp phần cải thiện môi trường đầu tư, nâng cao chỉ số PCI và DDCI.",
        (  # Seed 004, II.3: the ward's programme with the responsible units.
            ("Đón tiếp đại biểu", "Phòng Kinh tế, Hạ tầng và Đô thị; Văn phòng HĐND-UBND", ("ktht", "vphd")),
            ("Phát biểu khai mạc hội nghị", "Lãnh đạo UBND phường", ("ldp",)),
            ("Tuyên bố lý do, giới thiệu đại biểu, thông qua chương trình Hội nghị",
             "Lãnh đạo Văn phòng HĐND - UBND phường", ("vphd",)),
            ("Các doanh nghiệp, hợp tác xã, hộ kinh doanh phát biểu ý kiến, kiến nghị",
             "Đại diện các doanh nghiệp, hợp tác xã, hộ kinh doanh", ()),
            ("Tiếp thu, giải đáp các kiến nghị, khó khăn, vướng mắc doanh nghiệp, hợp tác xã, hộ kinh doanh",
             "Lãnh đạo Phòng Kinh tế, Hạ tầng và Đô thị phường", ("ktht",)),
            ("Kết luận và bế mạc hội nghị", "Lãnh đạo UBND phường", ("ldp",)),
        ),
        _WARD_INVITEES,
    ),
    "hai-trieu": Style(
        "Hội trường UBND phường Hải Triều (địa chỉ mẫu, dữ liệu mẫu)",
        "Lãnh đạo UBND phường Hải Triều",
        "Lắng nghe, tháo gỡ khó khăn của doanh nghiệp, hợp tác xã nghề cá và hộ kinh doanh trên địa bàn phường; "
        "thông tin chính sách hỗ trợ kinh tế tư nhân theo Nghị quyết 68-NQ/TW.",
        (
            ("Đón tiếp đại biểu", "Văn phòng HĐND-UBND", ("ht.vphd",)),
            ("Phát biểu khai mạc hội nghị", "Lãnh đạo UBND phường", ("ht.ldp",)),
            ("Các doanh nghiệp, hợp tác xã, hộ kinh doanh phát biểu ý kiến, kiến nghị",
             "Đại diện các doanh nghiệp, hợp tác xã, hộ kinh doanh", ()),
            ("Giải đáp kiến nghị, vướng mắc", "Lãnh đạo Phòng Kinh tế, Hạ tầng và Đô thị phường", ("ht.ktht",)),
            ("Kết luận và bế mạc hội nghị", "Lãnh đạo UBND phường", ("ht.ldp",)),
        ),
        _WARD_INVITEES,
    ),
    "so-cong-thuong": Style(
        "Hội trường Sở Công Thương thành phố Hải Phòng",
        "Lãnh đạo Sở Công Thương",
        "Tháo gỡ khó khăn, vướng mắc của doanh nghiệp trong lĩnh vực công nghiệp, thương mại, năng lượng; "
        "thông tin chính sách phát triển công nghiệp hỗ trợ và xúc tiến thương mại của thành phố.",
        (
            ("Đón tiếp đại biểu", "Văn phòng Sở", ("sct.vp",)),
            ("Phát biểu khai mạc hội nghị", "Lãnh đạo Sở", ("sct.ld",)),
            ("Các doanh nghiệp phát biểu ý kiến, kiến nghị", "Đại diện các doanh nghiệp", ()),
            ("Giải đáp kiến nghị, vướng mắc của doanh nghiệp", "Lãnh đạo Sở và các phòng chuyên môn",
             ("sct.kh", "sct.cn", "sct.tm", "sct.nl")),
            ("Kết luận và bế mạc hội nghị", "Lãnh đạo Sở", ("sct.ld",)),
        ),
        "doanh nghiệp trong lĩnh vực công nghiệp, thương mại, năng lượng trên địa bàn thành phố",
    ),
}

# Seed 004, III.2: every unit's tasks (done 3 days before the conference, R4).
PHU_LIEN_TASKS: tuple[tuple[str, str], ...] = (
    ("ktht", "Xây dựng kế hoạch, nội dung, chương trình, kịch bản Hội nghị đối thoại doanh nghiệp, hợp tác xã, "
             "hộ kinh doanh phường Phù Liễn"),
    ("ktht", "Cung cấp thông tin về hội nghị cho Trung tâm dịch vụ sự nghiệp công phục vụ công tác tuyên truyền"),
    ("ktht", "Tham mưu UBND phường bố trí kinh phí tổ chức Hội nghị đảm bảo tiết kiệm, hiệu quả"),
    ("ktht", "Gửi Thông báo tổ chức Hội nghị tới các doanh nghiệp, lập danh sách doanh nghiệp đăng ký dự; "
             "tiếp nhận câu hỏi của doanh nghiệp; cử thư ký hội nghị"),
    ("vphd", "Triển khai giấy mời và mời đại biểu UBND phường, chuẩn bị khánh tiết, đón tiếp đại biểu và phân "
             "công người làm công tác tổ chức phục vụ Hội nghị"),
    ("ttdv", "Đăng tải Kế hoạch, Giấy mời, thông tin về hội nghị trên các phương tiện truyền thông hiện có"),
    ("ttdv", "Đưa tin về hội nghị đối thoại"),
    ("thue5", "Phối hợp chuyển giấy mời cho các doanh nghiệp, hợp tác xã, hộ kinh doanh; tổng hợp ý kiến, kiến "
              "nghị gửi UBND phường qua Tổ tư vấn, hỗ trợ doanh nghiệp"),
)


@dataclass(frozen=True)
class RecommendationRow:
    field: str  # a recommendations.models.Field value
    unit: str
    content: str
    outcome: str  # "at_conference", "in_writing" or "open"
    coordination: str = ""  # why other agencies must take part (R5: 14 working days)
    answer: str = ""
    language_en: bool = False  # written by an English-language enterprise


# The held HEZA conference: answered at the conference, in writing, and still open.
HEZA_HELD_RECOMMENDATIONS: tuple[RecommendationRow, ...] = (
    RecommendationRow("investment", "qldt",
                      "Đề nghị hướng dẫn thủ tục điều chỉnh Giấy chứng nhận đăng ký đầu tư khi tăng vốn và bổ sung "
                      "mục tiêu sản xuất linh kiện điện tử.", "at_conference",
                      answer="Doanh nghiệp nộp hồ sơ điều chỉnh theo Điều 47 Luật Đầu tư qua Bộ phận một cửa; "
                             "thời hạn giải quyết 10 ngày làm việc. Phòng Quản lý Đầu tư hướng dẫn trực tiếp."),
    RecommendationRow("planning", "qhxd",
                      "Đề nghị rút ngắn thời gian thẩm định thiết kế cơ sở nhà xưởng mở rộng giai đoạn 2.",
                      "at_conference",
                      answer="Ban Quản lý tiếp nhận hồ sơ song song với thẩm duyệt phòng cháy chữa cháy để rút "
                             "ngắn thời gian; Phòng Quản lý Quy hoạch và Xây dựng làm đầu mối."),
    RecommendationRow("labour", "qlld",
                      "Đề nghị hỗ trợ tuyển dụng khoảng 200 lao động phổ thông trong quý tới và kết nối với các "
                      "trường đào tạo nghề.", "at_conference",
                      answer="Trung tâm Xúc tiến đầu tư và Dịch vụ việc làm tổ chức phiên giao dịch việc làm "
                             "chuyên đề cho doanh nghiệp trong tháng tới."),
    RecommendationRow("administrative", "qlld",
                      "Đề nghị cho phép nộp hồ sơ cấp giấy phép lao động cho người nước ngoài hoàn toàn trực tuyến.",
                      "at_conference",
                      answer="Thủ tục đã được cung cấp trực tuyến toàn trình trên Cổng dịch vụ công; Phòng Quản lý "
                             "Lao động hướng dẫn doanh nghiệp tạo tài khoản."),
    RecommendationRow("environment", "tnmt",
                      "Vướng mắc khi đề nghị cấp lại giấy phép môi trường do thay đổi công nghệ xử lý nước thải.",
                      "in_writing",
                      answer="Trường hợp thay đổi công nghệ xử lý nước thải thuộc diện cấp điều chỉnh giấy phép môi "
                             "trường; hồ sơ và trình tự gửi kèm văn bản trả lời."),
    RecommendationRow("land", "tnmt",
                      "Đề nghị làm rõ thời hạn thuê đất còn lại khi chuyển nhượng một phần nhà xưởng cho doanh "
                      "nghiệp khác trong khu công nghiệp.", "in_writing",
                      answer="Thời hạn thuê lại đất không vượt quá thời hạn còn lại của dự án đầu tư kết cấu hạ tầng; "
                             "chi tiết tại văn bản trả lời."),
    RecommendationRow("infrastructure", "vpdd",
                      "Tuyến đường nội khu thường xuyên ngập khi triều cường, đề nghị yêu cầu chủ đầu tư hạ tầng "
                      "khắc phục.", "open",
                      coordination="Cần phối hợp với chủ đầu tư kinh doanh hạ tầng khu công nghiệp và Sở Xây dựng."),
    RecommendationRow("customs", "dn",
                      "We request support to shorten physical inspection times for export containers at the port "
                      "and clearer guidance on the green-lane criteria.", "open",
                      coordination="Cần phối hợp với Chi cục Hải quan quản lý hàng đầu tư gia công.",
                      language_en=True),
    RecommendationRow("fire_safety", "qhxd",
                      "Đề nghị hướng dẫn nghiệm thu phòng cháy chữa cháy cho kho chứa hóa chất mới xây dựng.", "open"),
    RecommendationRow("tax", "dn",
                      "Đề nghị hướng dẫn hồ sơ hoàn thuế giá trị gia tăng đối với dự án đầu tư mở rộng đang trong "
                      "giai đoạn đầu tư.", "open"),
)

# The ward conference collecting registrations now (all still open).
PHU_LIEN_OPEN_RECOMMENDATIONS: tuple[RecommendationRow, ...] = (
    RecommendationRow("tax", "thue5",
                      "Đề nghị hướng dẫn hộ kinh doanh chuyển sang phương pháp kê khai và sử dụng hóa đơn điện tử "
                      "khởi tạo từ máy tính tiền.", "open"),
    RecommendationRow("infrastructure", "ktht",
                      "Đề nghị cải tạo hệ thống thoát nước trên tuyến đường trước khu kinh doanh, thường xuyên ngập "
                      "khi mưa lớn.", "open",
                      coordination="Cần phối hợp với đơn vị quản lý hạ tầng thoát nước thành phố."),
    RecommendationRow("administrative", "ktht",
                      "Đề nghị hỗ trợ thủ tục chuyển đổi hộ kinh doanh lên doanh nghiệp và thông tin về chính sách "
                      "hỗ trợ theo Nghị quyết 68-NQ/TW.", "open"),
    RecommendationRow("other", "ttdv",
                      "Đề nghị giới thiệu sản phẩm của hợp tác xã trên Zalo OA và Trang thông tin điện tử của phường.",
                      "open"),
)

# The ward conference held earlier in the year: two answered, one still open (overdue).
PHU_LIEN_PAST_RECOMMENDATIONS: tuple[RecommendationRow, ...] = (
    RecommendationRow("administrative", "ktht",
                      "Đề nghị rút ngắn thời gian cấp giấy chứng nhận đăng ký hộ kinh doanh.", "at_conference",
                      answer="Phường giải quyết trong 3 ngày làm việc kể từ khi nhận đủ hồ sơ hợp lệ; hồ sơ trực "
                             "tuyến được ưu tiên."),
    RecommendationRow("tax", "thue5",
                      "Đề nghị tập huấn về hóa đơn điện tử cho hộ kinh doanh mới thành lập.", "in_writing",
                      answer="Thuế cơ sở 5 tổ chức tập huấn miễn phí vào thứ Năm hằng tuần tại trụ sở."),
    RecommendationRow("infrastructure", "ktht",
                      "Đề nghị bố trí điểm đỗ xe tạm thời cho khách hàng tại khu chợ dân sinh.", "open",
                      coordination="Cần phối hợp với Công an phường và đơn vị quản lý chợ."),
)

# Sent outside any conference, by email or on paper (R5 counts from receipt).
DIRECT_RECOMMENDATIONS: tuple[RecommendationRow, ...] = (
    RecommendationRow("planning", "qhxd",
                      "Đề nghị hướng dẫn điều chỉnh tổng mặt bằng để bổ sung mái che khu tập kết hàng.", "open"),
    RecommendationRow("labour", "qlld",
                      "Đề nghị thông tin về chính sách hỗ trợ nhà ở cho công nhân trong khu công nghiệp.", "open"),
)

# The invented ward's conference: unit tasks (R4) and recommendations, one still open within its 14 days.
HAI_TRIEU_TASKS: tuple[tuple[str, str], ...] = (
    ("ht.ktht", "Xây dựng kế hoạch, chương trình Hội nghị; gửi Thông báo tổ chức Hội nghị tới các doanh nghiệp, "
                "hợp tác xã, hộ kinh doanh"),
    ("ht.vphd", "Triển khai giấy mời, chuẩn bị khánh tiết, đón tiếp đại biểu"),
    ("ht.ttdv", "Đăng tải thông tin về hội nghị trên Trang thông tin điện tử và Zalo OA của phường"),
)

HAI_TRIEU_RECOMMENDATIONS: tuple[RecommendationRow, ...] = (
    RecommendationRow("administrative", "ht.ktht",
                      "Đề nghị hướng dẫn thủ tục cấp giấy chứng nhận đủ điều kiện an toàn thực phẩm cho cơ sở chế "
                      "biến hải sản quy mô nhỏ.", "at_conference",
                      answer="Phòng Kinh tế, Hạ tầng và Đô thị hướng dẫn hồ sơ tại Bộ phận một cửa phường; cơ sở "
                             "nhỏ lẻ ký cam kết bảo đảm an toàn thực phẩm theo quy định."),
    RecommendationRow("infrastructure", "ht.ktht",
                      "Đề nghị sửa chữa bến neo đậu tàu thuyền của hợp tác xã bị sạt lở sau mưa bão.", "in_writing",
                      answer="UBND phường đưa hạng mục sửa chữa bến neo đậu vào kế hoạch duy tu năm nay; chi tiết "
                             "tại văn bản trả lời."),
    RecommendationRow("land", "ht.ktht",
                      "Đề nghị hỗ trợ thuê mặt bằng tập trung cho hộ kinh doanh dịch vụ nghề cá.", "open",
                      coordination="Cần phối hợp với Sở Nông nghiệp và Môi trường về quỹ đất ven sông."),
)

# The department's conference, all answered (R5) and reported (R6).
SO_CONG_THUONG_RECOMMENDATIONS: tuple[RecommendationRow, ...] = (
    RecommendationRow("administrative", "sct.tm",
                      "Đề nghị rút ngắn thời gian cấp giấy phép kinh doanh bán lẻ cho cơ sở bán lẻ thứ hai.",
                      "at_conference",
                      answer="Sở tiếp nhận và trả kết quả trực tuyến toàn trình; thời hạn giải quyết rút còn 10 ngày "
                             "làm việc."),
    RecommendationRow("other", "sct.nl",
                      "Đề nghị hướng dẫn đấu nối điện mặt trời mái nhà tự sản tự tiêu cho nhà xưởng.",
                      "at_conference",
                      answer="Phòng Quản lý Năng lượng hướng dẫn trình tự thông báo và đấu nối theo quy định hiện "
                             "hành; doanh nghiệp liên hệ trực tiếp để được hỗ trợ."),
    RecommendationRow("investment", "sct.cn",
                      "Đề nghị thông tin về chương trình hỗ trợ phát triển công nghiệp hỗ trợ của thành phố.",
                      "at_conference",
                      answer="Chương trình được công bố trên Cổng thông tin điện tử của Sở; hồ sơ đề nghị hỗ trợ "
                             "nộp trước ngày 30 hằng quý."),
    RecommendationRow("customs", "sct.tm",
                      "Đề nghị hỗ trợ thông tin thị trường và quy tắc xuất xứ khi xuất khẩu sang thị trường EU.",
                      "in_writing",
                      answer="Sở gửi kèm tài liệu hướng dẫn quy tắc xuất xứ theo Hiệp định EVFTA và danh sách đầu "
                             "mối hỗ trợ."),
    RecommendationRow("fire_safety", "sct.cn",
                      "Đề nghị hướng dẫn kiểm định an toàn kỹ thuật thiết bị áp lực trong nhà xưởng.", "in_writing",
                      answer="Danh mục thiết bị phải kiểm định và tổ chức kiểm định được công nhận gửi kèm văn bản "
                             "trả lời."),
)
