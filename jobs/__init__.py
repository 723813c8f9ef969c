"""The scheduled work, in one list with stable ids (the order ``heza jobs run all`` follows).

Each job is a module with ``reconcile(today) -> dict`` of counts: it computes from the database
what should have happened by ``today`` and makes it so, once. Run twice, the second run does
nothing; after days of downtime, one run catches up. Emails are written to the outbox with
unique keys and delivered by the ``delivery`` job every minute.

This package is the only code that knows APScheduler (:mod:`jobs.scheduler`), and the scheduler
runs in its own process (``heza scheduler``), never inside a web worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import import_module
from typing import Any


@dataclass(frozen=True)
class JobSpec:
    """One scheduled job: its id, the importable name of its function, what it does."""

    id: str
    func: str  # "module:function", importable (APScheduler job stores refuse lambdas)
    summary: str
    daily: bool = True  # run at 07:00 and by "all"; False for the every-minute delivery
    locked: bool = True  # one run at a time across schedulers (delivery claims rows instead)
    log_idle: bool = True  # write a JobRun row even when the run did nothing

    def load(self) -> Callable[[date], dict[str, Any]]:
        module, _, name = self.func.partition(":")
        return getattr(import_module(module), name)


JOBS: tuple[JobSpec, ...] = (
    JobSpec("held", "jobs.held:reconcile",
            "Ghi nhận hội nghị đã tổ chức khi qua ngày (mở báo cáo kết quả R6)"),
    JobSpec("announcements", "jobs.announcements:reconcile",
            "Đăng thông báo hội nghị (R1) và gửi thư mời doanh nghiệp, cơ quan, đại biểu"),
    JobSpec("quorum", "jobs.quorum:reconcile",
            "Kiểm tra điều kiện tổ chức sau hạn đăng ký (R2, R3) và báo đơn vị chủ trì"),
    JobSpec("registration_nudge", "jobs.registration_nudge:reconcile",
            "Nhắc doanh nghiệp được mời nhưng chưa đăng ký trước hạn (R2)"),
    JobSpec("unit_reminders", "jobs.unit_reminders:reconcile",
            "Nhắc các đơn vị hoàn thành nhiệm vụ trước hội nghị của phường (R4)"),
    JobSpec("overdue", "jobs.overdue:reconcile",
            "Cảnh báo quá hạn (R4–R7, R9–R11) cho đơn vị chịu trách nhiệm, đồng gửi đơn vị giám sát"),
    JobSpec("digest", "jobs.digest:reconcile",
            "Bản tin hằng ngày cho đơn vị tổ chức: đến hạn hôm nay, trong 7 ngày tới, quá hạn"),
    JobSpec("ward_conferences", "jobs.ward_conferences:reconcile",
            "Kiểm tra số hội nghị đối thoại trong năm (R8): lần 1 trong 6 tháng đầu năm, lần 2 trong quý IV"),
    JobSpec("delivery", "jobs.delivery:reconcile",
            "Gửi email trong hàng đợi (mỗi phút)", daily=False, locked=False, log_idle=False),
)

DAILY: tuple[JobSpec, ...] = tuple(j for j in JOBS if j.daily)


def get(job_id: str) -> JobSpec:
    """The job with ``job_id``; KeyError if there is none."""
    for job in JOBS:
        if job.id == job_id:
            return job
    raise KeyError(job_id)
