"""Delivering the outbox through Flask-Mail: one SMTP connection per batch, retries with backoff.

Guarantee: **at least once, with a stable Message-ID**. Rows are claimed in a transaction of
their own (status ``sending``, with a lease in ``next_attempt_dt``), sent, and each is marked
``sent`` in a transaction committed as soon as the server has accepted it. If the deliverer
dies between the server's acceptance and that commit, the row is still ``sending`` when its
lease expires and is sent again — with the same Message-ID, derived from the email's key
(:func:`heza.outbox.outbox.message_id_for`), so the duplicate is recognisable and mail clients
fold it. At most the one message in flight per killed deliverer is sent twice; nothing is lost. On
PostgreSQL a mark does not wait for the disk (``synchronous_commit = off``, :meth:`_Marks.commit`): a crash
of the database server, not of the deliverer, may send the last ~0.6 s of messages again.
At-most-once would lose that message instead, which for invitations and deadlines is worse.

Several deliverers may run at once (several hosts, or a scheduler and ``heza deliver``): on
PostgreSQL rows are claimed with ``FOR UPDATE SKIP LOCKED``; on SQLite the claiming UPDATE is
atomic (one writer at a time) and re-checks each row's state. Either way a row is claimed by one.

Failures:

- the server refuses the connection, times out, or cuts it; or answers 4xx (421 "closing",
  451, 452…): the message is retried later, after 1, 2, 4… minutes up to 6 hours, and
  recorded as failed after :data:`MAX_ATTEMPTS` tries;
- 5xx (550 mailbox unavailable, 554…): failed at once, with the server's answer recorded for
  the admin.

Flask-Mail has no SMTP timeout, so the connection is opened with ``MAIL_TIMEOUT`` seconds (a
stuck server would otherwise hang delivery for ever).

The message itself is built by :mod:`heza.outbox.message`. Each email speaks in the name of its
organizer (the row's ``organizer_id``): the From header shows
the organizer's name with the configured sender's address (the relay accepts only that one, and it
stays the envelope sender), and Reply-To reaches a person there: the organizer's contact address, else
its office's or lead unit's, else ``MAIL_REPLY_TO`` (:mod:`heza.directory.contacts`; the system's own
mail uses that one). Organizers are read once per batch. Their names and addresses are typed by
people, so they are made one line and encoded (RFC 2047) before they reach a header.

An attachment whose content type carries an iTIP method (``text/calendar; charset="utf-8";
method=REQUEST``, see :mod:`heza.conferences.ics`) is the invitation itself: it goes out as the
``text/calendar`` alternative beside the text and HTML (iMIP, RFC 6047) and again as ``hoi-nghi.ics``.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_mail import BadHeaderError, Connection, Message
from sqlalchemy.orm import selectinload

from heza.base import now_utc
from heza.extensions import db
from heza.outbox.message import (  # noqa: F401  (re-exported: what tests and callers read here)
    Sender,
    _safe_address,
    build_message,
    format_address,
    one_line,
    senders,
)
from heza.outbox.models import EmailStatus, OutboundEmail

log = logging.getLogger(__name__)

BATCH_SIZE = 50
MAX_ATTEMPTS = 20
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
MIN_LEASE = timedelta(minutes=10)
_ERROR_LENGTH = 1000


class _Stop(Exception):
    """The connection is gone: leave the rest of the batch for a later run."""


@dataclass
class DeliveryCounts:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0

    def as_dict(self) -> dict[str, int]:
        return {k: v for k, v in vars(self).items() if v}


class TimedConnection(Connection):
    """Flask-Mail's connection, opened with a timeout (Flask-Mail's own has none)."""

    def __init__(self, state: Any, timeout: float | None, ca_file: str | None = None) -> None:
        super().__init__(state)
        self.timeout = timeout
        self.ca_file = ca_file or None

    def tls_context(self) -> ssl.SSLContext:
        """Verify the relay's certificate and host name (smtplib's default context verifies nothing)."""
        return ssl.create_default_context(cafile=self.ca_file)

    def configure_host(self) -> smtplib.SMTP | smtplib.SMTP_SSL:
        state = self.mail
        kwargs: dict[str, Any] = {"timeout": self.timeout} if self.timeout else {}
        host: smtplib.SMTP | smtplib.SMTP_SSL
        if state.use_ssl:
            host = smtplib.SMTP_SSL(state.server, state.port, context=self.tls_context(), **kwargs)
        else:
            host = smtplib.SMTP(state.server, state.port, **kwargs)
        try:
            host.set_debuglevel(int(state.debug))
            if state.use_tls:
                host.starttls(context=self.tls_context())
            if state.username and state.password:
                host.login(state.username, state.password)
        except BaseException:  # a refused certificate or login: no half-open socket left behind
            host.close()
            raise
        return host

    def close(self) -> None:
        """Say goodbye if the line is still up; a dead one is simply dropped."""
        if self.host is not None:
            try:
                self.host.quit()
            except (smtplib.SMTPException, OSError):
                self.host.close()
            self.host = None


def retry_delay(attempts: int) -> timedelta:
    """Backoff after ``attempts`` failed tries: 1, 2, 4… minutes, at most 6 hours."""
    delay = FIRST_RETRY * (2 ** max(0, attempts - 1))
    return min(delay, LONGEST_RETRY)


def _lease(batch_size: int) -> timedelta:
    # Long enough that a live deliverer finishes its batch even if every message waits out the timeout.
    timeout = float(current_app.config.get("MAIL_TIMEOUT") or 30)
    return max(MIN_LEASE, timedelta(seconds=2 * batch_size * timeout))


def _claimable(now: datetime) -> sa.ColumnElement[bool]:
    # A pending row whose time has come, or a row left "sending" by a deliverer that died (lease over).
    return sa.and_(OutboundEmail.status.in_((EmailStatus.PENDING, EmailStatus.SENDING)),
                   OutboundEmail.next_attempt_dt <= now)


def claim(now: datetime, limit: int) -> list[int]:
    """Mark up to ``limit`` due rows as ``sending`` for this deliverer and commit; their ids."""
    candidates = (sa.select(OutboundEmail.id).where(_claimable(now))
                  .order_by(OutboundEmail.next_attempt_dt, OutboundEmail.id).limit(limit))
    if db.session.get_bind(mapper=sa.inspect(OutboundEmail)).dialect.name == "postgresql":
        # Lock the rows first, then update exactly those: PostgreSQL may run a LIMIT subquery inside
        # an UPDATE more than once, claiming more rows than asked.
        chosen = list(db.session.scalars(candidates.with_for_update(skip_locked=True)))
        where = OutboundEmail.id.in_(chosen)
    else:
        # SQLite: one atomic statement (a single writer at a time), re-checking each row's state.
        chosen = None
        where = sa.and_(OutboundEmail.id.in_(candidates.scalar_subquery()), _claimable(now))
    if chosen == []:
        db.session.commit()
        return []
    stmt = (
        sa.update(OutboundEmail)
        .where(where)
        .values(status=EmailStatus.SENDING, next_attempt_dt=now + _lease(limit))
        .returning(OutboundEmail.id)
        .execution_options(synchronize_session=False)
    )
    ids = sorted(db.session.scalars(stmt).all())
    db.session.commit()
    return ids

def deliver(now: datetime | None = None, *, batch_size: int = BATCH_SIZE, max_batches: int | None = None
            ) -> dict[str, int]:
    """Send every email whose time has come, batch by batch; returns the counts.

    ``now`` is for tests travelling in time. Stops early when the server cannot be reached
    (the next run tries again).
    """
    counts = DeliveryCounts()
    batches = 0
    while max_batches is None or batches < max_batches:
        at = now or now_utc()
        ids = claim(at, batch_size)
        if not ids:
            break
        batches += 1
        if not _send_batch(ids, at, counts):
            break
    return counts.as_dict()


@dataclass
class _Outgoing:
    """A claimed row as sending needs it: its id, its attempts and its message, read once per batch."""

    id: int
    attempts: int
    message: Message | None
    error: str = ""


# One row's new state, by primary key. A Core statement: the ORM would first re-read the row (expired by the
# previous commit) and its attachments to compute the change, two SELECTs per message for nothing; and no
# column it sets is one search or tenancy listens to.
_MARK_COLUMNS = ("status", "attempts", "next_attempt_dt", "sent_dt", "last_error")
_table = OutboundEmail.__table__


def _mark_statement(columns: tuple[str, ...]) -> sa.Update:
    return (_table.update().where(_table.c.id == sa.bindparam("row_id"))
            .values({name: sa.bindparam(f"new_{name}") for name in columns}))


_MARK: dict[frozenset[str], sa.Update] = {}  # statements by the columns they set, built once each


class _Marks:
    """The new states of this batch's rows, written together (executemany) at :meth:`write`."""

    def __init__(self) -> None:
        self.pending: list[tuple[int, dict[str, Any]]] = []

    def set(self, item: _Outgoing, **values: Any) -> None:
        self.pending.append((item.id, values))

    def write(self) -> None:
        """UPDATE the marked rows, one executemany per set of columns; the caller commits."""
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row_id, values in self.pending:
            columns = tuple(name for name in _MARK_COLUMNS if name in values)
            groups.setdefault(columns, []).append(
                {"row_id": row_id, **{f"new_{name}": values[name] for name in columns}})
        for columns, params in groups.items():
            statement = _MARK.get(frozenset(columns))
            if statement is None:
                statement = _MARK[frozenset(columns)] = _mark_statement(columns)
            db.session.execute(statement, params)
        self.pending.clear()

    def commit(self) -> None:
        if db.session.get_bind().dialect.name == "postgresql":
            # Not waiting for the WAL flush doubles the rate (each message is its own commit). The mark is
            # still kept when this process dies; only a crash of the database server itself may forget the
            # last ~0.6 s of marks (3 x wal_writer_delay), and those messages are then sent again with
            # their Message-ID: the guarantee stays "at least once".
            db.session.execute(sa.text("SET LOCAL synchronous_commit = off"))
        self.write()
        db.session.commit()


def _prepare(row: OutboundEmail, sender: Sender | None) -> _Outgoing:
    try:
        return _Outgoing(row.id, row.attempts, build_message(row, sender))
    except (BadHeaderError, ValueError) as exc:
        return _Outgoing(row.id, row.attempts, None, f"cannot build the message: {exc!r}")


def _send_batch(ids: list[int], now: datetime, counts: DeliveryCounts) -> bool:
    """Send the claimed rows over one connection; False if the connection failed."""
    held = {obj for obj in db.session.identity_map.values() if isinstance(obj, OutboundEmail)}
    rows = db.session.scalars(
        sa.select(OutboundEmail).where(OutboundEmail.id.in_(ids))
        .options(selectinload(OutboundEmail.attachments)).order_by(OutboundEmail.id)
    ).all()
    by_organizer = senders({row.organizer_id for row in rows if row.organizer_id is not None})
    batch = [_prepare(row, by_organizer.get(row.organizer_id) if row.organizer_id is not None else None)
             for row in rows]
    # Built: the rows are no longer needed, and each commit below would expire every one of them (and its
    # attachments) again. Rows the caller already held stay in its session.
    for row in rows:
        if row not in held:
            db.session.expunge(row)
    marks = _Marks()
    state = current_app.extensions["mail"]
    connection = TimedConnection(state, current_app.config.get("MAIL_TIMEOUT"), current_app.config.get("MAIL_CA_FILE"))
    try:
        connection.host = None if state.suppress else connection.configure_host()
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("SMTP connection failed: %s", exc)
        for item in batch:
            _retry(marks, item, now, f"connection: {exc!r}", counts)
        marks.commit()
        return False
    try:
        for i, item in enumerate(batch):
            try:
                _send_one(connection, marks, item, now, counts)
            except _Stop:
                for rest in batch[i + 1:]:
                    _release(marks, rest, now, counts)
                marks.commit()
                return False
            # Each message's fate is durable before the next is sent: a deliverer killed here sends at
            # most this one message twice. Batching these commits would widen that to the whole batch.
            marks.commit()
    finally:
        connection.close()
    return True


def _send_one(connection: TimedConnection, marks: _Marks, item: _Outgoing, now: datetime,
              counts: DeliveryCounts) -> None:
    if item.message is None:
        _fail(marks, item, item.error, counts)
        return
    try:
        if connection.host is None and not connection.mail.suppress:
            raise smtplib.SMTPServerDisconnected("connection closed")
        connection.send(item.message)
    except BadHeaderError as exc:
        _fail(marks, item, f"bad header: {exc!r}", counts)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        text = "; ".join(f"{addr}: {code} {_text(msg)}" for addr, (code, msg) in exc.recipients.items())
        if codes and all(500 <= code < 600 for code in codes):
            _fail(marks, item, text, counts)
        else:
            _retry(marks, item, now, text, counts)
    except smtplib.SMTPResponseException as exc:  # sender refused, data refused, 421 closing
        text = f"{exc.smtp_code} {_text(exc.smtp_error)}"
        if 500 <= exc.smtp_code < 600:
            _fail(marks, item, text, counts)
            return
        _retry(marks, item, now, text, counts)
        if exc.smtp_code == 421 or connection.host is None or not _alive(connection):
            raise _Stop from exc
    except (smtplib.SMTPException, OSError) as exc:  # cut connection, timeout
        _retry(marks, item, now, f"{exc!r}", counts)
        raise _Stop from exc
    else:
        marks.set(item, status=EmailStatus.SENT, attempts=item.attempts + 1, sent_dt=now_utc(), last_error="")
        counts.sent += 1


def _alive(connection: TimedConnection) -> bool:
    sock = getattr(connection.host, "sock", None)
    return sock is not None


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _retry(marks: _Marks, item: _Outgoing, now: datetime, error: str, counts: DeliveryCounts) -> None:
    attempts = item.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        marks.set(item, status=EmailStatus.FAILED, attempts=attempts,
             last_error=f"gave up after {attempts} attempts: {error}"[:_ERROR_LENGTH])
        counts.failed += 1
        return
    marks.set(item, status=EmailStatus.PENDING, attempts=attempts, next_attempt_dt=now + retry_delay(attempts),
         last_error=error[:_ERROR_LENGTH])
    counts.retried += 1


def _fail(marks: _Marks, item: _Outgoing, error: str, counts: DeliveryCounts) -> None:
    marks.set(item, status=EmailStatus.FAILED, attempts=item.attempts + 1, last_error=error[:_ERROR_LENGTH])
    counts.failed += 1


def _release(marks: _Marks, item: _Outgoing, now: datetime, counts: DeliveryCounts) -> None:
    """Give an unattempted row back, due at once (it did not fail; the connection did)."""
    marks.set(item, status=EmailStatus.PENDING, next_attempt_dt=now)
    counts.released += 1


def pending_count() -> int:
    """How many emails wait to be sent (for the CLI and the admin)."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(OutboundEmail).where(OutboundEmail.status == EmailStatus.PENDING)
    ) or 0

