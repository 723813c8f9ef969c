"""Admin forms: Vietnamese messages, dd/mm/yyyy dates, local instants, enum selects, scoped choices."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from flask_admin.contrib.sqla.fields import QuerySelectField
from flask_admin.contrib.sqla.form import AdminModelConverter
from flask_admin.form import BaseForm, DatePickerWidget, DateTimePickerWidget, Select2Field
from flask_admin.form import rules as form_rules
from flask_admin.model.form import converts
from flask_babel import Domain
from wtforms import DateField, DateTimeField, validators
from wtforms.validators import ValidationError

from heza import tenancy
from heza.admin import formatters
from heza.base import LOCAL_ZONE, to_local
from heza.validation import InvalidValue

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
DATE_FORMAT = "%d/%m/%Y"
DATE_PICKER_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"
DATETIME_PICKER_FORMAT = "DD/MM/YYYY HH:mm"


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
    """Dates typed dd/mm/yyyy, instants in local time; LabelledEnum columns as selects of labels.

    Every select of related records offers only what the person may see (:mod:`heza.tenancy`): an
    officer cannot attach a task to another organizer's conference, even by a forged form value
    (the field refuses a choice outside its query). A view lists in ``shared_relations`` the
    selects that name a place rather than an owner (an enterprise's ward).
    """

    def convert(self, model: Any, mapper: Any, name: str, prop: Any, field_args: Any, hidden_pk: bool) -> Any:
        if name == "search_text":  # kept by the ORM (heza.search), never typed
            return None
        return super().convert(model, mapper, name, prop, field_args, hidden_pk)

    def _model_select_field(self, prop: Any, multiple: Any, remote_model: Any, **kwargs: Any) -> Any:
        factory = kwargs.get("query_factory")
        ajax = prop.key in getattr(self.view, "_form_ajax_refs", {})  # the loader scopes itself
        if not ajax and prop.key not in getattr(self.view, "shared_relations", ()):
            def scoped() -> Any:
                from heza.extensions import db

                query = factory() if factory is not None else db.session.query(remote_model)
                return tenancy.scope(query, remote_model, tenancy.current_viewer())

            kwargs["query_factory"] = scoped
        field = super()._model_select_field(prop, multiple, remote_model, **kwargs)
        if getattr(field, "field_class", None) is QuerySelectField:
            field.field_class = StrictQuerySelectField
        return field

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



_NOT_A_CHOICE = "Not a valid choice"


class StrictQuerySelectField(QuerySelectField):
    """Flask-Admin's select of records, refusing a posted id that is not among its choices even when blank is allowed.

    Flask-Admin's own field silently turns an unknown id into "none chosen" when the relation is
    optional: a forged or stale id (another organizer's conference) would save the record unlinked.
    """

    def pre_validate(self, form: Any) -> None:
        posted = self._formdata
        super().pre_validate(form)
        if self.data is None and posted not in (None, "", "__None"):
            raise ValidationError(self.gettext(_NOT_A_CHOICE))  # WTForms' own message (its catalog)


class _PresentField(form_rules.Field):
    """A form rule for one field that renders nothing when the form lacks it (a field a role may not edit)."""

    def __call__(self, form: Any, form_opts: Any = None, field_args: Any = None) -> Any:
        if getattr(form, self.field_name, None) is None:
            return ""
        return super().__call__(form, form_opts, field_args)


def field_set(names: tuple[str, ...], header: Any) -> form_rules.FieldSet:
    """A titled group of fields, leaving out those the current form does not have."""
    return form_rules.FieldSet([_PresentField(name) for name in names], header)
