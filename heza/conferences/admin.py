"""The conference screen: computed dates R1–R7 with their reasons, quorum progress, agenda and tasks, actions.

Every date on this screen comes from :mod:`heza.rules` with the conference's effective settings;
the actions call :mod:`heza.conferences.notices` (publish) and :mod:`heza.conferences.operations`
(postpone, cancel, mark as held), which own the state changes and the emails they cause.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.model.form import InlineFormAdmin
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.orm import selectinload
from wtforms.validators import ValidationError

from heza import rules, workdays
from heza.accounts.models import Role
from heza.admin.base import ProtectedModelView, enum_filter, options_of
from heza.base import local_today
from heza.conferences import audiences, decisions, notices, operations, states
from heza.conferences.admin_checkin import CheckInMixin
from heza.conferences.models import AgendaItem, Conference, ConferenceStatus, Task
from heza.directory.models import SETTING_FIELDS, Organizer
from heza.extensions import db

CATEGORY = _l("Hội nghị")

FINAL_STATUSES = (ConferenceStatus.HELD, ConferenceStatus.CANCELLED)


from heza.admin.filters import IdFilter as IdEqualFilter  # noqa: E402,F401  (recommendations' screen uses it)
from heza.admin.forms import LocalDateTimeField  # noqa: E402,F401  (re-exported)
from heza.conferences.details import (  # noqa: E402,F401  (the details page's figures)
    DateRow,
    InvitationRow,
    QuorumProgress,
    conference_dates,
    invitation_rows,
    quorum_progress,
)

# --------------------------------------------------------------------------- list and form helpers


def _rule_date(fn: Any) -> Any:
    def formatter(view: Any, context: Any, model: Conference, name: str) -> Markup:
        try:
            deadline = fn(model.held_on, model.settings())
        except ValueError:
            return Markup("")
        return Markup('<span title="{}">{:%d/%m/%Y}</span>').format(deadline.explain(), deadline.due)

    return formatter


def _status(view: Any, context: Any, model: Conference, name: str) -> Markup:
    css = {
        ConferenceStatus.PLANNED: "secondary",
        ConferenceStatus.ANNOUNCED: "primary",
        ConferenceStatus.HELD: "success",
        ConferenceStatus.POSTPONED: "warning",
        ConferenceStatus.CANCELLED: "dark",
    }.get(model.status, "light")
    return Markup('<span class="badge badge-{}">{}</span>').format(css, model.status.label if model.status else "")


organizer_options = options_of(Organizer, Organizer.name)


def _day_in_calendar(form: Any, field: Any) -> None:
    if field.data is not None and field.data.year not in workdays.COVERED_YEARS:
        raise ValidationError(
            _("Ngày tổ chức phải trong các năm %(first)d–%(last)d của lịch làm việc.",
              first=workdays.FIRST_YEAR, last=workdays.LAST_YEAR)
        )


_SETTING_DESCRIPTION = _l("Để trống để dùng thiết lập của đơn vị tổ chức.")


class TaskInline(InlineFormAdmin):
    """Tasks of units for the conference, due by R4 unless a date of their own is set."""

    form_columns = ("id", "unit", "description", "due_explicit", "due_on", "done_dt", "note")
    form_overrides = {"done_dt": LocalDateTimeField}
    form_label = _l("Nhiệm vụ")
    column_labels = {
        "unit": _l("Đơn vị"),
        "description": _l("Nội dung nhiệm vụ"),
        "due_explicit": _l("Hạn riêng"),
        "due_on": _l("Hạn hoàn thành"),
        "done_dt": _l("Hoàn thành lúc"),
        "note": _l("Ghi chú"),
    }
    form_args = {
        "due_explicit": {"description": _l("Đánh dấu để dùng hạn nhập bên dưới; nếu không, hạn tính theo R4.")},
    }


class AgendaInline(InlineFormAdmin):
    form_columns = ("id", "position", "content", "presenter", "units")
    form_label = _l("Nội dung chương trình")
    column_labels = {
        "position": _l("Thứ tự"),
        "content": _l("Nội dung"),
        "presenter": _l("Người trình bày"),
        "units": _l("Đơn vị chuẩn bị"),
    }


# --------------------------------------------------------------------------- the view


class ConferenceView(CheckInMixin, ProtectedModelView):
    """Conferences: list, create, edit with agenda and tasks inline, details with dates and actions."""

    read_roles = (Role.ADMIN, Role.OFFICER, Role.VIEWER)
    write_roles = (Role.ADMIN, Role.OFFICER)

    can_view_details = True
    details_template = "admin/conference_details.html"
    query_options = (selectinload(Conference.organizer).selectinload(Organizer.plans),)

    column_list = ("title", "organizer", "held_on", "status", "announce_on", "cutoff_on", "place")
    column_export_list = ("title", "organizer", "held_on", "start_time", "place", "status", "announce_on",
                          "cutoff_on", "report_on")
    column_details_list = ("title", "organizer", "held_on", "start_time", "end_time", "place", "format",
                           "audience", "zones", "chair", "status", "status_note", "postponed_from",
                           "description", "conclusions", "created_dt", "updated_dt")
    column_default_sort = ("held_on", True)
    column_sortable_list = ("title", "held_on", "status", ("organizer", "organizer.name"))
    column_filters = (
        IdEqualFilter(Conference.organizer_id, _l("Đơn vị tổ chức"), options=organizer_options),
        enum_filter(Conference.status, _l("Trạng thái"), ConferenceStatus),
        "held_on",
    )
    column_labels = {
        "title": _l("Tên hội nghị"),
        "organizer": _l("Đơn vị tổ chức"),
        "held_on": _l("Ngày tổ chức"),
        "start_time": _l("Giờ bắt đầu"),
        "end_time": _l("Giờ kết thúc"),
        "place": _l("Địa điểm"),
        "format": _l("Hình thức"),
        "audience": _l("Đối tượng mời"),
        "zones": _l("Khu công nghiệp, khu kinh tế"),
        "chair": _l("Chủ trì"),
        "status": _l("Trạng thái"),
        "status_note": _l("Ghi chú trạng thái"),
        "postponed_from": _l("Hoãn từ ngày"),
        "description": _l("Mô tả"),
        "conclusions": _l("Kết luận"),
        "announce_on": _l("Ngày đăng thông báo (R1)"),
        "cutoff_on": _l("Hạn đăng ký (R2)"),
        "report_on": _l("Hạn báo cáo (R6)"),
        "created_dt": _l("Tạo lúc"),
        "updated_dt": _l("Cập nhật lúc"),
        "agenda_items": _l("Chương trình hội nghị"),
        "tasks": _l("Nhiệm vụ của các đơn vị"),
        **{name: label for name, (_default, label) in SETTING_FIELDS.items()},
    }
    # Dates, times, instants and labels go through the base's type formatters (dd/mm/yyyy, Hai Phong).
    column_formatters = {
        "status": _status,
        "announce_on": _rule_date(rules.announcement_date),
        "cutoff_on": _rule_date(rules.registration_cutoff),
        "report_on": _rule_date(rules.report_due),
    }
    column_formatters_export = {
        "announce_on": lambda v, c, m, n: f"{rules.announcement_date(m.held_on, m.settings()).due:%d/%m/%Y}",
        "cutoff_on": lambda v, c, m, n: f"{rules.registration_cutoff(m.held_on, m.settings()).due:%d/%m/%Y}",
        "report_on": lambda v, c, m, n: f"{rules.report_due(m.held_on, m.settings()).due:%d/%m/%Y}",
    }

    form_columns = ("organizer", "title", "held_on", "start_time", "end_time", "place", "format", "audience",
                    "zones", "chair", "description", "conclusions", *SETTING_FIELDS)
    form_args = {
        "held_on": {"validators": [_day_in_calendar]},
        **{name: {"description": _SETTING_DESCRIPTION} for name in SETTING_FIELDS},
    }
    inline_models = (AgendaInline(AgendaItem), TaskInline(Task))

    # -- hooks: state changes go through operations, not through the form

    def on_model_change(self, form: Any, model: Conference, is_created: bool) -> None:
        if not is_created and model.status != ConferenceStatus.PLANNED:
            history = sa.inspect(model).attrs.held_on.history
            if history.has_changes() and history.deleted and history.deleted[0] != model.held_on:
                raise ValidationError(_(
                    "Hội nghị đã thông báo hoặc đã kết thúc: dùng chức năng \"Hoãn hội nghị\" để đổi ngày "
                    "(doanh nghiệp sẽ được thông báo ngày mới)."))
        super().on_model_change(form, model, is_created)

    def after_model_change(self, form: Any, model: Conference, is_created: bool) -> None:
        super().after_model_change(form, model, is_created)
        if is_created and audiences.apply_standing_audience(model):
            db.session.commit()

    # -- the details page

    @expose("/details/")
    def details_view(self) -> Any:
        conference = self.get_one(request.args.get("id", ""))
        if conference is not None:
            self._template_args.update(self.details_context(conference))
        return super().details_view()

    def details_context(self, conference: Conference) -> dict[str, Any]:
        today = local_today()
        context: dict[str, Any] = {"today": today, "dates_error": None, "dates": [], "progress": None}
        try:
            progress = quorum_progress(conference)
            context["progress"] = progress
            context["dates"] = conference_dates(conference, progress.quorum)
        except ValueError as exc:  # a date outside the working-day calendar
            context["dates_error"] = str(exc)
        context["settings"] = conference.settings()
        context["invitations"] = invitation_rows(conference)
        context["announcements"] = sorted(conference.announcements, key=lambda a: a.kind)
        context["final"] = conference.status in FINAL_STATUSES
        context["can_act"] = self.can_write()
        context["published"] = states.is_published(conference)
        context["scheduled"] = states.is_scheduled(conference)
        context["proposed_invitees"] = audiences.proposed_invitees(conference)
        try:
            context["awaiting_decision"] = decisions.awaiting_decision(conference, today)
        except ValueError:  # a date outside the working-day calendar
            context["awaiting_decision"] = False
        return context

    # -- actions (POST with the CSRF token; global CSRFProtect refuses anything else)

    def _action_target(self) -> Conference:
        if not self.can_write():
            abort(403)
        conference = self.get_one(request.form.get("id", ""))
        if conference is None:
            abort(404)
        return conference

    def _done(self, conference: Conference) -> Any:
        return redirect(url_for(".details_view", id=conference.id))

    def _run(self, conference: Conference, operation: Any, success: str) -> Any:
        """Call an operation; an impossible transition comes back as a message, the rest is committed."""
        try:
            operation()
            db.session.commit()
        except states.ConferenceStateError as exc:
            db.session.rollback()
            flash(_("Không thực hiện được: %(reason)s", reason=str(exc)), "error")
        else:
            flash(success, "success")
        return self._done(conference)

    @expose("/publish/", methods=("POST",))
    def publish_view(self) -> Any:
        conference = self._action_target()
        return self._run(conference, lambda: notices.publish_announcement(conference, local_today()),
                         _("Đã đăng thông báo hội nghị và đưa thư mời vào hàng đợi gửi."))

    @expose("/postpone/", methods=("POST",))
    def postpone_view(self) -> Any:
        conference = self._action_target()
        reason = (request.form.get("reason") or "").strip()
        raw_day = (request.form.get("new_day") or "").strip()
        new_day: date | None = None
        if raw_day:
            new_day = _parse_day(raw_day)
            if new_day is None:
                flash(_("Ngày mới không hợp lệ: %(value)s (nhập theo dạng dd/mm/yyyy).", value=raw_day), "error")
                return self._done(conference)
            if new_day.year not in workdays.COVERED_YEARS:
                flash(_("Ngày tổ chức phải trong các năm %(first)d–%(last)d của lịch làm việc.",
                        first=workdays.FIRST_YEAR, last=workdays.LAST_YEAR), "error")
                return self._done(conference)
        if not reason:
            flash(_("Nhập lý do hoãn hội nghị."), "error")
            return self._done(conference)
        if new_day is not None:
            message = _("Đã hoãn hội nghị sang ngày %(day)s; các mốc thời gian đã được tính lại.",
                        day=f"{new_day:%d/%m/%Y}")
        else:
            message = _("Đã hoãn hội nghị (chưa có ngày mới).")
        return self._run(conference, lambda: operations.postpone(conference, new_day, reason, local_today()),
                         message)

    @expose("/cancel/", methods=("POST",))
    def cancel_view(self) -> Any:
        conference = self._action_target()
        reason = (request.form.get("reason") or "").strip()
        if not reason:
            flash(_("Nhập lý do dừng hội nghị."), "error")
            return self._done(conference)
        return self._run(conference, lambda: operations.cancel(conference, reason, local_today()),
                         _("Đã dừng hội nghị."))

    @expose("/invite-proposed/", methods=("POST",))
    def invite_proposed_view(self) -> Any:
        conference = self._action_target()
        return self._run(conference, lambda: audiences.invite_proposed(conference),
                         _("Đã thêm các đơn vị được đề xuất vào danh sách mời; thư mời sẽ được gửi trong lần "
                           "chạy tới."))

    @expose("/go-ahead/", methods=("POST",))
    def go_ahead_view(self) -> Any:
        conference = self._action_target()
        reason = (request.form.get("reason") or "").strip()
        return self._run(conference, lambda: decisions.go_ahead_anyway(conference, reason, local_today()),
                         _("Đã ghi nhận quyết định vẫn tổ chức hội nghị dù chưa đủ điều kiện (R3)."))

    @expose("/held/", methods=("POST",))
    def held_view(self) -> Any:
        conference = self._action_target()
        return self._run(conference, lambda: operations.mark_held(conference, local_today()),
                         _("Đã ghi nhận hội nghị đã tổ chức; hạn trả lời kiến nghị và báo cáo kết quả được theo dõi."))


def _parse_day(raw: str) -> date | None:
    """A date typed as dd/mm/yyyy (the office's way) or yyyy-mm-dd (an ``<input type=date>``)."""
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def register(admin: Any) -> None:
    """Add the conference screen to ``admin``."""
    admin.add_view(ConferenceView(Conference, db, name=_l("Hội nghị đối thoại"), category=CATEGORY,
                                  endpoint="conference"))
