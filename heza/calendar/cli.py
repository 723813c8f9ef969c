"""``heza calendar YEAR``: the year's days off and make-up working days, with their sources."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from heza import workdays


def format_day(info: workdays.DayInfo) -> str:
    """One line: ``dd/mm/yyyy  Thứ x  <name>  [source]``.

    Only exceptions are listed, so a weekday on the line is a day off and a Saturday or
    Sunday a make-up working day.
    """
    source = info.source or workdays.package_label()
    return f"{info.date:%d/%m/%Y}  {info.weekday_vi}  {info.name}  [{source}]"


@click.command("calendar")
@click.argument("year", type=int)
@with_appcontext
def calendar_command(year: int) -> None:
    """In các ngày thường được nghỉ và các ngày làm bù của năm YEAR (weekdays off, make-up days)."""
    try:
        days = workdays.year_calendar(year)
        disagreements = workdays.differences(year)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="YEAR") from exc
    for info in days:
        click.echo(format_day(info))
    click.echo("")
    if disagreements:
        click.echo(
            f"Khác biệt giữa danh sách ngày đã công bố và {workdays.package_label()} "
            f"({len(disagreements)}; danh sách công bố được áp dụng):"
        )
        for difference in disagreements:
            click.echo(f"  {difference.describe()}")
    else:
        click.echo(f"Không có khác biệt giữa danh sách ngày đã công bố và {workdays.package_label()}.")
