"""List filters: ids chosen from the database (only what the person may see), enums by label, local days."""

from __future__ import annotations

import functools
import time as clock
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_admin.contrib.sqla import filters as sqla_filters
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_admin.model import filters as model_filters
from flask_babel import get_locale

from heza import tenancy
from heza.base import LOCAL_ZONE, end_of_local_day


class IdFilter(FilterEqual):
    """Equality on a foreign key, the choices read from the database at each request."""

    def clean(self, value: str) -> int | None:
        return int(value) if str(value).isdigit() else None


# --------------------------------------------------------------------------- choices read from the database
# A list page offers its filters' choices on every request (345 units, 115 organizers and as many
# conferences at small scale): reading and hydrating them was a fifth of the recommendation list's time.
# They are kept per app, viewer and locale, and read again as soon as a table they come from changes
# (its row count, highest id or latest ``updated_dt``, asked in one small statement), so a unit added
# or renamed today is offered on the next page. The lifetime bounds what that fingerprint could miss.
CHOICES_LIFETIME_S = 60.0
_CHOICES_KEY = "heza.filter_choices"
_CHOICES_MAX = 1024  # entries per app (viewers x locales x filters); beyond it the cache starts afresh

Choices = list[tuple[str, str]]


def cached_choices(*models: Any) -> Callable[[Callable[[], Choices]], Callable[[], Choices]]:
    """Decorate a filter's choices loader that reads ``models`` so it reads them only when they changed."""

    def decorate(load: Callable[[], Choices]) -> Callable[[], Choices]:
        @functools.wraps(load)
        def cached() -> Choices:
            if not has_app_context():  # Flask-Admin reads options once at start; the view reloads them
                return []
            store: dict[Any, tuple[float, Any, Choices]] = current_app.extensions.setdefault(_CHOICES_KEY, {})
            key = (cached, tenancy.current_viewer(), str(get_locale()))
            stamp = _fingerprint(models)
            now = clock.monotonic()
            hit = store.get(key)
            if hit is not None and hit[1] == stamp and now - hit[0] < CHOICES_LIFETIME_S:
                return list(hit[2])
            choices = load()
            if len(store) >= _CHOICES_MAX:
                store.clear()
            store[key] = (now, stamp, list(choices))
            return choices

        return cached

    return decorate


def _fingerprint(models: tuple[Any, ...]) -> tuple[Any, ...]:
    """Row count, highest id and latest change of each model's table, in one statement."""
    from heza.extensions import db

    columns = []
    for model in models:
        table = model.__table__
        columns += [sa.select(sa.func.count()).select_from(table).scalar_subquery(),
                    sa.select(sa.func.max(table.c.id)).scalar_subquery(),
                    sa.select(sa.func.max(table.c.updated_dt)).scalar_subquery()]
    return tuple(db.session.execute(sa.select(*columns)).one())


def options_of(model: Any, order_by: Any = None, where: Any = None, *, shared: bool = False) -> Any:
    """A callable giving ``[(id, str(row))]`` of ``model`` for an :class:`IdFilter` (what the person may see)."""

    @cached_choices(model)
    def load() -> Choices:
        from heza.extensions import db

        query = sa.select(model)
        if not shared:  # ``shared``: the rows name a place (an enterprise's ward), not an owner
            query = tenancy.scope(query, model, tenancy.current_viewer())
        if where is not None:
            query = query.where(where)
        query = query.order_by(order_by if order_by is not None else model.id)
        return [(str(row.id), str(row)) for row in db.session.scalars(query)]

    return load


class EnumEqualFilter(FilterEqual):
    """Equal to one member of a LabelledEnum; a value typed into the URL that is no member is ignored.

    Without the check the enum column refuses it while binding (LookupError): a 500 for a tampered URL.
    """

    def __init__(self, column: Any, name: Any, enum_cls: Any) -> None:
        super().__init__(column, name, options=enum_cls.choices)
        self.enum_values = {m.value for m in enum_cls}

    def validate(self, value: Any) -> bool:
        return value in self.enum_values


def enum_filter(column: Any, name: Any, enum_cls: Any) -> FilterEqual:
    """A select filter over a LabelledEnum column, by label."""
    return EnumEqualFilter(column, name, enum_cls)


# --------------------------------------------------------------------------- filters on UTC instants by local day
# A UTCDateTime column is filtered by the Hai Phong calendar day people think in ("received on
# 03/03/2026"); Flask-Admin's own datetime filters would compare with naive values, which the
# column refuses.


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_ZONE).astimezone(UTC)


class LocalDayOnFilter(sqla_filters.DateEqualFilter):
    def apply(self, query: Any, value: date, alias: Any = None) -> Any:
        column = self.get_column(alias)
        return query.filter(column >= _day_start(value), column <= end_of_local_day(value))


class LocalDayAfterFilter(sqla_filters.DateGreaterFilter):
    def apply(self, query: Any, value: date, alias: Any = None) -> Any:
        return query.filter(self.get_column(alias) > end_of_local_day(value))


class LocalDayBeforeFilter(sqla_filters.DateSmallerFilter):
    def apply(self, query: Any, value: date, alias: Any = None) -> Any:
        return query.filter(self.get_column(alias) < _day_start(value))


class LocalDayBetweenFilter(sqla_filters.DateBetweenFilter):
    def apply(self, query: Any, value: Any, alias: Any = None) -> Any:
        start, end = value
        column = self.get_column(alias)
        return query.filter(column >= _day_start(start), column <= end_of_local_day(end))


class HezaFilterConverter(sqla_filters.FilterConverter):
    """Flask-Admin's converter, plus :class:`heza.base.UTCDateTime` filtered by local day."""

    @model_filters.convert("UTCDateTime")
    def conv_utc_datetime(self, column: Any, name: str, **kwargs: Any) -> list[Any]:
        return [f(column, name, **kwargs) for f in (LocalDayOnFilter, LocalDayAfterFilter, LocalDayBeforeFilter,
                                                    LocalDayBetweenFilter, sqla_filters.FilterEmpty)]

