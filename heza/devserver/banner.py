"""What ``heza dev`` prints once everything runs: where things are, the demo logins per organizer, a day-off note."""

from __future__ import annotations

from pathlib import Path

from heza.demo_data.logins import DEV_URL, grouped_lines, parse_logins


def banner(base_url: str, sink_port: int, sink_dir: Path, scheduler: str, login: str | None) -> str:
    """The text ``heza dev`` prints; ``login`` is the demo's login file (:func:`heza.demo.read_login_file`)."""
    lines = [
        "",
        "heza dev: môi trường chạy thử trên máy này (không dùng cho máy chủ thật).",
        f"  Ứng dụng:              {base_url}/",
        f"  Quản trị:              {base_url}/admin/",
        f"  Hộp thư thử nghiệm:    {base_url}/dev/mail/  (SMTP 127.0.0.1:{sink_port}, lưu tại {sink_dir})",
        f"  Lập lịch:              {scheduler}",
    ]
    lines += login_lines(base_url, login)
    lines += _day_off_note()
    lines.append("Nhấn Ctrl-C để dừng tất cả.")
    return "\n".join(lines)


def login_lines(base_url: str, login: str | None) -> list[str]:
    """The demo accounts grouped per organizer (city-wide ones last), then the login file's other lines."""
    if not login:
        return ["Chưa có tài khoản dữ liệu mẫu: chạy `heza demo` (hoặc tạo tài khoản bằng `heza create-user`)."]
    logins, others = parse_logins(login)
    lines = ["Đăng nhập dữ liệu mẫu, theo đơn vị tổ chức (vai trò → email / mật khẩu):"]
    lines += grouped_lines(logins)
    lines += [f"  {line.replace(DEV_URL, base_url)}" for line in others]
    return lines


def _day_off_note() -> list[str]:
    """On a day off nothing is sent (DESIGN: people are written to on working days); say so, and how to look ahead."""
    from heza import workdays
    from heza.base import local_today

    today = local_today()
    try:
        if workdays.is_working_day(today):
            return []
        info = workdays.explain_day(today)
        next_day = workdays.add_working_days(today, 1)
    except (RuntimeError, ValueError):  # no app context or outside the covered years: nothing to add
        return []
    return [
        f"Hôm nay {today:%d/%m/%Y} là ngày nghỉ ({info.reason}): hệ thống không gửi thư vào ngày nghỉ; "
        f"lần chạy 07:00 ngày {next_day:%d/%m/%Y} sẽ đăng thông báo và gửi giấy mời.",
        f"  Xem trước ngay: heza jobs run all --today {next_day:%Y-%m-%d}  (thư hiện trong hộp thư thử nghiệm).",
    ]
