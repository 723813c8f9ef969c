"""What a list page repeats for each of its rows, built once per page (``templates/admin/model/row_actions.html``).

Flask-Admin renders each row's view and edit links with ``url_for``, its delete form with WTForms and
the same few labels through gettext: three URL builds, three field renders and three look-ups per row,
a third of a 50-row page. The links of a page differ only by the row's id, so one ``url_for`` per page
gives the rest by putting each id in its place; a label is looked up once per page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote_plus

from flask_admin import babel as fa_babel
from flask_admin.model.template import DeleteRowAction, EditRowAction, ViewRowAction
from markupsafe import Markup

# Werkzeug's query encoding (werkzeug.urls._urlencode): what url_for leaves unescaped in a query value.
_QUERY_SAFE = "!$'()*,/:;?@"
# A stand-in id that url_for keeps as it is; the link is cut around it.
_STAND_IN = "0heza0row0id0"
# The actions that write the row's id and nothing else of the row (row_actions.html); exact types, since a
# subclass may read the row. An id made of these characters reads the same escaped for HTML and for a URL.
_ID_ONLY_ACTIONS = (ViewRowAction, EditRowAction, DeleteRowAction)
_PLAIN_ID = re.compile(r"[A-Za-z0-9_.-]+")


class RowLinks:
    """The per-row links of one list page: ``row_links.url('.details_view', row_id)``, and the whole
    action buttons of a row (``templates/admin/heza_list.html``): rendered for the first row with a stand-in
    id, then given to each row with its own id in place."""

    stand_in = _STAND_IN

    def __init__(self, view: Any, return_url: str | None, actions: Any = ()) -> None:
        self.view = view
        self.return_url = return_url
        self._parts: dict[str, tuple[str, str] | None] = {}
        self._plain: dict[str, str] = {}
        self._actions: Markup | None = None
        # The return address carries what was typed in the search box: were the stand-in in it, it would be
        # replaced there too.
        self.actions_cacheable = (all(type(a) in _ID_ONLY_ACTIONS for a in actions)
                                  and _STAND_IN not in (return_url or ""))

    @property
    def has_actions(self) -> bool:
        return self._actions is not None

    def keep_actions(self, html: str) -> str:
        """Keep the buttons rendered for the stand-in id (the template prints what this returns: nothing)."""
        self._actions = Markup(html)
        return ""

    def actions(self, row_id: Any) -> Markup | None:
        """The row's buttons with ``row_id`` in place, or None when the template must render them itself."""
        if self._actions is None or not _PLAIN_ID.fullmatch(str(row_id)):
            return None
        return Markup(str(self._actions).replace(_STAND_IN, str(row_id)))

    def url(self, endpoint: str, row_id: Any) -> str:
        """``view.get_url(endpoint, id=row_id, url=return_url)``, the same string, without a URL build per row."""
        if endpoint not in self._parts:
            built = self.view.get_url(endpoint, id=_STAND_IN, url=self.return_url)
            # Cut only where the stand-in is the id (a search typed as the stand-in would appear twice).
            self._parts[endpoint] = tuple(built.split(_STAND_IN)) if built.count(_STAND_IN) == 1 else None
        parts = self._parts[endpoint]
        if parts is None:
            return self.view.get_url(endpoint, id=row_id, url=self.return_url)
        return f"{parts[0]}{quote_plus(str(row_id), safe=_QUERY_SAFE)}{parts[1]}"

    def plain(self, endpoint: str) -> str:
        """``view.get_url(endpoint)``, built once per page (the delete form's action)."""
        if endpoint not in self._plain:
            self._plain[endpoint] = self.view.get_url(endpoint)
        return self._plain[endpoint]


def page_gettext() -> Callable[..., str]:
    """Flask-Admin's ``_gettext`` for one page: a label without variables is translated once per page."""
    memo: dict[str, str] = {}

    def gettext(string: str, **variables: Any) -> str:
        if variables:
            return fa_babel.gettext(string, **variables)
        if string not in memo:
            memo[string] = fa_babel.gettext(string)
        return memo[string]

    return gettext


class ListRenderingMixin:
    """Gives the list template its :class:`RowLinks` (mixed into the base model view)."""

    list_template = "admin/heza_list.html"

    def render(self, template: str, **kwargs: Any) -> Any:
        if template != self.list_template:
            return super().render(template, **kwargs)  # type: ignore[misc]
        kwargs["row_links"] = RowLinks(self, kwargs.get("return_url"), kwargs.get("list_row_actions") or ())
        # Flask-Admin's render sets ``_gettext`` and then applies ``_template_args`` (kept in ``g``, which
        # can outlive this page): set there for this page only.
        args = self._template_args  # type: ignore[attr-defined]
        args["_gettext"] = page_gettext()
        try:
            return super().render(template, **kwargs)  # type: ignore[misc]
        finally:
            args.pop("_gettext", None)
