"""The commands of the scheduled work: ``heza scheduler``, ``heza jobs list|run``, ``heza deliver``.

The lead registers :data:`scheduler_command`, :data:`jobs_group` and :data:`deliver_command` in
:mod:`heza.cli`.
"""

from __future__ import annotations

from datetime import date, datetime

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

import jobs
from heza.jobruns import runner


@click.command("scheduler")
@click.option("--run-now", is_flag=True,
              help="Chạy các việc hằng ngày ngay khi khởi động (mỗi việc vẫn chỉ một lần mỗi ngày).")
@with_appcontext
def scheduler_command(run_now: bool) -> None:
    """Chạy bộ lập lịch: việc hằng ngày lúc 07:00, gửi email mỗi phút (run the scheduler process).

    Chạy một tiến trình trên mỗi máy: tiến trình đến trước làm việc, các tiến trình khác dự phòng.
    """
    from jobs import scheduler

    click.echo("Bộ lập lịch heza đang chạy (Ctrl+C để dừng).")
    scheduler.run(current_app._get_current_object(), run_now=run_now)  # type: ignore[attr-defined]


jobs_group = AppGroup("jobs", help="Các việc định kỳ (scheduled jobs): list, run.")


@jobs_group.command("list")
def list_command() -> None:
    """Liệt kê các việc định kỳ (list the jobs)."""
    for spec in jobs.JOBS:
        when = "07:00" if spec.daily else "mỗi phút"
        click.echo(f"{spec.id:<20} {when:<9} {spec.summary}")


def _parse_day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise click.BadParameter("dạng YYYY-MM-DD, ví dụ 2026-03-03") from exc


@jobs_group.command("run")
@click.argument("name")
@click.option("--today", callback=_parse_day, help="Ngày coi là hôm nay, YYYY-MM-DD (mặc định: hôm nay).")
def run_command(name: str, today: date | None) -> None:
    """Chạy một việc (NAME) hoặc tất cả việc hằng ngày (all)."""
    if name == "all":
        specs = list(jobs.DAILY)
    else:
        try:
            specs = [jobs.get(name)]
        except KeyError as exc:
            known = ", ".join(["all", *(j.id for j in jobs.JOBS)])
            raise click.BadParameter(f"không có việc '{name}' (có: {known})", param_hint="NAME") from exc
    failed = False
    for spec in specs:
        outcome = runner.run_job(spec.id, spec.load(), today, locked=spec.locked, log_idle=True)
        if outcome.skipped:
            click.echo(f"{spec.id}: bỏ qua, đang chạy ở tiến trình khác")
        elif outcome.error:
            failed = True
            click.echo(f"{spec.id}: LỖI\n{outcome.error}", err=True)
        else:
            counts = ", ".join(f"{k}={v}" for k, v in sorted(outcome.counts.items())) or "không có việc gì"
            click.echo(f"{spec.id} ({outcome.today:%d/%m/%Y}): {counts}")
    if failed:
        raise SystemExit(1)


@click.command("deliver")
@with_appcontext
def deliver_command() -> None:
    """Gửi ngay các email đang chờ trong hàng đợi (deliver the outbox now)."""
    spec = jobs.get("delivery")
    outcome = runner.run_job(spec.id, spec.load(), locked=spec.locked, log_idle=False)
    if outcome.error:
        click.echo(outcome.error, err=True)
        raise SystemExit(1)
    counts = ", ".join(f"{k}={v}" for k, v in sorted(outcome.counts.items())) or "không có email nào đến lượt gửi"
    click.echo(f"delivery: {counts}")
