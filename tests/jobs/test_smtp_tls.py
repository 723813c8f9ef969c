"""Delivery through a relay as a city runs one: STARTTLS or TLS from the first byte, with a login.

A real aiosmtpd server on loopback with a certificate made for the test (``openssl``): the relay's
certificate is verified (``HEZA_MAIL_CA_FILE`` names the CA); a relay the app cannot verify gets
nothing (the email stays queued with the reason), and neither does one that asks for a login
the app does not have.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from flask import Flask

from heza.extensions import db as _db
from heza.outbox import delivery
from heza.outbox.models import EmailStatus, OutboundEmail
from tests.jobs.conftest import Handler, free_port

USER, PASSWORD = "heza-relay", "mat-khau-smtp"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is missing")
    folder = tmp_path_factory.mktemp("smtp-tls")
    cert, key = folder / "relay.pem", folder / "relay.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=relay.heza.test", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


class Authenticator:
    def __init__(self) -> None:
        self.logins: list[str] = []

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER \
            and auth_data.password.decode() == PASSWORD
        if ok:
            self.logins.append(mechanism)
        return AuthResult(success=ok)


@pytest.fixture()
def relay_config(app: Flask, db: object) -> Iterator[Any]:
    """Point the app's mail state at a relay with TLS settings; everything restored afterwards."""
    state = app.extensions["mail"]
    names = ("server", "port", "use_tls", "use_ssl", "username", "password", "suppress")
    saved_state = {n: getattr(state, n) for n in names}
    saved_config = {k: app.config.get(k) for k in ("MAIL_SUPPRESS_SEND", "MAIL_TIMEOUT", "MAIL_CA_FILE")}

    def point(port: int, *, tls: bool = False, ssl_: bool = False, ca: Path | None = None,
              username: str | None = USER, password: str | None = PASSWORD) -> None:
        state.server, state.port, state.suppress = "127.0.0.1", port, False
        state.use_tls, state.use_ssl, state.username, state.password = tls, ssl_, username, password
        app.config.update(MAIL_SUPPRESS_SEND=False, MAIL_TIMEOUT=5, MAIL_CA_FILE=str(ca) if ca else None)

    yield point
    for n, v in saved_state.items():
        setattr(state, n, v)
    app.config.update(saved_config)


def _server_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def _relay(cert: Path, key: Path, *, implicit_tls: bool) -> tuple[Controller, Handler, Authenticator, int]:
    handler, auth, port = Handler(), Authenticator(), free_port()
    context = _server_context(cert, key)
    if implicit_tls:
        # TLS from the first byte. aiosmtpd's auth_require_tls only knows STARTTLS, and requiring AUTH
        # without it warns on every connection: AUTH is offered, and the test checks the app logged in.
        controller = Controller(handler, hostname="127.0.0.1", port=port, ssl_context=context,
                                authenticator=auth, auth_required=False, auth_require_tls=False)
    else:
        controller = Controller(handler, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                                authenticator=auth, auth_required=True, auth_require_tls=True)
    controller.start()
    return controller, handler, auth, port


def _one_email() -> None:
    _db.session.add(OutboundEmail(key="tls:1", kind="test", to_addr="cang1@demo.heza.vn", subject="Thư mời hội nghị",
                                  text_body="Kính gửi Công ty Cảng 1", status=EmailStatus.PENDING))
    _db.session.commit()


def _row() -> OutboundEmail:
    _db.session.expire_all()
    return _db.session.scalars(sa.select(OutboundEmail).where(OutboundEmail.key == "tls:1")).one()


@pytest.mark.parametrize("implicit_tls", [False, True], ids=["starttls-587", "tls-465"])
def test_delivery_through_a_verified_relay_with_a_login(certificate, relay_config, implicit_tls):
    cert, key = certificate
    controller, handler, auth, port = _relay(cert, key, implicit_tls=implicit_tls)
    try:
        relay_config(port, tls=not implicit_tls, ssl_=implicit_tls, ca=cert)
        _one_email()
        delivery.deliver()
    finally:
        controller.stop()
    assert _row().status == EmailStatus.SENT
    assert [m.to for m in handler.messages] == ["cang1@demo.heza.vn"] and auth.logins


def test_a_relay_whose_certificate_cannot_be_verified_gets_nothing(certificate, relay_config):
    cert, key = certificate
    controller, handler, _auth, port = _relay(cert, key, implicit_tls=False)
    try:
        relay_config(port, tls=True, ca=None)  # the system's CAs do not know the test's certificate
        _one_email()
        delivery.deliver()
    finally:
        controller.stop()
    row = _row()
    assert handler.messages == [] and row.status == EmailStatus.PENDING
    assert "CERTIFICATE_VERIFY_FAILED" in row.last_error


def test_without_starttls_the_relay_refuses_the_login(certificate, relay_config):
    cert, key = certificate
    controller, handler, auth, port = _relay(cert, key, implicit_tls=False)
    try:
        relay_config(port, tls=False, ca=cert)  # HEZA_MAIL_USE_TLS forgotten: no login over plain text
        _one_email()
        delivery.deliver()
    finally:
        controller.stop()
    assert handler.messages == [] and not auth.logins and _row().status != EmailStatus.SENT
