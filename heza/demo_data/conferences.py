"""The demo's conferences, each placed from the load day so it shows the same stage whatever day it is loaded:

- HEZA: one whose R1 announcement day is the last working day on or before the load day (the
  scheduler publishes it on its next run), and one held last week with answered, written and
  still-open recommendations (R5) and its result report due (R6);
- Phù Liễn: one announced a few working days ago, collecting registrations before its R2 cutoff,
  with agenda and unit tasks (R4); one held earlier in the year (R8), a recommendation still open
  and overdue;
- Hải Triều (invented ward): one held about two weeks ago, reported, one recommendation still open
  (extended, with its reason; the ward has held nothing in the first half-year: behind on R8)
  within its 14 working days;
- Sở Công Thương: one held about a month ago, every recommendation answered, reported and concluded.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from heza import rules
from heza.conferences.models import Audience, Channel, ConferenceStatus
from heza.demo_data import conference_kit as K
from heza.demo_data import conference_texts as C
from heza.demo_data.dates import (
    announced_today_day,
    at_local,
    collecting_day,
    fmt,
    held_last_week_day,
    ward_past_day,
    working_days,
)
from heza.directory.models import Language

if TYPE_CHECKING:
    from heza.demo_data.context import Demo


def load_conferences(demo: Demo) -> None:
    heza_upcoming(demo)
    phu_lien_collecting(demo)
    heza_held(demo)
    phu_lien_past(demo)
    hai_trieu_held(demo)
    so_cong_thuong_held(demo)


def heza_upcoming(demo: Demo) -> None:
    """HEZA's next conference, its announcement due on the last working day on or before the load day."""
    s = demo.organizers["heza"].settings()
    held_on = announced_today_day(demo.today, s)
    r1 = rules.announcement_date(held_on, s).due
    conf = K.conference(
        demo, "heza", f"Hội nghị đối thoại doanh nghiệp chuyên đề lao động, việc làm trong các khu công nghiệp "
                      f"năm {held_on.year}", held_on, ConferenceStatus.PLANNED, Audience.ZONES,
        f"dự kiến; đăng thông báo ngày {fmt(r1)} (R1)",
    )
    conf.zones.extend(demo.zones[c] for c in ("KCN-TD", "KCN-NOMURA", "KCN-AD", "KCN-VSIP"))
    K.invite(demo, conf, [], ("ldb", "ubnd", "stc", "cong", "ttbc"))
    demo.conferences["upcoming"] = conf


def phu_lien_collecting(demo: Demo) -> None:
    """Phù Liễn's second conference: announced three working days ago, registrations coming in (R2)."""
    ward = demo.organizers["phu-lien"]
    s = ward.settings()
    held_on = collecting_day(demo.today, s)
    cutoff = rules.registration_cutoff(held_on, s).due
    published_on = demo.wd(-3)
    conf = K.conference(
        demo, "phu-lien", f"Hội nghị đối thoại với doanh nghiệp, hợp tác xã, hộ kinh doanh phường Phù Liễn lần 2 "
                          f"năm {held_on.year}", held_on, ConferenceStatus.ANNOUNCED, Audience.WARD,
        f"đã thông báo ngày {fmt(published_on)}; nhận đăng ký đến hết ngày {fmt(cutoff)} (R2)",
    )
    ward_ents = demo.ward_enterprises("phu-lien")
    K.invite(demo, conf, ward_ents, ("ubnd", "stc", "sct", "skhcn", "qltt8", "thue5", "cong", "bao", "ttdv"))
    K.invitation_notice(demo, conf, "phu-lien", published_on)
    days = working_days(published_on, demo.today - timedelta(days=1))
    regs = K.register(demo, conf, ward_ents[:10], days,
                      (Channel.PAPER, Channel.PHONE, Channel.LINK, Channel.IN_PERSON, Channel.EMAIL))
    rows = C.PHU_LIEN_OPEN_RECOMMENDATIONS
    for i, row in enumerate(rows):
        reg = regs[(3 * i + 1) % len(regs)]
        K.recommendation(demo, ward, reg.enterprise, row, reg.received_dt + timedelta(minutes=20), reg.channel, conf,
                         assign=i != len(rows) - 1)
    K.tasks(demo, conf, C.PHU_LIEN_TASKS,
            [days[min(i, len(days) - 1)] if i in (0, 1, 4) else None for i in range(len(C.PHU_LIEN_TASKS))])
    demo.conferences["collecting"] = conf


def heza_held(demo: Demo) -> None:
    """HEZA's conference of last week: answered at the conference, in writing, still open; report due (R6)."""
    heza = demo.organizers["heza"]
    s = heza.settings()
    held_on = held_last_week_day(demo.today)
    r1 = rules.announcement_date(held_on, s).due
    cutoff = rules.registration_cutoff(held_on, s).due
    conf = K.conference(
        demo, "heza", f"Hội nghị đối thoại doanh nghiệp năm {held_on.year} của Ban Quản lý Khu kinh tế Hải Phòng",
        held_on, ConferenceStatus.HELD, Audience.ALL_ZONES,
        f"đã tổ chức; báo cáo kết quả hạn {fmt(rules.report_due(held_on, s).due)} (R6)",
        conclusions="Ban Quản lý ghi nhận các kiến nghị; các phòng chuyên môn trả lời bằng văn bản các kiến nghị "
                    "chưa giải đáp tại hội nghị trong thời hạn quy định.",
    )
    zone_ents = demo.zone_enterprises()
    attending, late = zone_ents[:18], zone_ents[18]
    K.invite(demo, conf, zone_ents[:30], ("ldb", "ubnd", "stc", "cong", "ttbc", "bao"))
    K.invitation_notice(demo, conf, "heza", r1)
    window = working_days(r1, cutoff)
    K.register(demo, conf, attending, window, (Channel.LINK, Channel.LINK, Channel.EMAIL, Channel.PHONE))
    K.register(demo, conf, [late], [demo.wd(1, cutoff)], (Channel.EMAIL,))  # after the R2 cutoff
    english = [e for e in attending if e.language == Language.EN]
    vietnamese = [e for e in attending if e.language != Language.EN]
    written_on = demo.wd(2, held_on)
    for i, row in enumerate(C.HEZA_HELD_RECOMMENDATIONS):
        ent = english[0] if row.language_en and english else vietnamese[(2 * i) % len(vietnamese)]
        K.recommendation(demo, heza, ent, row, at_local(window[i % len(window)], 9 + i % 7, (17 * i) % 60),
                         (Channel.LINK, Channel.EMAIL, Channel.PAPER)[i % 3], conf,
                         K.answered_on(row, held_on, written_on))
    K.result_report(demo, conf, drafted_on=written_on)
    demo.conferences["held"] = conf


def phu_lien_past(demo: Demo) -> None:
    """Phù Liễn's first conference of the year (R8), one recommendation still open and overdue."""
    ward = demo.organizers["phu-lien"]
    s = ward.settings()
    held_on = ward_past_day(demo.today)
    r1 = rules.announcement_date(held_on, s).due
    conf = K.conference(
        demo, "phu-lien", f"Hội nghị đối thoại với doanh nghiệp, hợp tác xã, hộ kinh doanh phường Phù Liễn lần 1 "
                          f"năm {held_on.year}", held_on, ConferenceStatus.HELD, Audience.WARD,
        "đã tổ chức (R8: hội nghị lần 1 của phường)",
        conclusions="UBND phường giao Phòng Kinh tế, Hạ tầng và Đô thị theo dõi, đôn đốc giải quyết kiến nghị.",
    )
    ward_ents = demo.ward_enterprises("phu-lien")
    K.invite(demo, conf, ward_ents, ("ubnd", "stc", "thue5", "ttdv"))
    K.invitation_notice(demo, conf, "phu-lien", r1)
    window = working_days(r1, rules.registration_cutoff(held_on, s).due)
    regs = K.register(demo, conf, ward_ents[2:12], window, (Channel.PAPER, Channel.PHONE, Channel.IN_PERSON))
    written_on = demo.wd(4, held_on)
    for i, row in enumerate(C.PHU_LIEN_PAST_RECOMMENDATIONS):
        reg = regs[2 * i]
        K.recommendation(demo, ward, reg.enterprise, row, reg.received_dt + timedelta(minutes=30), Channel.PAPER,
                         conf, K.answered_on(row, held_on, written_on))
    day_before_due = rules.unit_task_due(held_on, s).due - timedelta(days=1)
    K.tasks(demo, conf, C.PHU_LIEN_TASKS, [day_before_due] * len(C.PHU_LIEN_TASKS))
    K.conclusion_notice(demo, conf, demo.wd(3, held_on))


def hai_trieu_held(demo: Demo) -> None:
    """The invented ward's conference, nine working days ago: reported on time, one answer still to come."""
    ward = demo.organizers["hai-trieu"]
    s = ward.settings()
    held_on = demo.wd(-9)
    r1 = rules.announcement_date(held_on, s).due
    conf = K.conference(
        demo, "hai-trieu", f"Hội nghị đối thoại với doanh nghiệp, hợp tác xã, hộ kinh doanh phường Hải Triều năm "
                           f"{held_on.year}", held_on, ConferenceStatus.HELD, Audience.WARD,
        "đã tổ chức, đã gửi báo cáo kết quả; còn một kiến nghị cần phối hợp (R5: 14 ngày làm việc)",
        conclusions="UBND phường giao Phòng Kinh tế, Hạ tầng và Đô thị phối hợp các sở, ngành trả lời kiến nghị "
                    "còn lại trong thời hạn quy định.",
    )
    ward_ents = demo.ward_enterprises("hai-trieu")
    K.invite(demo, conf, ward_ents, ("ubnd", "stc", "cong"))
    K.invitation_notice(demo, conf, "hai-trieu", r1)
    window = working_days(r1, rules.registration_cutoff(held_on, s).due)
    regs = K.register(demo, conf, ward_ents[:7], window, (Channel.PAPER, Channel.LINK, Channel.PHONE))
    written_on = demo.wd(3, held_on)
    for i, row in enumerate(C.HAI_TRIEU_RECOMMENDATIONS):
        reg = regs[2 * i]
        rec = K.recommendation(demo, ward, reg.enterprise, row, reg.received_dt + timedelta(minutes=25),
                               reg.channel, conf, K.answered_on(row, held_on, written_on))
        if rec.answered_dt is None:  # the open one: extended by five working days, with its reason
            K.extend(demo, rec, rec.due_on, 5, "chờ ý kiến bằng văn bản của Sở Xây dựng về quy hoạch chi tiết",
                     at_local(demo.wd(5, held_on), 14, 0))
    day_before_due = rules.unit_task_due(held_on, s).due - timedelta(days=1)
    K.tasks(demo, conf, C.HAI_TRIEU_TASKS, [day_before_due] * len(C.HAI_TRIEU_TASKS))
    K.result_report(demo, conf, drafted_on=demo.wd(4, held_on), submitted_on=demo.wd(6, held_on))
    K.conclusion_notice(demo, conf, demo.wd(2, held_on))


def so_cong_thuong_held(demo: Demo) -> None:
    """The department's conference, about a month ago: quorum met, every recommendation answered, reported."""
    dept = demo.organizers["so-cong-thuong"]
    s = dept.settings()
    held_on = demo.wd(-20)
    r1 = rules.announcement_date(held_on, s).due
    cutoff = rules.registration_cutoff(held_on, s).due
    conf = K.conference(
        demo, "so-cong-thuong", f"Hội nghị đối thoại doanh nghiệp năm {held_on.year} của Sở Công Thương",
        held_on, ConferenceStatus.HELD, Audience.INVITED,
        "đã tổ chức; mọi kiến nghị đã trả lời, đã gửi báo cáo kết quả và thông báo kết luận",
        conclusions="Sở Công Thương ghi nhận và đã trả lời toàn bộ kiến nghị của doanh nghiệp; các phòng chuyên môn "
                    "tiếp tục hướng dẫn doanh nghiệp thực hiện.",
    )
    # A city department invites across the city: enterprises in the zones and in the wards.
    invited = demo.zone_enterprises()[20:34] + demo.ward_enterprises("phu-lien")[:4] \
        + demo.ward_enterprises("hai-trieu")[:2]
    K.invite(demo, conf, invited, ("ubnd", "stc", "cong", "bao"))
    K.invitation_notice(demo, conf, "so-cong-thuong", r1)
    regs = K.register(demo, conf, invited[:16], working_days(r1, cutoff), (Channel.LINK, Channel.EMAIL))
    written_on = demo.wd(4, held_on)
    for i, row in enumerate(C.SO_CONG_THUONG_RECOMMENDATIONS):
        reg = regs[3 * i]
        K.recommendation(demo, dept, reg.enterprise, row, reg.received_dt + timedelta(minutes=40), reg.channel,
                         conf, K.answered_on(row, held_on, written_on))
    K.result_report(demo, conf, drafted_on=demo.wd(4, held_on), submitted_on=demo.wd(5, held_on))
    K.conclusion_notice(demo, conf, demo.wd(3, held_on))
