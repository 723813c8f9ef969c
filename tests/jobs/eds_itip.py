"""Evolution's calendar backend (evolution-data-server) receiving iTIP messages, headless.

Not a test: ``tests/jobs/test_imip.py`` runs it with Debian's ``/usr/bin/python3`` (which has the
GObject bindings) inside ``dbus-run-session``, so the calendar lives in a private session and
home. Each argument is an .ics file handed to the personal calendar as Evolution hands a received
invitation (``receive_objects``); after each, the calendar's events are printed as one JSON line.
"""

import json
import sys

import gi

gi.require_version("EDataServer", "1.2")
gi.require_version("ECal", "2.0")
gi.require_version("ICalGLib", "3.0")
from gi.repository import ECal, EDataServer, ICalGLib  # noqa: E402

registry = EDataServer.SourceRegistry.new_sync(None)
client = ECal.Client.connect_sync(registry.ref_builtin_calendar(), ECal.ClientSourceType.EVENTS, 1, None)
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        client.receive_objects_sync(ICalGLib.Component.new_from_string(f.read()), ECal.OperationFlags.NONE, None)
    _ok, events = client.get_object_list_sync("#t", None)
    rows = []
    for event in events:
        start = event.get_dtstart()
        attendee = event.get_first_property(ICalGLib.PropertyKind.ATTENDEE_PROPERTY)
        rows.append({"uid": event.get_uid(), "sequence": event.get_sequence(), "summary": event.get_summary(),
                     "location": event.get_location(), "start": start.as_ical_string(),
                     "tzid": start.get_timezone().get_location() if start.get_timezone() else "",
                     "attendee": attendee.get_attendee() if attendee else ""})
    print(json.dumps({"file": path, "events": rows}, ensure_ascii=False), flush=True)
