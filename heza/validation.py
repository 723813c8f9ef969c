"""Validators shared by models and forms; messages are translated, user-facing sentences."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from email_validator import EmailNotValidError, validate_email
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES
from flask_babel import gettext as _

TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$")


class InvalidValue(ValueError):
    """A value a person typed that cannot be stored; ``str()`` is the message to show them."""


def clean_tax_code(value: str) -> str:
    """A Vietnamese tax code: 10 digits, or 10 digits + "-" + 3 digits for a branch."""
    value = (value or "").strip().replace(" ", "")
    if not TAX_CODE_RE.match(value):
        raise InvalidValue(
            _("Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu \"-\" và 3 chữ số với chi nhánh "
              "(ví dụ 0201234567 hoặc 0201234567-001).")
        )
    return value


# Addresses a caller has just cleaned itself (an import checks 100,000 rows, then creates them):
# the models' validators accept these as they are instead of parsing each a second time.
_already_clean: ContextVar[Collection[str]] = ContextVar("already_clean", default=())


@contextmanager
def already_clean(values: Collection[str]) -> Iterator[None]:
    """Within the block, ``clean_email``/``clean_email_list`` return these exact values unchecked."""
    token = _already_clean.set(values)
    try:
        yield
    finally:
        _already_clean.reset(token)


# The everyday address (ASCII letters, digits, dots; a common top-level domain) answered without the
# full parser: email_validator accepts exactly these and normalises them to the same text (domain in
# lower case). Anything else goes through email_validator. An import of 100,000 rows spends half its
# time parsing addresses otherwise.
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*")
_PLAIN_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:vn|com|net|org|edu|gov|info|biz|asia|io)")


def _plain_email(value: str) -> str | None:
    local, at, domain = value.rpartition("@")
    domain = domain.lower()
    if local.lower() in CASE_INSENSITIVE_MAILBOX_NAMES:
        return None  # postmaster, abuse, www…: email_validator writes these in lower case
    if (at and len(local) <= 64 and len(value) <= 254 and _PLAIN_LOCAL.fullmatch(local)
            and "--" not in domain and _PLAIN_DOMAIN.fullmatch(domain) and len(domain) <= 253):
        return f"{local}@{domain}"
    return None


def clean_email(value: str) -> str:
    """One email address, normalised; no DNS lookup (the office works offline too)."""
    if value and value in _already_clean.get():
        return value
    value = (value or "").strip()
    plain = _plain_email(value)
    if plain is not None:
        return plain
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidValue(_("Địa chỉ email không hợp lệ: %(value)s", value=value)) from exc


def clean_email_list(value: str | None) -> str:
    """Several addresses separated by commas, semicolons or new lines, normalised to ", "-joined."""
    if value and value in _already_clean.get():
        return value
    parts = [p for p in re.split(r"[,;\s]+", value or "") if p]
    return ", ".join(clean_email(p) for p in parts)


def split_emails(value: str | None) -> list[str]:
    return [p for p in re.split(r"[,;\s]+", value or "") if p]


_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def clean_slug(value: str | None) -> str:
    """A short address part (``phu-lien``): lower-case ASCII letters, digits and single hyphens."""
    value = (value or "").strip().lower()
    if not value or len(value) > 60 or not _SLUG_RE.match(value):
        raise InvalidValue(_("Tên viết tắt trên đường dẫn chỉ gồm chữ thường không dấu, chữ số và dấu gạch "
                             "ngang, ví dụ phu-lien (tối đa 60 ký tự)."))
    return value


def slugify(text: str) -> str:
    """``"Phường Phù Liễn"`` → ``"phuong-phu-lien"`` (đ → d, diacritics dropped)."""
    import unicodedata

    text = (text or "").replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "don-vi"
