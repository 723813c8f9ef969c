"""The base of every admin screen: who may see and change what, and how errors reach people.

Every rule is enforced on the server, per request, whatever the menus show:

* ``read_roles`` may open the screen (list, details, export); anyone else logged in gets 403,
  the anonymous are sent to the login page with a ``next`` inside the site (:mod:`heza.admin.access`).
* ``write_roles`` may create, edit, delete and run actions; the ``can_*`` flags a subclass sets
  are a ceiling the role narrows per request, and a refused write answers 403 (not a redirect).
* Every query goes through :func:`heza.tenancy.scope`: staff of an organizer see and change its
  rows only (lists, counts, exports, details, edits, deletes, bulk actions, look-ups), and another
  organizer's id typed into a URL is a 404. A record created by them belongs to their organizer.
* With ``unit_column`` set, unit staff see their own unit's rows only and another unit's id typed
  into a URL is a 404; they never create or delete, and edit only ``unit_can_edit_columns``.
* A list's search box searches its model's ``__search_fields__`` (:mod:`heza.search`): every word
  typed, without diacritics and in any case, in the row's folded ``search_text``; a screen does not
  set ``column_searchable_list`` (the model names the fields once). A search is counted up to a
  thousand matches ("hơn 1.000"), and a page's related rows are loaded after its rows (:mod:`heza.admin.paging`).
* Model errors come back as Vietnamese messages on the form, never a 500 and never half saved:
  :class:`heza.validation.InvalidValue` from ``@validates``, unique and foreign-key violations, and
  a delete refused up front while other records still point at the row.

The names other modules import from here (access, forms, filters, errors) are re-exported.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, request
from flask_admin.actions import action
from flask_admin.babel import lazy_gettext as fa_lazy_gettext
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla import tools as sqla_tools
from flask_babel import gettext as _
from sqlalchemy.exc import DataError, IntegrityError
from wtforms.validators import ValidationError

from heza import tenancy
from heza.accounts.models import Role
from heza.admin import formatters
from heza.admin.access import (  # noqa: F401  (re-exported)
    READERS,
    WRITERS,
    AccessMixin,
    ProtectedIndexView,
    ProtectedView,
    current_role,
    current_unit_id,
    login_redirect,
)
from heza.admin.ajax import ScopedAjaxLoader
from heza.admin.errors import SHARED_ROW, DeleteRefused, delete_refusal, dependents, integrity_message  # noqa: F401
from heza.admin.filters import (  # noqa: F401  (re-exported)
    EnumEqualFilter,
    HezaFilterConverter,
    IdFilter,
    LocalDayAfterFilter,
    LocalDayBeforeFilter,
    LocalDayBetweenFilter,
    LocalDayOnFilter,
    enum_filter,
    options_of,
)
from heza.admin.forms import (  # noqa: F401  (re-exported)
    DATE_FORMAT,
    DATE_PICKER_FORMAT,
    DATETIME_FORMAT,
    DATETIME_PICKER_FORMAT,
    TRANSLATIONS_DIR,
    EnumSelectField,
    HezaForm,
    HezaModelConverter,
    LocalDateTimeField,
)
from heza.admin.keys import as_key, single_key, typed
from heza.admin.listing import ListRenderingMixin
from heza.admin.paging import ListQueryMixin
from heza.search import Searchable
from heza.search import condition as search_condition
from heza.validation import InvalidValue

# --------------------------------------------------------------------------- the model view base

_PERMISSIONS = ("can_create", "can_edit", "can_delete", "can_export")
_WRITE_ENDPOINTS = {
    "create_view": "can_create",
    "edit_view": "can_edit",
    "delete_view": "can_delete",
    "ajax_update": "can_edit",
}


class ProtectedModelView(AccessMixin, ListRenderingMixin, ListQueryMixin, ModelView):
    """The base of every record screen; see the module docstring for the rules."""

    read_roles: Collection[Role] = READERS
    write_roles: Collection[Role] = WRITERS
    # Name of the model's foreign key to ``units``; set it to scope unit staff to their rows.
    unit_column: str | None = None
    # What unit staff may change on their own rows (for example status and answer).
    unit_can_edit_columns: Collection[str] = ()
    # Actions unit staff may run on their own rows (none unless a screen says so).
    unit_actions: Collection[str] = ()
    # Loader options for list and export rows (e.g. the organizer's plans, read by every date shown):
    # an export streams after the request's session is gone, so what the columns read is loaded up front.
    # The first hop of a listed relation must be ``selectinload``, as the list's own loads are (paging).
    query_options: tuple[Any, ...] = ()
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

    def __init__(self, model: Any, *args: Any, **kwargs: Any) -> None:
        # A searchable model names its searchable fields once (heza.search); its folded copy is not shown.
        if isinstance(model, type) and issubclass(model, Searchable):
            if self.column_searchable_list is None:
                self.column_searchable_list = model.__search_fields__
            for name in ("column_exclude_list", "column_details_exclude_list", "column_export_exclude_list"):
                current = tuple(getattr(self, name) or ())
                if "search_text" not in current:
                    setattr(self, name, (*current, "search_text"))
        super().__init__(model, *args, **kwargs)
        self.take_list_loads()  # the page's rows first, then their related rows (heza.admin.paging)

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

    # -- organizer and unit scoping

    def viewer(self) -> tenancy.Viewer:
        return tenancy.current_viewer()

    def scoped(self, query: Any) -> Any:
        """``query`` limited to the current person's organizer and, for unit staff, unit."""
        query = tenancy.scope(query, self.model, self.viewer())
        return query.filter(self.unit_scope()) if self._unit_scoped() else query

    def unit_scope(self) -> Any:
        """The SQL condition limiting unit staff to their unit's rows (override for indirect links)."""
        unit_id = current_unit_id()
        if unit_id is None:  # never "IS NULL": that would show every unassigned row
            return sa.false()
        return getattr(self.model, self.unit_column) == unit_id  # type: ignore[arg-type]

    def get_query(self) -> Any:
        query = self.scoped(super().get_query())
        return query.options(*self.query_options) if self.query_options else query

    def get_count_query(self) -> Any:
        return self.scoped(super().get_count_query())

    def on_model_change(self, form: Any, model: Any, is_created: bool) -> None:
        # What staff of an organizer create or change stays their organizer's, whatever the form said.
        viewer = self.viewer()
        column = tenancy.organizer_column(self.model)
        if not viewer.city_wide and column is not None:
            current = getattr(model, column.key)
            if is_created:
                setattr(model, column.key, viewer.organizer_id)
            elif current is None:
                raise ValidationError(str(SHARED_ROW))
            elif current != viewer.organizer_id:
                abort(404)
        super().on_model_change(form, model, is_created)

    def create_form(self, obj: Any = None) -> Any:
        return self._without_owner_choice(super().create_form(obj))

    def edit_form(self, obj: Any = None) -> Any:
        form = self._without_owner_choice(super().edit_form(obj))
        if self._unit_scoped():
            allowed = set(self.unit_can_edit_columns)
            for name in [f.name for f in form if f.name not in allowed and f.name != "csrf_token"]:
                del form[name]
        return form

    def _without_owner_choice(self, form: Any) -> Any:
        """Staff of an organizer do not choose the owner of what they write: it is their organizer."""
        column = tenancy.organizer_column(self.model)
        if column is not None and not self.viewer().city_wide:
            name = next((rel.key for rel in sa.inspect(self.model).relationships
                         if rel.direction.name == "MANYTOONE" and column.property.columns[0] in rel.local_columns),
                        None)
            if name is not None and name in form:
                del form[name]
        return form

    def coerce_ids(self, ids: Iterable[Any]) -> list[Any]:
        """Ids from a form as the primary key's Python type; unparsable ones dropped.

        PostgreSQL (psycopg 3 binds server-side) refuses ``integer IN ('1')``, which is what
        Flask-Admin's bulk delete would send with the strings of the form.
        """
        column = single_key(self.model)
        if column is None or not typed(column):
            return list(ids)
        return [key for key in (as_key(column, value) for value in ids) if key is not None]

    def _create_ajax_loader(self, name: str, options: dict[str, Any]) -> Any:
        # An ajax select's posted id goes to ``session.get`` as typed: PostgreSQL answers a non-numeric
        # one with a DataError (a 500). Coerce it like any other id; an unparsable one is "not found".
        loader = super()._create_ajax_loader(name, options)
        loader.__class__ = ScopedAjaxLoader
        return loader

    @action("delete", fa_lazy_gettext("Delete"), fa_lazy_gettext("Are you sure you want to delete selected records?"))
    def action_delete(self, ids: Any) -> None:
        return super().action_delete(self.coerce_ids(ids))

    def get_one(self, id: Any) -> Any:
        keys = self.coerce_ids([id])
        if not keys:
            abort(404)
        if not self._unit_scoped() and tenancy.visible(self.model, self.viewer()) is None:
            from heza.extensions import db

            row = db.session.get(self.model, keys[0])
        else:
            row = sqla_tools.get_query_for_ids(self.get_query(), self.model, keys).first()
        if row is None:
            abort(404)  # another organizer's or unit's row reads exactly like one that does not exist
        return row


    # -- search

    def _apply_search(self, query: Any, count_query: Any, joins: Any, count_joins: Any, search: str) -> Any:
        """Every word typed, without diacritics and in any case, in the row's searchable fields
        (``search_text``, :mod:`heza.search`); a reference or tax code typed whole matches too."""
        if not issubclass(self.model, Searchable):
            return super()._apply_search(query, count_query, joins, count_joins, search)
        from heza.extensions import db

        dialect = db.session.get_bind(mapper=sa.inspect(self.model)).dialect.name
        where = search_condition(self.model, search, dialect)
        if where is not None:
            query = query.filter(where)
            count_query = count_query.filter(where) if count_query is not None else None
        return query, count_query, joins, count_joins

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
        if not tenancy.may_change(model, self.viewer()):
            raise DeleteRefused(str(SHARED_ROW))
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
