"""The audit log: every create, update and delete of a record, with who, when and what changed.

One ``after_flush`` listener on every SQLAlchemy session writes the events in the same transaction
as the change (a rolled-back change leaves no event; a committed one always has its event), so
changes made through the admin, the public pages, the CLI and the jobs are all recorded.

Left out on purpose: the outbox and job-run tables, uploads waiting for confirmation, rate-limit
counters and the audit log itself (bookkeeping of the machinery, thousands of rows, no one's
decision), and columns that change on their own (``updated_dt``, a user's failed-login count,
lock and last login). A password change is recorded as changed without either hash.

Who: the logged-in user of the request (only when Flask-Login already loaded them, so the
listener never queries mid-flush), else ``web <address>`` for an anonymous request (an
enterprise's personal link), ``cli <command>`` under the ``flask``/``heza`` command line, else
``system``.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import click
import sqlalchemy as sa
from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from heza.accounts.models import AuditEvent

EXCLUDED_TABLES = frozenset({
    "audit_events",
    "import_uploads",
    "outbound_emails",
    "outbound_attachments",
    "overdue_alerts",
    "job_runs",
    "rate_limit_hits",
})
IGNORED_COLUMNS = frozenset({"created_dt", "updated_dt", "search_text"})
IGNORED_BY_TABLE = {"users": frozenset({"failed_logins", "locked_until_dt", "last_login_dt"})}
SECRET_COLUMNS = frozenset({"password_hash"})
SECRET_MARK = "***"
_MAX_TEXT = 2000  # one long answer must not make the log unreadable

_installed = False


def jsonable(value: Any) -> Any:
    """A value as JSON can hold it (dates ISO, enums by value, bytes by size)."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(bytes(value))} bytes>"
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    text = str(value)
    return text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT] + "…"


def current_actor() -> tuple[int | None, str]:
    """``(user id or None, description)`` of whoever is making the change."""
    if has_request_context():
        user = g.get("_login_user")
        if user is not None and getattr(user, "is_authenticated", False):
            return user.id, str(user)[:300]
        return None, f"web {request.remote_addr or '?'}"
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        return None, f"cli {ctx.command_path}"[:300]
    return None, "system"


def _ignored(table: str) -> frozenset[str]:
    return IGNORED_COLUMNS | IGNORED_BY_TABLE.get(table, frozenset())


def _summary(obj: Any) -> str:
    try:
        return str(obj)[:500]
    except Exception:  # noqa: BLE001 - a __str__ reaching a deleted relation must not break the flush
        return ""


def _changes(obj: Any, action: str) -> dict[str, list[Any]]:
    state = sa.inspect(obj)
    mapper = state.mapper
    ignored = _ignored(mapper.local_table.name)
    changes: dict[str, list[Any]] = {}
    for attr in mapper.column_attrs:
        key = attr.key
        if key in ignored:
            continue
        if action == "update":
            history = state.attrs[key].history
            if not history.has_changes():
                continue
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old == new:
                continue
        elif action == "create":
            old, new = None, state.dict.get(key)
            if new is None:
                continue
        else:  # delete: what was lost
            old, new = state.dict.get(key), None
            if old is None:
                continue
        if key in SECRET_COLUMNS:
            changes[key] = [SECRET_MARK if old else None, SECRET_MARK if new else None]
        else:
            changes[key] = [jsonable(old), jsonable(new)]
    # Many-to-many links (a conference's zones) have no column of their own on the row.
    for rel in mapper.relationships:
        if rel.secondary is None or action == "delete":
            continue
        history = state.attrs[rel.key].history
        if history.added or history.deleted:
            before = [str(v) for v in (*history.unchanged, *history.deleted)]
            after = [str(v) for v in (*history.unchanged, *history.added)]
            changes[rel.key] = [before if action == "update" else None, after]
    return changes


def _event(obj: Any, action: str, actor: tuple[int | None, str]) -> dict[str, Any] | None:
    state = sa.inspect(obj)
    table = state.mapper.local_table.name
    if table in EXCLUDED_TABLES:
        return None
    changes = _changes(obj, action)
    if action == "update" and not changes:
        return None  # only bookkeeping columns moved
    # New rows get their identity key only after this listener; their primary key is already set.
    identity = tuple(v for v in state.mapper.primary_key_from_instance(obj) if v is not None)
    user_id, actor_text = actor
    if action == "delete" and table == "users" and identity and identity[0] == user_id:
        user_id = None  # the row the event would point at is going away
    return {
        "at_dt": None,  # filled below
        "user_id": user_id,
        "actor": actor_text,
        "action": action,
        "model": type(obj).__name__,
        "record_id": ",".join(str(i) for i in identity)[:40],
        "summary": _summary(obj),
        "changes": changes,
    }


def _after_flush(session: Session, _flush_context: Any) -> None:
    """Write one event per created, changed or deleted row, in the flush's own transaction."""
    if not (session.new or session.dirty or session.deleted):
        return
    actor = current_actor()
    rows = []
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in list(objects):
            if action == "update" and not session.is_modified(obj):
                continue
            row = _event(obj, action, actor)
            if row is not None:
                rows.append(row)
    if not rows:
        return
    from heza.base import now_utc

    at = now_utc()
    for row in rows:
        row["at_dt"] = at
    session.connection().execute(sa.insert(AuditEvent.__table__), rows)


def init_app(app: Flask) -> None:
    """Listen on every session (once per process: the listener is global, apps are many in tests)."""
    global _installed
    if not _installed:
        event.listen(Session, "after_flush", _after_flush)
        _installed = True
