"""The log of scheduled job runs, read-only."""

from __future__ import annotations

import json
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from heza.accounts.models import Role
from heza.admin.base import ProtectedModelView
from heza.extensions import db
from heza.jobruns.models import JobRun

CATEGORY = _l("Hệ thống")


def duration_text(run: JobRun) -> str:
    """How long a run took, or that it is still running (or died without finishing)."""
    if run.finished_dt is None:
        return _("chưa kết thúc")
    seconds = (run.finished_dt - run.started_dt).total_seconds()
    return _("%(s).1f giây", s=seconds)


def counts_text(run: JobRun) -> str:
    """The run's counts as ``key: value`` pairs, in a stable order."""
    counts = run.counts or {}
    return ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False) if not isinstance(v, int) else v}"
                     for k, v in sorted(counts.items()))


def _error(view: Any, context: Any, model: JobRun, name: str) -> Markup:
    if not model.error:
        return Markup('<span class="badge badge-success">{}</span>').format(_("Thành công"))
    first = model.error.strip().splitlines()[-1] if model.error.strip() else model.error
    return Markup('<span class="badge badge-danger">{}</span> <span title="{}">{}</span>').format(
        _("Lỗi"), model.error, first[:120]
    )


class JobRunView(ProtectedModelView):
    """Every run of every scheduled job, newest first; nothing can be changed here."""

    read_roles = (Role.ADMIN, Role.OFFICER, Role.VIEWER)
    write_roles = ()

    can_create = False
    can_edit = False
    can_delete = False
    can_view_details = True

    column_list = ("job", "today", "started_dt", "finished_dt", "duration", "counts", "error", "host")
    column_details_list = ("job", "today", "started_dt", "finished_dt", "duration", "counts", "error", "host")
    column_export_list = ("job", "today", "started_dt", "finished_dt", "duration", "counts", "error", "host")
    column_default_sort = ("started_dt", True)
    column_filters = ("job", "today", "error")
    column_sortable_list = ("job", "today", "started_dt", "finished_dt")
    column_labels = {
        "job": _l("Việc định kỳ"),
        "today": _l("Ngày xử lý"),
        "started_dt": _l("Bắt đầu"),
        "finished_dt": _l("Kết thúc"),
        "duration": _l("Thời gian chạy"),
        "counts": _l("Kết quả"),
        "error": _l("Lỗi"),
        "host": _l("Máy chủ"),
    }
    column_formatters = {
        "duration": lambda v, c, m, n: duration_text(m),
        "counts": lambda v, c, m, n: counts_text(m),
        "error": _error,
    }
    column_formatters_detail = {
        **column_formatters,
        "error": lambda v, c, m, n: Markup("<pre>{}</pre>").format(m.error) if m.error else "",
    }
    column_formatters_export = {
        **column_formatters,
        "error": lambda v, c, m, n: m.error,
    }


def register(admin: Any) -> None:
    """Add the job-run log to ``admin``."""
    admin.add_view(JobRunView(JobRun, db, name=_l("Nhật ký chạy việc định kỳ"), category=CATEGORY,
                              endpoint="jobrun"))
