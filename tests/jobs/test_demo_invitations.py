"""Issue 16's acceptance as a new user meets it: ``make run`` loads the demo, the next working day's jobs
run, and the first invitation that reaches the SMTP sink is one a mail and calendar program reads as an
invitation (a UTF-8 ``text/calendar`` part with ``method=REQUEST``, the recipient as its one ATTENDEE,
a Reply-To to a person at the organizer)."""

from __future__ import annotations

from datetime import date
from email.utils import getaddresses

import pytest
import vobject

from heza import workdays
from heza.outbox import delivery

LOAD_DAY = date(2026, 12, 2)  # a Wednesday


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch):
    """The demo hashes a dozen fresh passwords; this test need not pay argon2's full cost for each."""
    from argon2 import PasswordHasher

    import heza.accounts.models

    monkeypatch.setattr(heza.accounts.models, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def test_the_demo_then_the_next_working_days_jobs_send_invitations_calendars_accept(runner, smtp):
    loaded = runner.invoke(args=["heza", "demo", "--today", LOAD_DAY.isoformat()])
    assert loaded.exit_code == 0, loaded.output
    next_day = workdays.add_working_days(LOAD_DAY, 1)
    ran = runner.invoke(args=["heza", "jobs", "run", "all", "--today", next_day.isoformat()])
    assert ran.exit_code == 0, ran.output
    delivery.deliver()

    invitations = [m for m in smtp.messages if m.kind == "invitation"]
    assert invitations, [m.kind for m in smtp.messages]
    first = invitations[0]
    calendars = [p for p in first.message.walk() if p.get_content_type() == "text/calendar"]
    assert len(calendars) == 1
    (calendar,) = calendars
    assert calendar.get_param("charset") == "utf-8" and calendar.get_param("method") == "REQUEST"
    parsed = vobject.readOne(calendar.get_payload(decode=True).decode("utf-8"))
    assert parsed.method.value == "REQUEST"
    (event,) = parsed.vevent_list
    attendees = [a.value.lower().removeprefix("mailto:") for a in event.attendee_list]
    assert attendees == [first.to.lower()]
    reply_to = getaddresses([str(first.message["Reply-To"] or "")])
    assert reply_to and "@" in reply_to[0][1] and not reply_to[0][1].startswith("no-reply")
    organizer = event.organizer.value.lower().removeprefix("mailto:")
    assert organizer == reply_to[0][1].lower()  # a calendar's "accept" reaches the same person
