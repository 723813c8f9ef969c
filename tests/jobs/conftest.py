"""Fixtures for the scheduled jobs: a real SMTP server on loopback, and the two organizers' worlds.

Each world's organizer acts under its own plan, as the migration gives the real ones: HEZA's
2025 plan sets R1–R3 and R5–R7, the Phù Liễn plan R4, R8 and R9. The jobs decide from those
plans (not from the organizer's kind) which rules bind whom.

``smtp`` starts an aiosmtpd server on a free port of 127.0.0.1 and points the app's Flask-Mail
at it with sending switched on (``MAIL_SUPPRESS_SEND`` is True under ``TESTING``). The server
keeps every message it accepted and can be told to answer some with an error (421, 550…).
"""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, time
from email import policy
from email.message import EmailMessage
from email.utils import getaddresses
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from heza.conferences.models import Audience, Conference, Invitation
from heza.directory.models import Organizer, OrganizerKind, Unit, UnitKind
from heza.extensions import db as _db
from heza.outbox import delivery
from heza.plans.models import Plan
from tests import factories as f


def free_port() -> int:
    """A TCP port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    """One message as the server got it."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    @property
    def kind(self) -> str:
        return str(self.message["X-Heza-Kind"])

    @property
    def to(self) -> str:
        """The To address (the envelope also holds the copies, in no order)."""
        return getaddresses([str(self.message["To"])])[0][1]

    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""

    def attachments(self) -> list[EmailMessage]:
        return list(self.message.iter_attachments())


@dataclass
class Handler:
    """The server's behaviour: accept everything, except the scripted refusals."""

    messages: list[Received] = field(default_factory=list)
    data_replies: list[str] = field(default_factory=list)  # consumed one per DATA, then "250"
    refused: dict[str, str] = field(default_factory=dict)  # recipient -> reply to its RCPT

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802
                          rcpt_options: list[str]) -> str:
        if address in self.refused:
            return self.refused[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.data_replies:
            reply = self.data_replies.pop(0)
            if not reply.startswith("250"):
                return reply
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


@dataclass
class Smtp:
    """The live server and what it received."""

    handler: Handler
    port: int
    controller: Controller | None = None

    @property
    def messages(self) -> list[Received]:
        return self.handler.messages

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def take(self) -> list[Received]:
        """The messages received since the last call."""
        taken = list(self.handler.messages)
        self.handler.messages.clear()
        return taken


@pytest.fixture()
def mail_to(app: Flask) -> Iterator[Any]:
    """Point the app's Flask-Mail at a port, sending switched on; restored afterwards."""
    state = app.extensions["mail"]
    saved = (state.server, state.port, state.suppress, app.config.get("MAIL_SUPPRESS_SEND"),
             app.config.get("MAIL_TIMEOUT"))

    def point(port: int) -> None:
        state.server, state.port, state.suppress = "127.0.0.1", port, False
        app.config["MAIL_SUPPRESS_SEND"] = False
        app.config["MAIL_TIMEOUT"] = 5

    yield point
    state.server, state.port, state.suppress = saved[:3]
    app.config["MAIL_SUPPRESS_SEND"], app.config["MAIL_TIMEOUT"] = saved[3], saved[4]


@pytest.fixture()
def smtp(db: object, mail_to: Any) -> Iterator[Smtp]:
    """A live aiosmtpd server on 127.0.0.1 that the app sends to."""
    server = Smtp(Handler(), free_port())
    server.start()
    mail_to(server.port)
    yield server
    server.stop()


def deliver_all() -> dict[str, int]:
    """Deliver everything due now (what the every-minute job does)."""
    return delivery.deliver()


# The two worlds ----------------------------------------------------------------------------------

HEZA_RULES = "R1,R2,R3,R5,R6,R7"  # seed 001
WARD_RULES = "R4,R8,R9"  # seed 004


def plan(organizer: Organizer, rules: str, **kw: Any) -> Plan:
    """An active plan of ``organizer`` setting ``rules`` ("R1,R2,..."), overridable by keyword."""
    values: dict[str, Any] = {"organizer": organizer, "title": "Kế hoạch tổ chức Hội nghị đối thoại doanh nghiệp",
                              "year": 2026, "rules": rules}
    values.update(kw)
    obj = Plan(**values)
    _db.session.add(obj)
    _db.session.flush()
    return obj



@dataclass
class HezaWorld:
    organizer: Organizer
    lead: Unit  # DN&GSĐT
    office: Unit  # Văn phòng
    board: Unit  # Lãnh đạo Ban: supervises the departments, copied on their alerts
    finance: Unit  # Sở Tài chính, invited
    media: Unit  # a newspaper, invited
    enterprises: list[Any]
    conference: Conference


def heza_world(held_on: date = date(2026, 3, 3), enterprises: int = 3, **conference_kw: Any) -> HezaWorld:
    """HEZA with its departments, three zone enterprises, and a conference inviting all zones."""
    org = f.organizer(name="Ban Quản lý Khu kinh tế Hải Phòng", short_name="HEZA", kind=OrganizerKind.AUTHORITY,
                      email="heza@demo.heza.vn", phone="0225 3 836 000")
    board = f.unit(org, name="Lãnh đạo Ban", kind=UnitKind.LEADER, emails="lanhdao@demo.heza.vn")
    lead = f.unit(org, name="Phòng Doanh nghiệp và Giám sát đầu tư", short_name="DN&GSĐT",
                  emails="dngsdt@demo.heza.vn, dngsdt2@demo.heza.vn", supervisor=board)
    office = f.unit(org, name="Văn phòng Ban", emails="vanphong@demo.heza.vn", supervisor=board)
    org.lead_unit, org.office_unit = lead, office
    plan(org, HEZA_RULES, number="01/KH-BQL", issued_on=date(2025, 6, 2), year=2025,
         title="Kế hoạch tổ chức Hội nghị đối thoại doanh nghiệp năm 2025")
    finance = f.unit(None, name="Sở Tài chính", kind=UnitKind.CITY_AGENCY,
                     emails="stc@demo.heza.vn; stc.vanthu@demo.heza.vn")
    media = f.unit(None, name="Báo Hải Phòng", kind=UnitKind.MEDIA, emails="toasoan@demo.heza.vn")
    zone = f.zone(name="KCN Đình Vũ", code="DV")
    ents = [f.enterprise(zone, name=f"Công ty Cảng {i}", email=f"cang{i}@demo.heza.vn")
            for i in range(1, enterprises + 1)]
    f.enterprise(zone, name="Công ty không email", email="")  # never invited: no address
    f.enterprise(zone, name="Công ty ngừng hoạt động", email="ngung@demo.heza.vn", active=False)
    kw: dict[str, Any] = {"title": "Hội nghị đối thoại doanh nghiệp năm 2026", "place": "Trụ sở Ban Quản lý",
                          "audience": Audience.ALL_ZONES, "start_time": time(8, 30)}
    kw.update(conference_kw)
    conf = f.conference(org, held_on, **kw)
    _db.session.add_all([Invitation(conference=conf, unit=finance), Invitation(conference=conf, unit=media)])
    _db.session.flush()
    return HezaWorld(org, lead, office, board, finance, media, ents, conf)


@dataclass
class WardWorld:
    organizer: Organizer
    economic: Unit  # Phòng Kinh tế - Hạ tầng - Đô thị (lead)
    office: Unit  # Văn phòng HĐND và UBND
    service: Unit  # Trung tâm Phục vụ hành chính công
    tax: Unit  # Đội thuế
    chair: Unit  # Chủ tịch UBND phường: supervises
    enterprises: list[Any]
    conference: Conference


def ward_world(held_on: date = date(2026, 2, 24), **conference_kw: Any) -> WardWorld:
    """Phù Liễn ward, its units, two household businesses and a cooperative, and its conference."""
    ward = f.ward(name="Phường Phù Liễn", short_name="Phù Liễn", email="")
    chair = f.unit(ward, name="Chủ tịch UBND phường", kind=UnitKind.LEADER, emails="chutich.phulien@demo.heza.vn")
    economic = f.unit(ward, name="Phòng Kinh tế - Hạ tầng - Đô thị", kind=UnitKind.WARD_UNIT,
                      emails="kinhte.phulien@demo.heza.vn", supervisor=chair)
    office = f.unit(ward, name="Văn phòng HĐND và UBND phường", kind=UnitKind.WARD_UNIT,
                    emails="vanphong.phulien@demo.heza.vn", supervisor=chair)
    service = f.unit(ward, name="Trung tâm Phục vụ hành chính công", kind=UnitKind.WARD_UNIT,
                     emails="tthcc.phulien@demo.heza.vn", supervisor=chair)
    tax = f.unit(ward, name="Đội thuế phường", kind=UnitKind.WARD_UNIT, emails="thue.phulien@demo.heza.vn")
    ward.lead_unit, ward.office_unit = economic, office
    plan(ward, WARD_RULES, title="Kế hoạch tổ chức Hội nghị đối thoại với doanh nghiệp, hợp tác xã, hộ kinh "
                                 "doanh phường Phù Liễn năm 2026")
    ents = [
        f.enterprise(None, ward=ward, name="Hộ kinh doanh Minh An", email="minhan@demo.heza.vn", kind="household"),
        f.enterprise(None, ward=ward, name="HTX Dịch vụ Phù Liễn", email="htx@demo.heza.vn", kind="cooperative"),
        f.enterprise(None, ward=ward, name="Công ty TNHH Kiến An", email="kienan@demo.heza.vn", language="en"),
    ]
    kw: dict[str, Any] = {"title": "Hội nghị đối thoại doanh nghiệp, HTX, hộ kinh doanh phường Phù Liễn",
                          "place": "Hội trường UBND phường", "audience": Audience.WARD}
    kw.update(conference_kw)
    conf = f.conference(ward, held_on, **kw)
    return WardWorld(ward, economic, office, service, tax, chair, ents, conf)
