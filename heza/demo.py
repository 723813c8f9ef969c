"""``heza demo``: realistic demo data for four organizers, dated relative to the load day.

Every date is placed from the load day ``today`` through :mod:`heza.workdays` and every deadline
comes from :mod:`heza.rules`, so the demo shows the same thing whichever day it is loaded. The
steps live in :mod:`heza.demo_data`, one module per concept:

- :mod:`~heza.demo_data.organizers`: HEZA, the Phù Liễn ward, an invented second ward (Hải Triều)
  and the Sở Công Thương, each with its identity, its plans (the rules each sets) and its units;
- :mod:`~heza.demo_data.directory`: industrial zones and enterprises, cooperatives, household businesses;
- :mod:`~heza.demo_data.conferences`: each organizer's conferences at a different stage of their life;
- :mod:`~heza.demo_data.office`: direct recommendations, newsletters, hotline log, digital posts, topic proposals;
- :mod:`~heza.demo_data.people`: an officer, a unit's staff member and a viewer per organizer, a city
  supervisor and an admin, each with a fresh random password;
- :mod:`~heza.demo_data.logins`: the login list per organizer, printed and kept in the instance folder.

Everything is added in one transaction and committed once: all or nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from heza import workdays
from heza.accounts.models import User
from heza.base import local_today
from heza.conferences.models import Announcement, Conference, Registration, Report, Task
from heza.demo_data.conferences import load_conferences
from heza.demo_data.context import Demo
from heza.demo_data.dates import fmt, last_working_day
from heza.demo_data.directory import load_directory
from heza.demo_data.logins import (
    DEV_URL,
    LOGIN_FILE,
    LoadResult,
    Login,
    grouped_lines,
    link_lines,
    read_login_file,
    write_login_file,
)
from heza.demo_data.office import load_office
from heza.demo_data.organizers import load_organizers
from heza.demo_data.people import load_people
from heza.directory.models import Enterprise, Organizer, Unit, Zone
from heza.extensions import db
from heza.hotline.models import HotlineItem
from heza.newsletter.models import ArticleAssignment, NewsletterIssue
from heza.outreach.models import DigitalPost, TopicProposal
from heza.plans.models import Plan
from heza.recommendations.models import Recommendation

__all__ = ["DEV_URL", "LOGIN_FILE", "LoadResult", "Login", "demo_command", "last_working_day", "load_demo",
           "read_login_file", "write_login_file"]

# Tables ``--reset`` leaves alone: the administrators' calendar decisions are not demo data.
KEEP_ON_RESET = frozenset({"calendar_overrides"})


def load_demo(session: Session, today: date, make_password: Callable[[], str]) -> LoadResult:
    """Add the whole demo for the load day ``today`` to ``session`` and flush; the caller commits."""
    demo = Demo(session, today)
    load_organizers(demo)
    load_directory(demo)
    session.flush()  # organizers' setting columns get their defaults, so settings() reads them
    load_conferences(demo)
    load_office(demo)
    session.flush()
    load_people(demo, make_password)
    session.flush()
    demo.result.counts = count_rows(session)
    demo.result.links = sample_links(demo.conferences["collecting"])
    return demo.result


def sample_links(conference: Conference) -> list[tuple[str, str]]:
    """Personal pages to try: an enterprise already registered for ``conference`` and one not yet."""
    from heza.conferences.links import make_token

    registered = {r.enterprise_id for r in conference.registrations}
    invited = [i.enterprise for i in conference.invitations if i.enterprise is not None]
    picks = [next((e for e in invited if e.id in registered), None),
             next((e for e in invited if e.id not in registered), None)]
    return [(f"{e.name} ({'đã' if e.id in registered else 'chưa'} đăng ký)",
             f"{DEV_URL}/doanh-nghiep/{make_token(conference.id, e.id)}") for e in picks if e is not None]


# --------------------------------------------------------------------------- counting, emptying

_COUNTED: tuple[tuple[str, Any], ...] = (
    ("organizers", Organizer), ("plans", Plan), ("units", Unit), ("zones", Zone), ("enterprises", Enterprise),
    ("conferences", Conference), ("registrations", Registration), ("recommendations", Recommendation),
    ("tasks", Task), ("reports", Report), ("announcements", Announcement), ("issues", NewsletterIssue),
    ("articles", ArticleAssignment), ("hotline", HotlineItem), ("posts", DigitalPost),
    ("proposals", TopicProposal), ("users", User),
)


def count_rows(session: Session) -> dict[str, int]:
    """How many rows each demo table holds."""
    return {name: session.scalar(sa.select(sa.func.count()).select_from(model)) or 0 for name, model in _COUNTED}


def has_data(session: Session) -> bool:
    """Whether the directory or conferences hold anything (a demo would collide with it)."""
    return any(session.scalar(sa.select(sa.literal(1)).select_from(model).limit(1)) is not None
               for model in (Organizer, Unit, Zone, Enterprise, Conference))


def wipe(session: Session) -> None:
    """Delete every row except the calendar overrides, inside the caller's transaction."""
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_ON_RESET]
    if session.get_bind().dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            session.execute(table.delete())


def overdue_counts(session: Session, today: date) -> tuple[int, int]:
    """Open recommendations and hotline items already past their due date on ``today``."""
    from heza.hotline.models import HOTLINE_OPEN
    from heza.recommendations.models import OPEN_STATUSES

    recs = session.scalar(sa.select(sa.func.count()).select_from(Recommendation).where(
        Recommendation.status.in_(OPEN_STATUSES), Recommendation.due_on < today)) or 0
    hot = session.scalar(sa.select(sa.func.count()).select_from(HotlineItem).where(
        HotlineItem.status.in_(HOTLINE_OPEN), HotlineItem.due_on < today)) or 0
    return recs, hot


# --------------------------------------------------------------------------- what the command prints


def summary(result: LoadResult, session: Session, login_file: Path) -> str:
    """What was loaded, in Vietnamese, and how to log in (accounts grouped per organizer)."""
    c = result.counts
    late_recs, late_hotline = overdue_counts(session, result.today)
    day = workdays.explain_day(result.today)
    kind = "ngày làm việc" if day.is_working else f"ngày nghỉ: {day.reason}"
    lines = [
        f"Đã nạp dữ liệu mẫu cho ngày {fmt(result.today)} ({workdays.weekday_name_vi(result.today)}, {kind}):",
        f"  - {c['organizers']} đơn vị tổ chức với {c['plans']} kế hoạch, văn bản căn cứ; {c['units']} cơ quan/đơn "
        f"vị, {c['zones']} KCN/KKT, {c['enterprises']} doanh nghiệp, HTX, hộ kinh doanh",
        f"  - {c['conferences']} hội nghị, {c['registrations']} đăng ký tham dự, {c['tasks']} nhiệm vụ đơn vị, "
        f"{c['reports']} báo cáo:",
    ]
    lines += [f"      · {conf.title} ({conf.organizer.short_name}), ngày {fmt(conf.held_on)}: {text}"
              for conf, text in result.conferences]
    lines += [
        f"  - {c['recommendations']} kiến nghị ({late_recs} quá hạn), {c['hotline']} phản ánh qua đường dây nóng "
        f"({late_hotline} quá hạn)",
        f"  - {c['issues']} số bản tin với {c['articles']} tin bài được giao, {c['posts']} tin trên nền tảng số, "
        f"{c['proposals']} đề xuất nội dung đối thoại",
        "",
        f"Đăng nhập (make run hoặc heza dev, rồi mở {DEV_URL}/admin/), theo đơn vị tổ chức:",
    ]
    lines += grouped_lines(result.logins)
    lines += link_lines(result.links)
    lines.append(f"Thông tin đăng nhập đã lưu vào {login_file} (chỉ chủ sở hữu đọc được).")
    return "\n".join(lines)


def _random_password() -> str:
    return secrets.token_urlsafe(12)


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Bỏ qua nếu cơ sở dữ liệu đã có dữ liệu (do nothing if data exists).")
@click.option("--reset", is_flag=True,
              help="Xóa toàn bộ dữ liệu (trừ điều chỉnh lịch làm việc) rồi nạp lại (delete all data first).")
@click.option("--yes", is_flag=True, help="Không hỏi xác nhận khi dùng --reset (no confirmation prompt).")
@click.option("--today", "today_", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Ngày nạp YYYY-MM-DD; mọi ngày trong dữ liệu mẫu tính từ ngày này (default: today in Hai Phong).")
@with_appcontext
def demo_command(if_empty: bool, reset: bool, yes: bool, today_: datetime | None) -> None:
    """Nạp dữ liệu mẫu, mọi ngày tính từ ngày nạp (load demo data dated relative to the load day)."""
    if if_empty and reset:
        raise click.UsageError("Không dùng --if-empty cùng --reset (--if-empty and --reset exclude each other).")
    today = today_.date() if today_ else local_today()
    if today.year - 1 < workdays.FIRST_YEAR or today.year + 1 > workdays.LAST_YEAR:
        raise click.UsageError(f"Ngày nạp phải trong các năm {workdays.FIRST_YEAR + 1}–{workdays.LAST_YEAR - 1} "
                               f"của lịch làm việc (the load day must lie inside the working-day calendar).")
    session = db.session
    if has_data(session):
        if if_empty:
            click.echo("Cơ sở dữ liệu đã có dữ liệu: không nạp dữ liệu mẫu (data exists, nothing loaded).")
            return
        if not reset:
            raise click.ClickException(
                "Cơ sở dữ liệu đã có dữ liệu; dữ liệu mẫu chỉ nạp vào cơ sở dữ liệu trống. Dùng --if-empty để bỏ "
                "qua, hoặc --reset để xóa toàn bộ rồi nạp lại (the database is not empty).")
        if not yes:
            click.confirm("Xóa TOÀN BỘ dữ liệu hiện có (trừ điều chỉnh lịch làm việc) rồi nạp dữ liệu mẫu?",
                          abort=True)
    try:
        if reset:
            wipe(session)
        result = load_demo(session, today, _random_password)
        session.commit()
    except Exception:
        session.rollback()
        raise
    login_file = write_login_file(Path(current_app.instance_path), result)
    click.echo(summary(result, session, login_file))
