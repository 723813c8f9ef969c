"""Flask-Admin's ajax look-ups (the select boxes that search as one types), scoped like every list."""

from __future__ import annotations

from typing import Any

from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader

from heza import tenancy
from heza.admin.keys import as_key, single_key


class ScopedAjaxLoader(QueryAjaxModelLoader):
    """Flask-Admin's ajax loader: offers and accepts only rows the person may see; an id that does not
    parse as the key's type is "not found"."""

    def get_query(self) -> Any:
        return tenancy.scope(super().get_query(), self.model, tenancy.current_viewer())

    def get_one(self, pk: Any) -> Any:
        column = single_key(self.model)
        if column is not None:
            pk = as_key(column, pk)
            if pk is None:
                return None
        row = super().get_one(pk)
        return row if row is not None and tenancy.may_see(row, tenancy.current_viewer()) else None


