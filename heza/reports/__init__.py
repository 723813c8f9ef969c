"""Generated documents: the result report (R6), the postpone/cancel report (R3), the conclusion
notice (R7), the hotline summary (R11) and the newsletter issue status (R10).

Counting lives in :mod:`heza.reports.stats`, the administrative layout in
:mod:`heza.reports.docx_layout`; :mod:`heza.reports.cli` (``heza report …``) and
:mod:`heza.reports.views` (``/admin/reports/…``) are thin callers of the builders.
"""
