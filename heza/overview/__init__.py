"""The City overview: every organizer's compliance with its plan for a year, for the City's supervisors.

:mod:`heza.overview.queries` computes the figures (one grouped query per figure, whatever the number
of organizers), :mod:`heza.overview.links` points each figure at the admin list behind it, and
:mod:`heza.overview.admin` shows the page and its XLSX export to admins and supervisors only.
"""
