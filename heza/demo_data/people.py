"""The demo's accounts: an officer, a unit's staff member and a viewer for each organizer, a city supervisor, an admin.

Every account is invented (name "…, dữ liệu mẫu", address on ``demo.heza.vn``) and gets a fresh
random password on every load; an account that already exists is reset.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

from heza.accounts.models import Role, User
from heza.demo_data.logins import CITY_WIDE, Login
from heza.demo_data.organizers import DEMO_DOMAIN, ORGANIZERS

if TYPE_CHECKING:
    from heza.demo_data.context import Demo


@dataclass(frozen=True)
class StaffRow:
    local_part: str  # before the @ of the organizer's mail domain
    name: str
    role: str  # a Role value
    unit: str | None = None  # a unit key, for the unit role


# Per organizer key: who works there. The unit staff sit in the organizer's lead unit.
STAFF: dict[str, tuple[StaffRow, ...]] = {
    "heza": (
        StaffRow("canbo", "Phạm Thu Giang (cán bộ nghiệp vụ, dữ liệu mẫu)", "officer"),
        StaffRow("donvi", "Trịnh Văn Hải Nam (Phòng DN&GSĐT, dữ liệu mẫu)", "unit", "dn"),
        StaffRow("xem", "Lê Hồng Nhung (chỉ xem, dữ liệu mẫu)", "viewer"),
    ),
    "phu-lien": (
        StaffRow("canbo", "Nguyễn Thị Thu Trang (cán bộ nghiệp vụ, dữ liệu mẫu)", "officer"),
        StaffRow("donvi", "Vũ Đức Mạnh (Phòng KTHT&ĐT, dữ liệu mẫu)", "unit", "ktht"),
        StaffRow("xem", "Đào Minh Châu (chỉ xem, dữ liệu mẫu)", "viewer"),
    ),
    "hai-trieu": (
        StaffRow("canbo", "Hoàng Thị Lan Hương (cán bộ nghiệp vụ, dữ liệu mẫu)", "officer"),
        StaffRow("donvi", "Trần Văn Định (Phòng KTHT&ĐT, dữ liệu mẫu)", "unit", "ht.ktht"),
        StaffRow("xem", "Phạm Quỳnh Anh (chỉ xem, dữ liệu mẫu)", "viewer"),
    ),
    "so-cong-thuong": (
        StaffRow("canbo", "Lê Văn Khoa (cán bộ nghiệp vụ, dữ liệu mẫu)", "officer"),
        StaffRow("donvi", "Ngô Thị Minh Thư (Phòng KH-TC-TH, dữ liệu mẫu)", "unit", "sct.kh"),
        StaffRow("xem", "Bùi Đức Long (chỉ xem, dữ liệu mẫu)", "viewer"),
    ),
}

# Accounts of no organizer: (email, name, role, what the login list calls the role).
CITY_WIDE_STAFF: tuple[tuple[str, str, str, str], ...] = (
    (f"giamsat@thanhpho.{DEMO_DOMAIN}", "Nguyễn Thị Thanh Bình (Sở Tài chính, giám sát, dữ liệu mẫu)", "supervisor",
     "Giám sát – Sở Tài chính (xem mọi đơn vị tổ chức, không sửa)"),
    (f"admin@{DEMO_DOMAIN}", "Quản trị viên (dữ liệu mẫu)", "admin", "Quản trị hệ thống"),
)

ROLE_LABELS = {Role.OFFICER: "Cán bộ nghiệp vụ", Role.UNIT: "Cán bộ đơn vị", Role.VIEWER: "Chỉ xem"}


def load_people(demo: Demo, make_password: Callable[[], str]) -> None:
    """Every demo account, created or reset, each with a fresh random password, listed per organizer."""
    for row in ORGANIZERS:
        organizer = demo.organizers[row.key]
        for staff in STAFF[row.key]:
            role = Role(staff.role)
            unit = demo.units[staff.unit] if staff.unit else None
            label = ROLE_LABELS[role] + (f" ({unit.short_name})" if unit is not None else "")
            _account(demo, f"{staff.local_part}@{row.mail_domain}", staff.name, role, organizer, unit,
                     make_password(), organizer.name, label)
    for email, name, role, label in CITY_WIDE_STAFF:
        _account(demo, email, name, Role(role), None, None, make_password(), CITY_WIDE, label)


def _account(demo: Demo, email: str, name: str, role: Role, organizer: object, unit: object, password: str,
             group: str, label: str) -> None:
    user = demo.session.scalar(sa.select(User).where(User.email == email)) or demo.add(User(email=email))
    user.name, user.role, user.organizer, user.unit = name, role, organizer, unit
    user.active, user.failed_logins, user.locked_until_dt = True, 0, None
    user.set_password(password)
    problem = user.membership_problem()
    if problem:  # the demo's own tables disagree with the account rules: a bug here, not the user's
        raise RuntimeError(f"{email}: {problem}")
    demo.result.logins.append(Login(group, label, email, password))
