"""Importing the lists an office already keeps in spreadsheets: enterprises, units, recommendations.

``reading`` turns an uploaded CSV or XLSX into rows of text (refusing hostile files clearly);
``checking`` holds what every kind shares (headings, cell cleaning, create / update / unchanged /
error, writing all or nothing); ``enterprises``, ``units`` and ``recommendations`` are the kinds,
each checking rows against the database and applying a checked file in one transaction (any error:
nothing of the file is written). ``admin`` is the upload → preview → confirm screen, ``cli`` the
``heza import`` command.
"""
