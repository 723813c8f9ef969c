"""The message as it goes on the wire: who it speaks for (From, Reply-To), headers that decode, the iMIP parts.

Each email speaks in the name of its organizer: the From header shows the organizer's name with the
configured sender's address (the relay accepts only that one), and Reply-To reaches a person there
(:mod:`heza.directory.contacts`). Names and addresses are typed by people, so they are made one line
and encoded (RFC 2047) before they reach a header. An attachment whose content type carries an iTIP
method is the invitation itself: the ``text/calendar`` alternative beside text and HTML (RFC 6047),
and again as an attachment. :mod:`heza.outbox.delivery` sends what this builds.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from email import policy as email_policy
from email.charset import BASE64, Charset
from email.encoders import encode_base64
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate, parseaddr

import sqlalchemy as sa
from flask import current_app
from flask_mail import Message
from sqlalchemy.orm import selectinload

from heza.conferences.ics import imip_content_type, imip_method
from heza.directory.contacts import plain_address, reply_address, system_address
from heza.directory.models import Organizer
from heza.extensions import db
from heza.outbox.models import OutboundEmail
from heza.outbox.outbox import message_id_for
from heza.validation import split_emails

_DISPLAY_NAME_LENGTH = 200
_LINE = 78  # RFC 5322's recommended line length
# Lines end in CRLF; headers are written as encoded here (see _Message).
_POLICY = email_policy.compat32.clone(linesep="\r\n")



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
