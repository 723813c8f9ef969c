"""What the demo tells people: its result, the logins per organizer, and the login file ``heza dev`` prints again.

The login file (``<instance>/demo-login.txt``, readable by its owner only) has one line per
account, ``<organizer>: <role> → <email> / <password>``, then the enterprises' personal pages.
:func:`parse_logins` reads the account lines back, so ``heza dev`` can group them per organizer;
any other line (a personal page, or a file an older demo wrote) is shown as it stands.
Nothing here touches the database.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

LOGIN_FILE = "demo-login.txt"
DEV_URL = "http://127.0.0.1:5000"  # where ``make run`` serves the app; ``heza dev`` rewrites it to its own
CITY_WIDE = "Toàn thành phố"  # the group of the accounts that belong to no organizer (supervisor, admin)
PERSONAL_PAGE = "Trang doanh nghiệp (đường dẫn cá nhân)"

_LINE = re.compile(r"^(?P<organizer>[^:→]+): (?P<role>[^→]+?) → (?P<email>\S+) / (?P<password>\S+)$")


@dataclass(frozen=True)
class Login:
    """One demo account: the organizer it belongs to (:data:`CITY_WIDE` for none), its role, email, password."""

    organizer: str
    role: str
    email: str
    password: str

    def line(self) -> str:
        return f"{self.organizer}: {self.role} → {self.email} / {self.password}"


@dataclass
class LoadResult:
    """What was loaded: the conferences with a line each, the accounts, personal pages to try, row counts."""

    today: date
    conferences: list[tuple[Any, str]] = field(default_factory=list)  # (Conference, what it shows)
    logins: list[Login] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (what, URL) of enterprises' personal pages
    counts: dict[str, int] = field(default_factory=dict)


def parse_logins(text: str) -> tuple[list[Login], list[str]]:
    """The account lines of a login file, and its other non-comment lines as they stand."""
    logins: list[Login] = []
    others: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match:
            logins.append(Login(**{k: v.strip() for k, v in match.groupdict().items()}))
        else:
            others.append(line)
    return logins, others


def grouped_lines(logins: list[Login], indent: str = "  ") -> list[str]:
    """The accounts under their organizer, organizers in first-seen order, the city-wide ones last."""
    groups: dict[str, list[Login]] = {}
    for login in logins:
        groups.setdefault(login.organizer, []).append(login)
    if CITY_WIDE in groups:
        groups[CITY_WIDE] = groups.pop(CITY_WIDE)
    lines = []
    for organizer, members in groups.items():
        lines.append(f"{indent}{organizer}:")
        lines += [f"{indent}  {m.role} → {m.email} / {m.password}" for m in members]
    return lines


def link_lines(links: list[tuple[str, str]], indent: str = "  ") -> list[str]:
    return [f"{indent}{PERSONAL_PAGE} – {what}: {url}" for what, url in links]


def write_login_file(instance: Path, result: LoadResult) -> Path:
    """``<instance>/demo-login.txt``, readable by its owner only, for ``heza dev`` to print again."""
    path = instance / LOGIN_FILE
    lines = [f"# Tài khoản dữ liệu mẫu heza (nạp ngày {result.today:%d/%m/%Y}); mật khẩu ngẫu nhiên, chỉ dùng thử.",
             "# Mỗi dòng: đơn vị tổ chức: vai trò → email / mật khẩu."]
    lines += [login.line() for login in result.logins]
    lines += link_lines(result.links, indent="")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    path.chmod(0o600)  # the file may have existed with wider rights
    return path


def read_login_file(instance: Path) -> str | None:
    """The demo logins written by ``heza demo``, or None if there are none."""
    path = instance / LOGIN_FILE
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
