"""The calendar file sent with invitations and notices: one event per conference, updated in place.

The event's UID never changes for a conference; its SEQUENCE is the conference's ``sequence``,
raised by every change enterprises must hear about (:mod:`heza.conferences.operations`). So a
postponement re-sends the same UID with a higher SEQUENCE (calendars move the event) and a
cancellation sends ``METHOD:CANCEL`` (calendars remove it).

The ORGANIZER is the conference's organizer: its name (CN) and its own address, or the sender's
address when it has none (calendars offer to reply there).
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time, timedelta
from email.utils import parseaddr

from flask import current_app
from icalendar import Calendar, Event, vCalAddress, vText

from heza.base import LOCAL_ZONE, now_utc
from heza.conferences.models import Conference

PRODID = "-//HEZA//Hoi nghi doi thoai doanh nghiep//VI"
DEFAULT_DURATION = timedelta(hours=4)  # a morning session when no end time is entered
FILENAME = "hoi-nghi.ics"
CONTENT_TYPE = "text/calendar"


def event_uid(conference: Conference) -> str:
    """The event's UID, stable for the conference's whole life."""
    return f"heza-conference-{conference.id}@{_domain()}"


def _domain() -> str:
    sender = current_app.config.get("MAIL_DEFAULT_SENDER") or ""
    if isinstance(sender, tuple):
        sender = sender[1]
    return parseaddr(sender)[1].rpartition("@")[2] or "heza.local"


def _start(conference: Conference, day: date) -> datetime:
    return datetime.combine(day, conference.start_time or time(8, 0), tzinfo=LOCAL_ZONE)


def conference_calendar(conference: Conference, *, cancel: bool = False, day: date | None = None) -> Calendar:
    """The iCalendar object of ``conference``: a request, or with ``cancel`` a cancellation.

    ``day`` replaces the conference day (a cancellation of an event that stays on its old day).
    """
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
    cal.add("method", "CANCEL" if cancel else "REQUEST")

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
    organizer = _organizer(conference)
    if organizer is not None:
        event.add("organizer", organizer)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal


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
    """ORGANIZER: the conference organizer's name and address, the sender's address as fallback."""
    owner = conference.organizer
    address = (_plain_address(owner.email) if owner is not None else "") or _sender_address()
    if not address:
        return None
    organizer = vCalAddress(f"mailto:{address}")
    name = _common_name(owner.name) if owner is not None else ""
    if name:
        organizer.params["cn"] = vText(name)
    return organizer


def conference_ics(conference: Conference, *, cancel: bool = False, day: date | None = None) -> bytes:
    """The .ics file's bytes."""
    return conference_calendar(conference, cancel=cancel, day=day).to_ical()
