"""Fixtures of the admin: an app with the admin and login wired, users of every role, a world of records.

The app is package-scoped and overrides the session's one, so the admin and the ``auth`` blueprint can
be registered before any request even while ``create_app`` does not register them yet; ``db`` and
``client`` from ``tests/conftest.py`` then use it. Logging in goes through the real login form with
its CSRF token (``login_as``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from heza.accounts.models import Role, User
from heza.extensions import db as _db
from tests import factories as f
from tests.support import (  # noqa: F401  (make_app: hostile suite)
    compile_catalogs,
    default_organizer,
    make_app,
    migrated_app,
    staff_organizer,
)

PASSWORD = "mat-khau-thu-nghiem"
CSRF_RE = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


compile_admin_catalogs = compile_catalogs  # the hostile-input suite builds its app with it



@pytest.fixture(scope="package")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from migrated_app(tmp_path_factory, "heza-admin")


# --------------------------------------------------------------------------- users and login


def make_user(role: Role, unit: Any = None, email: str | None = None, **kw: Any) -> User:
    """A committed, active user with :data:`PASSWORD`."""
    if role == Role.UNIT and unit is None:
        unit = f.unit(default_organizer())
    kw["organizer"] = staff_organizer(role, unit, kw.get("organizer"))
    n = f._n()
    user = User(email=email or f"{role.value}{n}@heza.gov.vn", name=kw.pop("name", f"Cán bộ {role.value} {n}"),
                role=role, unit=unit if role == Role.UNIT else None, **kw)
    user.set_password(PASSWORD)
    _db.session.add(user)
    _db.session.commit()
    return user


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def login(client: FlaskClient, email: str, password: str = PASSWORD, **kw: Any) -> Any:
    """Post the real login form (with the token it carries); returns the response."""
    page = client.get("/login")
    if page.status_code == 302:  # someone is logged in on this client: start a fresh session
        with client.session_transaction() as session:
            session.clear()
        page = client.get("/login")
    token = csrf_from(page.get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token, **kw})


@pytest.fixture()
def login_as(client: FlaskClient, db: Any) -> Callable[..., User]:
    """``login_as(Role.OFFICER)`` (or ``login_as("unit", unit=u)``): create a user and log in."""

    def go(role: Role | str, unit: Any = None, **kw: Any) -> User:
        user = make_user(Role(role), unit=unit, **kw)
        response = login(client, user.email)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return go


@pytest.fixture()
def csrf(client: FlaskClient) -> Callable[[str], str]:
    """A valid CSRF token of the logged-in session, read from an admin page."""

    def get(url: str = "/admin/") -> str:
        return csrf_from(client.get(url).get_data(as_text=True))

    return get


# --------------------------------------------------------------------------- a world of records


@dataclass
class World:
    """One row of every model the admin shows, with two units A and B for scoping."""

    organizer: Any
    unit_a: Any
    unit_b: Any
    zone: Any
    enterprise: Any
    conference: Any
    agenda_item: Any
    task_a: Any
    task_b: Any
    invitation: Any
    registration: Any
    announcement: Any
    report: Any
    hotline_a: Any
    hotline_b: Any
    issue: Any
    article_a: Any
    article_b: Any
    post: Any
    proposal: Any
    plan: Any
    standing: Any

    def ids(self) -> dict[str, int]:
        return {name: getattr(self, name).id for name in self.__dataclass_fields__}


@pytest.fixture()
def world(db: Any) -> World:
    return build_world(default_organizer())


def build_world(org: Any, tag: str = "") -> World:
    """One row of every model for ``org``; ``tag`` keeps names unique when several worlds share a database."""
    from decimal import Decimal

    from heza.conferences.models import (
        AgendaItem,
        Announcement,
        AnnouncementKind,
        Attendee,
        Channel,
        Invitation,
        Registration,
        Report,
        ReportKind,
        Task,
    )
    from heza.hotline.models import HotlineChannel, HotlineItem, HotlineKind
    from heza.newsletter.models import ArticleAssignment, NewsletterIssue
    from heza.outreach.models import Addressee, DigitalPost, PostChannel, TopicProposal
    from heza.plans.models import Plan

    unit_a = f.unit(org, name="Phòng Doanh nghiệp A", short_name="PA")
    unit_b = f.unit(org, name="Phòng Quy hoạch B", short_name="PB")
    zone = f.zone(name=f"KCN Đình Vũ{tag}", code=f"DV{tag.strip()}")
    ent = f.enterprise(zone, name="Công ty TNHH Thép Đình Vũ")
    conf = f.conference(org, held_on=date(2026, 3, 17), title=f"Hội nghị đối thoại quý I{tag}")
    agenda = AgendaItem(conference=conf, position=1, content="Khai mạc", units=[unit_a])
    task_a = Task(conference=conf, unit=unit_a, description="Chuẩn bị báo cáo của phòng A")
    task_b = Task(conference=conf, unit=unit_b, description="Chuẩn bị báo cáo của phòng B")
    invitation = Invitation(conference=conf, enterprise=ent)
    registration = Registration(conference=conf, enterprise=ent, channel=Channel.EMAIL,
                                received_dt=f.at_local(date(2026, 3, 2)),
                                attendees=[Attendee(name="Nguyễn Văn An", position="Giám đốc")])
    announcement = Announcement(conference=conf, kind=AnnouncementKind.INVITATION_NOTICE, title="Thông báo hội nghị")
    report = Report(organizer=org, conference=conf, kind=ReportKind.RESULT, title="Báo cáo kết quả")
    hotline_a = HotlineItem(organizer=org, channel=HotlineChannel.HOTLINE, kind=HotlineKind.FEEDBACK,
                            content="Phản ánh về đường vào KCN", assigned_unit=unit_a,
                            received_dt=f.at_local(date(2026, 3, 3)))
    hotline_b = HotlineItem(organizer=org, channel=HotlineChannel.EMAIL, kind=HotlineKind.COMPLAINT,
                            content="Khiếu nại về thủ tục", assigned_unit=unit_b,
                            received_dt=f.at_local(date(2026, 3, 4)))
    issue = NewsletterIssue(organizer=org, number="01.2026", year=2026, quarter=1, deadline=date(2026, 3, 20))
    article_a = ArticleAssignment(issue=issue, position=1, topic="Tin về KCN A", unit=unit_a, pages=Decimal("1.5"))
    article_b = ArticleAssignment(issue=issue, position=2, topic="Tin về KCN B", unit=unit_b, pages=Decimal("2"))
    post = DigitalPost(organizer=org, channel=PostChannel.PORTAL, title="Tin doanh nghiệp",
                       url="https://heza.example.vn/tin", posted_on=date(2026, 3, 5))
    proposal = TopicProposal(organizer=org, year=2027, addressee=Addressee.HEZA_HEAD,
                             proposer_name="Công ty TNHH Thép Đình Vũ", topic="Hạ tầng giao thông",
                             content="Đề xuất đối thoại về hạ tầng")
    plan = Plan(organizer=org, number="01/KH-BQL", issued_on=date(2026, 1, 5), year=2026,
                title="Kế hoạch tổ chức Hội nghị đối thoại doanh nghiệp năm 2026", rules="R1,R2,R3,R5,R6,R7")
    from heza.conferences.audiences import StandingInvitee

    standing = StandingInvitee(organizer=org, unit=unit_a)
    _db.session.add_all([agenda, task_a, task_b, invitation, registration, announcement, report, hotline_a,
                         hotline_b, issue, article_a, article_b, post, proposal, plan, standing])
    _db.session.commit()
    return World(org, unit_a, unit_b, zone, ent, conf, agenda, task_a, task_b, invitation, registration,
                 announcement, report, hotline_a, hotline_b, issue, article_a, article_b, post, proposal, plan,
                 standing)
