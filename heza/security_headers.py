"""Security headers on every response, from one after-request hook.

- ``Content-Security-Policy``: scripts only from this origin or carrying the request's nonce
  (Flask-Admin's few inline scripts get it through ``Admin(csp_nonce_generator=csp_nonce)``;
  heza's own templates have no inline script or event handler: ``static/heza-csp.js`` does their
  work from ``data-*`` attributes). Styles may stay inline (``<style>`` blocks and the libraries'
  ``style=`` attributes); they cannot run code. No framing (``frame-ancestors 'none'``).
- ``X-Frame-Options: DENY`` for browsers that predate ``frame-ancestors``; ``nosniff``;
  ``Referrer-Policy`` (the public blueprint's stricter ``no-referrer`` is kept).
- ``Strict-Transport-Security`` only on a request that came over https (behind a proxy that
  needs ``HEZA_PROXY_HOPS``, so the scheme is the client's).

A response that already carries a policy (the ``heza dev`` mail viewer sets its own) keeps it.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, request

HSTS = "max-age=31536000; includeSubDomains"
REFERRER_POLICY = "strict-origin-when-cross-origin"


def csp_nonce() -> str:
    """This request's script nonce, made on first use."""
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(18)
    return nonce


def policy(nonce: str) -> str:
    return "; ".join((
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))


def _add_headers(response: Response) -> Response:
    headers = response.headers
    if "Content-Security-Policy" not in headers:
        headers["Content-Security-Policy"] = policy(csp_nonce())
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", REFERRER_POLICY)
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_add_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
