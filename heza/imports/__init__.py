"""Importing the lists an office already keeps in spreadsheets (enterprises first).

``reading`` turns an uploaded CSV or XLSX into rows of text (refusing hostile files clearly),
``enterprises`` checks each row against the directory and says create / update / unchanged / error,
and applies a checked file in one transaction (any error: nothing of the file is written).
``admin`` is the upload → preview → confirm screen, ``cli`` the ``heza import`` command.
"""
