"""Logging in and out, and choosing the language: the ``auth`` blueprint.

``/login`` (GET, POST), ``/logout`` (POST) and ``/language/<code>`` (POST) — every POST carries the
CSRF token of the global ``CSRFProtect``. After login the user goes back to ``next`` only when it is
a path inside this site; anything else (``//evil.example``, ``https://…``, ``javascript:``) is
replaced by the admin home.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Length

from heza.accounts import security
from heza.accounts.models import User
from heza.directory.models import Language
from heza.extensions import db, login_manager

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site (``/admin/...``), else None."""
    if not target:
        return None
    target = target.strip()
    # Browsers treat "\" like "/", so "/\evil.example" is another host too.
    if not target.startswith("/") or target.startswith(("//", "/\\")) or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    if any(ord(c) < 32 for c in target):
        return None
    return target


def _home() -> str:
    return url_for("admin.index") if "admin" in current_app.blueprints else "/"


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Nhập địa chỉ email.")), Length(max=254)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_l("Nhập mật khẩu.")), Length(max=500)])
    next = HiddenField()


def _minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


@bp.route("/login", methods=("GET", "POST"))
def login() -> Any:
    """The login form; a throttled or wrong attempt re-renders it with the reason."""
    target = safe_next(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(target or _home())
    form = LoginForm(next=target or "")
    status = 200
    if form.validate_on_submit():
        outcome = security.attempt(form.email.data or "", form.password.data or "")
        if outcome.ok and outcome.user is not None:
            language = session.get("lang")
            session.clear()  # nothing from before the login survives into the logged-in session
            login_user(outcome.user)
            session["lang"] = str(outcome.user.language) or language
            refresh()
            return redirect(safe_next(form.next.data) or _home())
        if outcome.reason == "locked":
            flash(_("Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần. Hãy thử lại sau %(n)d phút.",
                    n=_minutes(outcome.retry_after)), "error")
            status = 429
        elif outcome.reason == "address":
            flash(_("Quá nhiều lần đăng nhập sai từ máy này. Hãy thử lại sau %(n)d phút.",
                    n=_minutes(outcome.retry_after)), "error")
            status = 429
        else:
            flash(_("Email hoặc mật khẩu không đúng."), "error")
            status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=("POST",))
def logout() -> Any:
    """End the session (POST only, so another site cannot log people out with a link)."""
    language = session.get("lang")
    logout_user()
    session.clear()
    if language:
        session["lang"] = language
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language/<code>", methods=("POST",))
def language(code: str) -> Any:
    """Switch the interface language: kept in the session, and on the user when logged in."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated:
        current_user.language = Language(code)
        db.session.commit()
    refresh()
    return redirect(safe_next(request.form.get("next")) or _home())


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The logged-in user, or None when the account was deleted or deactivated since."""
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


def _error_page(status: int, title: str, message: str, request_id: str | None = None) -> Any:
    return render_template("auth/error.html", title=title, message=message, home=_home(),
                           request_id=request_id), status


def _too_large(_exc: Exception) -> Any:
    limit_mb = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
    return _error_page(413, _("Tệp gửi lên quá lớn"),
                       _("Dữ liệu gửi lên vượt quá %(mb)d MB nên chưa được lưu. Hãy nén hoặc tách tệp, "
                         "quay lại trang trước và gửi lại.", mb=limit_mb))


def _server_error(_exc: Exception) -> Any:
    """A plain sentence and the request id (the traceback is in the log under that id, never on the page)."""
    from heza.observability import request_id

    try:
        return _error_page(500, _("Đã có lỗi xảy ra"),
                           _("Hệ thống gặp lỗi khi xử lý yêu cầu này. Hãy thử lại sau ít phút; nếu vẫn lỗi, "
                             "hãy báo bộ phận kỹ thuật kèm mã yêu cầu dưới đây."), request_id())
    except Exception:  # noqa: BLE001 - the page itself must not fail (a broken database, a template error)
        current_app.logger.exception("the 500 page failed")
        rid = request_id() or ""
        return (f"<!doctype html><meta charset=utf-8><title>500</title><h1>Đã có lỗi xảy ra</h1>"
                f"<p>Mã yêu cầu: <code>{escape(rid)}</code></p>", 500, {"Content-Type": "text/html; charset=utf-8"})


def _forbidden(_exc: Exception) -> Any:
    return _error_page(403, _("Không có quyền truy cập"),
                       _("Tài khoản của bạn không được phép xem hoặc thực hiện thao tác này. Nếu cần quyền, "
                         "hãy liên hệ quản trị hệ thống."))


def _not_found(_exc: Exception) -> Any:
    return _error_page(404, _("Không tìm thấy"), _("Không có trang hoặc bản ghi này, hoặc bạn không được xem nó."))


def _method_not_allowed(exc: Exception) -> Any:
    # A tampered or truncated link can land a POST on a page that only shows (werkzeug's page is English).
    body, status = _error_page(405, _("Thao tác không hợp lệ"),
                               _("Trang này không nhận thao tác vừa gửi. Hãy mở lại trang và thử lại."))
    allow = getattr(exc, "valid_methods", None)
    return body, status, ({"Allow": ", ".join(allow)} if allow else {})


def _bad_request(exc: Exception) -> Any:
    from heza.request_guard import InvalidCharacters

    if isinstance(exc, InvalidCharacters):
        return _error_page(400, _("Dữ liệu không hợp lệ"), str(exc.description))
    if isinstance(exc, CSRFError):
        return _error_page(400, _("Biểu mẫu đã hết hạn"),
                           _("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Hãy tải lại trang và thử lại."))
    return _error_page(400, _("Yêu cầu không hợp lệ"), _("Yêu cầu không hợp lệ. Hãy tải lại trang và thử lại."))


def init_app(app: Flask) -> None:
    """Register the blueprint, the Vietnamese error pages and tell Flask-Login where the login page is.

    The error pages are app-wide; a blueprint's own handlers (the public pages have theirs) win inside it.
    """
    app.register_blueprint(bp)
    app.register_error_handler(400, _bad_request)
    app.register_error_handler(403, _forbidden)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(405, _method_not_allowed)
    app.register_error_handler(413, _too_large)
    app.register_error_handler(500, _server_error)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Hãy đăng nhập để tiếp tục.")
    login_manager.login_message_category = "info"
