"""``/admin/import/``: upload a spreadsheet, see what each row would do, confirm to write it all.

Nothing is written before the confirmation, and a file with any error is never written: the
preview shows the reason beside each bad cell. The file waits in the database between the two
steps (:class:`heza.imports.models.ImportUpload`), readable only by whoever uploaded it.

A person may import a kind when the kind's own admin screen lets them write (its ``write_roles``),
and always as themselves: an officer's import reads and writes their organizer's rows only. An
admin may choose the organizer units and recommendations are imported into.
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

from heza import tenancy
from heza.accounts.models import Role
from heza.admin.access import ProtectedView, current_role
from heza.base import now_utc
from heza.directory.models import Organizer
from heza.extensions import db
from heza.imports import enterprises, recommendations, units
from heza.imports.checking import ACTION_LABELS, CREATE, ERROR, UNCHANGED, UPDATE, Context, ImportCheck, Kind
from heza.imports.models import ImportUpload
from heza.imports.reading import MAX_BYTES, ImportRefused, read_table
from heza.validation import InvalidValue

KINDS: dict[str, Kind] = {kind.key: kind for kind in (enterprises.KIND, units.KIND, recommendations.KIND)}
PREVIEW_ROWS = 500  # rows shown in the preview (errors first); the counts cover the whole file


class ImportView(ProtectedView):
    """Officers and administrators import the directory from the spreadsheets they keep."""

    read_roles = (Role.ADMIN, Role.OFFICER)
    write_roles = (Role.ADMIN, Role.OFFICER)

    @expose("/", methods=("GET",))
    def index(self) -> Any:
        return self._upload_page()

    def _kinds(self) -> dict[str, Kind]:
        """The kinds the current person may import: those whose admin screen they may write."""
        role = current_role()
        return {key: kind for key, kind in KINDS.items() if role in kind.write_roles()}

    def _upload_page(self, message: str | None = None, status: int = 200) -> Any:
        kinds = self._kinds()
        organizers = []
        if tenancy.current_viewer().city_wide:
            organizers = db.session.execute(sa.select(Organizer.id, Organizer.name).order_by(Organizer.name)).all()
        return self.render("admin/import_upload.html", kinds=kinds, message=message,
                           limit_mb=MAX_BYTES // (1024 * 1024), organizers=organizers,
                           labels={key: kind.labels() for key, kind in kinds.items()}), status

    def _context(self) -> Context:
        """Who imports, and (an admin only) into which organizer; an officer always into their own."""
        viewer = tenancy.current_viewer()
        chosen = request.form.get("organizer", "")
        if not viewer.city_wide or not chosen:
            return Context(viewer=viewer)
        if not chosen.isdigit() or db.session.get(Organizer, int(chosen)) is None:
            abort(400)
        return Context(viewer=viewer, organizer_id=int(chosen))

    @expose("/preview", methods=("POST",))
    def preview(self) -> Any:
        key = request.form.get("kind", "enterprises")
        if key not in KINDS:
            abort(400)
        if key not in self._kinds():
            abort(403)
        kind, context = KINDS[key], self._context()
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
        check = kind.check_table(table, context)
        db.session.rollback()  # the check only reads
        token = ""
        if check.ok:
            token = secrets.token_urlsafe(32)
            db.session.execute(sa.delete(ImportUpload).where(ImportUpload.created_dt < now_utc() - timedelta(days=1)))
            db.session.add(ImportUpload(token=token, kind=key, filename=upload.filename[:255], content=data,
                                        user_id=current_user.id))
            db.session.commit()
        return self._preview_page(kind, check, upload.filename, token, context)

    def _preview_page(self, kind: Kind, check: ImportCheck, filename: str, token: str, context: Context) -> Any:
        order = {ERROR: 0, CREATE: 1, UPDATE: 2, UNCHANGED: 3}
        shown = sorted(check.rows, key=lambda r: (order[r.action], r.line))[:PREVIEW_ROWS]
        shown = [r for r in shown if r.action != UNCHANGED or len(shown) < PREVIEW_ROWS]
        return self.render("admin/import_preview.html", check=check, rows=shown, filename=filename, token=token,
                           counts=check.counts, labels=kind.labels(), actions=ACTION_LABELS, kind=kind,
                           organizer_id=context.organizer_id or "",
                           hidden=len(check.rows) - len(shown)), (200 if check.ok else 422)

    @expose("/confirm", methods=("POST",))
    def confirm(self) -> Any:
        token = request.form.get("token", "")
        upload = db.session.scalars(sa.select(ImportUpload).where(
            ImportUpload.token == token, ImportUpload.user_id == current_user.id)).first()
        if upload is None:
            flash(_("Không còn tệp chờ xác nhận (có thể đã nhập hoặc quá hạn); vui lòng tải tệp lên lại."), "error")
            return redirect(url_for(".index"))
        if upload.kind not in self._kinds():
            abort(403)
        kind, context = KINDS[upload.kind], self._context()
        filename, data = upload.filename, upload.content
        try:
            check = kind.check_table(read_table(data, filename), context)
        except ImportRefused as exc:  # pragma: no cover - it was read once already
            return self._upload_page(str(exc), 400)
        if not check.ok:
            db.session.rollback()
            flash(_("Danh mục đã thay đổi từ lúc xem trước và tệp nay có lỗi; chưa nhập dòng nào."), "error")
            return self._preview_page(kind, check, filename, "", context)
        try:
            db.session.delete(upload)
            done = kind.apply(check, db.session)
        except InvalidValue as exc:
            flash(str(exc), "error")
            return redirect(url_for(".index"))
        flash(_("Đã nhập tệp %(file)s (%(kind)s): thêm mới %(c)d, cập nhật %(u)d, không đổi %(n)d.",
                file=filename, kind=kind.label, c=done.created, u=done.updated, n=done.unchanged), "success")
        return redirect(url_for(kind.list_endpoint))


def register(admin: Any) -> None:
    from heza.directory.admin import CATEGORY

    admin.add_view(ImportView(name=_l("Nhập từ tệp Excel, CSV"), category=CATEGORY, endpoint="import",
                              url="/admin/import"))
