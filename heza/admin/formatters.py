"""Column formatters shared by every admin screen: dates dd/mm/yyyy, instants in Hai Phong time, labels.

Two families: ``column_type_formatters`` (by Python type, applied to every column that has no
formatter of its own) and small factories for ``column_formatters`` (``day("held_on")``). List and
details cells are HTML, so anything built here goes through :class:`markupsafe.Markup` with escaping;
export cells are plain text, guarded against spreadsheet formula injection.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from flask import g, has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape

from heza.i18n import format_day, format_instant

# Flask-Admin's column formatter signature: (view, context, model, name) -> value.
ColumnFormatter = Callable[[Any, Any, Any, str], Any]

# A cell a spreadsheet would read as a formula (=HYPERLINK(...), +cmd, @SUM) is prefixed with an
# apostrophe (OWASP "CSV injection"); the apostrophe is what Excel itself uses to mean "text".
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def label_of(value: Any) -> str:
    """A LabelledEnum's translated label, any other enum's value, else ``str``."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        label = getattr(value, "label", None)
        if label is None:
            return str(value.value)
        return _translated(value) if isinstance(label, LazyString) else str(label)
    return str(value)


def _translated(member: enum.Enum) -> str:
    """A member's lazy label in the current locale, translated once per request (a list shows it on every row)."""
    if not has_request_context():
        return str(member.label)  # type: ignore[attr-defined]
    memo: dict[tuple[enum.Enum, str], str] = g.setdefault("_heza_labels", {})
    key = (member, str(get_locale()))  # the locale: an email rendered mid-request may force another
    text = memo.get(key)
    if text is None:
        text = memo[key] = str(member.label)  # type: ignore[attr-defined]
    return text


def time_text(value: time | None) -> str:
    return f"{value:%H:%M}" if value is not None else ""


def bool_text(value: bool | None) -> str:
    if value is None:
        return ""
    return _("Có") if value else _("Không")


def safe_cell(value: Any) -> Any:
    """An export cell that a spreadsheet will show as text, never evaluate."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        # "-5" is a number, not a formula: leave plain numbers alone.
        try:
            Decimal(value)
        except ArithmeticError:
            return "'" + value
        return value
    return value


# --------------------------------------------------------------------------- small HTML pieces for list cells
# Built with escape() and an f-string: Markup.format goes through string.Formatter, several times slower,
# and a list calls these on every row. Every value is escaped, as Markup.format would.


def badge(css: str, text: Any, extra_class: str = "") -> Markup:
    """``<span class="badge badge-{css}">{text}</span>``, text escaped."""
    classes = f"badge badge-{escape(css)}" + (f" {escape(extra_class)}" if extra_class else "")
    return Markup(f'<span class="{classes}">{escape(text)}</span>')


def titled(title: Any, text: Any) -> Markup:
    """``<span title="{title}">{text}</span>``, both escaped (a tooltip over a cell)."""
    return Markup(f'<span title="{escape(title)}">{escape(text)}</span>')


# --------------------------------------------------------------------------- type formatters
# Order matters: the first isinstance match wins, so datetime before date and enums before str.


def _fmt_datetime(view: Any, value: datetime, name: str) -> str:
    return format_instant(value)


def _fmt_date(view: Any, value: date, name: str) -> str:
    return format_day(value)


def _fmt_time(view: Any, value: time, name: str) -> str:
    return time_text(value)


def _fmt_enum(view: Any, value: enum.Enum, name: str) -> str:
    return label_of(value)


def _fmt_bool_html(view: Any, value: bool, name: str) -> Markup:
    icon = "fa-check-circle text-success" if value else "fa-minus-circle text-muted"
    return Markup('<span class="fa {}" title="{}"></span><span class="sr-only">{}</span>').format(
        icon, bool_text(value), bool_text(value)
    )


def _fmt_bool_text(view: Any, value: bool, name: str) -> str:
    return bool_text(value)


def _fmt_none(view: Any, value: None, name: str) -> str:
    return ""


def _fmt_list(view: Any, values: Iterable[Any], name: str) -> str:
    return ", ".join(label_of(v) for v in values)


def _fmt_dict(view: Any, value: dict[str, Any], name: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, default=str)


TYPE_FORMATTERS: dict[type, Callable[[Any, Any, str], Any]] = {
    type(None): _fmt_none,
    bool: _fmt_bool_html,
    datetime: _fmt_datetime,
    date: _fmt_date,
    time: _fmt_time,
    enum.Enum: _fmt_enum,
    list: _fmt_list,
    dict: _fmt_dict,
}
EXPORT_TYPE_FORMATTERS: dict[type, Callable[[Any, Any, str], Any]] = {
    **TYPE_FORMATTERS,
    bool: _fmt_bool_text,
}
DETAIL_TYPE_FORMATTERS = TYPE_FORMATTERS


# --------------------------------------------------------------------------- column formatter factories


def day(attr: str | None = None) -> ColumnFormatter:
    """``column_formatters = {"held_on": day()}``: the date as dd/mm/yyyy (or an instant's local date)."""
    return lambda view, context, model, name: format_day(getattr(model, attr or name))


def instant(attr: str | None = None) -> ColumnFormatter:
    """An instant as dd/mm/yyyy HH:MM in Asia/Ho_Chi_Minh."""
    return lambda view, context, model, name: format_instant(getattr(model, attr or name))


def enum_label(attr: str | None = None) -> ColumnFormatter:
    """A LabelledEnum column shown by its translated label."""
    return lambda view, context, model, name: label_of(getattr(model, attr or name))


def text(attr: str | None = None, limit: int | None = None) -> ColumnFormatter:
    """Free text, escaped, optionally cut to ``limit`` characters with the whole text as a tooltip."""

    def formatter(view: Any, context: Any, model: Any, name: str) -> Markup:
        value = getattr(model, attr or name) or ""
        value = str(value)
        if limit is not None and len(value) > limit:
            return Markup('<span title="{}">{}…</span>').format(value, value[:limit])
        return escape(value)

    return formatter


def multiline(attr: str | None = None) -> ColumnFormatter:
    """Free text with its line breaks kept (escaped first, then ``<br>``)."""

    def formatter(view: Any, context: Any, model: Any, name: str) -> Markup:
        value = str(getattr(model, attr or name) or "")
        return Markup("<br>").join(escape(line) for line in value.splitlines())

    return formatter
