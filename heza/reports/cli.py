"""``heza report …``: write the generated documents to files from the command line.

The command line acts for the whole city (:data:`heza.tenancy.SYSTEM`): every organizer's records.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, datetime
from pathlib import Path

import click
from flask.cli import AppGroup

from heza.base import local_today
from heza.conferences.models import Conference, ReportKind
from heza.directory.models import Organizer
from heza.extensions import db

report_group = AppGroup("report", help="Xuất báo cáo, văn bản (DOCX, XLSX) (generated documents).")


class LocalDate(click.ParamType):
    """A date written 2026-03-31 or 31/03/2026."""

    name = "date"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> date:
        """Parse the option's text into a date, or fail with a message naming both formats."""
        if isinstance(value, date):
            return value
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.strptime(str(value).strip(), fmt).date()
            except ValueError:
                continue
        self.fail(f"Ngày không hợp lệ: {value!r} (dùng YYYY-MM-DD hoặc dd/mm/yyyy).", param, ctx)


AS_OF = click.option("--as-of", "as_of", type=LocalDate(), default=None,
                     help="Số liệu tính đến ngày này (mặc định hôm nay) (figures as of this date).")
OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
                      help="Tệp kết quả (output file).")


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so a failure never leaves half a document."""
    path = path.expanduser()
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise click.ClickException(f"Thư mục không tồn tại (no such directory): {directory}")
    fd, tmp = tempfile.mkstemp(prefix=".heza-", suffix=path.suffix, dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _conference(conference_id: int) -> Conference:
    conference = db.session.get(Conference, conference_id)
    if conference is None:
        raise click.ClickException(f"Không tìm thấy hội nghị {conference_id} (no conference with id {conference_id}).")
    return conference


def _organizer(organizer_id: int | None) -> Organizer | None:
    if organizer_id is None:
        return None
    organizer = db.session.get(Organizer, organizer_id)
    if organizer is None:
        raise click.ClickException(f"Không tìm thấy ban tổ chức {organizer_id} (no organizer {organizer_id}).")
    return organizer


def _require_suffix(output: Path, allowed: tuple[str, ...]) -> str:
    suffix = output.suffix.lower()
    if suffix not in allowed:
        raise click.UsageError(f"Tệp kết quả phải có đuôi {' hoặc '.join(allowed)} (output must end in "
                               f"{' or '.join(allowed)}).")
    return suffix


@report_group.command("result")
@click.argument("conference_id", type=int)
@OUTPUT
@AS_OF
def result_command(conference_id: int, output: Path, as_of: date | None) -> None:
    """Draft the result report of a held conference (DOCX) and mark the report as drafted."""
    from heza.reports.records import mark_drafted
    from heza.reports.result_report import NotHeld, result_report_bytes

    _require_suffix(output, (".docx",))
    conference = _conference(conference_id)
    try:
        data = result_report_bytes(conference, as_of or local_today())
    except NotHeld as exc:
        raise click.ClickException(str(exc)) from exc
    write_atomically(output, data)
    report = mark_drafted(conference, ReportKind.RESULT)
    db.session.commit()
    due = f", hạn gửi {report.due_on:%d/%m/%Y}" if report.due_on else ""
    click.echo(f"Đã tạo dự thảo báo cáo kết quả: {output}{due} (result report drafted).")


@report_group.command("postpone")
@click.argument("conference_id", type=int)
@OUTPUT
@AS_OF
def postpone_command(conference_id: int, output: Path, as_of: date | None) -> None:
    """Draft the report proposing to postpone or cancel a conference short of the quorum (DOCX)."""
    from heza.reports.postpone_report import QuorumMet, postpone_report_bytes
    from heza.reports.records import mark_drafted

    _require_suffix(output, (".docx",))
    conference = _conference(conference_id)
    try:
        data = postpone_report_bytes(conference, as_of or local_today())
    except QuorumMet as exc:
        raise click.ClickException(str(exc)) from exc
    write_atomically(output, data)
    mark_drafted(conference, ReportKind.POSTPONE_CANCEL)
    db.session.commit()
    click.echo(f"Đã tạo dự thảo báo cáo dừng, hoãn hội nghị: {output} (postpone/cancel report drafted).")


@report_group.command("hotline")
@click.option("--month", help="Tháng YYYY-MM, ví dụ 2026-05.")
@click.option("--quarter", help="Quý YYYY-Q, ví dụ 2026-2.")
@click.option("--organizer", "organizer_id", type=int,
              help="Ban tổ chức; bắt buộc khi có nhiều ban tổ chức (organizer; required when there are several).")
@OUTPUT
@AS_OF
def hotline_command(month: str | None, quarter: str | None, organizer_id: int | None, output: Path,
                    as_of: date | None) -> None:
    """Summarise hotline intake and handling for a month or a quarter (DOCX or XLSX)."""
    from heza.reports.hotline_summary import hotline_docx_bytes, hotline_xlsx_bytes, sole_organizer
    from heza.reports.stats import PeriodError, month_period, quarter_period

    if bool(month) == bool(quarter):
        raise click.UsageError("Chọn đúng một trong --month hoặc --quarter (give exactly one of --month, --quarter).")
    suffix = _require_suffix(output, (".docx", ".xlsx"))
    try:
        period = month_period(month) if month else quarter_period(quarter or "")
    except PeriodError as exc:
        raise click.UsageError(str(exc)) from exc
    organizer = _organizer(organizer_id) if organizer_id is not None else sole_organizer()
    if organizer is None:
        raise click.UsageError("Có nhiều ban tổ chức (hoặc chưa có): chọn --organizer (choose an organizer).")
    builder = hotline_docx_bytes if suffix == ".docx" else hotline_xlsx_bytes
    data = builder(period, as_of or local_today(), organizer=organizer)
    write_atomically(output, data)
    click.echo(f"Đã tạo báo cáo đường dây nóng {period.label}: {output} (hotline summary written).")


@report_group.command("newsletter")
@click.argument("issue_number")
@click.option("--organizer", "organizer_id", type=int, help="Ban tổ chức, khi nhiều đơn vị dùng cùng số bản tin.")
@OUTPUT
@AS_OF
def newsletter_command(issue_number: str, organizer_id: int | None, output: Path, as_of: date | None) -> None:
    """The state of a newsletter issue's submissions, per assignment and late unit (XLSX)."""
    from heza.reports.newsletter_status import IssueLookupError, find_issue, newsletter_xlsx_bytes

    _require_suffix(output, (".xlsx",))
    try:
        issue = find_issue(issue_number, organizer_id)
    except IssueLookupError as exc:
        raise click.ClickException(str(exc)) from exc
    write_atomically(output, newsletter_xlsx_bytes(issue, as_of or local_today()))
    click.echo(f"Đã tạo bảng tình trạng tin bài bản tin số {issue.number}: {output} (newsletter status written).")


@report_group.command("conclusion")
@click.argument("conference_id", type=int)
@click.option("--save", is_flag=True, help="Lưu thành thông báo kết luận (chưa đăng) (save as a draft announcement).")
@click.option("--overwrite", is_flag=True, help="Ghi đè nội dung dự thảo đã có (replace an unpublished draft's text).")
@AS_OF
def conclusion_command(conference_id: int, save: bool, overwrite: bool, as_of: date | None) -> None:
    """Print the prefilled conclusion notice (R7); with --save, keep it as an unpublished announcement."""
    from heza.reports.conclusion import conclusion_notice, prefill_conclusion_announcement

    conference = _conference(conference_id)
    if save:
        announcement = prefill_conclusion_announcement(conference, as_of or local_today(), overwrite=overwrite)
        db.session.commit()
        click.echo(f"{announcement.title}\n\n{announcement.body}")
        return
    draft = conclusion_notice(conference, as_of or local_today())
    click.echo(f"{draft.title}\n\n{draft.body}")
