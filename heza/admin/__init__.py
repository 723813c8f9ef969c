"""The Flask-Admin site at ``/admin``: one fresh :class:`flask_admin.Admin` per app, every screen registered.

Each domain package exposes ``register(admin)`` in its ``admin`` module; :data:`ADMIN_MODULES` is the
order of the menu.
"""

from __future__ import annotations

import importlib

from flask import Flask
from flask_admin import Admin
from flask_admin import babel as fa_babel
from flask_admin import translations as fa_translations
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l

from heza.admin.base import TRANSLATIONS_DIR
from heza.security_headers import csp_nonce

ADMIN_MODULES: tuple[str, ...] = (
    "heza.overview.admin",
    "heza.conferences.admin",
    "heza.recommendations.admin",
    "heza.conferences.admin_related",
    "heza.directory.admin",
    "heza.imports.admin",
    "heza.plans.admin",
    "heza.hotline.admin",
    "heza.newsletter.admin",
    "heza.outreach.admin",
    "heza.calendar.admin",
    "heza.outbox.admin",
    "heza.jobruns.admin",
    "heza.accounts.admin",
)


def use_corrected_catalog() -> None:
    """Make heza's corrected Vietnamese win over Flask-Admin's own catalog.

    Flask-Babel merges the catalogs of a domain's directories in order, the later overriding the
    earlier; Flask-Admin lists ``Admin(translations_path=...)`` *first*, so its own ``vi`` catalog
    ("Kỷ lục được tạo thành công", "sản phẩm nào" for "empty") would override every correction.
    Flask-Admin's domain is given a subclass that lists its own directory first and heza's last,
    whatever view is current (the domain caches per locale, so the order must not depend on it).
    """
    domain = fa_babel.domain
    if isinstance(domain, _CorrectedDomain):
        return
    domain.__class__ = _CorrectedDomain
    domain.cache.clear()


class _CorrectedDomain(fa_babel.CustomDomain):
    @property
    def translation_directories(self) -> list[str]:
        return [fa_translations.__path__[0], str(TRANSLATIONS_DIR)]


def init_admin(app: Flask) -> Admin:
    """Build the admin for ``app`` (a new :class:`Admin` each call: tests create many apps)."""
    from heza.admin.dashboard import DashboardView

    use_corrected_catalog()

    admin = Admin(
        app,
        # The system serves every organizer: its name is no one organizer's.
        name=_l("Đối thoại doanh nghiệp"),
        index_view=DashboardView(name=_l("Tổng quan"), url="/admin", endpoint="admin"),
        translations_path=str(TRANSLATIONS_DIR),
        theme=Bootstrap4Theme(base_template="admin/heza_layout.html", fluid=True),
        csp_nonce_generator=csp_nonce,  # its few inline scripts carry the request's nonce
    )
    for name in ADMIN_MODULES:
        importlib.import_module(name).register(admin)
    return admin
