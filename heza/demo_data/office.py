"""The demo's work outside conferences: recommendations sent directly (R5), HEZA's newsletters (R10) and
hotline log (R11), the wards' digital posts (R9) and topic proposals to HEZA's chair (R12).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from heza import deadlines, rules
from heza.conferences.models import Channel
from heza.demo_data import conference_kit as K
from heza.demo_data import conference_texts as C
from heza.demo_data import directory as D
from heza.demo_data import office_texts as T
from heza.demo_data.dates import at_local
from heza.hotline.models import LEGAL_KINDS, HotlineChannel, HotlineItem, HotlineKind, HotlineStatus, LegalStage
from heza.newsletter.models import ArticleAssignment, NewsletterIssue
from heza.outreach.models import Addressee, DigitalPost, PostChannel, TopicProposal

if TYPE_CHECKING:
    from heza.demo_data.context import Demo


def load_office(demo: Demo) -> None:
    direct_recommendations(demo)
    newsletters(demo)
    hotline(demo)
    outreach(demo)


def direct_recommendations(demo: Demo) -> None:
    """Recommendations sent to HEZA by email or on paper, answered within 7 working days of receipt (R5)."""
    ents = demo.zone_enterprises()
    for offset, row, ent, channel in ((-12, C.DIRECT_RECOMMENDATIONS[0], ents[20], Channel.EMAIL),
                                      (-2, C.DIRECT_RECOMMENDATIONS[1], ents[25], Channel.PAPER)):
        K.recommendation(demo, demo.organizers["heza"], ent, row, at_local(demo.wd(offset), 14, 10), channel, None)


def newsletters(demo: Demo) -> None:
    """Seed 003's issue 01.2023 as it happened, and this quarter's issue with late units (R10)."""
    heza, units, today = demo.organizers["heza"], demo.units, demo.today
    old = demo.add(NewsletterIssue(organizer=heza, number="01.2023", year=2023, quarter=1,
                                   deadline=date(2023, 3, 20), editor_unit=units["ttxt"],
                                   published_on=date(2023, 3, 31)))
    on_time_days = [date(2023, 3, d) for d in (13, 14, 15, 16, 17, 20)]
    for i, row in enumerate(T.ISSUE_01_2023):
        day = date(2023, 3, 22 + i % 2) if i in T.ISSUE_01_2023_LATE else on_time_days[i % len(on_time_days)]
        old.assignments.append(article(demo, i + 1, row, at_local(day, 10 + i % 6, 0)))

    quarter = (today.month - 1) // 3 + 1
    number = f"{quarter:02d}.{today.year}"
    if number == old.number:
        return
    deadline = demo.wd(-3)
    issue = demo.add(NewsletterIssue(organizer=heza, number=number, year=today.year, quarter=quarter,
                                     deadline=deadline, editor_unit=units["ttxt"]))
    for i, (row, state) in enumerate(T.current_issue_rows(quarter, today.year)):
        submitted = {"on_time": at_local(demo.wd(-1 - i % 2, deadline), 15, 0),
                     "late_submitted": at_local(demo.wd(2, deadline), 9, 30)}.get(state)
        issue.assignments.append(article(demo, i + 1, row, submitted))


def article(demo: Demo, position: int, row: T.ArticleRow, submitted_dt: datetime | None) -> ArticleAssignment:
    words = None
    if submitted_dt is not None:
        planned = rules.planned_words(row.pages) or 700
        words = int(planned * demo.rng.uniform(0.85, 1.1))
    return ArticleAssignment(position=position, section=row.section, topic=row.topic, unit=demo.units[row.unit],
                             article_count=row.count, pages=row.pages, submitted_dt=submitted_dt, word_count=words)


def hotline(demo: Demo) -> None:
    """The hotline log of seed 002 (fictional callers and duty officers), due by R11."""
    heza = demo.organizers["heza"]
    s = heza.settings()
    for i, row in enumerate(T.HOTLINE):
        received_on = demo.wd(row.received)
        received_dt = at_local(received_on, 8 + i % 8, (11 * i) % 60)
        deadline = rules.hotline_response_due(received_dt, row.kind, s)
        channel = HotlineChannel(row.channel)
        officer = D.DUTY_OFFICERS[i % 2] if channel in (HotlineChannel.HOTLINE, HotlineChannel.IN_PERSON) \
            else "Văn phòng (quản trị trang, hộp thư)"
        item = HotlineItem(
            organizer=heza, channel=channel, kind=HotlineKind(row.kind), person_name=row.person,
            contact=row.contact, content=row.content, received_dt=received_dt, duty_officer=officer,
            assigned_unit=demo.units[row.unit] if row.unit else None, status=HotlineStatus(row.status),
            due_on=deadline.due, due_basis=deadline.explain()[:500],
        )
        if row.response:
            item.response = row.response
            item.responded_dt = at_local(demo.wd(2, received_on), 16, 0)
        if item.kind in LEGAL_KINDS:
            _legal_stage(demo, item, received_on)
        demo.add(item)


# Complaints and denunciations at different legal stages (issue 15): the complaint still in progress
# waits for acceptance past its 10 days (overdue), the denunciation is accepted, the answered
# complaint resolved.
_DEMO_STAGE = {"received": LegalStage.RECEIVED, "in_progress": LegalStage.RECEIVED, "assigned": LegalStage.ACCEPTED,
               "answered": LegalStage.RESOLVED, "closed": LegalStage.RESOLVED}


def _legal_stage(demo: Demo, item: HotlineItem, received_on: date) -> None:
    stage = _DEMO_STAGE[item.status.value]
    item.legal_stage = stage
    if stage != LegalStage.RECEIVED:
        item.accepted_on = demo.wd(1, received_on)
    if stage == LegalStage.RESOLVED:
        item.decision_on = demo.wd(2, received_on)
        item.status = HotlineStatus.CLOSED
    deadline = deadlines.legal_deadline(item)
    if deadline is None:  # resolved: judged by its resolution period
        deadline = rules.complaint_resolution_due(item.accepted_on) if item.kind == HotlineKind.COMPLAINT \
            else rules.denunciation_resolution_due(item.accepted_on)
    item.due_on, item.due_basis = deadline.due, deadline.explain()[:500]


def _month_start(today: date, back: int) -> date:
    year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
    return date(year, month + 1, 1)


def outreach(demo: Demo) -> None:
    """The wards' digital posts (R9) and the topic proposals to HEZA's chair (R12)."""
    today = demo.today
    # Phù Liễn: six months, one finished month without any post (R9 not met).
    ttdv = demo.units["ttdv"]
    titles = iter(T.POST_TITLES * 3)
    for back in range(6):
        if back == 2:
            continue
        month = _month_start(today, back)
        for n, day in enumerate((5, 18)[: 1 + back % 2]):
            posted_on = month.replace(day=day)
            if posted_on > today:
                continue
            channel, title = next(titles)
            url = "" if channel == "radio" else \
                f"https://phulien.{D.DEMO_DOMAIN}/tin-tuc/{month.year}-{month.month:02d}-{n + 1}"
            demo.add(DigitalPost(organizer=demo.organizers["phu-lien"], unit=ttdv, channel=PostChannel(channel),
                                 title=title, url=url, posted_on=posted_on))
    # Hải Triều: one post on the 10th of each of the last four months.
    for back, (channel, title) in enumerate(T.HAI_TRIEU_POST_TITLES):
        posted_on = _month_start(today, back).replace(day=10)
        if posted_on <= today:
            demo.add(DigitalPost(organizer=demo.organizers["hai-trieu"], unit=demo.units["ht.ttdv"],
                                 channel=PostChannel(channel), title=title, posted_on=posted_on,
                                 url=f"https://haitrieu.{D.DEMO_DOMAIN}/tin-tuc/{posted_on:%Y-%m}"))

    start = min(date(today.year, 1, 2), today)
    span = max((today - start).days, 0)
    heza_settings = demo.organizers["heza"].settings()
    for i, (who, addressee, topic, text) in enumerate(T.TOPIC_PROPOSALS):
        received_on = start + timedelta(days=span * (2 * i + 1) // (2 * len(T.TOPIC_PROPOSALS)))
        proposal = TopicProposal(organizer=demo.organizers["heza"],
                                 year=rules.dialogue_plan_year(received_on, heza_settings),
                                 addressee=Addressee(addressee), topic=topic, content=text,
                                 received_dt=at_local(received_on, 10, 0))
        kind, key = who.split(":", 1)
        if kind == "ent":
            ent = demo.enterprises[key]
            proposal.enterprise, proposal.proposer_name, proposal.tax_code = ent, ent.name, ent.tax_code
            proposal.email, proposal.phone = ent.email, ent.phone
            proposal.confirmed_dt = at_local(received_on, 11, 0)
        else:
            unit = demo.units[key]
            proposal.unit, proposal.proposer_name, proposal.email = unit, unit.name, unit.email_list[0]
        demo.add(proposal)
