"""R2, R3: once the registration cutoff has closed, tell the organizer whether the quorum is met.

Only for organizers whose plan sets R3 (HEZA's does; the ward plan sets no quorum, so a ward is
never told to postpone for lack of one): :meth:`heza.rules.Settings.applies` decides.

On the first working day after the cutoff day (:func:`heza.rules.quorum_check_date`), the
registrations (not withdrawn) and recommendations received by the cutoff are counted. The
organizer's lead unit (and the organizer's own address) gets one email each: confirmation when
met; otherwise the counts, what is missing and what to do — draft the report to the City
People's Committee and the Department of Finance to postpone or cancel, whose Report row is
opened here with its due date (:func:`heza.rules.postpone_report_due`). Once per conference day.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from heza import rules
from heza.conferences import invitations, states
from heza.conferences.models import Conference, ReportKind
from heza.conferences.quorum import count as quorum_count
from heza.extensions import db
from heza.outbox import outbox
from heza.reports.records import ensure_report
from jobs._common import count, live_conferences, office_hours, organizer_recipients


def received_counts(conference: Conference) -> rules.Quorum:
    """R3 for the conference's day: registrations by the R2 cutoff, and their enterprises' recommendations."""
    return quorum_count(conference)


def reconcile(today: date) -> dict[str, int]:
    """Judge the quorum of every R3 conference whose check day has come, once per conference day."""
    counts: dict[str, int] = {}
    if not office_hours(today):
        return counts
    for conference in live_conferences(Conference.held_on > today):
        settings = conference.settings()
        if not settings.applies("R3") or today < rules.quorum_check_date(conference.held_on, settings).due:
            continue
        organizer = conference.organizer
        recipients = organizer_recipients(organizer, organizer.lead_unit)
        keys = {address: invitations.day_key("quorum", conference, outbox.address_ref(address))
                for address, _, _ in recipients}
        if not recipients or not set(keys.values()) - outbox.existing_keys(keys.values()):
            continue
        states.lock(conference)
        quorum = received_counts(conference)
        report = None
        if not quorum.met:
            report = ensure_report(conference, ReportKind.POSTPONE_CANCEL)
            if report.submitted_dt is None:
                report.due_on = rules.postpone_report_due(conference.held_on, settings).due
            db.session.flush()
        subject = (_l("Hội nghị %(title)s đủ điều kiện tổ chức", title=conference.title) if quorum.met else
                   _l("Cảnh báo: %(title)s chưa đủ điều kiện tổ chức", title=conference.title))
        context = {
            "conference": conference, "organizer": organizer, "quorum": quorum, "report": report,
            "cutoff": rules.registration_cutoff(conference.held_on, settings).due,
        }
        drafts = [
            outbox.Draft(key=keys[address], to=(name, address), subject=subject, template="quorum",
                         context=context, kind=outbox.QUORUM, language=language, conference_id=conference.id)
            for address, name, language in recipients
        ]
        sent = len(outbox.enqueue_many(drafts))
        db.session.commit()
        count(counts, "met" if quorum.met else "short")
        count(counts, "emails", sent)
    return counts
