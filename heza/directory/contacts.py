"""Where an answer to the system's emails goes: a person at the organizer, never the relay's no-reply.

Every email carries a Reply-To (:mod:`heza.outbox.delivery`), the calendar's ORGANIZER names the
same address (:mod:`heza.conferences.ics`) and the footer of each email says where answers go. The
address is the organizer's contact email (the organizer screen); for an organizer without one,
the first address of its office, then of its lead unit; for the system's own mail (accounts) and
as the last fallback, ``MAIL_REPLY_TO`` (``HEZA_MAIL_REPLY_TO``). Only one plain mailbox is ever
returned: the values are typed by people and end up in headers and URIs.
"""

from __future__ import annotations

import unicodedata
from email.utils import parseaddr
from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    from heza.directory.models import Organizer


def plain_address(address: str | None) -> str:
    """``address`` if it is one plain mailbox (what the forms store), else ""."""
    address = (address or "").strip()
    if not address or any(unicodedata.category(ch)[0] == "C" or ch.isspace() or ch in ',;<>"()[]\\:'
                          for ch in address):
        return ""
    parsed = parseaddr(address)[1]
    return address if parsed == address and address.count("@") == 1 else ""


def organizer_address(organizer: Organizer | None) -> str:
    """The organizer's own contact address: its email, else its office's, else its lead unit's, else ""."""
    if not organizer:  # None, or undefined in a template rendered without one
        return ""
    candidates = [organizer.email]
    for unit in (organizer.office_unit, organizer.lead_unit):
        if unit is not None and unit.active:
            candidates += unit.email_list
    return next((a for a in map(plain_address, candidates) if a), "")


def system_address() -> str:
    """``MAIL_REPLY_TO``: whom to answer about the system's own mail (and any organizer without an address)."""
    return plain_address(current_app.config.get("MAIL_REPLY_TO"))


def reply_address(organizer: Organizer | None) -> str:
    """The address answers to an email speaking for ``organizer`` go to; "" when none is known."""
    return organizer_address(organizer) or system_address()
