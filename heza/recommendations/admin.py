"""The recommendation screen: due date (R5), days left or overdue, the answer with its date and method."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import flash
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms.validators import ValidationError

from heza import deadlines, tenancy
from heza.accounts.models import Role
from heza.admin import formatters
from heza.admin.base import IdFilter, ProtectedModelView, current_role, current_unit_id, enum_filter, options_of
from heza.admin.extensions import (
    EXTENSION_DESCRIPTIONS,
    EXTENSION_DETAILS,
    EXTENSION_FIELDS,
    EXTENSION_LABELS,
    record_extension,
)
from heza.admin.filters import IdFilter as IdEqualFilter
from heza.admin.filters import cached_choices
from heza.admin.forms import LocalDateTimeField
from heza.base import local_today, now_utc
from heza.conferences.models import Conference
from heza.directory.models import Organizer, Unit
from heza.extensions import db
from heza.recommendations.models import (
    OPEN_STATUSES,
    Field,
    Recommendation,
    RecommendationStatus,
)
from heza.reports.timeliness import answered_on_time

CATEGORY = _l("Kiến nghị")


# --------------------------------------------------------------------------- due state, for screens


def due_text(rec: Recommendation, today: date) -> tuple[str, str]:
    """``(text, css)``: working days left, due today, overdue, or answered on time or late."""
    if rec.status == RecommendationStatus.WITHDRAWN:
        return _("Doanh nghiệp đã rút"), "secondary"
    if rec.status == RecommendationStatus.RECLASSIFIED:
        return _("Đã chuyển xử lý khiếu nại, tố cáo"), "secondary"
    if rec.status == RecommendationStatus.ANSWERED and rec.answered_dt is not None:
        if answered_on_time(rec.answered_dt, rec.due_on):
            return _("Trả lời đúng hạn"), "success"
        return _("Trả lời trễ hạn"), "warning"
    if rec.due_on is None:
        return _("Chưa có hạn"), "light"
    left = deadlines.due_state(rec.due_on, today)
    if rec.due_on < today:
        late = -(left or 0)
        if late:
            return _("Quá hạn %(n)d ngày làm việc", n=late), "danger"
        return _("Quá hạn"), "danger"
    if rec.due_on == today:
        return _("Hết hạn hôm nay"), "warning"
    return _("Còn %(n)d ngày làm việc", n=left or 0), "info" if (left or 0) > 2 else "warning"


def _due_badge(view: Any, context: Any, model: Recommendation, name: str) -> Markup:
    text, css = due_text(model, local_today())
    return formatters.badge(css, text, "heza-due")


def _due_on(view: Any, context: Any, model: Recommendation, name: str) -> Markup:
    if model.due_on is None:
        return Markup("")
    return formatters.titled(model.due_basis, f"{model.due_on:%d/%m/%Y}")


# --------------------------------------------------------------------------- filters


@cached_choices(Unit)
def unit_options() -> list[tuple[str, str]]:
    query = tenancy.scope(sa.select(Unit).where(Unit.active.is_(True)).order_by(Unit.name), Unit,
                          tenancy.current_viewer())
    if current_role() == Role.UNIT:  # unit staff filter within their own unit only
        query = sa.select(Unit).where(Unit.id == current_unit_id())
    units = db.session.scalars(query)
    return [(str(u.id), str(u)) for u in units]


@cached_choices(Conference)
def conference_options() -> list[tuple[str, str]]:
    # Three columns, not whole conferences: at city scale (2,300 conferences) this list is built per request.
    query = sa.select(Conference.id, Conference.title, Conference.held_on).order_by(Conference.held_on.desc())
    rows = db.session.execute(tenancy.scope(query, Conference, tenancy.current_viewer()))
    return [(str(id_), f"{title} ({held_on:%d/%m/%Y})") for id_, title, held_on in rows]


class OverdueFilter(BaseSQLAFilter):
    """Open recommendations past their stored due date (or, with "no", those still in time)."""

    def __init__(self, name: Any) -> None:
        super().__init__(Recommendation.due_on, name, options=(("1", _l("Quá hạn")), ("0", _l("Chưa quá hạn"))))

    def apply(self, query: Any, value: str, alias: Any = None) -> Any:
        today = local_today()
        overdue = sa.and_(Recommendation.status.in_(OPEN_STATUSES), Recommendation.due_on < today)
        return query.filter(overdue if value == "1" else sa.not_(overdue))

    def operation(self) -> Any:
        return _l("là")


# --------------------------------------------------------------------------- the view

ANSWER_FIELDS = ("status", "answer", "answered_dt", "answer_method")


class RecommendationView(ProtectedModelView):
    """Recommendations with their R5 due date; unit staff see their unit's and may answer them."""

    read_roles = (Role.ADMIN, Role.OFFICER, Role.UNIT, Role.VIEWER)
    write_roles = (Role.ADMIN, Role.OFFICER, Role.UNIT)
    unit_column = "responsible_unit_id"
    unit_can_edit_columns = ANSWER_FIELDS

    can_view_details = True
    edit_template = "admin/recommendation_edit.html"
    details_template = "admin/recommendation_details.html"

    column_list = ("reference", "enterprise", "field", "responsible_unit", "conference", "status", "due_on",
                   "due_state", "received_dt")
    column_details_list = ("reference", "enterprise", "organizer", "conference", "field", "content", "channel",
                           "received_dt", "responsible_unit", "needs_coordination", "coordination_note",
                           "status", "due_on", "due_state", "due_basis", *EXTENSION_DETAILS, "answer",
                           "answered_dt", "answer_method")
    column_export_list = ("reference", "enterprise", "field", "content", "responsible_unit", "conference",
                          "status", "received_dt", "due_on", "due_state", "answered_dt", "answer_method", "answer")
    column_default_sort = [("due_on", False), ("id", False)]
    column_sortable_list = ("reference", "field", "status", "due_on", "received_dt",
                            ("responsible_unit", "responsible_unit.name"), ("enterprise", "enterprise.name"))
    column_filters = (
        IdEqualFilter(Recommendation.responsible_unit_id, _l("Đơn vị xử lý"), options=unit_options),
        enum_filter(Recommendation.status, _l("Trạng thái"), RecommendationStatus),
        OverdueFilter(_l("Quá hạn")),
        IdEqualFilter(Recommendation.conference_id, _l("Hội nghị"), options=conference_options),
        enum_filter(Recommendation.field, _l("Lĩnh vực"), Field),
        "due_on",
        IdFilter(Recommendation.organizer_id, _l("Đơn vị tổ chức"), options=options_of(Organizer, Organizer.name)),
    )
    column_labels = {
        "reference": _l("Số tham chiếu"),
        "enterprise": _l("Doanh nghiệp"),
        "enterprise.name": _l("Tên doanh nghiệp"),
        "enterprise.tax_code": _l("Mã số thuế"),
        "organizer": _l("Đơn vị tổ chức"),
        "conference": _l("Hội nghị"),
        "field": _l("Lĩnh vực"),
        "content": _l("Nội dung kiến nghị"),
        "channel": _l("Hình thức tiếp nhận"),
        "received_dt": _l("Tiếp nhận lúc"),
        "responsible_unit": _l("Đơn vị xử lý"),
        "needs_coordination": _l("Cần phối hợp liên ngành"),
        "coordination_note": _l("Ghi chú phối hợp"),
        "status": _l("Trạng thái"),
        "answer": _l("Nội dung trả lời"),
        "answered_dt": _l("Ngày trả lời"),
        "answer_method": _l("Hình thức trả lời"),
        "due_on": _l("Hạn trả lời"),
        "due_state": _l("Tình trạng hạn"),
        "due_basis": _l("Căn cứ tính hạn"),
        **EXTENSION_LABELS,
    }
    column_descriptions = {
        "needs_coordination": _l("Hạn trả lời là 14 ngày làm việc thay vì 7 khi cần các cơ quan khác phối hợp (R5)."),
        **EXTENSION_DESCRIPTIONS,
        "answered_dt": _l("Ngày giờ trả lời (giờ Việt Nam, dd/mm/yyyy HH:MM); để trống sẽ lấy thời điểm lưu."),
    }
    # Dates, instants and labels go through the base's type formatters (dd/mm/yyyy, Hai Phong time).
    column_formatters = {"due_on": _due_on, "due_state": _due_badge}
    column_formatters_export = {"due_state": lambda v, c, m, n: due_text(m, local_today())[0]}

    form_columns = ("organizer", "conference", "enterprise", "field", "content", "channel", "received_dt",
                    "responsible_unit", "needs_coordination", "coordination_note", *EXTENSION_FIELDS,
                    *ANSWER_FIELDS)
    form_ajax_refs = {"enterprise": {"fields": ("name", "tax_code"), "page_size": 20}}
    form_overrides = {"received_dt": LocalDateTimeField, "answered_dt": LocalDateTimeField}
    form_args = {"content": {"label": _l("Nội dung kiến nghị")}}

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self) -> Any:
        self._template_args["due_text"] = lambda rec: due_text(rec, local_today())
        return super().edit_view()

    @expose("/details/")
    def details_view(self) -> Any:
        self._template_args["due_text"] = lambda rec: due_text(rec, local_today())
        return super().details_view()

    def on_model_change(self, form: Any, model: Recommendation, is_created: bool) -> None:
        if model.status == RecommendationStatus.ANSWERED:
            if not (model.answer or "").strip():
                raise ValidationError(_("Nhập nội dung trả lời trước khi chuyển sang \"Đã trả lời\"."))
            if model.answer_method is None:
                raise ValidationError(_("Chọn hình thức trả lời: tại hội nghị hoặc bằng văn bản."))
            if model.answered_dt is None:
                model.answered_dt = now_utc()
        record_extension(model)
        super().on_model_change(form, model, is_created)

    # A recommendation that is in fact a complaint or a denunciation goes to the hotline log, to be
    # handled by law; it stays here, marked, and counts toward neither the quorum nor the report.
    @action("to_complaint", _l("Chuyển thành khiếu nại"),
            _l("Các kiến nghị đã chọn thực chất là khiếu nại: chuyển sang xử lý theo Luật Khiếu nại?"))
    def action_to_complaint(self, ids: list[str]) -> None:
        self._reclassify(ids, "complaint")

    @action("to_denunciation", _l("Chuyển thành tố cáo"),
            _l("Các kiến nghị đã chọn thực chất là tố cáo: chuyển sang xử lý theo Luật Tố cáo?"))
    def action_to_denunciation(self, ids: list[str]) -> None:
        self._reclassify(ids, "denunciation")

    def _reclassify(self, ids: list[str], kind: str) -> None:
        from heza.hotline import legal
        from heza.hotline.models import HotlineKind

        keys = [int(i) for i in ids if str(i).isdigit()]
        done = 0
        for rec in self.get_query().filter(Recommendation.id.in_(keys)):
            try:
                legal.reclassify_recommendation(rec, HotlineKind(kind))
                done += 1
            except legal.StageError as exc:
                flash(f"{rec.reference or rec.id}: {exc}", "error")
        db.session.commit()
        flash(_("Đã chuyển %(n)d kiến nghị sang sổ khiếu nại, tố cáo.", n=done), "success")


def register(admin: Any) -> None:
    """Add the recommendation screen to ``admin``."""
    admin.add_view(RecommendationView(Recommendation, db, name=_l("Kiến nghị của doanh nghiệp"),
                                      category=CATEGORY, endpoint="recommendation"))
