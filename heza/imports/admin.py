"""``/admin/import/``: upload a spreadsheet, see what each row would do, confirm to write it all.

Nothing is written before the confirmation, and a file with any error is never written: the
preview shows the reason beside each bad cell. The file waits in the database between the two
steps (:class:`heza.imports.models.ImportUpload`), readable only by whoever uploaded it.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from heza.accounts.models import Role
from heza.admin.access import ProtectedView
from heza.base import now_utc
from heza.extensions import db
from heza.imports import enterprises
from heza.imports.models import ImportUpload
from heza.imports.reading import MAX_BYTES, ImportRefused, read_table
from heza.validation import InvalidValue

KINDS = {"enterprises": _l("Doanh nghiệp")}
PREVIEW_ROWS = 500  # rows shown in the preview (errors first); the counts cover the whole file


class ImportView(ProtectedView):
    """Officers and administrators import the directory from the spreadsheets they keep."""

    read_roles = (Role.ADMIN, Role.OFFICER)
    write_roles = (Role.ADMIN, Role.OFFICER)

    @expose("/", methods=("GET",))
    def index(self) -> Any:
        return self._upload_page()

    def _upload_page(self, message: str | None = None, status: int = 200) -> Any:
        return self.render("admin/import_upload.html", kinds=KINDS, message=message,
                           limit_mb=MAX_BYTES // (1024 * 1024),
                           labels=_field_labels()), status

    @expose("/preview", methods=("POST",))
    def preview(self) -> Any:
        kind = request.form.get("kind", "enterprises")
        if kind not in KINDS:
            abort(400)
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            return self._upload_page(_("Chưa chọn tệp."), 400)
        try:
            data = upload.stream.read(MAX_BYTES + 1)
        finally:
            upload.close()  # a large upload is a temporary file
        try:
            table = read_table(data, upload.filename)
        except ImportRefused as exc:
            return self._upload_page(str(exc), 400)
        check = enterprises.check_table(table)
        db.session.rollback()  # the check only reads
        token = ""
        if check.ok:
            token = secrets.token_urlsafe(32)
            db.session.execute(sa.delete(ImportUpload).where(ImportUpload.created_dt < now_utc() - timedelta(days=1)))
            db.session.add(ImportUpload(token=token, kind=kind, filename=upload.filename[:255], content=data,
                                        user_id=current_user.id))
            db.session.commit()
        return self._preview_page(check, upload.filename, token)

    def _preview_page(self, check: enterprises.ImportCheck, filename: str, token: str) -> Any:
        order = {enterprises.ERROR: 0, enterprises.CREATE: 1, enterprises.UPDATE: 2, enterprises.UNCHANGED: 3}
        shown = sorted(check.rows, key=lambda r: (order[r.action], r.line))[:PREVIEW_ROWS]
        shown = [r for r in shown if r.action != enterprises.UNCHANGED or len(shown) < PREVIEW_ROWS]
        return self.render("admin/import_preview.html", check=check, rows=shown, filename=filename, token=token,
                           counts=check.counts, labels=_field_labels(), actions=enterprises.ACTION_LABELS,
                           hidden=len(check.rows) - len(shown)), (200 if check.ok else 422)

    @expose("/confirm", methods=("POST",))
    def confirm(self) -> Any:
        token = request.form.get("token", "")
        upload = db.session.scalars(sa.select(ImportUpload).where(
            ImportUpload.token == token, ImportUpload.user_id == current_user.id)).first()
        if upload is None:
            flash(_("Không còn tệp chờ xác nhận (có thể đã nhập hoặc quá hạn); vui lòng tải tệp lên lại."), "error")
            return redirect(url_for(".index"))
        filename, data = upload.filename, upload.content
        try:
            check = enterprises.check_table(read_table(data, filename))
        except ImportRefused as exc:  # pragma: no cover - it was read once already
            return self._upload_page(str(exc), 400)
        if not check.ok:
            db.session.rollback()
            flash(_("Danh mục đã thay đổi từ lúc xem trước và tệp nay có lỗi; chưa nhập dòng nào."), "error")
            return self._preview_page(check, filename, "")
        try:
            db.session.delete(upload)
            done = enterprises.apply(check, db.session)
        except InvalidValue as exc:
            flash(str(exc), "error")
            return redirect(url_for(".index"))
        flash(_("Đã nhập tệp %(file)s: thêm mới %(c)d, cập nhật %(u)d, không đổi %(n)d doanh nghiệp.",
                file=filename, c=done.created, u=done.updated, n=done.unchanged), "success")
        return redirect(url_for("enterprise.index_view"))


def _field_labels() -> dict[str, str]:
    from heza.directory.admin import EnterpriseView

    return {name: str(EnterpriseView.column_labels.get(name, aliases[0]))
            for name, aliases in enterprises.FIELDS.items()}


def register(admin: Any) -> None:
    from heza.directory.admin import CATEGORY

    admin.add_view(ImportView(name=_l("Nhập từ tệp Excel, CSV"), category=CATEGORY, endpoint="import",
                              url="/admin/import"))
