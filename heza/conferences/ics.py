"""The calendar sent with invitations and notices: one event per conference, updated in place.

The event's UID never changes for a conference; its SEQUENCE is the conference's ``sequence``,
raised by every change enterprises must hear about (:mod:`heza.conferences.operations`). So a
postponement re-sends the same UID with a higher SEQUENCE (calendars move the event) and a
cancellation sends ``METHOD:CANCEL`` (calendars remove it).

Emails carry it in the iMIP form (RFC 6047): a ``REQUEST`` or ``CANCEL`` names its recipient as
ATTENDEE (RFC 5546 requires one), so each email gets its own copy — :class:`Invite` serialises
the event once and adds one ATTENDEE line per recipient. The outbox stores that copy with the
content type :func:`imip_content_type` (``text/calendar; charset="utf-8"; method=REQUEST``); the
deliverer (:mod:`heza.outbox.delivery`) reads the method from it and sends the calendar both as
an alternative beside the text and HTML (what mail programs show as an invitation to accept) and
as an ``.ics`` attachment. A calendar nobody is asked to answer (the file downloaded from an
enterprise's page, an announcement-only mail) says ``METHOD:PUBLISH`` and has no ATTENDEE.

The ORGANIZER is the conference's organizer: its name (CN) and its contact address
(:func:`heza.directory.contacts.reply_address`), so a calendar's "accept" reaches a person there.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time, timedelta
from email.message import Message
from email.utils import parseaddr
from typing import TYPE_CHECKING

from flask import current_app

from heza.base import LOCAL_ZONE, now_utc
from heza.conferences.models import Conference

if TYPE_CHECKING:  # icalendar is imported where a calendar is built, not by every process that imports this
    from icalendar import Calendar, vCalAddress

PRODID = "-//HEZA//Hoi nghi doi thoai doanh nghiep//VI"
DEFAULT_DURATION = timedelta(hours=4)  # a morning session when no end time is entered
FILENAME = "hoi-nghi.ics"
CONTENT_TYPE = "text/calendar"

REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"
METHODS = (REQUEST, CANCEL, PUBLISH)
_END_EVENT = b"\r\nEND:VEVENT\r\n"


def imip_content_type(method: str) -> str:
    """The content type of a calendar sent as iMIP: UTF-8, with the method of its METHOD line."""
    if method not in METHODS:
        raise ValueError(f"unknown iTIP method {method!r}")
    return f'{CONTENT_TYPE}; charset="utf-8"; method={method}'


def imip_method(content_type: str) -> str | None:
    """The iTIP method of an attachment's content type, or None when it is not an iMIP calendar."""
    header = Message()
    header["Content-Type"] = content_type
    if header.get_content_type() != CONTENT_TYPE:
        return None
    method = str(header.get_param("method") or "").upper()
    return method if method in METHODS else None


def event_uid(conference: Conference) -> str:
    """The event's UID, stable for the conference's whole life."""
    return f"heza-conference-{conference.id}@{_domain()}"


def _domain() -> str:
    return _sender_address().rpartition("@")[2] or "heza.local"


def _start(conference: Conference, day: date) -> datetime:
    return datetime.combine(day, conference.start_time or time(8, 0), tzinfo=LOCAL_ZONE)


def conference_calendar(conference: Conference, *, cancel: bool = False, day: date | None = None,
                        method: str | None = None) -> Calendar:
    """The iCalendar object of ``conference``: a request, or with ``cancel`` a cancellation.

    ``day`` replaces the conference day (a cancellation of an event that stays on its old day).
    ``method`` overrides the METHOD (``PUBLISH`` for a calendar nobody answers); no ATTENDEE is
    added here (see :class:`Invite`).
    """
    from icalendar import Calendar, Event

    method = method or (CANCEL if cancel else REQUEST)
    if method not in METHODS:
        raise ValueError(f"unknown iTIP method {method!r}")
    day = day or conference.held_on
    start = _start(conference, day)
    if conference.end_time is not None and conference.end_time > (conference.start_time or time(8, 0)):
        end = datetime.combine(day, conference.end_time, tzinfo=LOCAL_ZONE)
    else:
        end = start + DEFAULT_DURATION

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)

    event = Event()
    event.add("uid", event_uid(conference))
    event.add("sequence", conference.sequence or 0)
    event.add("dtstamp", now_utc())
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", conference.title)
    if conference.place:
        event.add("location", conference.place)
    if conference.description:
        event.add("description", conference.description)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    if method != PUBLISH:
        event.add("transp", "OPAQUE")
    organizer = _organizer(conference)
    if organizer is not None:
        event.add("organizer", organizer)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal


class Invite:
    """One conference's calendar for many recipients: serialised once, an ATTENDEE line added for each.

    ``REQUEST`` and ``CANCEL`` name the recipient (RSVP=TRUE, PARTSTAT=NEEDS-ACTION on a request);
    ``PUBLISH`` has no attendee and is the same for everyone.
    """

    def __init__(self, conference: Conference, *, cancel: bool = False, day: date | None = None,
                 method: str | None = None) -> None:
        calendar = conference_calendar(conference, cancel=cancel, day=day, method=method)
        self.method = str(calendar["METHOD"])
        self.content_type = imip_content_type(self.method)
        self._ical = calendar.to_ical()
        # The one VEVENT ends before the VTIMEZONE that add_missing_timezones() appends, or after it.
        self._cut = self._ical.index(_END_EVENT) + 2

    def ics(self, address: str = "", name: str = "") -> bytes:
        """The calendar's bytes for the recipient ``address`` (its display ``name`` as CN)."""
        if self.method == PUBLISH:
            return self._ical
        line = attendee_line(address, name, rsvp=self.method == REQUEST)
        return self._ical[:self._cut] + line + self._ical[self._cut:]

    def attachment(self, address: str = "", name: str = "") -> tuple[str, str, bytes]:
        """``(filename, content type, data)`` of the recipient's copy, for the outbox."""
        return FILENAME, self.content_type, self.ics(address, name)


def attendee_line(address: str, name: str, *, rsvp: bool = True) -> bytes:
    """The folded ``ATTENDEE`` content line of one recipient (CN = the enterprise's or unit's name);
    empty when ``address`` is not one plain mailbox (delivery refuses such a row anyway)."""
    from icalendar import Event, vCalAddress, vText

    plain = _plain_address(address)
    if not plain:
        return b""
    attendee = vCalAddress(f"mailto:{plain}")
    cn = _common_name(name)
    if cn:
        attendee.params["cn"] = vText(cn)
    attendee.params["cutype"] = "INDIVIDUAL"
    attendee.params["role"] = "REQ-PARTICIPANT"
    if rsvp:
        attendee.params["partstat"] = "NEEDS-ACTION"
        attendee.params["rsvp"] = "TRUE"
    return Event().content_line("ATTENDEE", attendee).to_ical() + b"\r\n"


def _sender_address() -> str:
    sender = current_app.config.get("MAIL_DEFAULT_SENDER") or ""
    if isinstance(sender, tuple):
        sender = sender[1]
    return parseaddr(sender)[1]


def _plain_address(value: str | None) -> str:
    """``value`` if it is one bare mailbox, else "" (it goes into a URI)."""
    value = (value or "").strip()
    if not value or value.count("@") != 1 or parseaddr(value)[1] != value:
        return ""
    return value if not any(ch.isspace() or unicodedata.category(ch)[0] == "C" or ch in '<>",;:\\'
                            for ch in value) else ""


def _common_name(text: str) -> str:
    """A name fit for a CN parameter: one line, no double quote (which would end the quoted value)."""
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text or "")
    return " ".join(text.replace('"', "'").split())[:200]


def _organizer(conference: Conference) -> vCalAddress | None:
    """ORGANIZER: the conference organizer's name and contact address, the sender's address as fallback."""
    from icalendar import vCalAddress, vText

    from heza.directory.contacts import reply_address

    owner = conference.organizer
    address = _plain_address(reply_address(owner)) or _sender_address()
    if not address:
        return None
    organizer = vCalAddress(f"mailto:{address}")
    name = _common_name(owner.name) if owner is not None else ""
    if name:
        organizer.params["cn"] = vText(name)
    return organizer


def conference_ics(conference: Conference, *, cancel: bool = False, day: date | None = None,
                   method: str | None = None) -> bytes:
    """The .ics file's bytes, without attendee (``method=PUBLISH`` for a file to import)."""
    return conference_calendar(conference, cancel=cancel, day=day, method=method).to_ical()
