"""The system screens for administrators: users with their roles, and the audit log (read only)."""

from __future__ import annotations

from typing import Any

from flask import flash
from flask_admin.actions import action
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import PasswordField
from wtforms.validators import Length, Optional, ValidationError

from heza.accounts.cli import MIN_PASSWORD_LENGTH
from heza.accounts.models import AuditEvent, Role, User
from heza.admin import formatters as fmt
from heza.admin.base import IdFilter, ProtectedModelView, current_role, enum_filter, options_of
from heza.directory.models import Organizer
from heza.extensions import db

CATEGORY = _l("Hệ thống")
ADMINS = (Role.ADMIN,)

ACTION_LABELS: dict[str, Any] = {
    "create": _l("Tạo mới"),
    "update": _l("Sửa"),
    "delete": _l("Xóa"),
    "action": _l("Thao tác"),
}


class UserView(ProtectedModelView):
    """Accounts: role, unit for unit staff, language; the password is set through its own field."""

    read_roles = ADMINS
    write_roles = ADMINS

    column_list = ("email", "name", "role", "organizer", "unit", "language", "active", "last_login_dt",
                   "locked_until_dt")
    column_details_list = ("email", "name", "role", "organizer", "unit", "language", "active", "last_login_dt",
                           "failed_logins", "locked_until_dt", "created_dt", "updated_dt")
    column_export_list = ("email", "name", "role", "organizer", "unit", "language", "active", "last_login_dt")
    column_filters = (enum_filter(User.role, _l("Vai trò"), Role),
                      IdFilter(User.organizer_id, _l("Đơn vị tổ chức"), options=options_of(Organizer, Organizer.name)),
                      "active")
    column_sortable_list = ("email", "name", "role", ("organizer", "organizer.name"), ("unit", "unit.name"),
                            "active", "last_login_dt")
    column_default_sort = ("email", False)
    column_labels = {
        "email": _l("Email đăng nhập"),
        "name": _l("Họ và tên"),
        "role": _l("Vai trò"),
        "organizer": _l("Đơn vị tổ chức"),
        "unit": _l("Đơn vị (với cán bộ đơn vị)"),
        "language": _l("Ngôn ngữ"),
        "active": _l("Đang hoạt động"),
        "last_login_dt": _l("Đăng nhập gần nhất"),
        "failed_logins": _l("Số lần nhập sai liên tiếp"),
        "locked_until_dt": _l("Tạm khóa đến"),
        "new_password": _l("Mật khẩu mới"),
        "created_dt": _l("Tạo lúc"),
        "updated_dt": _l("Cập nhật lúc"),
    }
    column_descriptions = {
        "role": _l("Quản trị: mọi thứ; Giám sát (thành phố): xem mọi đơn vị tổ chức, không sửa; Cán bộ nghiệp "
                   "vụ: mọi hồ sơ của đơn vị tổ chức mình; Cán bộ đơn vị: chỉ việc của đơn vị mình; Chỉ xem: xem "
                   "hồ sơ của đơn vị tổ chức mình, không sửa được gì."),
        "organizer": _l("Bắt buộc với mọi vai trò trừ quản trị và giám sát thành phố."),
    }
    form_columns = ("email", "name", "role", "organizer", "unit", "language", "active", "new_password")
    form_extra_fields = {
        "new_password": PasswordField(
            _l("Mật khẩu mới"),
            validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, max=500)],
            description=_l("Ít nhất %(n)d ký tự. Khi sửa, để trống nếu không đổi mật khẩu.", n=MIN_PASSWORD_LENGTH),
        ),
    }
    form_excluded_columns = ("password_hash",)

    def on_model_change(self, form: Any, model: User, is_created: bool) -> None:
        password = form.new_password.data if "new_password" in form else None
        if is_created and not password:
            raise ValidationError(_("Nhập mật khẩu cho tài khoản mới."))
        if model.role != Role.UNIT:
            model.unit = None  # only unit staff are scoped to a unit
        elif model.organizer is None and model.unit is not None:
            with db.session.no_autoflush:  # the half-made user must not be flushed by the look-up
                model.organizer = model.unit.organizer
        demoting_self = model.role != Role.ADMIN or not model.active
        if not is_created and demoting_self and model.id == _current_user_id():
            raise ValidationError(_("Không thể tự bỏ quyền quản trị hoặc tự khóa tài khoản của mình."))
        with db.session.no_autoflush:
            problem = model.membership_problem()
        if problem:
            raise ValidationError(problem)
        if password:
            model.set_password(password)
            model.failed_logins = 0
            model.locked_until_dt = None
        super().on_model_change(form, model, is_created)

    def on_model_delete(self, model: User) -> None:
        if model.id == _current_user_id():
            raise ValidationError(_("Không thể tự xóa tài khoản của mình."))
        super().on_model_delete(model)

    @action("unlock", _l("Mở khóa"), _l("Mở khóa các tài khoản đã chọn (xóa số lần nhập sai)?"))
    def action_unlock(self, ids: list[str]) -> None:
        users = list(self.get_query().filter(User.id.in_([int(i) for i in ids if str(i).isdigit()])))
        for user in users:
            user.failed_logins = 0
            user.locked_until_dt = None
        db.session.commit()
        flash(_("Đã mở khóa %(n)d tài khoản.", n=len(users)), "success")


def _current_user_id() -> int | None:
    from flask_login import current_user

    return current_user.id if current_role() is not None else None


def _screen_of(view: Any, model_name: str) -> Any:
    """The admin screen showing records of the class called ``model_name`` (for its name and labels)."""
    for other in getattr(view.admin, "_views", []):
        model = getattr(other, "model", None)
        if model is not None and model.__name__ == model_name:
            return other
    return None


def _model_name(view: Any, context: Any, model: AuditEvent, name: str) -> str:
    screen = _screen_of(view, model.model)
    return str(screen.name) if screen is not None else model.model


def _changes_html(view: Any, context: Any, model: AuditEvent, name: str) -> Markup:
    """The changed fields as a small table: field, before, after (every value escaped)."""
    changes = model.changes or {}
    if not changes:
        return Markup("")
    screen = _screen_of(view, model.model)
    labels = dict(getattr(screen, "column_labels", None) or {})
    rows = Markup("").join(
        Markup("<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>").format(
            labels.get(key, key), _value_text(pair[0] if isinstance(pair, list | tuple) else None),
            _value_text(pair[1] if isinstance(pair, list | tuple) else pair),
        )
        for key, pair in changes.items()
    )
    head = Markup("<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>").format(
        _("Trường"), _("Trước"), _("Sau"))
    return Markup('<table class="table table-sm table-bordered heza-changes">{}<tbody>{}</tbody></table>').format(
        head, rows)


def _value_text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _changes_text(view: Any, context: Any, model: AuditEvent, name: str) -> str:
    return "; ".join(
        f"{key}: {_value_text(pair[0])} → {_value_text(pair[1])}" if isinstance(pair, list | tuple) and len(pair) == 2
        else f"{key}: {_value_text(pair)}"
        for key, pair in (model.changes or {}).items()
    )


class AuditEventView(ProtectedModelView):
    """Who created, changed or deleted what, and when; nobody edits the log."""

    read_roles = ADMINS
    write_roles = ADMINS
    can_create = False
    can_edit = False
    can_delete = False

    column_list = ("at_dt", "actor", "action", "model", "record_id", "summary")
    column_details_list = ("at_dt", "actor", "user", "action", "model", "record_id", "summary", "changes")
    column_export_list = ("at_dt", "actor", "action", "model", "record_id", "summary", "changes")
    column_filters = ("model", "action", "actor", "at_dt")
    column_default_sort = [("at_dt", True), ("id", True)]
    column_sortable_list = ("at_dt", "actor", "action", "model")
    column_labels = {
        "at_dt": _l("Thời điểm"),
        "actor": _l("Người thực hiện"),
        "user": _l("Tài khoản"),
        "action": _l("Thao tác"),
        "model": _l("Loại hồ sơ"),
        "record_id": _l("Mã hồ sơ"),
        "summary": _l("Hồ sơ"),
        "changes": _l("Thay đổi"),
    }
    column_formatters = {
        "action": lambda v, c, m, n: ACTION_LABELS.get(m.action, m.action),
        "model": _model_name,
        "summary": fmt.text(limit=120),
        "changes": _changes_html,
    }
    column_formatters_export = {
        "action": lambda v, c, m, n: str(ACTION_LABELS.get(m.action, m.action)),
        "model": _model_name,
        "changes": _changes_text,
    }

    def is_action_allowed(self, name: str) -> bool:
        return False


def register(admin: Any) -> None:
    """Add the user and audit-log screens to ``admin``."""
    admin.add_view(UserView(User, db, name=_l("Người dùng"), category=CATEGORY, endpoint="user"))
    admin.add_view(AuditEventView(AuditEvent, db, name=_l("Nhật ký thay đổi"), category=CATEGORY,
                                  endpoint="audit"))

