"""Imports every model so the metadata (Alembic, create_all, the admin) sees all tables."""

from heza.accounts.models import AuditEvent, Role, User
from heza.calendar.models import CalendarOverride
from heza.conferences.audiences import StandingInvitee
from heza.conferences.models import (
    AgendaItem,
    Announcement,
    Attendee,
    Conference,
    Invitation,
    Registration,
    Report,
    Task,
)
from heza.directory.models import Enterprise, Organizer, Unit, Zone
from heza.hotline.models import HotlineItem
from heza.imports.models import ImportUpload
from heza.jobruns.models import JobRun
from heza.newsletter.models import ArticleAssignment, NewsletterIssue
from heza.outbox.models import OutboundAttachment, OutboundEmail, OverdueAlert
from heza.outreach.models import DigitalPost, TopicProposal
from heza.plans.models import Plan
from heza.ratelimit.models import RateLimitHit
from heza.recommendations.models import Recommendation

__all__ = [
    "AgendaItem",
    "Announcement",
    "ArticleAssignment",
    "Attendee",
    "AuditEvent",
    "CalendarOverride",
    "Conference",
    "DigitalPost",
    "Enterprise",
    "HotlineItem",
    "ImportUpload",
    "Invitation",
    "JobRun",
    "NewsletterIssue",
    "Organizer",
    "OutboundAttachment",
    "OutboundEmail",
    "OverdueAlert",
    "Plan",
    "RateLimitHit",
    "Recommendation",
    "Registration",
    "StandingInvitee",
    "Report",
    "Role",
    "Task",
    "TopicProposal",
    "Unit",
    "User",
    "Zone",
]
