"""The outbox screen: every email with its status and attempts, a safe preview, and a retry."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.helpers import get_redirect_target
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from heza.accounts.models import Role
from heza.admin import formatters
from heza.admin.base import ProtectedModelView, current_role, enum_filter
from heza.base import now_utc
from heza.extensions import db
from heza.outbox.models import EmailStatus, OutboundEmail

CONFIDENTIAL_KIND = "legal_notice_confidential"  # heza.hotline.legal.LEGAL_NOTICE_CONFIDENTIAL

CATEGORY = _l("Hệ thống")

RETRYABLE = (EmailStatus.FAILED, EmailStatus.WITHDRAWN)


def retry(emails: Iterable[OutboundEmail]) -> int:
    """Queue failed or withdrawn emails again, to be tried at once; returns how many were queued.

    The attempt count starts again so delivery's give-up limit does not refuse the retry; the
    last error stays until the next attempt replaces it.
    """
    count = 0
    now = now_utc()
    for email in emails:
        if email.status in RETRYABLE:
            email.status = EmailStatus.PENDING
            email.next_attempt_dt = now
            email.attempts = 0
            count += 1
    return count


def _status_badge(view: Any, context: Any, model: OutboundEmail, name: str) -> Markup:
    css = {
        EmailStatus.SENT: "success",
        EmailStatus.FAILED: "danger",
        EmailStatus.PENDING: "secondary",
        EmailStatus.SENDING: "info",
        EmailStatus.WITHDRAWN: "dark",
    }.get(model.status, "light")
    return formatters.badge(css, model.status.label)


def _short_error(view: Any, context: Any, model: OutboundEmail, name: str) -> Markup:
    text = model.last_error or ""
    short = text if len(text) <= 80 else text[:79] + "…"
    return formatters.titled(text, short)


class OutboundEmailView(ProtectedModelView):
    """Read-only list of the outbox, with a preview page and a retry action for failed emails."""

    read_roles = (Role.ADMIN, Role.OFFICER)
    write_roles = (Role.ADMIN, Role.OFFICER)

    can_create = False
    can_edit = False
    can_delete = False
    can_view_details = True
    details_template = "admin/outbox_details.html"

    column_list = ("created_dt", "kind", "to_addr", "subject", "status", "attempts", "last_error", "sent_dt")
    column_default_sort = ("created_dt", True)
    # By value through heza's enum filter: Flask-Admin's own enum filter looks the value up by member
    # name and answered ``?flt0_0=failed`` (or any typed value) with a KeyError, a 500.
    column_filters = (enum_filter(OutboundEmail.status, _l("Trạng thái"), EmailStatus), "kind", "to_addr")
    column_labels = {
        "created_dt": _l("Tạo lúc"),
        "kind": _l("Loại"),
        "key": _l("Khóa"),
        "to_addr": _l("Người nhận"),
        "to_name": _l("Tên người nhận"),
        "cc": _l("Đồng gửi"),
        "subject": _l("Tiêu đề"),
        "status": _l("Trạng thái"),
        "attempts": _l("Số lần gửi"),
        "last_error": _l("Lỗi gần nhất"),
        "next_attempt_dt": _l("Lần gửi tiếp theo"),
        "sent_dt": _l("Gửi lúc"),
        "language": _l("Ngôn ngữ"),
        "conference": _l("Hội nghị"),
    }
    column_formatters = {"status": _status_badge, "last_error": _short_error}
    column_formatters_export = {"last_error": lambda v, c, m, n: m.last_error}

    def scoped(self, query: Any) -> Any:
        # A notice to a denouncer names them: only admins see it here (issue 15; the assigned
        # officer sees the person on the item itself).
        query = super().scoped(query)
        if current_role() != Role.ADMIN:
            query = query.filter(OutboundEmail.kind != CONFIDENTIAL_KIND)
        return query

    @action("retry", _l("Gửi lại"), _l("Gửi lại các email đã chọn (chỉ email gửi lỗi hoặc đã thu hồi)?"))
    def action_retry(self, ids: list[str]) -> None:
        emails = self._visible(ids)
        count = retry(emails)
        db.session.commit()
        skipped = len(emails) - count
        flash(_("Đã đưa %(n)d email vào hàng đợi gửi lại.", n=count), "success")
        if skipped:
            flash(_("Bỏ qua %(n)d email không ở trạng thái gửi lỗi hoặc đã thu hồi.", n=skipped), "warning")

    def _visible(self, ids: Iterable[str]) -> list[OutboundEmail]:
        keys = [int(i) for i in ids if str(i).isdigit()]
        query = self.get_query().filter(OutboundEmail.id.in_(keys))
        return list(query)

    @expose("/retry/", methods=("POST",))
    def retry_view(self) -> Any:
        """The retry button of the details page (a POST with the CSRF token, like every form)."""
        if not self.can_write():
            abort(403)
        email = self.get_one(request.form.get("id", ""))
        if email is None:
            abort(404)
        return_url = get_redirect_target() or url_for(".details_view", id=email.id)
        if email.status not in RETRYABLE:
            flash(_("Chỉ gửi lại được email gửi lỗi hoặc đã thu hồi (email này: %(status)s).",
                    status=email.status.label), "error")
            return redirect(return_url)
        retry([email])
        db.session.commit()
        flash(_("Đã đưa email vào hàng đợi gửi lại."), "success")
        return redirect(return_url)

    @expose("/details/")
    def details_view(self) -> Any:
        self._template_args["retryable"] = RETRYABLE
        return super().details_view()


def register(admin: Any) -> None:
    """Add the outbox screen to ``admin``."""
    admin.add_view(OutboundEmailView(OutboundEmail, db, name=_l("Hộp thư đi"), category=CATEGORY,
                                     endpoint="outbox"))
