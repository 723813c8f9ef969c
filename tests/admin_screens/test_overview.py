"""The City overview (/admin/overview/): every organizer's figures for a year, for supervisors and admins.

Two organizers with data on Monday 15/6/2026 (the figures below are counted by hand from the
fixture): a ward whose plan sets R8 (minimum 2 conferences a year) and an authority whose plan
does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from html.parser import HTMLParser
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from flask import Flask
from openpyxl import load_workbook

from heza.accounts.models import Role
from heza.base import LOCAL_ZONE
from heza.conferences.models import Attendee, Conference, ConferenceStatus, Registration, Report, ReportKind, Task
from heza.directory.models import OrganizerKind
from heza.hotline.models import HotlineChannel, HotlineItem, HotlineKind, HotlineStatus
from heza.newsletter.models import ArticleAssignment, NewsletterIssue
from heza.plans.models import Plan
from heza.recommendations.models import AnswerMethod, Recommendation, RecommendationStatus
from tests import factories as f
from tests.admin_screens.conftest import text
from tests.support import migrated_app

AS_OF = datetime(2026, 6, 15, 9, 0, tzinfo=LOCAL_ZONE)  # Monday
MODULE = "heza.overview.admin"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The admin-screens app with the overview registered (whether or not ADMIN_MODULES lists it yet)."""
    import heza.admin as admin_package

    modules = admin_package.ADMIN_MODULES
    if MODULE not in modules:
        admin_package.ADMIN_MODULES = (*modules, MODULE)
    built = migrated_app(tmp_path_factory, "heza-overview")
    try:
        application = next(built)
    finally:
        admin_package.ADMIN_MODULES = modules
    yield application
    next(built, None)


@pytest.fixture()
def as_of() -> Iterator[None]:
    with time_machine.travel(AS_OF, tick=False):
        yield


def _answer(rec: Any, day: date) -> None:
    rec.status, rec.answer, rec.answer_method = RecommendationStatus.ANSWERED, "Đã trả lời", AnswerMethod.IN_WRITING
    rec.answered_dt = f.at_local(day)


def _hotline(org: Any, received: date, **kw: Any) -> HotlineItem:
    item = HotlineItem(organizer=org, channel=HotlineChannel.HOTLINE, kind=HotlineKind.FEEDBACK,
                       content="Phản ánh về đường vào KCN", received_dt=f.at_local(received), **kw)
    f.db.session.add(item)
    return item


def _registrations(conference: Any, n: int, day: date) -> list[Any]:
    enterprises = [f.enterprise() for _i in range(n)]
    for enterprise in enterprises:
        f.db.session.add(Registration(conference=conference, enterprise=enterprise, channel="link",
                                      received_dt=f.at_local(day)))
    return enterprises


@pytest.fixture()
def data(db: Any, as_of: None) -> dict[str, Any]:
    """Ward A (plan sets R8) and authority B (plan does not), with what each figure counts."""
    a = f.ward(name="Phường Alpha", short_name="PALPHA", quorum_enterprises=2, quorum_recommendations=1)
    b = f.organizer(name="Ban Beta", short_name="BBETA", kind=OrganizerKind.AUTHORITY)
    db.session.add_all([Plan(organizer=a, title="Kế hoạch đối thoại phường Alpha", year=2026, rules="R4,R8,R9"),
                        Plan(organizer=b, title="Kế hoạch đối thoại Ban Beta", year=2026, rules="R1,R2,R3,R5,R6,R7")])
    unit_a, unit_b = f.unit(a, name="Phòng Kinh tế Alpha"), f.unit(b, name="Phòng Doanh nghiệp Beta")
    held = ConferenceStatus.HELD

    # A: held in 2026 once (A1); A2 was in 2025, A3 is planned; A4 postponed and A5 cancelled.
    a1 = f.conference(a, date(2026, 3, 3), title="Alpha tháng 3/2026", status=held)
    a2 = f.conference(a, date(2025, 11, 10), title="Alpha tháng 11/2025", status=held)
    a3 = f.conference(a, date(2026, 9, 15), title="Alpha tháng 9/2026 (dự kiến)")
    f.conference(a, date(2026, 7, 14), title="Alpha hoãn", status=ConferenceStatus.POSTPONED,
                 postponed_from=date(2026, 4, 14))  # nobody registered: short of the quorum (R3)
    a5 = f.conference(a, date(2026, 5, 12), title="Alpha dừng dù đủ điều kiện", status=ConferenceStatus.CANCELLED)
    registered_a5 = _registrations(a5, 2, date(2026, 4, 20))  # quorum 2 enterprises + 1 recommendation: met
    late_a5 = f.recommendation(a5, enterprise=registered_a5[0],  # not answered, due 21/5: overdue
                               received_dt=f.at_local(date(2026, 4, 20)))
    # Attendance at A1: two enterprises registered, one came (one of its two people checked in), one walk-in
    # of a third enterprise; A5 was cancelled, so its registrations do not count.
    came = [Attendee(name="Người đến", checked_in_dt=f.at_local(date(2026, 3, 3))), Attendee(name="Người vắng")]
    e1, e2, e3 = f.enterprise(), f.enterprise(), f.enterprise()
    db.session.add_all([
        Registration(conference=a1, enterprise=e1, channel="link", received_dt=f.at_local(date(2026, 2, 2)),
                     attendees=came),
        Registration(conference=a1, enterprise=e2, channel="link", received_dt=f.at_local(date(2026, 2, 2)),
                     attendees=[Attendee(name="Người không đến")]),
        Registration(conference=a1, enterprise=e3, channel="at_conference",
                     received_dt=f.at_local(date(2026, 3, 3)),
                     attendees=[Attendee(name="Khách", walk_in=True, checked_in_dt=f.at_local(date(2026, 3, 3)))]),
    ])
    # R6: A1's report, due 12/03, sent 10/03 (on time); A2's was due in 2025.
    db.session.add(Report(organizer=a, conference=a1, kind=ReportKind.RESULT, title="Báo cáo Alpha 3/2026",
                          due_on=date(2026, 3, 12), submitted_dt=f.at_local(date(2026, 3, 10))))
    db.session.add(Report(organizer=a, conference=a2, kind=ReportKind.RESULT, title="Báo cáo Alpha 11/2025",
                          due_on=date(2025, 11, 19), submitted_dt=f.at_local(date(2025, 11, 30))))
    # R5: A1's recommendations are due 12/03: one answered on 10/03, one on 13/03, one open, one withdrawn.
    on_time, late, open_a1 = (f.recommendation(a1, responsible_unit=unit_a) for _i in range(3))
    withdrawn = f.recommendation(a1, responsible_unit=unit_a)
    # Tasks: one of A1 open since 28/02 (overdue), one done; one of A3, not yet due.
    db.session.add_all([Task(unit=unit_a, conference=a1, description="Chuẩn bị hội trường Alpha"),
                        Task(unit=unit_a, conference=a1, description="In tài liệu Alpha",
                             done_dt=f.at_local(date(2026, 2, 27))),
                        Task(unit=unit_a, conference=a3, description="Mời đại biểu Alpha")])
    # Hotline: received 01/06 (due 08/06: overdue), one answered, one received 12/06 (due 19/06).
    _hotline(a, date(2026, 6, 1))
    _hotline(a, date(2026, 6, 1), status=HotlineStatus.ANSWERED, responded_dt=f.at_local(date(2026, 6, 3)))
    _hotline(a, date(2026, 6, 12))
    # Newsletter: one article not sent by the issue's deadline 20/03, one sent.
    issue = NewsletterIssue(organizer=a, number="01.2026", year=2026, quarter=1, deadline=date(2026, 3, 20))
    db.session.add(issue)
    db.session.add_all([ArticleAssignment(issue=issue, topic="Tin doanh nghiệp Alpha", unit=unit_a),
                        ArticleAssignment(issue=issue, topic="Tin đã gửi", unit=unit_a, position=2,
                                          submitted_dt=f.at_local(date(2026, 3, 18)))])

    # B: held three times in 2026 (B1, B2, B3), a planned one, a cancelled and a postponed one, both short.
    b1 = f.conference(b, date(2026, 3, 3), title="Beta tháng 3/2026", status=held)
    b2 = f.conference(b, date(2026, 5, 5), title="Beta tháng 5/2026", status=held)
    b3 = f.conference(b, date(2026, 6, 12), title="Beta tháng 6/2026", status=held)
    f.conference(b, date(2026, 11, 17), title="Beta tháng 11/2026 (dự kiến)")
    f.conference(b, date(2026, 2, 10), title="Beta dừng", status=ConferenceStatus.CANCELLED)
    f.conference(b, date(2026, 4, 20), title="Beta hoãn chưa định ngày", status=ConferenceStatus.POSTPONED)
    # R6: B1's report due 12/03 sent 16/03 (late); B2's due 14/05 not sent; B3's due 23/06 (not yet judged).
    db.session.add(Report(organizer=b, conference=b1, kind=ReportKind.RESULT, title="Báo cáo Beta 3/2026",
                          due_on=date(2026, 3, 12), submitted_dt=f.at_local(date(2026, 3, 16))))
    db.session.add_all([Report(organizer=b, conference=b2, kind=ReportKind.RESULT, title="Báo cáo Beta 5/2026"),
                        Report(organizer=b, conference=b3, kind=ReportKind.RESULT, title="Báo cáo Beta 6/2026")])
    # R5: one answered on time; one of B3 open, due 23/06 (neither judged nor overdue).
    b_on_time = f.recommendation(b1, responsible_unit=unit_b)
    f.recommendation(b3, responsible_unit=unit_b, received_dt=f.at_local(date(2026, 6, 1)))
    # Hotline: two overdue.
    hot_b = [_hotline(b, date(2026, 5, 4)), _hotline(b, date(2026, 5, 25))]
    db.session.flush()

    for rec, day in ((on_time, date(2026, 3, 10)), (late, date(2026, 3, 13)), (b_on_time, date(2026, 3, 11))):
        _answer(rec, day)
    withdrawn.status = RecommendationStatus.WITHDRAWN
    db.session.commit()
    return {"a": a, "b": b, "hot_b": [h.reference for h in hot_b],
            "overdue_recommendations_a": [open_a1.reference, late_a5.reference]}


# A's and B's figures, counted by hand from the fixture.
EXPECTED = {
    "Phường Alpha": {"held": "1", "minimum": "2", "reports": "1/1", "answers": "1/4", "recommendations": "2",
                     "tasks": "1", "hotline": "1", "articles": "1", "overdue_total": "5", "attendance": "2/2",
                     "called_off": "1"},
    "Ban Beta": {"held": "3", "minimum": "—", "reports": "0/2", "answers": "1/1", "recommendations": "0",
                 "tasks": "0", "hotline": "2", "articles": "0", "overdue_total": "2", "attendance": "0/0",
                 "called_off": "2"},
}


class _Table(HTMLParser):
    """The overview table: organizer name -> {column: (text, first link)}, in page order."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, tuple[str, str | None]]] = {}
        self.order: list[str] = []
        self._row: dict[str, tuple[str, str | None]] | None = None
        self._name: list[str] | None = None
        self._cell: str | None = None
        self._text: list[str] = []
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and a.get("data-organizer"):
            self._row = {}
        elif self._row is not None and tag == "th":
            self._name = []
        elif self._row is not None and tag == "td" and a.get("data-column"):
            self._cell, self._text, self._href = a["data-column"], [], None
        elif tag == "a" and self._cell and self._href is None:
            self._href = a.get("href")
        elif tag in ("br", "small") and self._name is not None:
            name = "".join(self._name).strip()
            self._name = None
            self.order.append(name)
            self.rows[name] = self._row  # type: ignore[assignment]

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell and self._row is not None:
            value = re.sub(r"\s+", " ", "".join(self._text)).strip()
            self._row[self._cell] = (value, self._href)
            self._cell = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._name is not None:
            self._name.append(data)
        if self._cell:
            self._text.append(data)


def table(html: str) -> _Table:
    parser = _Table()
    parser.feed(html)
    return parser


def figures(html: str) -> dict[str, dict[str, str]]:
    """Each row's figures as shown (a ratio without its percentage, a minimum without its shortfall)."""
    return {name: {k: v.split(" ")[0] for k, (v, _href) in cells.items()} for name, cells in table(html).rows.items()}


def login_as(login: Any, make_user: Any, role: Role, organizer: Any = None) -> Any:
    return login(user=make_user(role, organizer=organizer))


# --------------------------------------------------------------------------- who may see it


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
def test_city_readers_see_every_organizer_with_its_figures(client, login, make_user, data, role):
    login_as(login, make_user, role)

    response = client.get("/admin/overview/")

    assert response.status_code == 200
    html = text(response)
    assert figures(html) == EXPECTED
    rows = table(html).rows
    assert rows["Phường Alpha"]["minimum"][0] == "2 thiếu 1"  # R8: one conference short
    assert rows["Phường Alpha"]["answers"][0] == "1/4 (25%)"
    assert "01/01/2026" in html and "14/06/2026" in html and "15/06/2026" in html  # the period, dd/mm/yyyy
    assert 'id="overview-total"' in html


@pytest.mark.parametrize("role", [Role.OFFICER, Role.VIEWER, Role.UNIT])
def test_organizer_staff_are_refused(client, login, make_user, data, role):
    unit = f.unit(data["a"]) if role == Role.UNIT else None
    login(user=make_user(role, unit=unit, organizer=data["a"]))

    assert client.get("/admin/overview/").status_code == 403
    assert client.get("/admin/overview/export.xlsx?year=2026").status_code == 403
    assert "/admin/overview/" not in text(client.get("/admin/"))  # neither a menu entry nor a dashboard link


def test_the_anonymous_are_sent_to_login(client, db):
    response = client.get("/admin/overview/?year=2026")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_dashboard_links_city_readers_to_the_overview(client, login, make_user, db):
    login_as(login, make_user, Role.SUPERVISOR)
    assert 'id="dashboard-overview-link"' in text(client.get("/admin/"))


# --------------------------------------------------------------------------- year, sort


def test_another_year(client, login, make_user, data):
    login_as(login, make_user, Role.SUPERVISOR)

    shown = figures(text(client.get("/admin/overview/?year=2025")))

    assert shown["Phường Alpha"]["held"] == "1"  # A2, 10/11/2025
    assert shown["Phường Alpha"]["reports"] == "0/1"  # due 19/11/2025, sent 30/11
    assert shown["Ban Beta"]["held"] == "0" and shown["Ban Beta"]["reports"] == "—"
    assert shown["Phường Alpha"]["overdue_total"] == "5"  # overdue now, whatever the year


@pytest.mark.parametrize("year", ["abc", "1999", "2026.5", "-1", "２０２６", "9" * 40])
def test_an_invalid_year_gets_a_message(client, login, make_user, data, year):
    login_as(login, make_user, Role.SUPERVISOR)

    for url in ("/admin/overview/", "/admin/overview/export.xlsx"):
        response = client.get(url, query_string={"year": year})
        assert response.status_code == 400, url
        html = text(response)
        assert 'id="overview-error"' in html and "không hợp lệ" in html and "2010" in html and "2035" in html


def test_the_current_year_by_default(client, login, make_user, data):
    login_as(login, make_user, Role.ADMIN)
    assert figures(text(client.get("/admin/overview/"))) == figures(text(client.get("/admin/overview/?year=2026")))


@pytest.mark.parametrize(("query", "order"), [
    ("", ["Ban Beta", "Phường Alpha"]),
    ("?sort=organizer&desc=1", ["Phường Alpha", "Ban Beta"]),
    ("?sort=held", ["Phường Alpha", "Ban Beta"]),
    ("?sort=held&desc=1", ["Ban Beta", "Phường Alpha"]),
    ("?sort=overdue_total&desc=1", ["Phường Alpha", "Ban Beta"]),
    ("?sort=answers", ["Phường Alpha", "Ban Beta"]),  # 25% before 100%
    ("?sort=minimum&desc=1", ["Phường Alpha", "Ban Beta"]),  # B has no minimum: last either way
    ("?sort=minimum", ["Phường Alpha", "Ban Beta"]),
    ("?sort=called_off&desc=1", ["Ban Beta", "Phường Alpha"]),
    ("?sort=__class__&desc=1", ["Phường Alpha", "Ban Beta"]),  # not a column: by name
])
def test_sort(client, login, make_user, data, query, order):
    login_as(login, make_user, Role.SUPERVISOR)
    response = client.get("/admin/overview/" + query)
    assert response.status_code == 200
    assert table(text(response)).order == order


# --------------------------------------------------------------------------- links to the lists


def _list_rows(client: Any, url: str) -> str:
    parts = urlsplit(url)
    response = client.get(parts.path + "?" + parts.query)
    assert response.status_code == 200, url
    html = text(response)
    body = html.index("</thead>", html.index("model-list"))  # the list's rows, not its filters or headers
    return html[body:html.index("</table>", body)]


def test_held_conferences_link_to_exactly_those(client, login, make_user, data):
    login_as(login, make_user, Role.SUPERVISOR)
    rows = table(text(client.get("/admin/overview/?year=2026"))).rows

    listed = _list_rows(client, rows["Phường Alpha"]["held"][1])
    assert "Alpha tháng 3/2026" in listed
    for other in ("Alpha tháng 11/2025", "Alpha tháng 9/2026", "Alpha hoãn", "Alpha dừng", "Beta"):
        assert other not in listed

    listed = _list_rows(client, rows["Ban Beta"]["held"][1])
    assert all(t in listed for t in ("Beta tháng 3/2026", "Beta tháng 5/2026", "Beta tháng 6/2026"))
    assert "Beta tháng 11/2026" not in listed and "Beta dừng" not in listed and "Alpha" not in listed


def test_overdue_hotline_items_link_to_exactly_those(client, login, make_user, data):
    login_as(login, make_user, Role.SUPERVISOR)
    rows = table(text(client.get("/admin/overview/"))).rows

    listed = _list_rows(client, rows["Ban Beta"]["hotline"][1])
    assert sorted(re.findall(r"PA-\d{4}-\d+", listed)) == sorted(data["hot_b"])


def test_reports_link_to_those_judged(client, login, make_user, data):
    login_as(login, make_user, Role.SUPERVISOR)
    rows = table(text(client.get("/admin/overview/"))).rows

    listed = _list_rows(client, rows["Ban Beta"]["reports"][1])
    assert "Báo cáo Beta 3/2026" in listed and "Báo cáo Beta 5/2026" in listed
    assert "Báo cáo Beta 6/2026" not in listed and "Alpha" not in listed


# Each list's model and the column its organizer filter would be on.
LISTS = {
    "recommendations": (Recommendation, Recommendation.organizer_id),
    "tasks": (Task, Conference.organizer_id),
    "articles": (ArticleAssignment, NewsletterIssue.organizer_id),
}


@pytest.mark.parametrize("column", sorted(LISTS))
def test_overdue_items_link_to_exactly_those_where_the_list_filters_by_organizer(
        app, client, login, make_user, data, column):
    """Without an organizer filter on its list a figure has no link (a list of every organizer would mislead)."""
    from flask_admin.contrib.sqla.filters import FilterEqual

    from heza.overview.links import Want, _arg, _view_of

    login_as(login, make_user, Role.SUPERVISOR)
    href = table(text(client.get("/admin/overview/"))).rows["Phường Alpha"][column][1]
    model, organizer_column = LISTS[column]
    admin = app.extensions["admin"][0] if isinstance(app.extensions["admin"], list) else app.extensions["admin"]
    if _arg(_view_of(admin, model), Want(organizer_column, FilterEqual, None)) is None:
        assert href is None
        return

    listed = _list_rows(client, href)
    if column == "recommendations":
        assert sorted(re.findall(r"KN-\d{4}-\d+", listed)) == sorted(data["overdue_recommendations_a"])
    elif column == "tasks":
        assert "Chuẩn bị hội trường Alpha" in listed
        assert "In tài liệu Alpha" not in listed and "Mời đại biểu Alpha" not in listed
    else:
        assert "Tin doanh nghiệp Alpha" in listed and "Tin đã gửi" not in listed


def test_every_figure_of_a_row_links_to_its_organizer_s_list(client, login, make_user, data):
    """Each link filters by the row's organizer: no link of A's row lists anything of B."""
    login_as(login, make_user, Role.ADMIN)
    rows = table(text(client.get("/admin/overview/"))).rows

    for column, (_value, href) in rows["Phường Alpha"].items():
        if href is None:
            continue
        listed = _list_rows(client, href)
        assert "Beta" not in listed, column


# --------------------------------------------------------------------------- export


def test_the_export_has_the_same_figures(client, login, make_user, data):
    login_as(login, make_user, Role.SUPERVISOR)

    response = client.get("/admin/overview/export.xlsx?year=2026&sort=held&desc=1")

    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(BytesIO(response.data)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(values) if r[0] == "Đơn vị tổ chức")
    header = values[header_at]
    lines = {r[0]: dict(zip(header, r, strict=False)) for r in values[header_at + 1:] if r[0]}
    assert [r[0] for r in values[header_at + 1:] if r[0]][:2] == ["Ban Beta", "Phường Alpha"]  # the page's order
    alpha, beta, total = lines["Phường Alpha"], lines["Ban Beta"], lines["Toàn thành phố"]
    assert (alpha["Hội nghị đã tổ chức"], alpha["Số hội nghị tối thiểu (R8)"]) == (1, 2)
    assert (beta["Hội nghị đã tổ chức"], beta["Số hội nghị tối thiểu (R8)"]) == (3, "—")
    assert (alpha["Báo cáo kết quả gửi đúng hạn (R6)"], alpha["Báo cáo kết quả đã đến hạn"]) == (1, 1)
    assert (beta["Báo cáo kết quả gửi đúng hạn (R6)"], beta["Báo cáo kết quả đã đến hạn"]) == (0, 2)
    assert (alpha["Kiến nghị trả lời đúng hạn (R5)"], alpha["Kiến nghị đã đến hạn trả lời"]) == (1, 4)
    assert alpha["Tỷ lệ trả lời đúng hạn"] == pytest.approx(0.25)
    assert [alpha[k] for k in ("Kiến nghị quá hạn", "Nhiệm vụ quá hạn", "Phản ánh quá hạn", "Tin bài quá hạn",
                               "Tổng số việc quá hạn")] == [2, 1, 1, 1, 5]
    assert [beta[k] for k in ("Kiến nghị quá hạn", "Phản ánh quá hạn", "Tổng số việc quá hạn")] == [0, 2, 2]
    assert (alpha["Hoãn, dừng do không đủ điều kiện (R3)"], beta["Hoãn, dừng do không đủ điều kiện (R3)"]) == (1, 2)
    assert total["Hội nghị đã tổ chức"] == 4 and total["Tổng số việc quá hạn"] == 7
    assert alpha["Loại đơn vị"] == "Phường, xã"


def test_the_export_keeps_formulas_as_text(client, login, make_user, db, as_of):
    f.organizer(name="=HYPERLINK(\"http://x\",\"y\")", short_name="EVIL")
    db.session.commit()
    login_as(login, make_user, Role.ADMIN)

    sheet = load_workbook(BytesIO(client.get("/admin/overview/export.xlsx").data)).active
    names = [c.value for c in sheet["A"] if isinstance(c.value, str) and "HYPERLINK" in c.value]

    assert names and all(not n.startswith("=") for n in names)
    assert all(c.data_type == "s" for c in sheet["A"] if c.value is not None)


# --------------------------------------------------------------------------- grouped queries


def test_one_query_per_figure_whatever_the_number_of_organizers(app, db, data):
    """The overview's queries do not grow with the organizers (about 115 in the city)."""
    from sqlalchemy import event

    from heza import tenancy
    from heza.overview.queries import city_overview

    def count() -> int:
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            db.session.expire_all()
            city_overview(2026, date(2026, 6, 15), tenancy.SYSTEM)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    before = count()
    for n in range(10):
        org = f.ward(name=f"Phường Thêm {n}")
        db.session.add(Plan(organizer=org, title="Kế hoạch", year=2026, rules="R8"))
        f.conference(org, date(2026, 3, 3), status=ConferenceStatus.HELD)
        f.conference(org, date(2026, 4, 14), status=ConferenceStatus.CANCELLED)
    db.session.commit()

    assert count() == before
