"""The WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi run``."""

from heza import create_app

app = create_app()
