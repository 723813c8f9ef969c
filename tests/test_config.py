"""Settings come from HEZA_* variables through strict parsers."""

from __future__ import annotations

import pytest

from heza import config, create_app


def test_environment_values_are_parsed():
    values = config.load({"HEZA_DATABASE_URL": "sqlite:///x.db", "HEZA_MAIL_PORT": "2525",
                          "HEZA_MAIL_USE_TLS": "yes", "HEZA_SERVER_NAME": "heza.example"})
    assert values["SQLALCHEMY_DATABASE_URI"] == "sqlite:///x.db"
    assert values["MAIL_PORT"] == 2525
    assert values["MAIL_USE_TLS"] is True
    assert values["SERVER_NAME"] == "heza.example"
    assert values["BABEL_DEFAULT_LOCALE"] == "vi"
    assert values["LOCAL_TIMEZONE"] == "Asia/Ho_Chi_Minh"


@pytest.mark.parametrize(("name", "raw"), [("HEZA_MAIL_USE_TLS", "maybe"), ("HEZA_MAIL_PORT", "twenty-five")])
def test_bad_values_stop_the_start_naming_the_variable(name, raw):
    with pytest.raises(config.ConfigError, match=name):
        config.load({name: raw})


def test_sqlite_in_the_instance_folder_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("HEZA_DATABASE_URL", raising=False)
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("heza.sqlite")
    assert app.instance_path in app.config["SQLALCHEMY_DATABASE_URI"]


def test_database_url_from_the_environment(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'env.sqlite'}"
    monkeypatch.setenv("HEZA_DATABASE_URL", url)
    assert create_app({"SECRET_KEY": "x"}).config["SQLALCHEMY_DATABASE_URI"] == url


def test_explicit_config_wins(monkeypatch):
    monkeypatch.setenv("HEZA_MAIL_PORT", "2525")
    assert create_app({"MAIL_PORT": 1025, "SECRET_KEY": "x"}).config["MAIL_PORT"] == 1025


def test_links_outside_requests_point_at_the_served_address_by_default(monkeypatch):
    monkeypatch.delenv("HEZA_SERVER_NAME", raising=False)
    app = create_app({"SECRET_KEY": "x"})
    from flask import url_for

    with app.app_context():
        assert url_for("auth.login", _external=True) == "http://127.0.0.1:5000/login"
