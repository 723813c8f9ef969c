"""The reasoned extension of a counted deadline (R5 answers, R11 hotline items) on the admin forms.

The form edits the new date and the reason; who and when are filled in by
:func:`heza.deadlines.extend` (through :func:`record_extension`), and the change is audited.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from heza import deadlines

EXTENSION_FIELDS = ("extended_to", "extension_reason")
EXTENSION_DETAILS = ("extended_to", "extension_reason", "extended_by", "extended_dt")
EXTENSION_LABELS = {
    "extended_to": _l("Gia hạn đến"),
    "extension_reason": _l("Lý do gia hạn"),
    "extended_by": _l("Người gia hạn"),
    "extended_dt": _l("Gia hạn lúc"),
}
EXTENSION_DESCRIPTIONS = {
    "extended_to": _l("Ngày hạn mới (sau hạn theo quy định), kèm lý do; giữ nguyên khi hạn được tính lại. "
                      "Để trống để bỏ gia hạn."),
}


def record_extension(model: Any) -> None:
    """Record a changed extension, or refuse it as a form error."""
    try:
        deadlines.note_extension(model)
    except deadlines.ExtensionError as exc:
        raise ValidationError(str(exc)) from exc
