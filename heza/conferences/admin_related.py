"""The records around a conference: agenda items, unit tasks, invitations, registrations (with attendees),
announcements and reports. The conference screen itself is in :mod:`heza.conferences.admin`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash
from flask_admin.actions import action
from flask_admin.model.form import InlineFormAdmin
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from heza import deadlines
from heza.accounts.models import Role
from heza.admin import formatters as fmt
from heza.admin.base import IdFilter, ProtectedModelView, enum_filter, options_of
from heza.base import local_today, now_utc
from heza.conferences.audiences import InviteeGroup, StandingInvitee
from heza.conferences.models import (
    AgendaItem,
    Announcement,
    AnnouncementKind,
    Attendee,
    Channel,
    Conference,
    Invitation,
    Registration,
    Report,
    ReportKind,
    Task,
)
from heza.directory.models import Organizer, Unit
from heza.extensions import db

CATEGORY = _l("Hội nghị")

LABELS: dict[str, Any] = {
    "conference": _l("Hội nghị"),
    "conference.title": _l("Tên hội nghị"),
    "organizer": _l("Đơn vị tổ chức"),
    "enterprise": _l("Doanh nghiệp"),
    "enterprise.name": _l("Tên doanh nghiệp"),
    "enterprise.tax_code": _l("Mã số thuế"),
    "unit": _l("Đơn vị"),
    "unit.name": _l("Tên đơn vị"),
    "units": _l("Đơn vị chuẩn bị"),
    "note": _l("Ghi chú"),
    "position": _l("Thứ tự"),
    "content": _l("Nội dung"),
    "presenter": _l("Người trình bày"),
    "done_dt": _l("Hoàn thành lúc"),
    "description": _l("Nhiệm vụ"),
    "due_on": _l("Hạn hoàn thành"),
    "due_explicit": _l("Hạn do người dùng đặt"),
    "due_state": _l("Tình trạng hạn"),
    "received_dt": _l("Tiếp nhận lúc"),
    "channel": _l("Hình thức"),
    "withdrawn_dt": _l("Rút lúc"),
    "attendees": _l("Người tham dự"),
    "kind": _l("Loại"),
    "title": _l("Tiêu đề"),
    "body": _l("Nội dung"),
    "on_portal": _l("Đăng trên Cổng thông tin"),
    "at_one_stop_desk": _l("Niêm yết tại Bộ phận một cửa"),
    "scheduled_on": _l("Ngày dự kiến đăng"),
    "published_dt": _l("Đăng lúc"),
    "late": _l("Đăng muộn"),
    "recipients": _l("Nơi nhận"),
    "responsible_unit": _l("Đơn vị soạn thảo"),
    "document_number": _l("Số văn bản"),
    "drafted_dt": _l("Dự thảo xong lúc"),
    "submitted_dt": _l("Gửi lúc"),
    "created_dt": _l("Tạo lúc"),
    "updated_dt": _l("Cập nhật lúc"),
}

def _conference_filter(column: Any) -> IdFilter:
    return IdFilter(column, _l("Hội nghị"), options=options_of(Conference, Conference.held_on.desc()))


def _unit_filter(column: Any, name: Any = None) -> IdFilter:
    return IdFilter(column, name or _l("Đơn vị"), options=options_of(Unit, Unit.name))


# --------------------------------------------------------------------------- agenda


class AgendaItemView(ProtectedModelView):
    """Lines of a conference programme with the units preparing them."""

    column_list = ("conference", "position", "content", "presenter", "units", "done_dt")
    column_details_list = ("conference", "position", "content", "presenter", "units", "done_dt", "created_dt",
                           "updated_dt")
    column_export_list = ("conference", "position", "content", "presenter", "units", "done_dt")
    column_filters = (_conference_filter(AgendaItem.conference_id),)
    column_sortable_list = ("position", ("conference", "conference.held_on"))
    column_default_sort = [("conference_id", True), ("position", False)]
    column_labels = LABELS
    column_formatters = {"content": fmt.text(limit=120)}
    form_columns = ("conference", "position", "content", "presenter", "units", "done_dt")


# --------------------------------------------------------------------------- tasks


def task_state(task: Task, today: date) -> tuple[str, str]:
    """``(text, css)``: done, working days left, due today or overdue."""
    if task.done_dt is not None:
        return _("Đã hoàn thành"), "success"
    if task.due_on is None:
        return _("Chưa có hạn"), "light"
    if task.due_on < today:
        return _("Quá hạn"), "danger"
    if task.due_on == today:
        return _("Hết hạn hôm nay"), "warning"
    left = deadlines.due_state(task.due_on, today)
    return _("Còn %(n)d ngày làm việc", n=left or 0), "info"


def _task_state_badge(view: Any, context: Any, model: Task, name: str) -> Markup:
    text, css = task_state(model, local_today())
    return Markup('<span class="badge badge-{}">{}</span>').format(css, text)


class TaskView(ProtectedModelView):
    """Work a unit owes; unit staff see their unit's tasks and record their completion."""

    read_roles = (Role.ADMIN, Role.OFFICER, Role.VIEWER, Role.UNIT)
    write_roles = (Role.ADMIN, Role.OFFICER, Role.UNIT)
    unit_column = "unit_id"
    unit_can_edit_columns = ("done_dt", "note")
    unit_actions = ("mark_done",)

    column_list = ("description", "unit", "conference", "due_on", "due_state", "done_dt")
    column_details_list = ("description", "unit", "conference", "due_on", "due_explicit", "due_state", "done_dt",
                           "note", "created_dt", "updated_dt")
    column_export_list = ("description", "unit", "conference", "due_on", "due_state", "done_dt", "note")
    column_filters = (
        _unit_filter(Task.unit_id),
        _conference_filter(Task.conference_id),
        "due_on",
        "done_dt",
        IdFilter(Conference.organizer_id, _l("Đơn vị tổ chức"), options=options_of(Organizer, Organizer.name)),
    )
    column_sortable_list = ("due_on", "done_dt", ("unit", "unit.name"), ("conference", "conference.held_on"))
    column_default_sort = [("due_on", False), ("id", False)]
    column_labels = LABELS
    column_descriptions = {
        "due_on": _l("Để trống để tính theo quy định (R4: trước ngày hội nghị); nhập ngày để đặt hạn riêng."),
        "done_dt": _l("Ngày giờ hoàn thành (giờ Việt Nam, dd/mm/yyyy HH:MM)."),
    }
    column_formatters = {"description": fmt.text(limit=120), "due_state": _task_state_badge}
    column_formatters_export = {"due_state": lambda v, c, m, n: task_state(m, local_today())[0]}
    form_columns = ("conference", "unit", "description", "due_on", "note", "done_dt")

    def on_model_change(self, form: Any, model: Task, is_created: bool) -> None:
        # A date typed here is the task's own; an empty one is computed from the conference (R4).
        if "due_on" in form:
            model.due_explicit = form.due_on.data is not None
        super().on_model_change(form, model, is_created)

    @action("mark_done", _l("Đánh dấu hoàn thành"), _l("Đánh dấu các nhiệm vụ đã chọn là đã hoàn thành?"))
    def action_mark_done(self, ids: list[str]) -> None:
        keys = [int(i) for i in ids if str(i).isdigit()]
        tasks = [t for t in self.get_query().filter(Task.id.in_(keys)) if t.done_dt is None]
        now = now_utc()
        for task in tasks:
            task.done_dt = now
        db.session.commit()
        flash(_("Đã đánh dấu hoàn thành %(n)d nhiệm vụ.", n=len(tasks)), "success")


# --------------------------------------------------------------------------- invitations and registrations


class InvitationView(ProtectedModelView):
    """Who is invited: an enterprise (personal link) or a unit, leader or outlet."""

    column_list = ("conference", "enterprise", "unit", "note", "created_dt")
    column_details_list = ("conference", "enterprise", "unit", "note", "created_dt", "updated_dt")
    column_export_list = ("conference", "enterprise", "enterprise.tax_code", "unit", "note")
    column_filters = (_conference_filter(Invitation.conference_id), _unit_filter(Invitation.unit_id))
    column_sortable_list = (("conference", "conference.held_on"), ("enterprise", "enterprise.name"),
                            ("unit", "unit.name"), "created_dt")
    column_default_sort = ("id", True)
    column_labels = {**LABELS, "unit": _l("Đơn vị, cơ quan được mời")}
    column_descriptions = {"enterprise": _l("Chọn một doanh nghiệp hoặc một đơn vị, không chọn cả hai.")}
    form_columns = ("conference", "enterprise", "unit", "note")
    form_ajax_refs = {"enterprise": {"fields": ("name", "tax_code"), "page_size": 20}}


class StandingInviteeView(ProtectedModelView):
    """The organizer's standing audience: invited to every new conference, or proposed by a recommendation's field."""

    column_list = ("organizer", "unit", "group", "field", "created_dt")
    column_details_list = ("organizer", "unit", "group", "field", "created_dt", "updated_dt")
    column_export_list = ("organizer", "unit", "group", "field")
    column_filters = (_unit_filter(StandingInvitee.unit_id),
                      enum_filter(StandingInvitee.group, _l("Nhóm"), InviteeGroup))
    column_sortable_list = (("unit", "unit.name"), "group", "field")
    column_default_sort = ("id", False)
    column_labels = {**LABELS, "organizer": _l("Đơn vị tổ chức"), "unit": _l("Đơn vị, cơ quan được mời"),
                     "group": _l("Nhóm"), "field": _l("Lĩnh vực kiến nghị")}
    column_descriptions = {
        "field": _l("Để trống: mời mọi hội nghị mới. Chọn lĩnh vực: đề xuất mời khi có kiến nghị thuộc lĩnh vực đó."),
    }
    form_columns = ("organizer", "unit", "group", "field")


class AttendeeInline(InlineFormAdmin):
    form_columns = ("id", "name", "position", "phone", "email")
    form_label = _l("Người tham dự")
    column_labels = {
        "name": _l("Họ và tên"),
        "position": _l("Chức vụ"),
        "phone": _l("Điện thoại"),
        "email": _l("Email"),
    }


class RegistrationView(ProtectedModelView):
    """Registrations to attend, with the people coming; counted for the quorum by the cutoff (R2)."""

    column_list = ("conference", "enterprise", "received_dt", "channel", "attendee_count", "withdrawn_dt")
    column_details_list = ("conference", "enterprise", "received_dt", "channel", "attendees", "withdrawn_dt", "note",
                           "created_dt", "updated_dt")
    column_export_list = ("conference", "enterprise", "enterprise.tax_code", "received_dt", "channel",
                          "attendees", "withdrawn_dt", "note")
    column_filters = (
        _conference_filter(Registration.conference_id),
        enum_filter(Registration.channel, _l("Hình thức"), Channel),
        "received_dt",
        "withdrawn_dt",
    )
    column_sortable_list = (("conference", "conference.held_on"), ("enterprise", "enterprise.name"),
                            "received_dt", "withdrawn_dt")
    column_default_sort = ("received_dt", True)
    column_labels = {**LABELS, "attendee_count": _l("Số người"), "received_dt": _l("Đăng ký lúc")}
    column_formatters = {
        "attendee_count": lambda v, c, m, n: len(m.attendees),
        "attendees": lambda v, c, m, n: ", ".join(
            f"{a.name} ({a.position})" if a.position else a.name for a in m.attendees),
    }
    form_columns = ("conference", "enterprise", "received_dt", "channel", "note", "withdrawn_dt", "attendees")
    form_ajax_refs = {"enterprise": {"fields": ("name", "tax_code"), "page_size": 20}}
    inline_models = (AttendeeInline(Attendee),)


# --------------------------------------------------------------------------- announcements and reports


class AnnouncementView(ProtectedModelView):
    """Notices on the portal and at the one-stop desk: the invitation notice (R1) and the conclusion (R7)."""

    column_list = ("conference", "kind", "title", "scheduled_on", "published_dt", "late", "withdrawn_dt")
    column_details_list = ("conference", "kind", "title", "body", "on_portal", "at_one_stop_desk", "scheduled_on",
                           "published_dt", "late", "withdrawn_dt", "created_dt", "updated_dt")
    column_export_list = ("conference", "kind", "title", "scheduled_on", "published_dt", "late", "withdrawn_dt")
    column_filters = (
        _conference_filter(Announcement.conference_id),
        enum_filter(Announcement.kind, _l("Loại"), AnnouncementKind),
        "published_dt",
        "late",
    )
    column_sortable_list = ("title", "scheduled_on", "published_dt", ("conference", "conference.held_on"))
    column_default_sort = ("id", True)
    column_labels = LABELS
    column_formatters = {"body": fmt.multiline()}
    column_descriptions = {
        "published_dt": _l("Để trống cho đến khi đăng; nút “Đăng thông báo” trên màn hình hội nghị điền tự động."),
    }
    form_columns = ("conference", "kind", "title", "body", "on_portal", "at_one_stop_desk", "scheduled_on",
                    "published_dt", "late", "withdrawn_dt")


class ReportView(ProtectedModelView):
    """Reports owed to the City People's Committee and the Department of Finance (R3, R6)."""

    column_list = ("title", "kind", "organizer", "conference", "responsible_unit", "due_on", "submitted_dt")
    column_details_list = ("title", "kind", "organizer", "conference", "recipients", "responsible_unit", "due_on",
                           "document_number", "drafted_dt", "submitted_dt", "created_dt", "updated_dt")
    column_export_list = ("title", "kind", "organizer", "conference", "recipients", "responsible_unit", "due_on",
                          "document_number", "drafted_dt", "submitted_dt")
    column_filters = (
        IdFilter(Report.organizer_id, _l("Đơn vị tổ chức"), options=options_of(Organizer, Organizer.name)),
        _conference_filter(Report.conference_id),
        enum_filter(Report.kind, _l("Loại"), ReportKind),
        "due_on",
        "submitted_dt",
    )
    column_sortable_list = ("title", "due_on", "submitted_dt", ("conference", "conference.held_on"))
    column_default_sort = [("due_on", True), ("id", True)]
    column_labels = {**LABELS, "title": _l("Tên báo cáo"), "due_on": _l("Hạn gửi")}
    column_descriptions = {"due_on": _l("Tính theo quy định (R3, R6) khi báo cáo gắn với hội nghị.")}
    form_columns = ("organizer", "conference", "kind", "title", "recipients", "responsible_unit", "due_on",
                    "document_number", "drafted_dt", "submitted_dt")


def register(admin: Any) -> None:
    """Add the conference-related screens to ``admin``."""
    views = (
        (AgendaItemView, AgendaItem, _l("Chương trình hội nghị"), "agendaitem"),
        (TaskView, Task, _l("Nhiệm vụ của đơn vị"), "task"),
        (InvitationView, Invitation, _l("Danh sách mời"), "invitation"),
        (StandingInviteeView, StandingInvitee, _l("Thành phần mời thường xuyên"), "standinginvitee"),
        (RegistrationView, Registration, _l("Đăng ký tham dự"), "registration"),
        (AnnouncementView, Announcement, _l("Thông báo"), "announcement"),
        (ReportView, Report, _l("Báo cáo"), "report"),
    )
    for view_cls, model, name, endpoint in views:
        admin.add_view(view_cls(model, db, name=name, category=CATEGORY, endpoint=endpoint))

