"""The hotline log: every contact, its assigned unit, its response and its due date (R11)."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms.validators import ValidationError

from heza import deadlines
from heza.accounts.models import Role
from heza.admin import formatters as fmt
from heza.admin.base import IdFilter, ProtectedModelView, enum_filter, options_of
from heza.base import local_date_of, local_today, now_utc
from heza.directory.models import Organizer, Unit
from heza.extensions import db
from heza.hotline.models import HOTLINE_OPEN, HotlineChannel, HotlineItem, HotlineKind, HotlineStatus

CATEGORY = _l("Đường dây nóng")
ANSWERED = (HotlineStatus.ANSWERED, HotlineStatus.CLOSED)


def hotline_state(item: HotlineItem, today: date) -> tuple[str, str]:
    """``(text, css)``: answered on time or late, working days left, or overdue."""
    if item.status in ANSWERED and item.responded_dt is not None:
        if item.due_on is None or local_date_of(item.responded_dt) <= item.due_on:
            return _("Phản hồi đúng hạn"), "success"
        return _("Phản hồi trễ hạn"), "warning"
    if item.due_on is None:
        return _("Chưa có hạn"), "light"
    if item.due_on < today:
        return _("Quá hạn %(n)d ngày làm việc", n=-(deadlines.due_state(item.due_on, today) or 0)), "danger"
    if item.due_on == today:
        return _("Hết hạn hôm nay"), "warning"
    return _("Còn %(n)d ngày làm việc", n=deadlines.due_state(item.due_on, today) or 0), "info"


def _state_badge(view: Any, context: Any, model: HotlineItem, name: str) -> Markup:
    text, css = hotline_state(model, local_today())
    return Markup('<span class="badge badge-{}">{}</span>').format(css, text)


def _due_on(view: Any, context: Any, model: HotlineItem, name: str) -> Markup:
    if model.due_on is None:
        return Markup("")
    return Markup('<span title="{}">{:%d/%m/%Y}</span>').format(model.due_basis, model.due_on)


class OverdueFilter(BaseSQLAFilter):
    """Open items past their due date ("yes"), or those still in time ("no")."""

    def __init__(self, name: Any) -> None:
        super().__init__(HotlineItem.due_on, name, options=(("1", _l("Quá hạn")), ("0", _l("Chưa quá hạn"))))

    def apply(self, query: Any, value: str, alias: Any = None) -> Any:
        overdue = sa.and_(HotlineItem.status.in_(HOTLINE_OPEN), HotlineItem.due_on < local_today())
        return query.filter(overdue if value == "1" else sa.not_(overdue))

    def operation(self) -> Any:
        return _l("là")


RESPONSE_FIELDS = ("status", "response", "responded_dt")


class HotlineItemView(ProtectedModelView):
    """Contacts through the hotline, Facebook, in person or email; unit staff answer their unit's."""

    read_roles = (Role.ADMIN, Role.OFFICER, Role.VIEWER, Role.UNIT)
    write_roles = (Role.ADMIN, Role.OFFICER, Role.UNIT)
    unit_column = "assigned_unit_id"
    unit_can_edit_columns = RESPONSE_FIELDS

    column_list = ("reference", "received_dt", "kind", "channel", "person_name", "content", "assigned_unit",
                   "status", "due_on", "due_state")
    column_details_list = ("reference", "organizer", "received_dt", "channel", "kind", "person_name", "contact",
                           "content", "duty_officer", "assigned_unit", "status", "due_on", "due_state", "due_basis",
                           "response", "responded_dt", "created_dt", "updated_dt")
    column_export_list = ("reference", "received_dt", "channel", "kind", "person_name", "contact", "content",
                          "duty_officer", "assigned_unit", "status", "due_on", "due_state", "response",
                          "responded_dt")
    column_filters = (
        IdFilter(HotlineItem.assigned_unit_id, _l("Đơn vị xử lý"), options=options_of(Unit, Unit.name)),
        enum_filter(HotlineItem.status, _l("Trạng thái"), HotlineStatus),
        enum_filter(HotlineItem.kind, _l("Loại"), HotlineKind),
        enum_filter(HotlineItem.channel, _l("Kênh tiếp nhận"), HotlineChannel),
        OverdueFilter(_l("Quá hạn")),
        IdFilter(HotlineItem.organizer_id, _l("Đơn vị tổ chức"), options=options_of(Organizer, Organizer.name)),
        "received_dt",
        "due_on",
    )
    column_sortable_list = ("reference", "received_dt", "kind", "status", "due_on",
                            ("assigned_unit", "assigned_unit.name"))
    column_default_sort = [("received_dt", True), ("id", True)]
    column_labels = {
        "reference": _l("Số tham chiếu"),
        "organizer": _l("Đơn vị tiếp nhận"),
        "received_dt": _l("Tiếp nhận lúc"),
        "channel": _l("Kênh tiếp nhận"),
        "kind": _l("Loại"),
        "person_name": _l("Người phản ánh"),
        "contact": _l("Liên hệ"),
        "content": _l("Nội dung"),
        "duty_officer": _l("Cán bộ trực"),
        "assigned_unit": _l("Đơn vị xử lý"),
        "status": _l("Trạng thái"),
        "response": _l("Nội dung phản hồi"),
        "responded_dt": _l("Phản hồi lúc"),
        "due_on": _l("Hạn xử lý"),
        "due_state": _l("Tình trạng hạn"),
        "due_basis": _l("Căn cứ tính hạn"),
        "created_dt": _l("Tạo lúc"),
        "updated_dt": _l("Cập nhật lúc"),
    }
    column_descriptions = {
        "responded_dt": _l("Để trống sẽ lấy thời điểm lưu khi chuyển sang “Đã phản hồi”."),
    }
    column_formatters = {
        "content": fmt.text(limit=100),
        "due_on": _due_on,
        "due_state": _state_badge,
    }
    column_formatters_detail = {"content": fmt.multiline(), "response": fmt.multiline(), "due_state": _state_badge,
                                "due_on": _due_on}
    column_formatters_export = {"due_state": lambda v, c, m, n: hotline_state(m, local_today())[0]}
    form_columns = ("organizer", "received_dt", "channel", "kind", "person_name", "contact", "content",
                    "duty_officer", "assigned_unit", *RESPONSE_FIELDS)

    def on_model_change(self, form: Any, model: HotlineItem, is_created: bool) -> None:
        if model.status in ANSWERED:
            if not (model.response or "").strip():
                raise ValidationError(_("Nhập nội dung phản hồi trước khi chuyển sang \"%(status)s\".",
                                        status=model.status.label))
            if model.responded_dt is None:
                model.responded_dt = now_utc()
        elif model.status == HotlineStatus.RECEIVED and model.assigned_unit is not None and is_created:
            model.status = HotlineStatus.ASSIGNED
        super().on_model_change(form, model, is_created)


def register(admin: Any) -> None:
    """Add the hotline screen to ``admin``."""
    admin.add_view(HotlineItemView(HotlineItem, db, name=_l("Phản ánh, kiến nghị qua đường dây nóng"),
                                   category=CATEGORY, endpoint="hotline"))
