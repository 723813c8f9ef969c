"""The newsletter screens: quarterly issues with their article assignments (R10: 1 A4 page = 350 words)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash
from flask_admin.actions import action
from flask_admin.model.form import InlineFormAdmin
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from heza import rules
from heza.accounts.models import Role
from heza.admin import formatters as fmt
from heza.admin.base import IdFilter, ProtectedModelView, options_of
from heza.base import local_today, now_utc
from heza.directory.models import Organizer, Unit
from heza.extensions import db
from heza.newsletter.models import ArticleAssignment, NewsletterIssue

CATEGORY = _l("Bản tin")

LABELS: dict[str, Any] = {
    "organizer": _l("Đơn vị tổ chức"),
    "number": _l("Số bản tin"),
    "year": _l("Năm"),
    "quarter": _l("Quý"),
    "deadline": _l("Hạn gửi tin bài"),
    "editor_unit": _l("Đơn vị biên tập"),
    "published_on": _l("Ngày phát hành"),
    "assignments": _l("Phân công tin bài"),
    "issue": _l("Số bản tin"),
    "issue.number": _l("Số bản tin"),
    "position": _l("Thứ tự"),
    "section": _l("Chuyên mục"),
    "topic": _l("Nội dung tin bài"),
    "unit": _l("Đơn vị thực hiện"),
    "article_count": _l("Số tin bài"),
    "kind": _l("Loại (tin/bài)"),
    "pages": _l("Số trang A4"),
    "planned_words": _l("Số chữ dự kiến"),
    "due_on": _l("Hạn gửi"),
    "due": _l("Hạn gửi"),
    "submitted_dt": _l("Đã gửi lúc"),
    "word_count": _l("Số chữ thực tế"),
    "created_dt": _l("Tạo lúc"),
    "updated_dt": _l("Cập nhật lúc"),
}


def planned_words_text(model: ArticleAssignment) -> str:
    """R10: the planned words for the assignment's pages, or empty."""
    words = rules.planned_words(model.pages)
    return f"{words:,}".replace(",", ".") if words is not None else ""


def assignment_due(model: ArticleAssignment) -> date | None:
    """R10: the assignment's own date, else its issue's deadline."""
    if model.issue is None:
        return model.due_on
    return rules.article_due(model.issue.deadline, model.due_on, model.issue.organizer.settings()).due


def _due_cell(view: Any, context: Any, model: ArticleAssignment, name: str) -> Markup:
    due = assignment_due(model)
    if due is None:
        return Markup("")
    late = model.submitted_dt is None and due < local_today()
    css = "text-danger font-weight-bold" if late else ""
    return Markup('<span class="{}">{}</span>').format(css, fmt.format_day(due))


class AssignmentInline(InlineFormAdmin):
    form_columns = ("id", "position", "section", "topic", "unit", "article_count", "kind", "pages", "due_on",
                    "submitted_dt", "word_count")
    form_label = _l("Phân công tin bài")
    column_labels = LABELS
    form_args = {"pages": {"description": _l("1 trang A4 = 350 chữ.")}}


class NewsletterIssueView(ProtectedModelView):
    """Quarterly issues such as "01.2023" with the articles each unit owes."""

    column_list = ("number", "organizer", "deadline", "editor_unit", "assignment_count", "planned_words",
                   "published_on")
    column_details_list = ("number", "organizer", "year", "quarter", "deadline", "editor_unit", "published_on",
                           "assignment_table", "planned_words", "created_dt", "updated_dt")
    column_export_list = ("number", "organizer", "year", "quarter", "deadline", "editor_unit", "assignment_count",
                          "planned_words", "published_on")
    column_filters = (
        IdFilter(NewsletterIssue.organizer_id, _l("Đơn vị tổ chức"), options=options_of(Organizer, Organizer.name)),
        "year",
        "quarter",
        "deadline",
    )
    column_sortable_list = ("number", "deadline", "published_on", "year")
    column_default_sort = [("year", True), ("quarter", True)]
    column_labels = {**LABELS, "assignment_count": _l("Số phân công"), "planned_words": _l("Tổng số chữ dự kiến"),
                     "assignment_table": _l("Phân công tin bài")}
    column_formatters = {
        "assignment_count": lambda v, c, m, n: len(m.assignments),
        "planned_words": lambda v, c, m, n: _total_words(m),
    }
    column_formatters_detail = {**column_formatters, "assignment_table": lambda v, c, m, n: _assignment_table(m)}
    column_descriptions = {"number": _l("Dạng SS.NNNN, ví dụ 01.2023.")}
    form_columns = ("organizer", "number", "year", "quarter", "deadline", "editor_unit", "published_on",
                    "assignments")
    inline_models = (AssignmentInline(ArticleAssignment),)


def _total_words(issue: NewsletterIssue) -> str:
    total = sum(rules.planned_words(a.pages) or 0 for a in issue.assignments)
    return f"{total:,}".replace(",", ".") if total else ""


def count_text(a: ArticleAssignment) -> str:
    """The count as seed 003's table writes it: "10 tin", "01 bài"."""
    kind = str(a.kind.label).lower() if a.kind is not None else ""
    return f"{a.article_count:02d} {kind}".strip()


def _assignment_table(issue: NewsletterIssue) -> Markup:
    head = Markup("<thead><tr>{}</tr></thead>").format(Markup("").join(
        Markup("<th>{}</th>").format(LABELS[k])
        for k in ("position", "section", "topic", "unit", "article_count", "pages", "planned_words", "due",
                  "submitted_dt")))
    rows = Markup("").join(
        Markup("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
               "<td>{}</td></tr>").format(
            a.position, a.section, a.topic, a.unit or "", count_text(a), a.pages if a.pages is not None else "",
            planned_words_text(a), fmt.format_day(assignment_due(a)), fmt.format_instant(a.submitted_dt))
        for a in issue.assignments
    )
    return Markup('<table class="table table-sm table-bordered">{}<tbody>{}</tbody></table>').format(head, rows)


class ArticleAssignmentView(ProtectedModelView):
    """Every article assignment; unit staff see their unit's and record what they sent."""

    read_roles = (Role.ADMIN, Role.OFFICER, Role.VIEWER, Role.UNIT)
    write_roles = (Role.ADMIN, Role.OFFICER, Role.UNIT)
    query_options = (selectinload(ArticleAssignment.issue).selectinload(NewsletterIssue.organizer)
                     .selectinload(Organizer.plans),)
    unit_column = "unit_id"
    unit_can_edit_columns = ("submitted_dt", "word_count")
    unit_actions = ("mark_submitted",)

    column_list = ("issue", "position", "section", "topic", "unit", "article_count", "kind", "pages",
                   "planned_words", "due", "submitted_dt", "word_count")
    column_details_list = ("issue", "position", "section", "topic", "unit", "article_count", "kind", "pages",
                           "planned_words", "due", "submitted_dt", "word_count", "created_dt", "updated_dt")
    column_export_list = ("issue", "position", "section", "topic", "unit", "article_count", "kind", "pages",
                          "planned_words", "due", "submitted_dt", "word_count")
    column_filters = (
        IdFilter(ArticleAssignment.unit_id, _l("Đơn vị thực hiện"), options=options_of(Unit, Unit.name)),
        IdFilter(ArticleAssignment.issue_id, _l("Số bản tin"),
                 options=options_of(NewsletterIssue, NewsletterIssue.deadline.desc())),
        "submitted_dt",
        IdFilter(NewsletterIssue.organizer_id, _l("Đơn vị tổ chức"), options=options_of(Organizer, Organizer.name)),
    )
    column_sortable_list = ("position", "submitted_dt", ("issue", "issue.deadline"), ("unit", "unit.name"))
    column_default_sort = [("issue_id", True), ("position", False)]
    column_labels = LABELS
    column_formatters = {
        "topic": fmt.text(limit=100),
        "planned_words": lambda v, c, m, n: planned_words_text(m),
        "due": _due_cell,
    }
    column_formatters_export = {
        "planned_words": lambda v, c, m, n: planned_words_text(m),
        "due": lambda v, c, m, n: fmt.format_day(assignment_due(m)),
    }
    column_descriptions = {
        "pages": _l("1 trang A4 = 350 chữ (R10)."),
        "due_on": _l("Để trống để dùng hạn gửi tin bài của số bản tin."),
    }
    form_columns = ("issue", "position", "section", "topic", "unit", "article_count", "kind", "pages", "due_on",
                    "submitted_dt", "word_count")

    @action("mark_submitted", _l("Đánh dấu đã gửi"), _l("Đánh dấu các tin bài đã chọn là đã gửi?"))
    def action_mark_submitted(self, ids: list[str]) -> None:
        keys = [int(i) for i in ids if str(i).isdigit()]
        rows = [a for a in self.get_query().filter(ArticleAssignment.id.in_(keys)) if a.submitted_dt is None]
        now = now_utc()
        for row in rows:
            row.submitted_dt = now
        db.session.commit()
        flash(_("Đã đánh dấu đã gửi %(n)d tin bài.", n=len(rows)), "success")


def register(admin: Any) -> None:
    """Add the newsletter screens to ``admin``."""
    admin.add_view(NewsletterIssueView(NewsletterIssue, db, name=_l("Số bản tin"), category=CATEGORY,
                                       endpoint="newsletter"))
    admin.add_view(ArticleAssignmentView(ArticleAssignment, db, name=_l("Phân công tin bài"),
                                         category=CATEGORY, endpoint="article"))
