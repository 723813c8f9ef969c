"""Refuse, before any form or query sees it, text that no database column can hold.

PostgreSQL text cannot contain NUL (0x00) and nobody types one: such a request is refused with a
clear message (HTTP 400) instead of failing later in the database with a 500.
"""

from __future__ import annotations

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest


class InvalidCharacters(BadRequest):
    """A request carrying a NUL character in a field, a query parameter or a file name."""

    def __init__(self) -> None:
        super().__init__(_("Dữ liệu gửi lên chứa ký tự không hợp lệ (ký tự NUL). Hãy nhập lại nội dung."))


def _carries_nul() -> bool:
    if any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
        return True
    if request.method in ("POST", "PUT", "PATCH"):
        if any("\x00" in key or "\x00" in value for key, value in request.form.items(multi=True)):
            return True
        return any(f.filename and "\x00" in f.filename for f in request.files.values())
    return False


def _refuse_nul() -> None:
    if _carries_nul():
        raise InvalidCharacters()


def init_app(app: Flask) -> None:
    app.before_request(_refuse_nul)
