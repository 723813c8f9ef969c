"""The directory screens: organizers with their rule settings, units, zones, enterprises."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from heza.accounts.models import Role
from heza.admin import formatters as fmt
from heza.admin.base import IdFilter, ProtectedModelView, current_role, enum_filter, options_of
from heza.admin.forms import field_set
from heza.directory.models import (
    ORGANIZER_ONLY_FIELDS,
    SETTING_FIELDS,
    Enterprise,
    EnterpriseKind,
    Organizer,
    OrganizerKind,
    Unit,
    UnitKind,
    Zone,
    ZoneKind,
)
from heza.extensions import db

CATEGORY = _l("Danh mục")

COMMON_LABELS: dict[str, Any] = {
    "name": _l("Tên"),
    "short_name": _l("Tên viết tắt"),
    "kind": _l("Loại"),
    "address": _l("Địa chỉ"),
    "phone": _l("Điện thoại"),
    "email": _l("Email"),
    "language": _l("Ngôn ngữ nhận thư"),
    "active": _l("Đang hoạt động"),
    "organizer": _l("Đơn vị tổ chức"),
    "created_dt": _l("Tạo lúc"),
    "updated_dt": _l("Cập nhật lúc"),
}


IDENTITY_FIELDS = ("name", "short_name", "kind", "slug", "parent_body", "header_name", "place_name",
                   "document_symbol", "address", "phone", "email")
SIGNER_FIELDS = ("signer_authority", "signer_title", "signer_name")
# What an organizer's own officers may change: how it is named, reached and signs. Its kind, its
# address on the portal (slug) and the numbers every deadline is computed from stay with admins.
OFFICER_EDITABLE = frozenset(IDENTITY_FIELDS + SIGNER_FIELDS) - {"kind", "slug"}


class OrganizerView(ProtectedModelView):
    """HEZA, the wards and city departments: identity, contacts, signer, and the settings every deadline uses.

    Staff see their own organizer only; its officers may edit its identity and signer; admins edit
    everything, create and delete.
    """

    write_roles = (Role.ADMIN, Role.OFFICER)

    column_list = ("name", "short_name", "kind", "slug", "lead_unit", "office_unit", "email", "phone")
    column_details_list = (*IDENTITY_FIELDS, *SIGNER_FIELDS, "lead_unit", "office_unit", *SETTING_FIELDS,
                           *ORGANIZER_ONLY_FIELDS, "created_dt", "updated_dt")
    column_export_list = (*IDENTITY_FIELDS, *SIGNER_FIELDS, "lead_unit", "office_unit", *SETTING_FIELDS,
                          *ORGANIZER_ONLY_FIELDS)
    column_filters = (enum_filter(Organizer.kind, _l("Loại"), OrganizerKind),)
    column_sortable_list = ("name", "short_name", "kind", "slug")
    column_default_sort = ("name", False)
    column_labels = {
        **COMMON_LABELS,
        "name": _l("Tên đơn vị tổ chức"),
        "slug": _l("Tên trên đường dẫn"),
        "parent_body": _l("Cơ quan chủ quản (dòng trên của tiêu đề văn bản)"),
        "header_name": _l("Tên trong tiêu đề văn bản"),
        "place_name": _l("Địa danh ghi ngày văn bản"),
        "document_symbol": _l("Ký hiệu văn bản"),
        "signer_authority": _l("Thẩm quyền ký (KT./TM.)"),
        "signer_title": _l("Chức vụ người ký"),
        "signer_name": _l("Họ tên người ký"),
        "lead_unit": _l("Đơn vị đầu mối (tổng hợp kiến nghị, báo cáo)"),
        "office_unit": _l("Văn phòng (đăng thông báo, theo dõi)"),
        **{name: label for name, (_default, label) in SETTING_FIELDS.items()},
        **{name: label for name, (_default, label) in ORGANIZER_ONLY_FIELDS.items()},
    }
    column_descriptions = {
        "slug": _l("Chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ phu-lien: trang thông báo riêng của "
                   "đơn vị là /o/phu-lien/."),
        "parent_body": _l("Ví dụ: UBND THÀNH PHỐ HẢI PHÒNG."),
        "header_name": _l("Ví dụ: BAN QUẢN LÝ KHU KINH TẾ. Để trống thì dùng tên đơn vị."),
        "place_name": _l("Ví dụ: Hải Phòng, hoặc Phù Liễn: \"Phù Liễn, ngày … tháng … năm …\"."),
        "document_symbol": _l("Phần sau dấu gạch trong số văn bản, ví dụ BQL trong \"Số: …/BC-BQL\"."),
        "signer_authority": _l("Ví dụ: KT. TRƯỞNG BAN, hoặc TM. ỦY BAN NHÂN DÂN; để trống khi người đứng đầu ký."),
        "signer_title": _l("Ví dụ: PHÓ TRƯỞNG BAN, hoặc CHỦ TỊCH."),
        **{name: _l("Mặc định: %(n)s.", n=default)
           for name, (default, _label) in (*SETTING_FIELDS.items(), *ORGANIZER_ONLY_FIELDS.items())},
    }
    column_formatters = {"name": fmt.text(limit=80)}
    form_columns = (*IDENTITY_FIELDS, *SIGNER_FIELDS, "lead_unit", "office_unit", *SETTING_FIELDS,
                    *ORGANIZER_ONLY_FIELDS)
    # Officers' edit form lacks the admin-only fields: the field sets skip what the form does not have.
    form_rules = (
        field_set(IDENTITY_FIELDS, _l("Thông tin chung và tiêu đề văn bản")),
        field_set(SIGNER_FIELDS, _l("Người ký văn bản")),
        field_set(("lead_unit", "office_unit"), _l("Đơn vị phụ trách")),
        field_set(tuple(SETTING_FIELDS), _l("Thời hạn và ngưỡng của hội nghị (mặc định cho mọi hội nghị)")),
        field_set(tuple(ORGANIZER_ONLY_FIELDS), _l("Chỉ tiêu hằng năm, nhắc việc, đường dây nóng")),
    )
    form_args = {
        name: {"label": label, "description": _l("Mặc định: %(n)s.", n=default)}
        for name, (default, label) in (*SETTING_FIELDS.items(), *ORGANIZER_ONLY_FIELDS.items())
    }

    @property
    def can_create(self) -> bool:  # type: ignore[override]
        return super().can_create and current_role() == Role.ADMIN

    @property
    def can_delete(self) -> bool:  # type: ignore[override]
        return super().can_delete and current_role() == Role.ADMIN

    def is_action_allowed(self, name: str) -> bool:
        return current_role() == Role.ADMIN and super().is_action_allowed(name)

    def edit_form(self, obj: Any = None) -> Any:
        form = super().edit_form(obj)
        if current_role() != Role.ADMIN:
            for name in [f.name for f in form if f.name not in OFFICER_EDITABLE and f.name != "csrf_token"]:
                del form[name]
        return form


class UnitView(ProtectedModelView):
    """Departments, ward units, city agencies, leaders and media that receive reminders and alerts."""

    column_list = ("name", "short_name", "kind", "organizer", "emails", "supervisor", "active")
    column_details_list = ("name", "short_name", "kind", "organizer", "emails", "supervisor", "language", "active",
                           "created_dt", "updated_dt")
    column_export_list = ("name", "short_name", "kind", "organizer", "emails", "supervisor", "language", "active")
    column_filters = (
        IdFilter(Unit.organizer_id, _l("Đơn vị tổ chức"), options=options_of(Organizer, Organizer.name)),
        enum_filter(Unit.kind, _l("Loại"), UnitKind),
        "active",
    )
    column_sortable_list = ("name", "short_name", "kind", ("organizer", "organizer.name"), "active")
    column_default_sort = ("name", False)
    column_labels = {
        **COMMON_LABELS,
        "name": _l("Tên đơn vị"),
        "emails": _l("Email nhận thư"),
        "supervisor": _l("Đơn vị giám sát (đồng gửi cảnh báo quá hạn)"),
    }
    column_descriptions = {
        "emails": _l("Một hoặc nhiều địa chỉ, cách nhau bởi dấu phẩy."),
        "active": _l("Bỏ đánh dấu thay vì xóa khi đơn vị không còn nhận việc."),
    }
    column_formatters = {"emails": fmt.text(limit=80)}
    form_columns = ("organizer", "name", "short_name", "kind", "emails", "supervisor", "language", "active")
    form_args = {"emails": {"label": _l("Email nhận thư")}}


class ZoneView(ProtectedModelView):
    """Industrial zones and the economic zone."""

    column_list = ("code", "name", "kind")
    column_details_list = ("code", "name", "kind", "created_dt", "updated_dt")
    column_export_list = ("code", "name", "kind")
    column_filters = (enum_filter(Zone.kind, _l("Loại"), ZoneKind),)
    column_default_sort = ("code", False)
    column_labels = {**COMMON_LABELS, "code": _l("Mã"), "name": _l("Tên khu")}
    form_columns = ("code", "name", "kind")


class EnterpriseView(ProtectedModelView):
    """Enterprises, cooperatives and household businesses; the tax code is unique and checked."""

    column_list = ("name", "tax_code", "kind", "zone", "ward", "email", "phone", "active")
    column_details_list = ("name", "tax_code", "kind", "zone", "ward", "address", "contact_name", "phone", "email",
                           "cc_emails", "language", "active", "created_dt", "updated_dt")
    column_export_list = ("name", "tax_code", "kind", "zone", "ward", "address", "contact_name", "phone", "email",
                          "cc_emails", "language", "active")
    column_filters = (
        IdFilter(Enterprise.zone_id, _l("Khu"), options=options_of(Zone, Zone.name)),
        IdFilter(Enterprise.ward_id, _l("Phường, xã"),
                 options=options_of(Organizer, Organizer.name, Organizer.kind == OrganizerKind.WARD, shared=True)),
        enum_filter(Enterprise.kind, _l("Loại hình"), EnterpriseKind),
        "active",
    )
    column_sortable_list = ("name", "tax_code", ("zone", "zone.name"), ("ward", "ward.name"), "active")
    column_default_sort = ("name", False)
    column_labels = {
        **COMMON_LABELS,
        "name": _l("Tên doanh nghiệp"),
        "tax_code": _l("Mã số thuế"),
        "kind": _l("Loại hình"),
        "zone": _l("Khu công nghiệp, khu kinh tế"),
        "ward": _l("Phường, xã"),
        "contact_name": _l("Người liên hệ"),
        "email": _l("Email nhận thư mời, trả lời"),
        "cc_emails": _l("Email đồng gửi (trả lời kiến nghị)"),
    }
    column_descriptions = {
        "tax_code": _l("10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số với chi nhánh."),
        "zone": _l("Chọn khu, hoặc phường với doanh nghiệp ngoài khu."),
    }
    form_columns = ("name", "tax_code", "kind", "zone", "ward", "address", "contact_name", "phone", "email",
                    "cc_emails", "language", "active")
    form_args = {
        "ward": {"query_factory": lambda: db.session.query(Organizer).filter(Organizer.kind == OrganizerKind.WARD)},
    }
    shared_relations = ("ward",)  # a ward as the enterprise's location: every organizer may name any


def register(admin: Any) -> None:
    """Add the directory screens to ``admin``."""
    admin.add_view(OrganizerView(Organizer, db, name=_l("Đơn vị tổ chức"), category=CATEGORY,
                                 endpoint="organizer"))
    admin.add_view(UnitView(Unit, db, name=_l("Đơn vị, cơ quan"), category=CATEGORY, endpoint="unit"))
    admin.add_view(ZoneView(Zone, db, name=_l("Khu công nghiệp, khu kinh tế"), category=CATEGORY,
                            endpoint="zone"))
    admin.add_view(EnterpriseView(Enterprise, db, name=_l("Doanh nghiệp"), category=CATEGORY,
                                  endpoint="enterprise"))
