"""The base of every admin screen: who may see and change what, and how errors reach people.

Every rule is enforced on the server, per request, whatever the menus show:

* ``read_roles`` may open the screen (list, details, export); anyone else logged in gets 403,
  the anonymous are sent to the login page with a ``next`` inside the site.
* ``write_roles`` may create, edit, delete and run actions; the ``can_*`` flags a subclass sets
  are a ceiling the role narrows per request, and a refused write answers 403 (not a redirect).
* With ``unit_column`` set, unit staff see their own unit's rows only (``get_query`` and
  ``get_count_query``) and another unit's id typed into a URL is a 404; they never create or
  delete, and edit only ``unit_can_edit_columns``.
* Model errors come back as Vietnamese messages on the form, never a 500 and never half saved:
  :class:`heza.validation.InvalidValue` from ``@validates``, unique and foreign-key violations, and
  a delete refused up front while other records still point at the row.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Response, abort, flash, has_app_context, redirect, request, url_for
from flask_admin import AdminIndexView, BaseView
from flask_admin.actions import action
from flask_admin.babel import lazy_gettext as fa_lazy_gettext
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla import filters as sqla_filters
from flask_admin.contrib.sqla import tools as sqla_tools
from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_admin.contrib.sqla.form import AdminModelConverter
from flask_admin.form import BaseForm, DatePickerWidget, DateTimePickerWidget, Select2Field
from flask_admin.model import filters as model_filters
from flask_admin.model.form import converts
from flask_babel import Domain
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import DataError, IntegrityError
from wtforms import DateField, DateTimeField, validators

from heza.accounts.models import Role
from heza.admin import formatters
from heza.base import LOCAL_ZONE, end_of_local_day, to_local
from heza.validation import InvalidValue

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"

READERS: frozenset[Role] = frozenset({Role.ADMIN, Role.OFFICER, Role.VIEWER})
WRITERS: frozenset[Role] = frozenset({Role.ADMIN, Role.OFFICER})
DATE_FORMAT = "%d/%m/%Y"
DATE_PICKER_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"
DATETIME_PICKER_FORMAT = "DD/MM/YYYY HH:mm"


# --------------------------------------------------------------------------- who is asking


def current_role() -> Role | None:
    """The logged-in, active user's role, or None."""
    user = current_user
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    return user.role


def current_unit_id() -> int | None:
    return getattr(current_user, "unit_id", None) if current_role() is not None else None


def login_redirect() -> Response:
    """To the login page, coming back here afterwards (the path only: never another site)."""
    path = request.full_path if request.query_string else request.path
    return redirect(url_for("auth.login", next=path))


class AccessMixin:
    """``is_accessible`` and ``inaccessible_callback`` from ``read_roles``, shared by all views."""

    read_roles: Collection[Role] = READERS
    write_roles: Collection[Role] = WRITERS

    def is_accessible(self) -> bool:
        role = current_role()
        return role is not None and role in self.read_roles

    def inaccessible_callback(self, name: str, **kwargs: Any) -> Any:
        if current_role() is None:
            return login_redirect()
        abort(403)

    def can_write(self) -> bool:
        """Whether the current user's role may change things on this screen."""
        role = current_role()
        return role is not None and role in self.write_roles

    def is_unit_user(self) -> bool:
        return current_role() == Role.UNIT


class ProtectedView(AccessMixin, BaseView):
    """A custom admin page (``@expose``) readable by ``read_roles``."""


class ProtectedIndexView(AccessMixin, AdminIndexView):
    """An admin home with the same access rules (the dashboard builds on it)."""

    read_roles = frozenset(Role)


# --------------------------------------------------------------------------- forms in Vietnamese


class _WTFormsTranslations:
    """WTForms' own messages ("This field is required.") from heza's catalog; WTForms ships no ``vi``."""

    _domain: Domain | None = None

    @classmethod
    def _translations(cls) -> Any:
        if cls._domain is None:
            cls._domain = Domain(str(TRANSLATIONS_DIR), domain="wtforms")
        return cls._domain.get_translations()

    def gettext(self, string: str) -> str:
        return self._translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._translations().ungettext(singular, plural, n)


class HezaForm(BaseForm):
    """Flask-Admin's form (CSRF comes from the global CSRFProtect) with Vietnamese messages.

    A value a model ``@validates`` refuses is put on its field, so the form shows the message
    beside the field, and re-raised so the view rolls back.
    """

    class Meta:
        _translations = _WTFormsTranslations()

        def get_translations(self, form: Any) -> Any:
            return self._translations

    def populate_obj(self, obj: Any) -> None:
        for name, field in self._fields.items():
            try:
                field.populate_obj(obj, name)
            except InvalidValue as exc:
                field.errors = [*field.errors, str(exc)]
                raise


class EnumSelectField(Select2Field):
    """A select of a LabelledEnum's members shown by label, giving back the member itself."""


class LocalDateTimeField(DateTimeField):
    """An instant typed and shown in Hai Phong time (dd/mm/yyyy HH:MM), stored timezone-aware in UTC."""

    widget = DateTimePickerWidget()

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("format", DATETIME_FORMAT)
        render_kw = dict(kwargs.pop("render_kw", None) or {})
        render_kw.setdefault("data-date-format", DATETIME_PICKER_FORMAT)
        render_kw.setdefault("placeholder", "dd/mm/yyyy hh:mm")
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_data(self, value: Any) -> None:
        self.data = to_local(value).replace(tzinfo=None) if isinstance(value, datetime) else value

    def process_formdata(self, valuelist: Any) -> None:
        super().process_formdata(valuelist)
        if isinstance(self.data, datetime) and self.data.tzinfo is None:
            self.data = self.data.replace(tzinfo=LOCAL_ZONE)


class HezaModelConverter(AdminModelConverter):
    """Dates typed dd/mm/yyyy, instants in local time; LabelledEnum columns as selects of labels."""

    @converts("UTCDateTime")
    def convert_utc_datetime(self, field_args: dict[str, Any], **extra: Any) -> LocalDateTimeField:
        return LocalDateTimeField(**field_args)

    @converts("Date")
    def convert_date(self, field_args: dict[str, Any], **extra: Any) -> DateField:
        field_args.setdefault("format", DATE_FORMAT)
        field_args.setdefault("widget", DatePickerWidget())
        render_kw = dict(field_args.get("render_kw") or {})
        render_kw.setdefault("data-date-format", DATE_PICKER_FORMAT)
        render_kw.setdefault("placeholder", "dd/mm/yyyy")
        field_args["render_kw"] = render_kw
        return DateField(**field_args)

    @converts("sqlalchemy.sql.sqltypes.Enum")
    def convert_enum(self, column: Any, field_args: dict[str, Any], **extra: Any) -> Any:
        enum_cls = getattr(column.type, "enum_class", None)
        if enum_cls is None:
            return super().convert_enum(column=column, field_args=field_args, **extra)

        def coerce(value: Any) -> Any:
            if value is None or isinstance(value, enum_cls):
                return value
            return enum_cls(value)

        if column.nullable:
            field_args["allow_blank"] = True
        self._nullable_common(column, field_args)
        field_args["choices"] = [(m.value, formatters.label_of(m)) for m in enum_cls]
        field_args["coerce"] = coerce
        field_args["validators"].append(validators.AnyOf([*enum_cls, None] if column.nullable else list(enum_cls)))
        return EnumSelectField(**field_args)


# --------------------------------------------------------------------------- errors people can read


class DeleteRefused(Exception):
    """A row other records still depend on; ``str()`` is the message to show."""


_UNIQUE_SQLITE = re.compile(r"UNIQUE constraint failed: ([\w., ]+)")
_UNIQUE_PG = re.compile(r"Key \(([^)]+)\)=")


def _unique_columns(exc: IntegrityError) -> list[str]:
    text = str(exc.orig)
    if m := _UNIQUE_SQLITE.search(text):
        return [part.strip().split(".")[-1] for part in m.group(1).split(",")]
    if "unique" in text.lower() and (m := _UNIQUE_PG.search(text)):
        return [part.strip().strip('"') for part in m.group(1).split(",")]
    return []


def integrity_message(exc: IntegrityError, labels: dict[str, Any] | None = None) -> str:
    """A Vietnamese sentence for a constraint the database refused."""
    text = str(exc.orig).lower()
    labels = labels or {}
    if "unique" in text or "duplicate" in text:
        columns = _unique_columns(exc)
        if columns:
            names = ", ".join(str(labels.get(c, c)) for c in columns)
            return _("Đã có một bản ghi khác với cùng giá trị: %(fields)s. Hãy nhập giá trị khác.", fields=names)
        return _("Đã có một bản ghi khác với cùng giá trị. Hãy kiểm tra các trường không được trùng.")
    if "foreign key" in text:
        return _("Không thực hiện được vì bản ghi này còn liên quan đến dữ liệu khác "
                 "(hoặc dữ liệu được chọn không còn tồn tại).")
    if "not null" in text or "null value" in text:
        return _("Còn trường bắt buộc chưa nhập.")
    if "check" in text:
        return _("Giá trị không hợp lệ: vi phạm ràng buộc dữ liệu (ví dụ số âm, hoặc người dùng vai trò "
                 "đơn vị chưa chọn đơn vị).")
    return _("Dữ liệu không hợp lệ nên chưa được lưu.")


# --------------------------------------------------------------------------- filters chosen from a list


class IdFilter(FilterEqual):
    """Equality on a foreign key, the choices read from the database at each request."""

    def clean(self, value: str) -> int | None:
        return int(value) if str(value).isdigit() else None


def options_of(model: Any, order_by: Any = None, where: Any = None) -> Any:
    """A callable giving ``[(id, str(row))]`` of ``model`` for an :class:`IdFilter`."""

    def load() -> list[tuple[str, str]]:
        from heza.extensions import db

        if not has_app_context():  # Flask-Admin reads options once at start; the view reloads them
            return []
        query = sa.select(model)
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


# --------------------------------------------------------------------------- the model view base

_PERMISSIONS = ("can_create", "can_edit", "can_delete", "can_export")
_WRITE_ENDPOINTS = {
    "create_view": "can_create",
    "edit_view": "can_edit",
    "delete_view": "can_delete",
    "ajax_update": "can_edit",
}


class ProtectedModelView(AccessMixin, ModelView):
    """The base of every record screen; see the module docstring for the rules."""

    read_roles: Collection[Role] = READERS
    write_roles: Collection[Role] = WRITERS
    # Name of the model's foreign key to ``units``; set it to scope unit staff to their rows.
    unit_column: str | None = None
    # What unit staff may change on their own rows (for example status and answer).
    unit_can_edit_columns: Collection[str] = ()
    # Actions unit staff may run on their own rows (none unless a screen says so).
    unit_actions: Collection[str] = ()
    # Fail-safe: unit staff listed in ``read_roles`` without ``unit_column`` are refused unless a
    # screen says on purpose that they may see every row.
    unit_sees_all = False

    # Ceilings (a subclass may lower them; the role decides per request).
    _allow_create = True
    _allow_edit = True
    _allow_delete = True
    _allow_export = True

    export_types = ["csv", "xlsx"]
    export_max_rows = 0  # everything the filters select
    page_size = 50
    can_set_page_size = True
    can_view_details = True

    form_base_class = HezaForm
    model_form_converter = HezaModelConverter
    filter_converter = HezaFilterConverter()
    column_type_formatters = formatters.TYPE_FORMATTERS
    column_type_formatters_detail = formatters.DETAIL_TYPE_FORMATTERS
    column_type_formatters_export = formatters.EXPORT_TYPE_FORMATTERS

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # ``can_create = False`` on a subclass becomes the ceiling instead of shadowing the property.
        super().__init_subclass__(**kwargs)
        for name in _PERMISSIONS:
            value = cls.__dict__.get(name)
            if value is not None and not isinstance(value, property):
                setattr(cls, "_allow_" + name[4:], bool(value))
                delattr(cls, name)

    # -- per-request permissions

    def is_accessible(self) -> bool:
        if not super().is_accessible():
            return False
        return not self.is_unit_user() or self.unit_column is not None or self.unit_sees_all

    @property
    def can_create(self) -> bool:
        return self._allow_create and self.can_write() and not self.is_unit_user()

    @property
    def can_edit(self) -> bool:
        if not (self._allow_edit and self.can_write()):
            return False
        return not self.is_unit_user() or bool(self.unit_can_edit_columns and self.unit_column)

    @property
    def can_delete(self) -> bool:
        return self._allow_delete and self.can_write() and not self.is_unit_user()

    @property
    def can_export(self) -> bool:
        return self._allow_export and self.is_accessible()

    def _unit_scoped(self) -> bool:
        return self.unit_column is not None and self.is_unit_user()

    def _handle_view(self, name: str, **kwargs: Any) -> Any:
        refused = super()._handle_view(name, **kwargs)
        if refused is not None:
            return refused
        permission = _WRITE_ENDPOINTS.get(name)
        if permission and not getattr(self, permission):
            abort(403)
        if name == "export" and not self.can_export:
            abort(403)
        if name == "details_view" and not self.can_view_details:
            abort(403)
        if name == "ajax_lookup" and (self.is_unit_user() or not (self.can_create or self.can_edit)):
            abort(403)
        if name == "ajax_update" and self.is_unit_user():
            allowed = {*self.unit_can_edit_columns, "list_form_pk", "csrf_token"}
            if set(request.form) - allowed:
                abort(403)
        if name == "action_view":
            action = request.form.get("action", "")
            if not self.is_action_allowed(action):
                abort(403)
        return None

    def is_action_allowed(self, name: str) -> bool:
        if not self.can_write():
            return False
        if self.is_unit_user() and name not in self.unit_actions:
            return False
        return super().is_action_allowed(name)

    def _get_filter_groups(self) -> Any:
        # Flask-Admin reads filter options once, at start; choices from the database (units,
        # conferences) are read again for each page so a unit added today is offered today.
        groups = super()._get_filter_groups()
        for items in (groups or {}).values():
            for item in items:
                flt = self._filters[item["index"]]
                if callable(flt.options):
                    item["options"] = [(k, str(v)) for k, v in (flt.options() or [])] or None
        return groups

    # -- unit scoping

    def unit_scope(self) -> Any:
        """The SQL condition limiting unit staff to their unit's rows (override for indirect links)."""
        unit_id = current_unit_id()
        if unit_id is None:  # never "IS NULL": that would show every unassigned row
            return sa.false()
        return getattr(self.model, self.unit_column) == unit_id  # type: ignore[arg-type]

    def get_query(self) -> Any:
        query = super().get_query()
        return query.filter(self.unit_scope()) if self._unit_scoped() else query

    def get_count_query(self) -> Any:
        query = super().get_count_query()
        return query.filter(self.unit_scope()) if self._unit_scoped() else query

    def coerce_ids(self, ids: Iterable[Any]) -> list[Any]:
        """Ids from a form as the primary key's Python type; unparsable ones dropped.

        PostgreSQL (psycopg 3 binds server-side) refuses ``integer IN ('1')``, which is what
        Flask-Admin's bulk delete would send with the strings of the form.
        """
        pk = sa.inspect(self.model).primary_key
        if len(pk) != 1:
            return list(ids)
        try:
            python_type = pk[0].type.python_type
        except NotImplementedError:
            return list(ids)
        result = []
        for value in ids:
            try:
                result.append(python_type(value))
            except (TypeError, ValueError):
                continue
            if not _fits(pk[0], result[-1]):  # PostgreSQL refuses an integer out of the column's range
                result.pop()
        return result

    def _create_ajax_loader(self, name: str, options: dict[str, Any]) -> Any:
        # An ajax select's posted id goes to ``session.get`` as typed: PostgreSQL answers a non-numeric
        # one with a DataError (a 500). Coerce it like any other id; an unparsable one is "not found".
        loader = super()._create_ajax_loader(name, options)
        loader.__class__ = _CoercingAjaxLoader
        return loader

    @action("delete", fa_lazy_gettext("Delete"), fa_lazy_gettext("Are you sure you want to delete selected records?"))
    def action_delete(self, ids: Any) -> None:
        return super().action_delete(self.coerce_ids(ids))

    def get_one(self, id: Any) -> Any:
        keys = self.coerce_ids([id])
        if not keys:
            return None
        if not self._unit_scoped():
            from heza.extensions import db

            return db.session.get(self.model, keys[0])
        row = sqla_tools.get_query_for_ids(self.get_query(), self.model, keys).first()
        if row is None:
            abort(404)  # another unit's row reads exactly like one that does not exist
        return row

    def edit_form(self, obj: Any = None) -> Any:
        form = super().edit_form(obj)
        if self._unit_scoped():
            allowed = set(self.unit_can_edit_columns)
            for name in [f.name for f in form if f.name not in allowed and f.name != "csrf_token"]:
                del form[name]
        return form

    # -- errors

    def handle_view_exception(self, exc: Exception) -> bool:
        from heza.extensions import db

        if isinstance(exc, InvalidValue | DeleteRefused):
            flash(str(exc), "error")
            return True
        if isinstance(exc, IntegrityError):
            db.session.rollback()
            flash(integrity_message(exc, dict(self.column_labels or {})), "error")
            return True
        if isinstance(exc, DataError):
            db.session.rollback()
            flash(_("Dữ liệu không hợp lệ (có thể quá dài hoặc sai kiểu) nên chưa được lưu."), "error")
            return True
        return super().handle_view_exception(exc)

    def on_model_delete(self, model: Any) -> None:
        refusal = delete_refusal(model, self._table_labels())
        if refusal:
            raise DeleteRefused(refusal)
        super().on_model_delete(model)

    def _table_labels(self) -> dict[str, str]:
        """Table name -> the name of its admin screen, to say what still depends on a row."""
        labels: dict[str, str] = {}
        for view in getattr(self.admin, "_views", []):
            model = getattr(view, "model", None)
            if model is not None and hasattr(model, "__table__"):
                labels.setdefault(model.__table__.name, str(view.name))
        return labels

    # -- export

    def get_export_value(self, model: Any, name: Any) -> Any:
        value = super().get_export_value(model, name)
        return formatters.safe_cell(str(value) if value is not None else "")

    def _export_csv(self, return_url: Any) -> Any:
        # Excel reads a CSV as the local code page unless it starts with a UTF-8 byte order mark.
        response = super()._export_csv(return_url)
        body = response.response

        def with_bom() -> Iterator[Any]:
            yield "\ufeff"
            yield from body

        response.response = with_bom()
        response.mimetype = "text/csv"
        response.charset = "utf-8"
        return response


class _CoercingAjaxLoader(QueryAjaxModelLoader):
    """Flask-Admin's ajax loader, looking a posted id up only once it parses as the key's type."""

    def get_one(self, pk: Any) -> Any:
        key = sa.inspect(self.model).primary_key
        if len(key) == 1:
            try:
                pk = key[0].type.python_type(pk)
            except (TypeError, ValueError, NotImplementedError):
                return None
            if not _fits(key[0], pk):
                return None
        return super().get_one(pk)


def _fits(column: Any, value: Any) -> bool:
    """Whether ``value`` is within an integer column's range (any other value is left to the database)."""
    if not isinstance(value, int) or not isinstance(column.type, sa.Integer):
        return True
    bits = 63 if isinstance(column.type, sa.BigInteger) else 31
    return -(2**bits) <= value < 2**bits


def dependents(row: Any) -> list[tuple[str, int]]:
    """``[(table, count)]`` of the rows whose RESTRICT foreign keys point at ``row``.

    Foreign keys that cascade or set null are skipped, and so are children the ORM deletes with
    the row (a relationship with ``cascade="all, delete-orphan"``).
    """
    from heza.extensions import db

    mapper = sa.inspect(row).mapper
    table = mapper.local_table
    orm_deleted = set()
    for rel in mapper.relationships:
        if rel.cascade.delete:
            orm_deleted.update(rel.remote_side)
    found: list[tuple[str, int]] = []
    for other in db.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is not table or fk.parent in orm_deleted:
                continue
            if (fk.ondelete or "").upper() in {"CASCADE", "SET NULL", "SET DEFAULT"}:
                continue
            value = getattr(row, mapper.get_property_by_column(fk.column).key)
            if value is None:
                continue
            condition = fk.parent == value
            if other is table:
                pk = table.primary_key.columns.values()[0]
                condition = sa.and_(condition, pk != sa.inspect(row).identity[0])
            count = db.session.scalar(sa.select(sa.func.count()).select_from(other).where(condition)) or 0
            if count:
                found.append((other.name, count))
    return found


def delete_refusal(row: Any, labels: dict[str, str] | None = None) -> str | None:
    """The Vietnamese refusal for deleting ``row``, or None when nothing depends on it."""
    found = dependents(row)
    if not found:
        return None
    labels = labels or {}
    parts = ", ".join(f"{labels.get(table, table)} ({count})" for table, count in found)
    return _("Không xóa được \"%(row)s\": còn dữ liệu liên quan: %(parts)s. Hãy xóa hoặc chuyển các dữ liệu đó "
             "trước, hoặc đánh dấu ngừng hoạt động thay vì xóa.", row=str(row), parts=parts)

