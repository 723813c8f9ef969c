"""The English catalog: complete, faithful to each msgid's placeholders, and used when English is chosen.

Vietnamese is the source language (the msgids); ``heza/translations/en`` must translate every one of
them. The msgids are extracted again here, the way ``make translations-update`` does (babel.cfg, the
same keywords), so a string added to the code without an English translation fails with its text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale

from heza import rules

ROOT = Path(__file__).resolve().parents[1]
PO_FILE = ROOT / "heza" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
INPUT_DIRS = ("heza", "jobs", "templates")  # as in the Makefile's translations-update
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}  # pybabel's defaults + `-k _l -k lazy_gettext`

PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa]")
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")


def _extracted() -> dict[tuple[str | tuple[str, ...], str | None], list[str]]:
    """Every message the code asks to translate, with where it is used."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[tuple[str | tuple[str, ...], str | None], list[str]] = {}
    for folder in INPUT_DIRS:
        for filename, lineno, message, _comments, context in extract_from_dir(
            str(ROOT / folder), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
        ):
            found.setdefault((message, context), []).append(f"{folder}/{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def extracted() -> dict[tuple[str | tuple[str, ...], str | None], list[str]]:
    return _extracted()


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    with PO_FILE.open("rb") as f:
        return read_po(f, locale="en")


def _messages(catalog: Catalog) -> Iterator[Message]:
    return (m for m in catalog if m.id)


def _strings(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return [""]
    return [value] if isinstance(value, str) else list(value)


def _tokens(text: str) -> set[str]:
    """The ``%(name)x`` placeholders of ``text``, conversion included."""
    return {m.group(0) for m in PLACEHOLDER.finditer(text)}


def _stray_percent(text: str) -> int:
    """How many ``%`` are neither a ``%(name)x`` placeholder nor an escaped ``%%``."""
    return PLACEHOLDER.sub("", text).replace("%%", "").count("%")


# (a) complete ------------------------------------------------------------------------------------


def test_extraction_finds_the_code_strings(extracted):
    """Guard for the test below: the extraction really reads Python and Jinja files."""
    ids = {message for message, _context in extracted}
    assert "Đăng nhập" in ids  # templates/auth/login.html and heza/accounts
    assert "Mật khẩu" in ids  # a lazy_gettext (_l) in heza/accounts/views.py
    assert len(ids) > 500


def test_every_extracted_msgid_has_an_english_translation(extracted, catalog):
    missing = []
    for (message, context), where in sorted(extracted.items(), key=lambda kv: str(kv[0])):
        entry = catalog.get(message, context)
        if entry is None or entry.fuzzy or not all(s.strip() for s in _strings(entry.string)):
            missing.append(f"{message!r} ({', '.join(where[:3])})")
    assert not missing, (
        "Untranslated in heza/translations/en/LC_MESSAGES/messages.po (run `make translations-update`, "
        "then translate):\n" + "\n".join(missing)
    )


def test_catalog_has_no_fuzzy_or_empty_entries(catalog):
    bad = [m.id for m in _messages(catalog) if m.fuzzy or not all(s.strip() for s in _strings(m.string))]
    assert not bad, f"Fuzzy or empty entries: {bad}"


# (b) faithful ------------------------------------------------------------------------------------


def test_translations_keep_the_placeholders(catalog):
    wrong = []
    for m in _messages(catalog):
        expected = set().union(*(_tokens(s) for s in _strings(m.id)))
        for text in _strings(m.string):
            if _tokens(text) != expected:
                wrong.append(f"{m.id!r} -> {text!r}: {sorted(_tokens(text) ^ expected)}")
    assert not wrong, "Placeholders differ between msgid and translation:\n" + "\n".join(wrong)


def test_translations_format_like_their_msgids(catalog):
    """No stray ``%`` (Jinja's newstyle gettext always applies ``%``), and the same HTML tags."""
    wrong = []
    for m in _messages(catalog):
        source = " ".join(_strings(m.id))
        for text in _strings(m.string):
            if _stray_percent(text) != _stray_percent(source):
                wrong.append(f"stray %: {text!r}")
            if sorted(HTML_TAG.findall(text)) != sorted(HTML_TAG.findall(source)):
                wrong.append(f"HTML tags differ: {m.id!r} -> {text!r}")
            names = {name: 1 for name in PLACEHOLDER.findall(text)}
            try:
                text % names  # noqa: B018 - the formatting itself is what is checked
            except (KeyError, ValueError, TypeError) as exc:
                wrong.append(f"does not format ({exc!r}): {text!r}")
    assert not wrong, "\n".join(wrong)


def test_the_placeholder_check_can_fail():
    assert _tokens("Hạn %(due)s, %(n)d ngày") != _tokens("Due %(due)s, %(n)s days")
    assert _tokens("Hạn %(due)s") != _tokens("Due %(day)s")
    assert _stray_percent("100% done") == 1


# (c) used ----------------------------------------------------------------------------------------


def test_rule_explanation_reads_in_english(app: Flask, db):
    held_on = date(2026, 5, 20)
    with force_locale("en"):
        deadline = rules.announcement_date(held_on, rules.Settings())
        text = deadline.explain()
    due = f"{deadline.due:%d/%m/%Y}"
    assert text.startswith(
        "R1: Post the announcement on the web portal and at the one-stop desk 7 working days before the "
        f"conference (20/05/2026): on {due}."
    ), text
    assert "Basis: " in text
    assert "Đăng thông báo" not in text and "Căn cứ" not in text
    with force_locale("vi"):
        assert rules.announcement_date(held_on, rules.Settings()).explain().startswith("R1: Đăng thông báo")


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def _csrf(page: str) -> str:
    match = CSRF.search(page)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def test_login_page_switches_to_english(client: FlaskClient):
    page = client.get("/login").get_data(as_text=True)
    assert "Đăng nhập" in page and "Mật khẩu" in page

    response = client.post("/language/en", data={"csrf_token": _csrf(page), "next": "/login"})
    assert response.status_code in (302, 303), response.status_code
    assert response.headers["Location"].endswith("/login")

    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "<title>Log in – Enterprise dialogue</title>" in page
    assert "Enterprise dialogue conference management system – Hai Phong City" in page
    assert ">Password<" in page  # a lazy_gettext form label
    for vietnamese in ("Đăng nhập", "Mật khẩu", "Hệ thống quản lý"):
        assert vietnamese not in page


def test_days_of_the_week_follow_the_reader_s_language(app):
    from datetime import date

    from flask_babel import force_locale

    from heza.i18n import weekday_name

    with app.test_request_context():
        with force_locale("en"):
            assert weekday_name(date(2026, 11, 24)) == "Tuesday"
        with force_locale("vi"):
            assert weekday_name(date(2026, 11, 24)) == "Thứ Ba"
