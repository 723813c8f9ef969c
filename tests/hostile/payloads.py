"""Hostile values and the checks every hostile case ends with, shared by the suite's modules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from heza.extensions import db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
# What must never reach a page or an email unescaped; their escaped forms may.
RAW_MARKERS = (SCRIPT, "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>")

XSS = (SCRIPT, IMG, "<svg onload=alert(1)>", "javascript:alert(1)", "'><script>alert(1)</script>",
       "{{7*7}}{% raw %}", "<scr<script>ipt>alert(1)</script>")
SQL = ("' OR 1=1 --", "'; DROP TABLE enterprises; --", '" OR ""="', "1; SELECT pg_sleep(5)", "%' AND 1=0 --",
       "\\'; --")
CONTROL = ("\x00", "a\x00b", "\x01\x02\x1b[31m", "\r\n\r\nX-Injected: 1", "\t\v\f", "\ud7ff\ufffe")
UNICODE = ("\u202eTLR\u202c", "\u200b\u200c\u200d\ufeff", "Công\u0301 ty", "😀" * 20, "ﷺ" * 10, "\u0000\u202e<b>")
LONG = ("x" * 10_000, "<" * 5_000, "Đ" * 10_001)
BAD_DATES = ("31/02/2026", "30/02/2026", "00/00/0000", "99/99/9999", "2026-02-31", "29/02/2025", "1/13/2026",
             "31/04/2026 25:61", "01/01/10000", "abc", "-1", SCRIPT, "' OR 1=1 --")
BAD_NUMBERS = ("abc", "1e309", "-1", "99999999999999999999999", "NaN", "inf", "1.5", "0x10", "１２", SCRIPT,
               "' OR 1=1 --", "-0", "")
BAD_CHOICES = ("__None", "999999", "-1", "0", "abc", SCRIPT, "' OR 1=1 --", "1 OR 1=1", "\x00")
BAD_TAX_CODES = ("12345", "0200111222-", "02001112229999", "abcdefghij", "0200 111 222", "０２００１１１２２２",
                 "0200111222-12", SCRIPT, "' OR 1=1 --", "\x000200111222")
BAD_EMAILS = ("not-an-email", "a@b", f"{SCRIPT}@example.vn", "x@example.vn\r\nBcc: all@example.vn", "@", "a" * 300)

HOSTILE_TEXT = st.one_of(
    st.sampled_from(XSS + SQL + CONTROL + UNICODE + LONG + BAD_TAX_CODES + BAD_EMAILS),
    st.builds(lambda a, b: a + b, st.sampled_from(XSS + SQL), st.sampled_from(CONTROL + UNICODE)),
    st.text(max_size=40),
)

VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I)
ENGLISH_ERRORS = ("This field is required", "Not a valid", "Invalid ", "Field must", "is not a valid", "Traceback",
                  "IntegrityError", "constraint failed", "violates")


def hostile_settings(n: int) -> settings:
    """Repeatable (``derandomize``) and untimed: the cases are requests against a real database."""
    return settings(max_examples=n, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])


def assert_escaped(body: str, where: str) -> None:
    """No hostile markup reached ``body`` as markup."""
    for marker in RAW_MARKERS:
        assert marker not in body, f"unescaped {marker!r} in {where}"


def row_counts() -> dict[str, int]:
    """Rows in every table (rate-limit counters left out: they count requests on purpose)."""
    db.session.expire_all()
    counts = {}
    for table in db.metadata.sorted_tables:
        if table.name == "rate_limit_hits":
            continue
        counts[table.name] = db.session.scalar(sa.select(sa.func.count()).select_from(table))
    db.session.rollback()
    return counts


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {name: after[name] - before[name] for name in before if after[name] != before[name]}


def error_text(html: str) -> str:
    """The text of the error messages of a page (flashed alerts and messages beside fields)."""
    parts = re.findall(r'class="[^"]*(?:alert-danger|alert-error|invalid-feedback|help-block|field-error|errors?)\b'
                       r'[^"]*"[^>]*>(.*?)</(?:div|p|ul|span)>', html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>|&times;", " ", p) for p in parts)


def assert_vietnamese_refusal(html: str, where: str) -> None:
    """A refusal says why, in Vietnamese, without English or database internals."""
    text = error_text(html)
    assert text.strip(), f"refused without any message: {where}"
    assert VIETNAMESE.search(text), f"message not in Vietnamese at {where}: {text[:300]!r}"
    for phrase in ENGLISH_ERRORS:
        assert phrase not in text, f"{phrase!r} at {where}: {text[:300]!r}"


# --------------------------------------------------------------------------- forms as a browser sees them


@dataclass
class FormField:
    name: str
    kind: str  # text, textarea, select, multiselect, checkbox, date, datetime, number, file, hidden
    options: list[str] = field(default_factory=list)
    value: str = ""


class _FormParser(HTMLParser):
    """The fields of the first ``<form class="admin-form">`` (or of the form whose action is given)."""

    def __init__(self, action: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.done = False
        self.fields: dict[str, FormField] = {}
        self._select: FormField | None = None

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        if tag == "form" and not self.done:
            if self.action is None:
                self.inside = "admin-form" in attrs.get("class", "")
            else:
                self.inside = attrs.get("action", "").endswith(self.action)
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            placeholder = attrs.get("placeholder", "")
            if placeholder == "dd/mm/yyyy":
                kind = "date"
            elif placeholder.startswith("dd/mm/yyyy "):
                kind = "datetime"
            if kind in {"submit", "button"}:
                return
            if kind == "radio" and name in self.fields:
                self.fields[name].options.append(attrs.get("value", ""))
                return
            self.fields[name] = FormField(name, "select" if kind == "radio" else kind,
                                          [attrs.get("value", "")] if kind == "radio" else [], attrs.get("value", ""))
        elif tag == "textarea" and name:
            self.fields[name] = FormField(name, "textarea")
        elif tag == "select" and name:
            self._select = FormField(name, "multiselect" if "multiple" in attrs else "select")
            self.fields[name] = self._select
        elif tag == "option" and self._select is not None:
            self._select.options.append(attrs.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "form" and self.inside:
            self.inside = False
            self.done = True


def form_fields(html: str, action: str | None = None) -> dict[str, FormField]:
    parser = _FormParser(action)
    parser.feed(html)
    return parser.fields


def plausible(f: FormField, n: int) -> Any:
    """A value a careful person could type in this field (the baseline a hostile value replaces)."""
    if f.kind == "select":
        real = [o for o in f.options if o not in {"", "__None"}]
        return real[0] if real else (f.options[0] if f.options else "")
    if f.kind == "multiselect":
        real = [o for o in f.options if o not in {"", "__None"}]
        return real[:1]
    if f.kind == "checkbox":
        return "y"
    if f.kind == "date":
        return "16/03/2026"
    if f.kind == "datetime":
        return "02/03/2026 09:00"
    if f.kind == "number":
        return "5"
    if f.kind == "email" or "email" in f.name:
        return f"hostile{n}@example.vn"
    by_name = {"tax_code": f"{4_000_000_000 + n}", "phone": "0225 3569170", "url": "https://example.vn/tin",
               "start_time": "08:00", "end_time": "11:30", "year": "2026", "quarter": "1",
               "number": f"{n:02d}.2026", "new_password": "mat-khau-rat-dai-123"}
    if f.name in by_name:
        return by_name[f.name]
    if f.kind == "hidden":
        return f.value
    return f"Giá trị thử {n}"


def hostile_for(f: FormField) -> st.SearchStrategy[Any]:
    """Hostile values suited to the field's kind (and any hostile text besides)."""
    if f.kind in {"date", "datetime"}:
        return st.one_of(st.sampled_from(BAD_DATES), HOSTILE_TEXT)
    if f.kind == "number":
        return st.one_of(st.sampled_from(BAD_NUMBERS), HOSTILE_TEXT)
    if f.kind in {"select", "multiselect"}:
        return st.one_of(st.sampled_from(BAD_CHOICES), HOSTILE_TEXT)
    if f.kind == "checkbox":
        return st.sampled_from(("y", "", "n", "0", SCRIPT, "\x00"))
    if "tax_code" in f.name:
        return st.one_of(st.sampled_from(BAD_TAX_CODES), HOSTILE_TEXT)
    if "email" in f.name:
        return st.one_of(st.sampled_from(BAD_EMAILS), HOSTILE_TEXT)
    return HOSTILE_TEXT
