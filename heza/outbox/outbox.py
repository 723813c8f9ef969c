"""Putting emails in the outbox: rendered once, stored with a unique key, in the caller's transaction.

Every email is first a row of :class:`~heza.outbox.models.OutboundEmail`, written in the same
transaction as the change that causes it, and delivered later by :mod:`heza.outbox.delivery`.
The row's ``key`` (``invite:12:345``, ``overdue:7:a@b.vn:2026-03-13``…) is unique: enqueueing a
key that exists does nothing, so a job run twice, or two schedulers at once, write each email
once. Inserts use ``INSERT … ON CONFLICT DO NOTHING`` (PostgreSQL and SQLite alike), so a
concurrent duplicate waits for the first writer and is then skipped instead of aborting the
caller's transaction.

Emails are rendered from ``templates/email/<template>.txt`` and ``.html`` inside
``flask_babel.force_locale(language)``: the templates' text is Vietnamese gettext msgids, so an
English recipient reads the English catalog's translation once it has one (the project's one
way of translating, shared with the screens), and Vietnamese until then.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, get_translations
from jinja2 import TemplateNotFound, pass_context
from markupsafe import Markup
from sqlalchemy.dialects import postgresql, sqlite

from heza.chunks import chunked
from heza.extensions import db
from heza.outbox.models import EmailStatus, OutboundAttachment, OutboundEmail

# Email kinds (the ``kind`` column), one per template family; the admin filters on them.
INVITATION = "invitation"
POSTPONEMENT = "postponement"
CANCELLATION = "cancellation"
QUORUM = "quorum"
UNIT_REMINDER = "unit_reminder"
OVERDUE = "overdue"
REGISTRATION_NUDGE = "registration_nudge"
DIGEST = "digest"
WARD_CONFERENCES = "ward_conferences"  # R8

_CHUNK = 500  # rows per IN (...) lookup and per multi-row INSERT
_SUBJECT_LENGTH = 500
_ADDRESS_IN_KEY = 80


@dataclass(frozen=True)
class Attachment:
    """A file sent with an email."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class Draft:
    """An email to enqueue: everything :func:`enqueue` takes, for :func:`enqueue_many`.

    ``subject`` is a string, a ``lazy_gettext`` string (translated in the recipient's language
    when rendered) or a callable returning one.
    """

    key: str
    to: str | tuple[str, str]
    subject: Any
    template: str
    context: Mapping[str, Any]
    kind: str
    language: str = "vi"
    cc: Sequence[str] = ()
    attachments: Sequence[Attachment | tuple[str, str, bytes]] = ()
    conference_id: int | None = None
    # The organizer the email speaks for (its outbox screen shows it to that organizer's staff);
    # taken from the conference when not given.
    organizer_id: int | None = None


def address_ref(address: str) -> str:
    """An address as it appears in keys: lower case, or a short digest if it is long (keys hold 200 characters)."""
    address = address.strip().lower()
    if len(address) <= _ADDRESS_IN_KEY:
        return address
    return "#" + hashlib.sha256(address.encode("utf-8")).hexdigest()[:24]


def message_id_for(key: str, domain: str | None = None) -> str:
    """The Message-ID of the email with ``key``: the same on every (re)send, so a resend is recognisable."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]
    return f"<heza.{digest}@{domain or _mail_domain()}>"


def _mail_domain() -> str:
    sender = current_app.config.get("MAIL_DEFAULT_SENDER") or ""
    if isinstance(sender, tuple):
        sender = sender[1]
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or current_app.config.get("SERVER_NAME") or "heza.local"


def enqueue(
    key: str,
    to: str | tuple[str, str],
    subject: Any,
    template: str,
    context: Mapping[str, Any],
    *,
    language: str,
    cc: Sequence[str] = (),
    attachments: Sequence[Attachment | tuple[str, str, bytes]] = (),
    conference_id: int | None = None,
    organizer_id: int | None = None,
    kind: str,
) -> int | None:
    """Render and store one email unless its ``key`` exists; returns the new row's id, or None.

    ``to`` is an address or a ``(name, address)`` pair. Runs in the caller's transaction (the
    caller commits), so the email exists exactly when the change that causes it does.
    """
    draft = Draft(key=key, to=to, subject=subject, template=template, context=context, kind=kind,
                  language=language, cc=cc, attachments=attachments, conference_id=conference_id,
                  organizer_id=organizer_id)
    inserted = enqueue_many([draft])
    return inserted.get(key)


def enqueue_many(drafts: Iterable[Draft]) -> dict[str, int]:
    """Store many emails at once, skipping keys that exist; returns ``{key: id}`` of those inserted.

    Existing keys are looked up before rendering, so a rerun renders nothing; the insert still
    says ``ON CONFLICT DO NOTHING`` for the writer that raced us. Thousands of invitations take
    a few multi-row statements, not one round trip each.
    """
    inserted: dict[str, int] = {}
    batch: list[Draft] = []
    seen: set[str] = set()
    for draft in drafts:
        if draft.key in seen:
            continue
        seen.add(draft.key)
        batch.append(draft)
        if len(batch) >= _CHUNK:
            inserted.update(_enqueue_chunk(batch))
            batch = []
    if batch:
        inserted.update(_enqueue_chunk(batch))
    return inserted


def existing_keys(keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` are already in the outbox (any status)."""
    keys = list(keys)
    found: set[str] = set()
    with db.session.no_autoflush:
        for chunk in chunked(keys, _CHUNK):
            found.update(db.session.scalars(sa.select(OutboundEmail.key).where(OutboundEmail.key.in_(chunk))))
    return found


def _enqueue_chunk(drafts: list[Draft]) -> dict[str, int]:
    present = existing_keys(d.key for d in drafts)
    todo = [d for d in drafts if d.key not in present]
    if not todo:
        return {}
    rows = render_all(todo)
    _fill_organizers(rows)
    stmt = _insert_ignoring_duplicates().returning(OutboundEmail.id, OutboundEmail.key)
    result = db.session.execute(stmt, rows)
    ids = {key: id_ for id_, key in result.all()}
    attachment_rows = [
        {"email_id": ids[d.key], "filename": a.filename, "content_type": a.content_type, "data": a.data}
        for d in todo if d.key in ids
        for a in map(_as_attachment, d.attachments)
    ]
    if attachment_rows:
        db.session.execute(sa.insert(OutboundAttachment), attachment_rows)
    return ids


def _fill_organizers(rows: list[dict[str, Any]]) -> None:
    """Rows without an organizer take their conference's (one query per chunk)."""
    from heza.conferences.models import Conference

    wanted = {r["conference_id"] for r in rows if r["organizer_id"] is None and r["conference_id"] is not None}
    if not wanted:
        return
    owners = dict(db.session.execute(sa.select(Conference.id, Conference.organizer_id)
                                     .where(Conference.id.in_(wanted))).tuples().all())
    for row in rows:
        if row["organizer_id"] is None and row["conference_id"] is not None:
            row["organizer_id"] = owners.get(row["conference_id"])


def _insert_ignoring_duplicates() -> Any:
    dialect = db.session.get_bind(mapper=sa.inspect(OutboundEmail)).dialect.name
    if dialect == "postgresql":
        return postgresql.insert(OutboundEmail).on_conflict_do_nothing(index_elements=["key"])
    if dialect == "sqlite":
        return sqlite.insert(OutboundEmail).on_conflict_do_nothing(index_elements=["key"])
    raise RuntimeError(f"no insert-if-absent for the {dialect} dialect")


def _as_attachment(value: Attachment | tuple[str, str, bytes]) -> Attachment:
    return value if isinstance(value, Attachment) else Attachment(*value)


def render_all(drafts: Sequence[Draft]) -> list[dict[str, Any]]:
    """The outbox rows of ``drafts``, rendered in each recipient's language (grouped, one switch each)."""
    rows: dict[int, dict[str, Any]] = {}
    by_language: dict[str, list[int]] = {}
    for i, draft in enumerate(drafts):
        by_language.setdefault(str(draft.language or "vi"), []).append(i)
    domain = _mail_domain()
    for language, indexes in by_language.items():
        with force_locale(language):
            gettext = _memo_gettext(get_translations())
            for i in indexes:
                rows[i] = _render(drafts[i], language, gettext, domain)
    return [rows[i] for i in range(len(drafts))]


def _memo_gettext(translations: Any) -> Callable[..., str]:
    """The templates' ``gettext`` for one language, remembering each message it translated.

    Passed in the render context, where it wins over the environment's: Flask-Babel's looks the
    catalog up again on every ``_()``, which made rendering thousands of invitations slow. Same
    behaviour as Jinja's newstyle gettext: escaped in HTML, always ``%``-formatted.
    """
    cache: dict[str, str] = {}

    @pass_context
    def gettext(__context: Any, __string: str, **variables: Any) -> str:
        rv = cache.get(__string)
        if rv is None:
            rv = cache[__string] = translations.ugettext(__string)
        if __context.eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables

    return gettext


def _render(draft: Draft, language: str, gettext: Callable[..., str] | None = None, domain: str | None = None
            ) -> dict[str, Any]:
    name, address = draft.to if isinstance(draft.to, tuple) else ("", draft.to)
    subject = draft.subject() if callable(draft.subject) else draft.subject
    subject = " ".join(str(subject).split())[:_SUBJECT_LENGTH]  # one line: no header injection
    context = {**draft.context, "gettext": gettext} if gettext is not None else draft.context
    text = _template(f"email/{draft.template}.txt").render(**context)
    html_template = _optional_template(f"email/{draft.template}.html")
    html = html_template.render(**context) if html_template is not None else ""
    return {
        "key": draft.key,
        "kind": draft.kind,
        "to_addr": address,
        "to_name": name or "",
        "cc": ", ".join(a for a in draft.cc if a and a != address),
        "subject": subject,
        "text_body": text,
        "html_body": html,
        "language": language,
        "message_id": message_id_for(draft.key, domain),
        "conference_id": draft.conference_id,
        "organizer_id": draft.organizer_id,
        "status": EmailStatus.PENDING,
        "attempts": 0,
        "last_error": "",
    }


def _template(name: str) -> Any:
    return current_app.jinja_env.get_template(name)


def _optional_template(name: str) -> Any:
    try:
        return current_app.jinja_env.get_template(name)
    except TemplateNotFound:
        return None


def render_preview(template: str, context: Mapping[str, Any], language: str = "vi") -> tuple[str, str]:
    """The text and HTML bodies of a template, as an admin preview or a snapshot test sees them."""
    with force_locale(language):
        text = _template(f"email/{template}.txt").render(**context)
        html_template = _optional_template(f"email/{template}.html")
        return text, html_template.render(**context) if html_template is not None else ""


def withdraw_pending(conference_id: int, kinds: Iterable[str] | None = None, *, reason: str = "") -> int:
    """Withdraw the conference's emails still waiting to be sent; returns how many.

    Rows being sent at this moment (``sending``) are not touched: they may already be on the wire.
    """
    stmt = (
        sa.update(OutboundEmail)
        .where(OutboundEmail.conference_id == conference_id, OutboundEmail.status == EmailStatus.PENDING)
        .values(status=EmailStatus.WITHDRAWN, last_error=reason[:500])
        .execution_options(synchronize_session=False)
    )
    if kinds is not None:
        stmt = stmt.where(OutboundEmail.kind.in_(list(kinds)))
    return db.session.execute(stmt).rowcount or 0

