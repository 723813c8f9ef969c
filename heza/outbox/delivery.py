"""Delivering the outbox through Flask-Mail: one SMTP connection per batch, retries with backoff.

Guarantee: **at least once, with a stable Message-ID**. Rows are claimed in a transaction of
their own (status ``sending``, with a lease in ``next_attempt_dt``), sent, and each is marked
``sent`` in a transaction committed as soon as the server has accepted it. If the deliverer
dies between the server's acceptance and that commit, the row is still ``sending`` when its
lease expires and is sent again — with the same Message-ID, derived from the email's key
(:func:`heza.outbox.outbox.message_id_for`), so the duplicate is recognisable and mail clients
fold it. At most the one message in flight per killed deliverer is sent twice; nothing is lost.
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

Each email speaks in the name of its organizer (the row's ``organizer_id``): the From header shows
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
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy as email_policy
from email.charset import BASE64, Charset
from email.encoders import encode_base64
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate, parseaddr
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_mail import BadHeaderError, Connection, Message
from sqlalchemy.orm import selectinload

from heza.base import now_utc
from heza.conferences.ics import imip_content_type, imip_method
from heza.directory.contacts import plain_address, reply_address, system_address
from heza.directory.models import Organizer
from heza.extensions import db
from heza.outbox.models import EmailStatus, OutboundEmail
from heza.outbox.outbox import message_id_for
from heza.validation import split_emails

log = logging.getLogger(__name__)

BATCH_SIZE = 50
MAX_ATTEMPTS = 20
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
MIN_LEASE = timedelta(minutes=10)
_ERROR_LENGTH = 1000
_DISPLAY_NAME_LENGTH = 200
_LINE = 78  # RFC 5322's recommended line length
# Lines end in CRLF; headers are written as encoded here (see _Message).
_POLICY = email_policy.compat32.clone(linesep="\r\n")


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


@dataclass(frozen=True)
class Sender:
    """Whom an email is from, in the header: a display name on the relay's address, and where replies go."""

    name: str
    reply_to: str = ""


def one_line(text: str | None, limit: int = _DISPLAY_NAME_LENGTH) -> str:
    """``text`` fit for a header's display name: control characters (CR, LF, tab…) become spaces,
    runs of spaces one, at most ``limit`` characters."""
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in (text or ""))
    return " ".join(text.split())[:limit].strip()


class _Encoded:
    """A header value already encoded (RFC 2047) and folded by :func:`_words` or :func:`format_address`:
    written as it is (the compat32 policy calls ``encode`` on values that are not strings)."""

    def __init__(self, value: str) -> None:
        self.value = value

    def encode(self, linesep: str = "\n", maxlinelen: int | None = None) -> str:  # noqa: ARG002
        return linesep.join(self.value.split("\n"))

    def __str__(self) -> str:
        return self.value


def _words(text: str, header_name: str) -> str:
    """``text`` as RFC 2047 encoded words, folded to fit 78 columns after ``header_name: ``.

    The first line goes right after the header's name (no leading fold, which a reader takes as a
    leading space). ``email.header.Header`` splits between characters, never inside one, and
    readers join the words without the folding whitespace (RFC 2047 §6.2).
    """
    ascii_plain = text.isascii() and "=?" not in text
    header = Header(text, "us-ascii" if ascii_plain else "utf-8", maxlinelen=_LINE, header_name=header_name)
    return header.encode(splitchars=" ", maxlinelen=_LINE, linesep="\n")


def format_address(name: str, address: str, header_name: str = "From") -> str:
    """``=?utf-8?b?…?= <address>`` for a header: the name made one line and entirely encoded as RFC 2047
    words (so no character of it can end the header, quote or open an address), the address as it is."""
    name = one_line(name)
    if not name:
        return address
    encoded = Header(name, "utf-8", maxlinelen=_LINE, header_name=header_name).encode(maxlinelen=_LINE,
                                                                                       linesep="\n")
    last_line = encoded.rpartition("\n")[2]
    width = len(last_line) + len(address) + 3 + (0 if "\n" in encoded else len(header_name) + 2)
    separator = " " if width <= _LINE else "\n "
    return f"{encoded}{separator}<{address}>"


def _ascii_address(address: str | None) -> str:
    """A plain mailbox fit for the envelope and a header: its domain in IDNA, its local part ASCII; else ""."""
    address = plain_address(address)
    if address.isascii():
        return address
    local, _, domain = address.rpartition("@")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return ""
    return f"{local}@{domain}" if local.isascii() else ""


def _safe_address(address: str | None) -> str:
    """``address`` if it is one plain mailbox (what the organizer form stores), else ""."""
    return plain_address(address)


def _relay_address() -> str:
    """The configured sender's bare address: what the SMTP relay accepts, kept as the envelope sender."""
    sender = current_app.extensions["mail"].default_sender or current_app.config.get("MAIL_DEFAULT_SENDER") or ""
    if isinstance(sender, tuple):
        return sender[1]
    return parseaddr(sender)[1]


def _configured_sender() -> tuple[str, str]:
    sender = current_app.extensions["mail"].default_sender or current_app.config.get("MAIL_DEFAULT_SENDER") or ""
    return sender if isinstance(sender, tuple) else parseaddr(sender)


@dataclass(frozen=True)
class _Part:
    """An attachment of the row as it goes out: an iMIP calendar (``method`` set) or a file."""

    filename: str
    content_type: str
    data: bytes
    method: str | None


def _utf8_base64() -> Charset:
    """UTF-8 with base64 bodies. Flask-Mail registers UTF-8 bodies as 8bit for every message of the process,
    which a relay without 8BITMIME may refuse or mangle."""
    charset = Charset("utf-8")
    charset.body_encoding = BASE64
    return charset


class _Message(Message):
    """Flask-Mail's message (Flask-Mail stays the transport), its MIME built here.

    The body is ``multipart/alternative``: text, HTML and, for an invitation, the calendar as
    ``text/calendar; charset="utf-8"; method=…`` (iMIP, RFC 6047); inside ``multipart/mixed`` when
    files are attached, the calendar again among them as ``hoi-nghi.ics`` (``application/ics``, as
    Gmail sends it, so that no program takes the file for a second invitation) for programs that
    import files. Every part is base64: the message is 7-bit clean for any relay.

    Headers holding people's names and the subject are encoded by :func:`_words` and
    :func:`format_address` and written as they are. Flask-Mail 0.10 encoded them and then let the
    policy fold them again: with ``policy.SMTP`` words were split mid-character ("Xu ất"), with
    compat32 the Subject began with a fold (``Subject: \\r\\n =?utf-8?b?…``) that readers take as a
    leading space. The standard library's modern policy would be correct but is three times slower
    here and re-reads a typed ``=?…?=`` in a name as an encoded word.
    """

    speaks_for: Sender | None = None
    parts: tuple[_Part, ...] = ()
    to_header: tuple[str, str] = ("", "")
    reply_address: str = ""

    def _message(self) -> MIMEBase:
        body: MIMEBase = MIMEText(self.body or "", "plain", _utf8_base64())
        calendar = next((p for p in self.parts if p.method), None)  # one invitation per message
        if self.html or calendar is not None:
            alternative = MIMEMultipart("alternative")
            alternative.attach(body)
            if self.html:
                alternative.attach(MIMEText(self.html, "html", _utf8_base64()))
            if calendar is not None:
                part = MIMEBase("text", "calendar")
                # ``method=REQUEST`` as RFC 6047 writes it, a token; the calendar is UTF-8 (RFC 5545).
                part.replace_header("Content-Type", imip_content_type(calendar.method or ""))
                part.set_payload(calendar.data)
                encode_base64(part)
                alternative.attach(part)
            body = alternative
        if self.parts:
            msg: MIMEBase = MIMEMultipart("mixed")
            msg.attach(body)
            for item in self.parts:
                if item.method:
                    maintype, subtype = "application", "ics"
                else:
                    maintype, _, subtype = item.content_type.partition(";")[0].strip().partition("/")
                part = MIMEBase(maintype or "application", subtype or "octet-stream")
                part.set_payload(item.data)
                encode_base64(part)
                part.add_header("Content-Disposition", "attachment", filename=one_line(item.filename) or "tep")
                msg.attach(part)
        else:
            msg = body

        msg["Subject"] = _Encoded(_words(str(self.subject or ""), "Subject"))
        relay_name, relay = _configured_sender()
        sender = self.speaks_for
        name = sender.name if sender is not None and one_line(sender.name) else relay_name
        msg["From"] = _Encoded(format_address(name, relay, "From"))
        msg["To"] = _Encoded(format_address(*self.to_header, "To"))
        if self.cc:
            msg["Cc"] = _Encoded(",\n ".join(str(a) for a in self.cc))
        if self.reply_address:
            msg["Reply-To"] = _Encoded(format_address(name, self.reply_address, "Reply-To"))
        msg["Date"] = formatdate(self.date, localtime=True)
        msg["Message-ID"] = self.msgId
        for key, value in (self.extra_headers or {}).items():
            msg[key] = value
        msg.policy = _POLICY
        return msg


def senders(organizer_ids: set[int]) -> dict[int, Sender]:
    """The sender of each organizer's emails, read in one query (their office and lead unit in one more)."""
    if not organizer_ids:
        return {}
    organizers = db.session.scalars(
        sa.select(Organizer).where(Organizer.id.in_(organizer_ids))
        .options(selectinload(Organizer.office_unit), selectinload(Organizer.lead_unit))
    ).all()
    return {o.id: Sender(name=o.name or "", reply_to=reply_address(o)) for o in organizers}


def build_message(row: OutboundEmail, sender: Sender | None = None) -> Message:
    """The Flask-Mail message of an outbox row, with the Message-ID derived from its key.

    ``sender`` is the organizer the email speaks for (its name in From, its address in Reply-To);
    without one (the system's own mail) Reply-To is ``MAIL_REPLY_TO`` when configured.
    """
    to_addr = _ascii_address(row.to_addr)
    if not to_addr:
        raise ValueError(f"not one plain address: {row.to_addr!r}")
    cc = [a for a in map(_ascii_address, split_emails(row.cc)) if a]
    msg = _Message(
        subject=row.subject,
        recipients=[to_addr],
        body=row.text_body,
        html=row.html_body or None,
        cc=cc,
        extra_headers={"Auto-Submitted": "auto-generated", "X-Heza-Kind": row.kind},
    )
    msg.speaks_for = sender
    msg.to_header = (row.to_name or "", to_addr)
    msg.reply_address = _ascii_address(sender.reply_to if sender is not None else system_address())
    msg.msgId = row.message_id or message_id_for(row.key)
    msg.parts = tuple(_Part(a.filename, a.content_type, a.data, imip_method(a.content_type))
                      for a in row.attachments)
    return msg


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
    """A claimed row with what sending it needs, read before the first commit expires the row."""

    row: OutboundEmail
    attempts: int
    message: Message | None
    error: str = ""


def _prepare(row: OutboundEmail, sender: Sender | None) -> _Outgoing:
    try:
        return _Outgoing(row, row.attempts, build_message(row, sender))
    except (BadHeaderError, ValueError) as exc:
        return _Outgoing(row, row.attempts, None, f"cannot build the message: {exc!r}")


def _send_batch(ids: list[int], now: datetime, counts: DeliveryCounts) -> bool:
    """Send the claimed rows over one connection; False if the connection failed."""
    rows = db.session.scalars(
        sa.select(OutboundEmail).where(OutboundEmail.id.in_(ids))
        .options(selectinload(OutboundEmail.attachments)).order_by(OutboundEmail.id)
    ).all()
    # Built up front: after each commit the rows are expired, and reading them would cost a query each.
    by_organizer = senders({row.organizer_id for row in rows if row.organizer_id is not None})
    batch = [_prepare(row, by_organizer.get(row.organizer_id) if row.organizer_id is not None else None)
             for row in rows]
    state = current_app.extensions["mail"]
    connection = TimedConnection(state, current_app.config.get("MAIL_TIMEOUT"), current_app.config.get("MAIL_CA_FILE"))
    try:
        connection.host = None if state.suppress else connection.configure_host()
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("SMTP connection failed: %s", exc)
        for item in batch:
            _retry(item, now, f"connection: {exc!r}", counts)
        db.session.commit()
        return False
    try:
        for i, item in enumerate(batch):
            try:
                _send_one(connection, item, now, counts)
            except _Stop:
                for rest in batch[i + 1:]:
                    _release(rest, now, counts)
                db.session.commit()
                return False
            db.session.commit()  # each message's fate is durable before the next is sent
    finally:
        connection.close()
    return True


def _send_one(connection: TimedConnection, item: _Outgoing, now: datetime, counts: DeliveryCounts) -> None:
    if item.message is None:
        _fail(item, item.error, counts)
        return
    try:
        if connection.host is None and not connection.mail.suppress:
            raise smtplib.SMTPServerDisconnected("connection closed")
        connection.send(item.message)
    except BadHeaderError as exc:
        _fail(item, f"bad header: {exc!r}", counts)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        text = "; ".join(f"{addr}: {code} {_text(msg)}" for addr, (code, msg) in exc.recipients.items())
        if codes and all(500 <= code < 600 for code in codes):
            _fail(item, text, counts)
        else:
            _retry(item, now, text, counts)
    except smtplib.SMTPResponseException as exc:  # sender refused, data refused, 421 closing
        text = f"{exc.smtp_code} {_text(exc.smtp_error)}"
        if 500 <= exc.smtp_code < 600:
            _fail(item, text, counts)
            return
        _retry(item, now, text, counts)
        if exc.smtp_code == 421 or connection.host is None or not _alive(connection):
            raise _Stop from exc
    except (smtplib.SMTPException, OSError) as exc:  # cut connection, timeout
        _retry(item, now, f"{exc!r}", counts)
        raise _Stop from exc
    else:
        _set(item, status=EmailStatus.SENT, attempts=item.attempts + 1, sent_dt=now_utc(), last_error="")
        counts.sent += 1


def _set(item: _Outgoing, **values: Any) -> None:
    # Assigned without reading the (expired) row, so no query before the UPDATE.
    for name, value in values.items():
        setattr(item.row, name, value)


def _alive(connection: TimedConnection) -> bool:
    sock = getattr(connection.host, "sock", None)
    return sock is not None


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _retry(item: _Outgoing, now: datetime, error: str, counts: DeliveryCounts) -> None:
    attempts = item.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        _set(item, status=EmailStatus.FAILED, attempts=attempts,
             last_error=f"gave up after {attempts} attempts: {error}"[:_ERROR_LENGTH])
        counts.failed += 1
        return
    _set(item, status=EmailStatus.PENDING, attempts=attempts, next_attempt_dt=now + retry_delay(attempts),
         last_error=error[:_ERROR_LENGTH])
    counts.retried += 1


def _fail(item: _Outgoing, error: str, counts: DeliveryCounts) -> None:
    _set(item, status=EmailStatus.FAILED, attempts=item.attempts + 1, last_error=error[:_ERROR_LENGTH])
    counts.failed += 1


def _release(item: _Outgoing, now: datetime, counts: DeliveryCounts) -> None:
    """Give an unattempted row back, due at once (it did not fail; the connection did)."""
    _set(item, status=EmailStatus.PENDING, next_attempt_dt=now)
    counts.released += 1


def pending_count() -> int:
    """How many emails wait to be sent (for the CLI and the admin)."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(OutboundEmail).where(OutboundEmail.status == EmailStatus.PENDING)
    ) or 0

