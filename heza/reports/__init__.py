"""Generated documents: the result report (R6), the postpone/cancel report (R3), the conclusion
notice (R7), the hotline summary (R11) and the newsletter issue status (R10).

Counting lives in :mod:`heza.reports.stats`, the administrative layout in
:mod:`heza.reports.docx_layout` and the issuing organizer's identity (header, number symbol,
place, signer, leaders, the plan cited) in :mod:`heza.reports.issuer`: every document speaks in
its own organizer's name. :mod:`heza.reports.cli` (``heza report …``, city-wide) and
:mod:`heza.reports.views` (``/admin/reports/…``, scoped to what the user may see) are thin callers
of the builders.
"""
