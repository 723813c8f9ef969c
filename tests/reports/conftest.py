"""Data for the document tests: a held conference, a month of hotline items, a newsletter issue.

Every fixture commits real rows (the ``db`` fixture empties the tables afterwards) and returns
the numbers a correct document must show, so tests compare the file read back against them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from docx import Document as open_docx
from flask import Flask
from flask_login import LoginManager
from openpyxl import load_workbook

from heza import create_app
from heza.accounts.models import Role, User
from heza.conferences.models import Attendee, ConferenceStatus, Invitation, Registration
from heza.directory.models import Organizer, OrganizerKind, Unit, UnitKind
from heza.extensions import db as _db
from heza.hotline.models import HotlineChannel, HotlineItem, HotlineKind, HotlineStatus, LegalStage
from heza.newsletter.models import ArticleAssignment, NewsletterIssue
from heza.plans.models import Plan
from heza.recommendations.models import AnswerMethod, Field, RecommendationStatus
from tests import factories as f
from tests.support import staff_organizer

HELD_ON = date(2026, 3, 3)  # Tuesday; the R2 cutoff is the end of Tuesday 24/02/2026
IN_TIME = date(2026, 2, 10)
LATE = date(2026, 3, 2)
AS_OF = date(2026, 3, 20)  # after the 7-working-day due date (12/03), before the 14-day one (23/03)

HOSTILE = "Đề nghị <b>giảm</b> phí & lệ phí \x0bdòng mới\x01\x1f ]]> \"trích dẫn\" 'nháy' \ufffe"
HOSTILE_CLEAN = "Đề nghị <b>giảm</b> phí & lệ phí \ndòng mới ]]> \"trích dẫn\" 'nháy' "
FORMULA = '=HYPERLINK("http://evil.example","bấm vào đây")'


def docx_text(path_or_stream: Any) -> str:
    """Every paragraph and table cell of a .docx, in order, one per line."""
    doc = open_docx(path_or_stream)
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def find_table(doc: Any, *header_start: str) -> Any:
    """The table whose header row begins with ``header_start``."""
    for table in doc.tables:
        cells = [c.text for c in table.rows[0].cells]
        if cells[: len(header_start)] == list(header_start):
            return table
    raise AssertionError(f"no table starting with {header_start}")


def table_rows(table: Any) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def sheet_rows(ws: Any) -> list[list[Any]]:
    return list(ws.iter_rows(values_only=True))


def rows_after_header(ws: Any, first_header: str) -> tuple[list[Any], list[list[Any]]]:
    """The header row starting with ``first_header`` and the rows under it up to the first blank row."""
    rows = sheet_rows(ws)
    for i, row in enumerate(rows):
        if row and row[0] == first_header:
            body = []
            for r in rows[i + 1:]:
                if all(v is None for v in r):
                    break
                body.append(r)
            return row, body
    raise AssertionError(f"no header {first_header!r} in {ws.title}")


def open_xlsx(path_or_stream: Any) -> Any:
    return load_workbook(path_or_stream)


# The identities as the seeds write them (001: HEZA's plan; 004: the Phù Liễn ward plan).
HEZA_IDENTITY: dict[str, Any] = {
    "parent_body": "UBND thành phố Hải Phòng", "header_name": "Ban Quản lý Khu kinh tế Hải Phòng",
    "place_name": "Hải Phòng", "document_symbol": "BQL", "signer_authority": "KT. TRƯỞNG BAN",
    "signer_title": "PHÓ TRƯỞNG BAN", "signer_name": "Bùi Ngọc Hải",
}
WARD_IDENTITY: dict[str, Any] = {
    # A People's Committee writes only its own name (no parent body), as the demo data does.
    "parent_body": "", "header_name": "Ủy ban nhân dân phường Phù Liễn", "place_name": "Phù Liễn",
    "document_symbol": "UBND", "signer_authority": "TM. ỦY BAN NHÂN DÂN", "signer_title": "CHỦ TỊCH",
    "signer_name": "Phạm Văn Diện", "address": "Số 9/157 đường Nguyễn Lương Bằng, phường Phù Liễn",
}
WARD_PLAN_TITLE = ("Kế hoạch tổ chức Hội nghị đối thoại với doanh nghiệp, hợp tác xã, hộ kinh doanh "
                   "phường Phù Liễn năm 2026")
HEZA_PLAN_TITLE = "Kế hoạch tổ chức Hội nghị đối thoại doanh nghiệp của Ban Quản lý Khu kinh tế Hải Phòng năm 2025"


def heza_organizer() -> Organizer:
    existing = _db.session.scalar(sa.select(Organizer).where(Organizer.short_name == "BQL KKT"))
    if existing is not None:  # several fixtures in one test share it
        return existing
    org = f.organizer(name="Ban Quản lý Khu kinh tế Hải Phòng", short_name="BQL KKT", kind=OrganizerKind.AUTHORITY,
                      **HEZA_IDENTITY)
    lead = f.unit(org, name="Phòng Doanh nghiệp và Giám sát đầu tư", short_name="DN&GSĐT")
    office = f.unit(org, name="Văn phòng", short_name="VP")
    org.lead_unit, org.office_unit = lead, office
    _db.session.flush()
    return org


def ward_organizer() -> Organizer:
    """A ward like Phù Liễn with its own identity, units, leadership and plan (R4, R8, R9; seed 004)."""
    existing = _db.session.scalar(sa.select(Organizer).where(Organizer.short_name == "Phù Liễn"))
    if existing is not None:
        return existing
    org = f.organizer(name="Phường Phù Liễn", short_name="Phù Liễn", kind=OrganizerKind.WARD, **WARD_IDENTITY)
    lead = f.unit(org, name="Phòng Kinh tế, Hạ tầng và Đô thị", short_name="KTHT&ĐT", kind=UnitKind.WARD_UNIT)
    office = f.unit(org, name="Văn phòng HĐND-UBND", short_name="VP HĐND-UBND", kind=UnitKind.WARD_UNIT)
    f.unit(org, name="Lãnh đạo UBND phường", short_name="Lãnh đạo phường", kind=UnitKind.LEADER)
    org.lead_unit, org.office_unit = lead, office
    _db.session.add(Plan(organizer=org, number="", title=WARD_PLAN_TITLE, year=2026, rules="R4,R8,R9"))
    _db.session.flush()
    _db.session.expire(org, ["plans", "units"])
    return org


def unit_named(org: Organizer, name: str, **kw: Any) -> Unit:
    """The organizer's unit of that name, created if the test has none yet."""
    existing = _db.session.scalar(sa.select(Unit).where(Unit.organizer_id == org.id, Unit.name == name))
    return existing if existing is not None else f.unit(org, name=name, **kw)


@dataclass
class HeldConference:
    conference: Any
    recs: dict[str, Any]
    units: dict[str, Unit]


@pytest.fixture()
def held(db: Any) -> HeldConference:
    """A held conference: 3 agencies and 4 enterprises invited, 4 registrations (3 in time), 6 recommendations.

    Recommendations (field, received, outcome):
      land1  LAND         in time  answered at the conference
      land2  LAND         in time  answered in writing 10/03 (due 12/03: on time)
      env1   ENVIRONMENT  in time  answered in writing 16/03 (late)
      env2   ENVIRONMENT  late     open, due 12/03: overdue on 20/03
      lab1   LABOUR       late (at the conference), needs coordination, open, due 23/03: not overdue
      tax1   TAX          in time  withdrawn
    """
    org = heza_organizer()
    conf = f.conference(org, held_on=HELD_ON, title="Hội nghị đối thoại doanh nghiệp năm 2026",
                        place="Trụ sở Ban Quản lý, số 5 Đinh Tiên Hoàng", chair="Ông Bùi Ngọc Hải, Phó Trưởng ban",
                        status=ConferenceStatus.HELD,
                        conclusions="Giao các phòng chuyên môn trả lời đúng hạn.\nKết luận về đất đai: " + HOSTILE)
    agencies = [f.unit(None, name=n, kind=UnitKind.CITY_AGENCY) for n in
                ("Sở Tài chính", "Cục Thuế thành phố", "Sở Nông nghiệp và Môi trường")]
    for a in agencies:
        _db.session.add(Invitation(conference=conf, unit=a))
    enterprises = [f.enterprise(name=f"Công ty TNHH Đông Á số {i}") for i in range(1, 6)]
    for e in enterprises[:4]:
        _db.session.add(Invitation(conference=conf, enterprise=e))
    regs = [
        Registration(conference=conf, enterprise=enterprises[0], received_dt=f.at_local(IN_TIME), channel="link"),
        Registration(conference=conf, enterprise=enterprises[1], received_dt=f.at_local(IN_TIME), channel="email"),
        Registration(conference=conf, enterprise=enterprises[2], received_dt=f.at_local(date(2026, 2, 24), 23, 0),
                     channel="phone"),
        Registration(conference=conf, enterprise=enterprises[3], received_dt=f.at_local(LATE), channel="email"),
        Registration(conference=conf, enterprise=enterprises[4], received_dt=f.at_local(IN_TIME), channel="email",
                     withdrawn_dt=f.at_local(date(2026, 2, 20))),
    ]
    _db.session.add_all(regs)
    regs[0].attendees = [Attendee(name="Nguyễn Văn Ánh"), Attendee(name="Trần Thị Bích")]
    regs[1].attendees = [Attendee(name="Lê Đức Thọ")]
    land_unit = unit_named(org, "Phòng Quản lý Quy hoạch và Xây dựng", short_name="QH&XD")
    env_unit = f.unit(org, name="Phòng Tài nguyên và Môi trường", short_name="TN&MT")

    def rec(key: str, field: Field, received: date, **kw: Any) -> Any:
        return f.recommendation(conf, enterprise=enterprises[len(recs) % 4], field=field,
                                received_dt=f.at_local(received), content=kw.pop("content", f"Kiến nghị {key}"),
                                **kw)

    recs: dict[str, Any] = {}
    recs["land1"] = rec("land1", Field.LAND, IN_TIME, responsible_unit=land_unit)
    recs["land2"] = rec("land2", Field.LAND, IN_TIME, responsible_unit=land_unit, content=HOSTILE)
    recs["env1"] = rec("env1", Field.ENVIRONMENT, IN_TIME, responsible_unit=env_unit, content=FORMULA)
    recs["env2"] = rec("env2", Field.ENVIRONMENT, LATE, responsible_unit=env_unit)
    recs["lab1"] = rec("lab1", Field.LABOUR, HELD_ON, needs_coordination=True, channel="at_conference")
    recs["tax1"] = rec("tax1", Field.TAX, IN_TIME)
    _db.session.commit()
    # Answer after the due dates were stamped (they are stamped while an item is open).
    answers = {
        "land1": (AnswerMethod.AT_CONFERENCE, HELD_ON),
        "land2": (AnswerMethod.IN_WRITING, date(2026, 3, 10)),
        "env1": (AnswerMethod.IN_WRITING, date(2026, 3, 16)),
    }
    for key, (method, day) in answers.items():
        r = recs[key]
        r.status, r.answer_method, r.answered_dt = RecommendationStatus.ANSWERED, method, f.at_local(day, 15)
        r.answer = f"Trả lời {key}: đã hướng dẫn doanh nghiệp."
    recs["tax1"].status = RecommendationStatus.WITHDRAWN
    _db.session.commit()
    assert recs["env2"].due_on == date(2026, 3, 12) and recs["lab1"].due_on == date(2026, 3, 23)
    return HeldConference(conf, recs, {"land": land_unit, "env": env_unit})


@pytest.fixture()
def ward_held(db: Any) -> HeldConference:
    """A held conference of the Phù Liễn-like ward: 2 registrations, 2 recommendations (1 answered), 1 hotline item."""
    org = ward_organizer()
    conf = f.conference(org, held_on=date(2026, 5, 20), title="Hội nghị đối thoại doanh nghiệp phường lần 1 năm 2026",
                        place="Hội trường Đảng ủy phường", chair="Chủ tịch UBND phường",
                        status=ConferenceStatus.HELD, conclusions="Giao phòng chuyên môn trả lời đúng hạn.")
    households = [f.enterprise(name=f"Hộ kinh doanh Phù Liễn {i}", ward=org, zone=None) for i in (1, 2)]
    for e in households:
        _db.session.add(Registration(conference=conf, enterprise=e, received_dt=f.at_local(date(2026, 5, 4)),
                                     channel="link"))
    land = f.recommendation(conf, enterprise=households[0], field=Field.LAND, responsible_unit=org.lead_unit,
                            received_dt=f.at_local(date(2026, 5, 4)), content="Đề nghị hướng dẫn cấp phép")
    f.recommendation(conf, enterprise=households[1], field=Field.TAX, received_dt=f.at_local(date(2026, 5, 5)))
    hotline_item(org, f.at_local(date(2026, 5, 6)), HotlineChannel.HOTLINE, HotlineKind.FEEDBACK, org.lead_unit)
    _db.session.commit()
    land.status, land.answer_method = RecommendationStatus.ANSWERED, AnswerMethod.AT_CONFERENCE
    land.answered_dt, land.answer = f.at_local(date(2026, 5, 20), 10), "Đã hướng dẫn tại Hội nghị."
    _db.session.commit()
    return HeldConference(conf, {"land": land}, {"lead": org.lead_unit})


# Hotline -------------------------------------------------------------------------------------------


def hotline_item(org: Organizer, received: Any, channel: HotlineChannel, kind: HotlineKind,
                 unit: Unit | None = None, responded: Any = None, **kw: Any) -> HotlineItem:
    status = kw.pop("status", None)
    item = HotlineItem(organizer=org, channel=channel, kind=kind, received_dt=received, assigned_unit=unit,
                       content=kw.pop("content", "Phản ánh về tiếng ồn"), person_name=kw.pop("person_name", "Bà Đào"),
                       **kw)
    _db.session.add(item)
    _db.session.flush()  # the due date is stamped while the item is open
    if responded is not None:
        item.status, item.responded_dt = status or HotlineStatus.ANSWERED, responded
        item.response = "Đã phản hồi qua điện thoại."
    elif status is not None:
        item.status = status
    return item


@dataclass
class HotlineMonth:
    organizer: Organizer
    unit_a: Unit
    unit_b: Unit
    items: dict[str, HotlineItem]


@pytest.fixture()
def hotline_may(db: Any) -> HotlineMonth:
    """Five items received in May 2026 (and two just outside it), judged on 10/06/2026.

      fb1    hotline/feedback        04/05  unit A  answered 08/05 (on time)
      rec1   facebook/recommendation 05/05  unit A  answered 20/05 (late)
      cmp1   in person/complaint     12/05  unit B  open (overdue by 10/06)
      den1   email/denunciation      28/05  none    accepted, open (not yet due on 10/06)
      late_night hotline/feedback    31/05 23:30 local (16:30 UTC) unit B closed 02/06 (on time)
      april  hotline/feedback        29/04  unit A  (outside May)
      june   hotline/feedback        01/06 00:10 local (still 31/05 in UTC) (outside May)
    """
    org = heza_organizer()
    unit_a = unit_named(org, "Phòng Quản lý Đầu tư", short_name="QLĐT")
    unit_b = unit_named(org, "Phòng Quản lý Lao động", short_name="QLLĐ")
    at = f.at_local
    items = {
        "fb1": hotline_item(org, at(date(2026, 5, 4)), HotlineChannel.HOTLINE, HotlineKind.FEEDBACK, unit_a,
                            at(date(2026, 5, 8))),
        "rec1": hotline_item(org, at(date(2026, 5, 5)), HotlineChannel.FACEBOOK, HotlineKind.RECOMMENDATION, unit_a,
                             at(date(2026, 5, 20)), content=FORMULA),
        "cmp1": hotline_item(org, at(date(2026, 5, 12)), HotlineChannel.IN_PERSON, HotlineKind.COMPLAINT, unit_b,
                             content=HOSTILE, status=HotlineStatus.IN_PROGRESS),
        # Accepted the day it came: resolution within 30 days (Điều 30 Luật Tố cáo 2018), due 29/06.
        "den1": hotline_item(org, at(date(2026, 5, 28)), HotlineChannel.EMAIL, HotlineKind.DENUNCIATION,
                             legal_stage=LegalStage.ACCEPTED, accepted_on=date(2026, 5, 28)),
        "late_night": hotline_item(org, at(date(2026, 5, 31), 23, 30), HotlineChannel.HOTLINE, HotlineKind.FEEDBACK,
                                   unit_b, at(date(2026, 6, 2)), status=HotlineStatus.CLOSED),
        "april": hotline_item(org, at(date(2026, 4, 29)), HotlineChannel.HOTLINE, HotlineKind.FEEDBACK, unit_a),
        "june": hotline_item(org, at(date(2026, 6, 1), 0, 10), HotlineChannel.HOTLINE, HotlineKind.FEEDBACK, unit_a),
    }
    _db.session.commit()
    assert items["cmp1"].due_on < date(2026, 6, 10) < items["den1"].due_on
    assert items["fb1"].due_on >= date(2026, 5, 8) and items["rec1"].due_on < date(2026, 5, 20)
    assert items["late_night"].due_on >= date(2026, 6, 2)
    return HotlineMonth(org, unit_a, unit_b, items)


# Newsletter ----------------------------------------------------------------------------------------


@dataclass
class Issue:
    issue: NewsletterIssue
    units: dict[str, Unit]
    assignments: dict[str, ArticleAssignment]


@pytest.fixture()
def newsletter(db: Any) -> Issue:
    """Issue 01.2023 (deadline 20/03/2023), judged on 25/03/2023.

      focus   XTĐT        2 pages (700 words)   submitted 18/03, 650 words   on time
      plan    QH&XD       4 pages (1400 words)  submitted 22/03, 1500 words  late
      labour  Lao động    0.5 page (175 words)  not submitted                overdue
      youth   Đoàn TN     1 page, due 30/03     not submitted                pending
      labour2 Lao động    no pages              not submitted                overdue
    """
    org = heza_organizer()
    units = {k: unit_named(org, n, kind=UnitKind.DEPARTMENT) for k, n in {
        "xt": "Trung tâm Xúc tiến đầu tư và Dịch vụ việc làm", "qh": "Phòng Quản lý Quy hoạch và Xây dựng",
        "ld": "Phòng Quản lý Lao động", "dtn": "Đoàn Thanh niên Khu kinh tế"}.items()}
    issue = NewsletterIssue(organizer=org, number="01.2023", year=2023, quarter=1, deadline=date(2023, 3, 20),
                            editor_unit=units["xt"])
    _db.session.add(issue)
    at = f.at_local

    def assign(key: str, unit: str, topic: str, pages: str | None, **kw: Any) -> ArticleAssignment:
        a = ArticleAssignment(issue=issue, position=len(assignments) + 1, section="TIN TỨC - SỰ KIỆN", topic=topic,
                              unit=units[unit], pages=Decimal(pages) if pages else None, **kw)
        _db.session.add(a)
        return a

    assignments: dict[str, ArticleAssignment] = {}
    assignments["focus"] = assign("focus", "xt", "Tiêu điểm", "2", article_count=10,
                                  submitted_dt=at(date(2023, 3, 18)), word_count=650)
    assignments["plan"] = assign("plan", "qh", "Thông tin mới về phát triển các khu công nghiệp", "4",
                                 submitted_dt=at(date(2023, 3, 22)), word_count=1500)
    assignments["labour"] = assign("labour", "ld", "Tình hình lao động Quý I năm 2023 " + HOSTILE, "0.5")
    assignments["youth"] = assign("youth", "dtn", "Hoạt động của Đoàn Thanh niên", "1", due_on=date(2023, 3, 30))
    assignments["labour2"] = assign("labour2", "ld", FORMULA, None)
    _db.session.commit()
    return Issue(issue, units, assignments)


# Web ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def reports_app(app: Flask) -> Iterator[Flask]:
    """An app on the same database with the reports blueprint and a login manager of its own.

    The session app may already have served requests (blueprints can no longer be added to it),
    and the project's user loader belongs to the admin; this app loads users by id itself.
    """
    from heza.reports.views import reports_bp

    web = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SERVER_NAME": "heza.test",
                      "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "WTF_CSRF_ENABLED": True})
    web.instance_path = app.instance_path
    if "reports" not in web.blueprints:
        web.register_blueprint(reports_bp)
    manager = LoginManager()
    manager.init_app(web)
    manager.user_loader(lambda user_id: _db.session.get(User, int(user_id)))
    yield web
    with web.app_context():
        _db.engine.dispose()


_users = itertools.count(1)


def make_user(role: Role, unit: Unit | None = None) -> User:
    user = User(email=f"{role.value}{next(_users)}@demo.heza.vn", name=f"Người dùng {role.value}", role=role, unit=unit,
                organizer=staff_organizer(role, unit))
    _db.session.add(user)
    _db.session.commit()
    return user


@pytest.fixture()
def web(reports_app: Flask, db: Any) -> Any:
    """A test client of :func:`reports_app` with ``login(user)``."""
    client = reports_app.test_client()

    def login(user: User) -> None:
        with client.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True

    client.login = login  # type: ignore[attr-defined]
    return client
