"""Outreach screens: posts on digital channels (R9) and dialogue topic proposals for the annual plan (R12)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import has_app_context
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from heza.admin import formatters as fmt
from heza.admin.base import IdFilter, ProtectedModelView, enum_filter, options_of
from heza.directory.models import Organizer
from heza.extensions import db
from heza.outreach.models import Addressee, DigitalPost, PostChannel, TopicProposal

CATEGORY = _l("Truyền thông, đề xuất")


def _link(view: Any, context: Any, model: DigitalPost, name: str) -> Markup:
    url = model.url or ""
    if not url.startswith(("http://", "https://")):
        return Markup("{}").format(url)  # only web links become links (never javascript:)
    return Markup('<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>').format(url, url[:60])


class DigitalPostView(ProtectedModelView):
    """Enterprise news on the portal, Zalo, Facebook or radio; a ward posts at least monthly (R9)."""

    column_list = ("posted_on", "organizer", "channel", "title", "unit", "url")
    column_details_list = ("posted_on", "organizer", "unit", "channel", "title", "url", "created_dt", "updated_dt")
    column_export_list = ("posted_on", "organizer", "unit", "channel", "title", "url")
    column_filters = (
        IdFilter(DigitalPost.organizer_id, _l("Đơn vị tổ chức"), options=options_of(Organizer, Organizer.name)),
        enum_filter(DigitalPost.channel, _l("Kênh"), PostChannel),
        "posted_on",
    )
    column_sortable_list = ("posted_on", "title", ("organizer", "organizer.name"))
    column_default_sort = [("posted_on", True), ("id", True)]
    column_labels = {
        "posted_on": _l("Ngày đăng"),
        "organizer": _l("Đơn vị tổ chức"),
        "unit": _l("Đơn vị thực hiện"),
        "channel": _l("Kênh"),
        "title": _l("Tiêu đề"),
        "url": _l("Đường dẫn"),
        "created_dt": _l("Tạo lúc"),
        "updated_dt": _l("Cập nhật lúc"),
    }
    column_formatters = {"url": _link}
    form_columns = ("organizer", "unit", "channel", "title", "url", "posted_on")


def year_options() -> list[tuple[str, str]]:
    """The years that have proposals, newest first (read at each request)."""
    if not has_app_context():  # Flask-Admin reads options once at start; the view reloads them
        return []
    years = db.session.scalars(sa.select(TopicProposal.year).distinct().order_by(TopicProposal.year.desc()))
    return [(str(y), str(y)) for y in years]


class TopicProposalView(ProtectedModelView):
    """Topics proposed to the city chairman or HEZA's head for next year's dialogue plan (R12)."""

    column_list = ("year", "addressee", "proposer_name", "tax_code", "topic", "received_dt", "confirmed_dt")
    column_details_list = ("year", "addressee", "enterprise", "unit", "proposer_name", "tax_code", "email", "phone",
                           "topic", "content", "received_dt", "confirmed_dt", "created_dt", "updated_dt")
    column_export_list = ("year", "addressee", "enterprise", "unit", "proposer_name", "tax_code", "email", "phone",
                          "topic", "content", "received_dt", "confirmed_dt")
    column_filters = (
        IdFilter(TopicProposal.year, _l("Năm"), options=year_options),
        enum_filter(TopicProposal.addressee, _l("Gửi đến"), Addressee),
        "received_dt",
    )
    column_sortable_list = ("year", "received_dt", "proposer_name", "topic")
    column_default_sort = [("year", True), ("received_dt", True)]
    column_labels = {
        "year": _l("Năm kế hoạch"),
        "addressee": _l("Gửi đến"),
        "enterprise": _l("Doanh nghiệp"),
        "unit": _l("Đơn vị"),
        "proposer_name": _l("Tổ chức, cá nhân đề xuất"),
        "tax_code": _l("Mã số thuế"),
        "email": _l("Email"),
        "phone": _l("Điện thoại"),
        "topic": _l("Chủ đề đề xuất"),
        "content": _l("Nội dung"),
        "received_dt": _l("Tiếp nhận lúc"),
        "confirmed_dt": _l("Đã xác nhận lúc"),
        "created_dt": _l("Tạo lúc"),
        "updated_dt": _l("Cập nhật lúc"),
    }
    column_formatters = {"topic": fmt.text(limit=100)}
    column_formatters_detail = {"content": fmt.multiline()}
    form_columns = ("year", "addressee", "enterprise", "unit", "proposer_name", "tax_code", "email", "phone", "topic",
                    "content", "received_dt", "confirmed_dt")
    form_ajax_refs = {"enterprise": {"fields": ("name", "tax_code"), "page_size": 20}}


def register(admin: Any) -> None:
    """Add the outreach screens to ``admin``."""
    admin.add_view(DigitalPostView(DigitalPost, db, name=_l("Tin bài trên nền tảng số"), category=CATEGORY,
                                   endpoint="digitalpost"))
    admin.add_view(TopicProposalView(TopicProposal, db, name=_l("Đề xuất chủ đề đối thoại"),
                                     category=CATEGORY, endpoint="topicproposal"))
