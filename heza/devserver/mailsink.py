"""The mail sink of ``heza dev`` and ``heza mailsink``: an aiosmtpd SMTP server on 127.0.0.1 that keeps every
message as an ``.eml`` file instead of delivering it, and the helpers that read those files back.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Callable
from datetime import datetime
from email import policy
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import click

from heza.base import LOCAL_ZONE

LOOPBACK = "127.0.0.1"
DEFAULT_SINK_PORT = 8025
SINK_DIRNAME = "mailsink"

class MailSinkHandler:
    """aiosmtpd handler: each message becomes ``<directory>/<timestamp>-<n>.eml``, announced in one line."""

    def __init__(self, directory: Path, echo: Callable[[str], None] | None = click.echo) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.echo = echo
        self._lock = threading.Lock()
        self._count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        path = self.store(envelope.mail_from or "", list(envelope.rcpt_tos), raw)
        if self.echo is not None:
            self.echo(describe(path))
        return "250 Message accepted for delivery"

    def store(self, mail_from: str, rcpt_tos: list[str], raw: bytes) -> Path:
        """Write one message with its envelope prepended; written to a temporary name, then renamed."""
        with self._lock:
            self._count += 1
            stamp = datetime.now(LOCAL_ZONE).strftime("%Y%m%d-%H%M%S-%f")
            name = f"{stamp}-{self._count:04d}.eml"
        # The envelope shows Bcc recipients, which no header names.
        envelope = f"X-Envelope-From: {mail_from}\r\nX-Envelope-To: {', '.join(rcpt_tos)}\r\n".encode()
        path = self.directory / name
        tmp = self.directory / f".{name}.tmp"
        tmp.write_bytes(envelope + raw)
        tmp.replace(path)
        return path


def read_message(path: Path) -> EmailMessage:
    """A stored message, parsed with the modern policy (``get_body``, ``iter_attachments``, decoded parts)."""
    with path.open("rb") as fh:
        return BytesParser(policy=policy.default).parse(fh)  # type: ignore[return-value]


def read_headers(path: Path) -> Message:
    """A stored message's headers as sent (still encoded); show them through :func:`header_text`."""
    with path.open("rb") as fh:
        return BytesParser(policy=policy.compat32).parse(fh, headersonly=True)


def header_text(raw: Any) -> str:
    """A header decoded as RFC 2047 says, so what shows is what a mail client would show.

    The modern parser (``policy.default``) adds a space between some adjacent encoded words
    ("Bắc  Bộ"), which would send a reader hunting a bug the message does not have; a message
    that is really broken (a space inside a word) shows broken.
    """
    if raw is None:
        return ""
    unfolded = re.sub(r"\r?\n(?=[ \t])", "", str(raw))
    try:
        return str(make_header(decode_header(unfolded)))
    except (HeaderParseError, LookupError, UnicodeDecodeError):
        return unfolded


def describe(path: Path) -> str:
    """The sink's one line per message: time, sender, recipients, decoded subject."""
    msg = read_headers(path)
    sender = header_text(msg.get("From") or msg.get("X-Envelope-From"))
    to = header_text(msg.get("X-Envelope-To") or msg.get("To"))
    return f"[thư] {datetime.now(LOCAL_ZONE):%H:%M:%S} {sender} → {to}: {header_text(msg.get('Subject'))}"


def start_mail_sink(directory: Path, port: int = DEFAULT_SINK_PORT, host: str = LOOPBACK,
                    echo: Callable[[str], None] | None = click.echo) -> Any:
    """Start an aiosmtpd server in a background thread; returns its (started) Controller."""
    from aiosmtpd.controller import Controller

    controller = Controller(MailSinkHandler(directory, echo), hostname=host, port=port, enable_SMTPUTF8=True)
    controller.start()
    return controller


def port_is_free(port: int, host: str = LOOPBACK) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = LOOPBACK) -> int:
    """A port the system considers free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]

