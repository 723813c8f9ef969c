"""The hotline log: every contact, its assigned unit, its response and its due date (R11)."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import flash, request
from flask_admin.actions import action
from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from wtforms.validators import ValidationError

from heza import deadlines, rules
from heza.accounts.models import Role
from heza.admin import formatters as fmt
from heza.admin.base import IdFilter, ProtectedModelView, current_role, enum_filter, options_of
from heza.admin.extensions import (
    EXTENSION_DESCRIPTIONS,
    EXTENSION_DETAILS,
    EXTENSION_FIELDS,
    EXTENSION_LABELS,
    record_extension,
)
from heza.base import local_date_of, local_today, now_utc, to_local
from heza.directory.models import Organizer, Unit
from heza.extensions import db
from heza.hotline import legal
from heza.hotline.models import (
    HOTLINE_OPEN,
    LEGAL_KINDS,
    HotlineChannel,
    HotlineItem,
    HotlineKind,
    HotlineStatus,
    LegalStage,
)

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
    return fmt.badge(css, text)


def _due_on(view: Any, context: Any, model: HotlineItem, name: str) -> Markup:
    if model.due_on is None:
        return Markup("")
    return fmt.titled(model.due_basis, f"{model.due_on:%d/%m/%Y}")


def _viewer_ids() -> tuple[Role | None, int | None]:
    return current_role(), getattr(current_user, "id", None)


def _person(view: Any, context: Any, model: HotlineItem, name: str) -> str:
    """A denouncer's name and contact: shown to admins and the assigned officer only (issue 15)."""
    role, user_id = _viewer_ids()
    return legal.shown_contact(model, role, user_id) if name == "contact" else legal.shown_person(model, role, user_id)


def _person_export(view: Any, context: Any, model: HotlineItem, name: str) -> str:
    """Exports never carry a denouncer's identity, whoever exports."""
    return legal.shown_contact(model) if name == "contact" else legal.shown_person(model)


def _received(view: Any, context: Any, model: HotlineItem, name: str) -> Markup:
    """The instant received, and the working day it counts from when it came outside office hours (seed 002)."""
    if model.received_dt is None:
        return Markup("")
    text = Markup(f"{to_local(model.received_dt):%d/%m/%Y %H:%M}")  # digits, slashes and a colon
    if rules.intake_moved(model.received_dt):
        text += Markup(' <small class="text-muted">({})</small>').format(
            _("ngoài giờ hành chính hoặc ngày nghỉ: tính hạn từ ngày làm việc %(day)s",
              day=f"{rules.intake_day(model.received_dt):%d/%m/%Y}"))
    return text


def _history(view: Any, context: Any, model: HotlineItem, name: str) -> Markup:
    rows = [Markup("<li>{:%d/%m/%Y %H:%M} · {} · {}{}{}</li>").format(
        to_local(e.at_dt), e.actor, e.action, (" · " + e.note) if e.note else "",
        f" · {e.due_on:%d/%m/%Y}" if e.due_on else "") for e in model.events]
    return Markup("<ul class=\"list-unstyled mb-0\">{}</ul>").format(Markup("").join(rows))


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
                   "status", "legal_stage", "due_on", "due_state")
    column_details_list = ("reference", "organizer", "received_dt", "channel", "kind", "person_name", "contact",
                           "content", "duty_officer", "assigned_unit", "officer", "status", "legal_stage",
                           "accepted_on", "complex_case", "remote_area", "extensions", "extended_due_on", "stage_note",
                           "decision_on", "transferred_to", "due_on", "due_state", "due_basis", *EXTENSION_DETAILS,
                           "response", "responded_dt", "events", "created_dt", "updated_dt")
    column_export_list = ("reference", "received_dt", "channel", "kind", "person_name", "contact", "content",
                          "duty_officer", "assigned_unit", "status", "legal_stage", "due_on", "due_state", "response",
                          "responded_dt")
    column_filters = (
        IdFilter(HotlineItem.assigned_unit_id, _l("Đơn vị xử lý"), options=options_of(Unit, Unit.name)),
        enum_filter(HotlineItem.status, _l("Trạng thái"), HotlineStatus),
        enum_filter(HotlineItem.kind, _l("Loại"), HotlineKind),
        enum_filter(HotlineItem.legal_stage, _l("Bước giải quyết"), LegalStage),
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
        "officer": _l("Cán bộ được giao giải quyết"),
        "legal_stage": _l("Bước giải quyết (khiếu nại, tố cáo)"),
        "accepted_on": _l("Ngày thụ lý"),
        "complex_case": _l("Vụ việc phức tạp"),
        "remote_area": _l("Vùng sâu, vùng xa đi lại khó khăn"),
        "extensions": _l("Số lần gia hạn"),
        "extended_due_on": _l("Gia hạn bước giải quyết đến ngày (khiếu nại, tố cáo)"),
        "stage_note": _l("Lý do, căn cứ (không thụ lý, gia hạn, chuyển đơn)"),
        "decision_on": _l("Ngày ra quyết định giải quyết"),
        "transferred_to": _l("Cơ quan có thẩm quyền nhận đơn chuyển"),
        "events": _l("Lịch sử xử lý"),
        **EXTENSION_LABELS,
    }
    column_descriptions = {
        "responded_dt": _l("Để trống sẽ lấy thời điểm lưu khi chuyển sang “Đã phản hồi”."),
        "received_dt": _l("Tiếp nhận ngoài giờ hành chính hoặc vào ngày nghỉ thì thời hạn được tính từ ngày làm "
                          "việc tiếp theo."),
        "legal_stage": _l("Khiếu nại, tố cáo: tiếp nhận → thụ lý hoặc không thụ lý → xác minh → giải quyết, hoặc "
                          "chuyển cơ quan có thẩm quyền. Thời hạn mỗi bước tính theo luật."),
        "extended_due_on": _l("Nhập ngày mới và lý do gia hạn vào ô lý do, căn cứ."),
        "officer": _l("Chỉ cán bộ được giao và quản trị hệ thống thấy danh tính người tố cáo."),
        **EXTENSION_DESCRIPTIONS,
    }
    column_formatters = {
        "content": fmt.text(limit=100),
        "due_on": _due_on,
        "due_state": _state_badge,
        "person_name": _person,
        "contact": _person,
        "received_dt": _received,
    }
    column_formatters_detail = {"content": fmt.multiline(), "response": fmt.multiline(), "due_state": _state_badge,
                                "due_on": _due_on, "person_name": _person, "contact": _person,
                                "received_dt": _received, "events": _history, "stage_note": fmt.multiline()}
    column_formatters_export = {"due_state": lambda v, c, m, n: hotline_state(m, local_today())[0],
                                "person_name": _person_export, "contact": _person_export}
    form_columns = ("organizer", "received_dt", "channel", "kind", "person_name", "contact", "content",
                    "duty_officer", "assigned_unit", "officer", "legal_stage", "accepted_on", "complex_case",
                    "remote_area", "stage_note", "decision_on", "transferred_to", "extended_due_on",
                    *EXTENSION_FIELDS, *RESPONSE_FIELDS)

    def get_one(self, id: Any) -> Any:
        item = super().get_one(id)
        if (item is not None and item.kind == HotlineKind.DENUNCIATION
                and request.endpoint in (f"{self.endpoint}.details_view", f"{self.endpoint}.edit_view")
                and legal.may_see_identity(item, *_viewer_ids())):
            legal.log_identity_opened(item)
            db.session.commit()
        return item

    def edit_form(self, obj: Any = None) -> Any:
        form = super().edit_form(obj)
        if obj is not None and not legal.may_see_identity(obj, *_viewer_ids()):
            for name in ("person_name", "contact"):
                if name in form:
                    del form[name]
        return form

    def _legal_changes(self, model: HotlineItem) -> None:
        """Stage and extension edits go through :mod:`heza.hotline.legal`: the law's order, history, notices."""
        state = sa.inspect(model)
        stage_hist = state.attrs["legal_stage"].history
        due_hist = state.attrs["extended_due_on"].history
        try:
            if model.kind in LEGAL_KINDS and stage_hist.has_changes() and stage_hist.deleted:
                previous = stage_hist.deleted[0]
                new = model.legal_stage
                if new is not None and previous is not None and new != previous:
                    on = model.accepted_on if new == LegalStage.ACCEPTED else model.decision_on
                    legal.change_stage(model, new, previous=previous, note=model.stage_note or "", on=on,
                                       transferred_to=model.transferred_to or "")
            if due_hist.has_changes() and model.extended_due_on is not None and state.persistent:
                new_due = model.extended_due_on
                model.extended_due_on = due_hist.deleted[0] if due_hist.deleted else None
                legal.extend(model, new_due, model.stage_note or "")
        except legal.StageError as exc:
            raise ValidationError(str(exc)) from exc

    @action("accept", _l("Thụ lý (khiếu nại, tố cáo)"), _l("Thụ lý các khiếu nại, tố cáo đã chọn từ hôm nay?"))
    def action_accept(self, ids: list[str]) -> None:
        self._stage_action(ids, LegalStage.ACCEPTED)

    @action("verify", _l("Đã xác minh (khiếu nại, tố cáo)"), _l("Ghi nhận đã xác minh các mục đã chọn?"))
    def action_verify(self, ids: list[str]) -> None:
        self._stage_action(ids, LegalStage.VERIFIED)

    @action("reclassify_back", _l("Trả về kiến nghị hội nghị"),
            _l("Trả các mục đã chọn về kiến nghị hội nghị ban đầu (giữ lịch sử)?"))
    def action_reclassify_back(self, ids: list[str]) -> None:
        keys = [int(i) for i in ids if str(i).isdigit()]
        done = 0
        for item in self.get_query().filter(HotlineItem.id.in_(keys)):
            try:
                legal.reclassify_back(item)
                done += 1
            except legal.StageError as exc:
                flash(f"{item}: {exc}", "error")
        db.session.commit()
        flash(_("Đã cập nhật %(n)d mục.", n=done), "success")

    def _stage_action(self, ids: list[str], stage: LegalStage) -> None:
        keys = [int(i) for i in ids if str(i).isdigit()]
        done = 0
        for item in self.get_query().filter(HotlineItem.id.in_(keys)):
            try:
                legal.change_stage(item, stage)
                done += 1
            except legal.StageError as exc:
                flash(f"{item}: {exc}", "error")
        db.session.commit()
        flash(_("Đã cập nhật %(n)d mục.", n=done), "success")

    def on_model_change(self, form: Any, model: HotlineItem, is_created: bool) -> None:
        if not is_created:
            self._legal_changes(model)
        if model.status in ANSWERED:
            if not (model.response or "").strip():
                raise ValidationError(_("Nhập nội dung phản hồi trước khi chuyển sang \"%(status)s\".",
                                        status=model.status.label))
            if model.responded_dt is None:
                model.responded_dt = now_utc()
        elif model.status == HotlineStatus.RECEIVED and model.assigned_unit is not None and is_created:
            model.status = HotlineStatus.ASSIGNED
        record_extension(model)
        super().on_model_change(form, model, is_created)


def register(admin: Any) -> None:
    """Add the hotline screen to ``admin``."""
    admin.add_view(HotlineItemView(HotlineItem, db, name=_l("Phản ánh, kiến nghị qua đường dây nóng"),
                                   category=CATEGORY, endpoint="hotline"))
