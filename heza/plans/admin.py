"""The plans screen: each organizer's plans and basis documents, the rules each sets, an optional PDF."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from flask import abort, request, send_file
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import FileField
from wtforms.validators import ValidationError

from heza.accounts.models import Role
from heza.admin import formatters as fmt
from heza.admin.base import IdFilter, ProtectedModelView, options_of
from heza.directory.models import Organizer
from heza.extensions import db
from heza.plans.models import Plan

CATEGORY = _l("Danh mục")
PDF_MAX_BYTES = 10 * 1024 * 1024


def _pdf_link(view: Any, _context: Any, plan: Plan, _name: str) -> Any:
    if not plan.pdf_name:
        return ""
    url = view.get_url(".pdf_view", id=plan.id)
    return Markup('<a href="{}">{}</a>').format(url, plan.pdf_name)


class PlanView(ProtectedModelView):
    """Plans an organizer acts under: a rule applies to it, and is cited, because one of its active plans sets it."""

    read_roles = (Role.ADMIN, Role.OFFICER, Role.VIEWER)
    write_roles = (Role.ADMIN, Role.OFFICER)

    column_list = ("organizer", "number", "issued_on", "title", "year", "rules", "active", "pdf_name")
    column_details_list = ("organizer", "number", "issued_on", "title", "year", "rules", "active", "pdf_name",
                           "created_dt", "updated_dt")
    column_export_list = ("organizer", "number", "issued_on", "title", "year", "rules", "active", "pdf_name")
    column_filters = (
        IdFilter(Plan.organizer_id, _l("Đơn vị tổ chức"), options=options_of(Organizer, Organizer.name)),
        "year",
        "active",
    )
    column_sortable_list = (("organizer", "organizer.name"), "number", "issued_on", "year", "active")
    column_default_sort = [("year", True), ("issued_on", True)]
    column_labels = {
        "organizer": _l("Đơn vị tổ chức"),
        "number": _l("Số, ký hiệu"),
        "issued_on": _l("Ngày ban hành"),
        "title": _l("Trích yếu"),
        "year": _l("Năm"),
        "rules": _l("Quy định đặt ra"),
        "active": _l("Đang áp dụng"),
        "pdf_name": _l("Tệp PDF"),
        "pdf_file": _l("Tệp PDF (không bắt buộc)"),
        "created_dt": _l("Tạo lúc"),
        "updated_dt": _l("Cập nhật lúc"),
    }
    column_descriptions = {
        "number": _l("Ví dụ: 121/KH-UBND; để trống nếu văn bản chưa có số."),
        "rules": _l("Mã các quy định kế hoạch này đặt ra, cách nhau bởi dấu phẩy, ví dụ R1, R2, R3, R5, R6, R7 "
                    "(kế hoạch của Ban Quản lý) hoặc R4, R8, R9 (kế hoạch của phường). Mỗi thời hạn theo các quy "
                    "định này dẫn chiếu kế hoạch này."),
        "active": _l("Bỏ đánh dấu khi kế hoạch hết hiệu lực: các thời hạn không dẫn chiếu nó nữa."),
    }
    column_formatters = {"title": fmt.text(limit=120), "pdf_name": _pdf_link}
    form_columns = ("organizer", "number", "issued_on", "title", "year", "rules", "active", "pdf_file")
    form_extra_fields = {"pdf_file": FileField(_l("Tệp PDF (không bắt buộc)"),
                                               description=_l("Tối đa 10 MB. Để trống nếu không đổi tệp."))}

    def on_model_change(self, form: Any, model: Plan, is_created: bool) -> None:
        storage = form.pdf_file.data if "pdf_file" in form else None
        if storage is not None and getattr(storage, "filename", ""):
            data = storage.read(PDF_MAX_BYTES + 1)
            if len(data) > PDF_MAX_BYTES:
                raise ValidationError(_("Tệp PDF quá lớn (tối đa 10 MB)."))
            if not data.startswith(b"%PDF-"):
                raise ValidationError(_("Tệp tải lên không phải PDF."))
            model.pdf = data
            model.pdf_name = _safe_name(storage.filename)
        super().on_model_change(form, model, is_created)

    @expose("/pdf/")
    def pdf_view(self) -> Any:
        """The plan's PDF, as a download (only for those who may see the plan)."""
        plan = self.get_one(request.args.get("id", ""))
        if plan.pdf is None:
            abort(404)
        response = send_file(BytesIO(plan.pdf), mimetype="application/pdf", as_attachment=True,
                             download_name=plan.pdf_name or f"ke-hoach-{plan.id}.pdf", max_age=0)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def _safe_name(filename: str) -> str:
    """The uploaded file's base name, without paths or control characters, ending in .pdf."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>|:*?')[:150].strip() or "ke-hoach"
    return name if name.lower().endswith(".pdf") else f"{name}.pdf"


def register(admin: Any) -> None:
    """Add the plans screen to ``admin``."""
    admin.add_view(PlanView(Plan, db, name=_l("Kế hoạch, căn cứ"), category=CATEGORY, endpoint="plan"))
