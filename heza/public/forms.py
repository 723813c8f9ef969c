"""Forms of the public pages; every message a Vietnamese sentence (WTForms ships none in Vietnamese)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import Form, FormField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields import FieldList
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, Regexp, ValidationError

from heza.outreach.models import Addressee
from heza.recommendations.models import Field
from heza.validation import InvalidValue, clean_tax_code

MAX_ATTENDEES = 5
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
PDF_MAGIC = b"%PDF-"

PHONE_RE = r"^[0-9+().\s-]{8,20}$"
_PHONE_MESSAGE = _l("Số điện thoại chỉ gồm chữ số (có thể có dấu +, dấu cách, dấu chấm), từ 8 đến 20 ký tự.")
_EMAIL_MESSAGE = _l("Địa chỉ email không hợp lệ.")


def _too_long(n: int) -> Any:
    return _l("Tối đa %(n)d ký tự.", n=n)


class AttendeeRow(Form):
    """One person to attend; a fully blank row is ignored (no CSRF of its own: it lives in a FlaskForm)."""

    name = StringField(_l("Họ và tên"), validators=[Length(max=200, message=_too_long(200))])
    position = StringField(_l("Chức vụ"), validators=[Optional(), Length(max=200, message=_too_long(200))])
    phone = StringField(_l("Điện thoại"), validators=[Optional(), Regexp(PHONE_RE, message=_PHONE_MESSAGE)])
    email = StringField(_l("Email"), validators=[Optional(), Email(message=_EMAIL_MESSAGE),
                                                 Length(max=254, message=_too_long(254))])

    def is_blank(self) -> bool:
        return not any((f.data or "").strip() for f in (self.name, self.position, self.phone, self.email))

    def validate_name(self, field: StringField) -> None:
        if not (field.data or "").strip() and not self.is_blank():
            raise ValidationError(_l("Vui lòng nhập họ và tên người tham dự."))


class RegistrationForm(FlaskForm):
    """The list of attendees an enterprise registers; saving replaces the previous list."""

    attendees = FieldList(FormField(AttendeeRow), min_entries=1, max_entries=MAX_ATTENDEES)

    def filled_rows(self) -> list[AttendeeRow]:
        return [entry.form for entry in self.attendees.entries if not entry.form.is_blank()]

    def validate_attendees(self, field: FieldList) -> None:
        if not self.filled_rows():
            raise ValidationError(_l("Vui lòng nhập ít nhất một người tham dự."))


class WithdrawForm(FlaskForm):
    """A button: withdraw the whole registration (the CSRF token is its only field)."""


class RecommendationForm(FlaskForm):
    """A recommendation with an optional PDF; the file is checked by size, extension and first bytes."""

    field = SelectField(_l("Lĩnh vực"), choices=[("", _l("— Chọn lĩnh vực —")), *Field.choices()],
                        validate_choice=False,
                        validators=[InputRequired(message=_l("Vui lòng chọn lĩnh vực."))])
    content = TextAreaField(_l("Nội dung kiến nghị"), validators=[
        DataRequired(message=_l("Vui lòng nhập nội dung kiến nghị.")),
        Length(max=10000, message=_too_long(10000)),
    ])
    attachment = FileField(_l("Tệp đính kèm (PDF, tối đa 5 MB)"))

    def validate_field(self, field: SelectField) -> None:
        if field.data not in {m.value for m in Field}:
            raise ValidationError(_l("Lĩnh vực không hợp lệ."))

    def validate_attachment(self, field: FileField) -> None:
        storage = field.data
        if not storage or not getattr(storage, "filename", ""):
            field.data = None
            return
        if not storage.filename.lower().endswith(".pdf"):
            raise ValidationError(_l("Chỉ nhận tệp PDF (phần mở rộng .pdf)."))
        data = storage.read(ATTACHMENT_MAX_BYTES + 1)
        storage.seek(0)
        if not data:
            raise ValidationError(_l("Tệp đính kèm rỗng."))
        if len(data) > ATTACHMENT_MAX_BYTES:
            raise ValidationError(_l("Tệp đính kèm vượt quá 5 MB."))
        if not data.startswith(PDF_MAGIC):
            raise ValidationError(_l("Tệp đính kèm không phải là tệp PDF hợp lệ."))


class TopicProposalForm(FlaskForm):
    """R12: a dialogue topic proposed to the chair; ``website`` is a honeypot people never see."""

    proposer_name = StringField(_l("Tên doanh nghiệp, đơn vị hoặc cá nhân đề xuất"), validators=[
        DataRequired(message=_l("Vui lòng nhập tên người đề xuất.")), Length(max=300, message=_too_long(300)),
    ])
    tax_code = StringField(_l("Mã số thuế (nếu là doanh nghiệp)"))
    email = StringField(_l("Email"), validators=[
        DataRequired(message=_l("Vui lòng nhập email để nhận xác nhận.")), Email(message=_EMAIL_MESSAGE),
        Length(max=254, message=_too_long(254)),
    ])
    phone = StringField(_l("Điện thoại"), validators=[Optional(), Regexp(PHONE_RE, message=_PHONE_MESSAGE)])
    # The organizer whose chair receives the proposal: chosen on the site-wide form (choices set by the
    # view), fixed by the address on an organizer's own form (the field is removed there).
    organizer = SelectField(_l("Đơn vị tiếp nhận đề xuất"), choices=[], validate_choice=False)
    addressee = RadioField(_l("Gửi tới"), choices=Addressee.choices(), default=Addressee.HEZA_HEAD.value,
                           validate_choice=False,
                           validators=[InputRequired(message=_l("Vui lòng chọn người chủ trì đối thoại."))])
    topic = StringField(_l("Chủ đề đề xuất"), validators=[
        DataRequired(message=_l("Vui lòng nhập chủ đề.")), Length(max=300, message=_too_long(300)),
    ])
    content = TextAreaField(_l("Nội dung"), validators=[
        DataRequired(message=_l("Vui lòng nhập nội dung đề xuất.")), Length(max=10000, message=_too_long(10000)),
    ])
    website = StringField(_l("Để trống ô này"))

    def validate_tax_code(self, field: StringField) -> None:
        if field.data and field.data.strip():
            try:
                field.data = clean_tax_code(field.data)
            except InvalidValue as exc:
                raise ValidationError(str(exc)) from exc
        else:
            field.data = None

    def validate_organizer(self, field: SelectField) -> None:
        # Compared as text: a coercing field would answer a hostile value with English WTForms errors.
        allowed = {str(value) for value, _label in field.choices if value}
        if (field.data or "") not in allowed:
            raise ValidationError(_l("Vui lòng chọn đơn vị tiếp nhận đề xuất."))

    def validate_addressee(self, field: RadioField) -> None:
        if field.data not in {m.value for m in Addressee}:
            raise ValidationError(_l("Người chủ trì không hợp lệ."))
