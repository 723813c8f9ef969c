"""gunicorn settings for heza: ``gunicorn -c deploy/gunicorn.conf.py wsgi:app``.

Bind address and worker count come from the command line or ``GUNICORN_CMD_ARGS`` (the env file
sets ``--bind`` and ``--workers``), so one file serves every host; the systemd unit and the
multi-host test start gunicorn the same way.
"""

import gunicorn.http.wsgi

# Every response of gunicorn says "Server: gunicorn"; say nothing about the software instead.
gunicorn.http.wsgi.SERVER = "heza"

bind = "127.0.0.1:8000"  # behind the reverse proxy on the same host; --bind overrides
workers = 3  # about 2 × cores + 1; --workers overrides
timeout = 60  # a report export may take a while; a stuck worker is restarted after this
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then (memory held by big exports)
max_requests_jitter = 200

# heza writes its own line per request (heza.request, with the request id); no second access log.
accesslog = None
errorlog = "-"
loglevel = "info"

# Forwarded headers are the app's business (HEZA_PROXY_HOPS, werkzeug's ProxyFix): gunicorn itself
# must not turn X-Forwarded-Proto into https for whoever connects from 127.0.0.1.
forwarded_allow_ips = ""
secure_scheme_headers = {}
