"""Vietnamese first, English available: the locale choice and the date formats people read."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from flask import Flask, has_request_context, request, session
from flask_babel import lazy_gettext as _l

from heza.base import to_local
from heza.extensions import babel

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"


def select_locale() -> str:
    """The user's chosen language, else the session's, else Vietnamese."""
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    if has_request_context():
        try:
            from flask_login import current_user

            if current_user and current_user.is_authenticated and str(current_user.language) in languages:
                return str(current_user.language)
        except Exception:  # noqa: BLE001 - no login manager in a bare app context
            pass
        lang = session.get("lang") or request.args.get("lang")
        if lang in languages:
            return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def format_day(value: date | datetime | None) -> str:
    """dd/mm/yyyy, the way every date reads in the office."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value)
    return f"{value:%d/%m/%Y}"


_WEEKDAYS = (_l("Thứ Hai"), _l("Thứ Ba"), _l("Thứ Tư"), _l("Thứ Năm"), _l("Thứ Sáu"), _l("Thứ Bảy"),
             _l("Chủ nhật"))


def weekday_name(value: date) -> str:
    """The day of the week in the reader's language ("Thứ Ba" / "Tuesday")."""
    return str(_WEEKDAYS[value.weekday()])


def format_instant(value: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Hai Phong time."""
    if value is None:
        return ""
    return f"{to_local(value):%d/%m/%Y %H:%M}"


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(TRANSLATIONS_DIR),
    )
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["instant"] = format_instant
    app.jinja_env.globals["weekday"] = weekday_name
