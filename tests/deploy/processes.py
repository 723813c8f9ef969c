"""What the deploy tests share: the units' commands, a database of a test's own, child processes, HTTP."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.support import ROOT

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent


def exec_start(unit: str) -> list[str]:
    """The unit's ``ExecStart`` command, with this virtualenv in place of ``/opt/heza/.venv``."""
    text = (DEPLOY / unit).read_text()
    line = re.search(r"^ExecStart=(.+)$", text, re.MULTILINE).group(1)
    argv = shlex.split(line)
    argv[0] = str(BIN / Path(argv[0]).name) if argv[0].startswith("/opt/heza/.venv/bin/") else argv[0]
    assert Path(argv[0]).exists(), argv[0]
    return argv


def server_url() -> str:
    url = os.environ.get("HEZA_TEST_DATABASE_URL", "")
    if url.startswith("postgresql"):
        return url
    if os.environ.get("CI") == "true":
        return os.environ.get("HEZA_TEST_PG_URL", DEFAULT_PG_URL)
    pytest.skip("needs PostgreSQL: set HEZA_TEST_DATABASE_URL (always runs on CI)")


def own_database() -> Iterator[str]:
    """A database of this test's own on the suite's PostgreSQL server, dropped afterwards."""
    base = sa.engine.make_url(server_url())
    name = f"heza_hosts_{os.getpid()}"
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass
class Processes:
    """The children of the test, stopped (and their logs kept) at the end."""

    folder: Path
    running: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        with (self.folder / f"{name}.log").open("wb") as log:  # the child keeps its own copy of the descriptor
            proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        self.running[name] = proc
        return proc

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        for proc in self.running.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.running.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def wait_for(what: str, check: Callable[[], Any], deadline: float, every: float = 0.1) -> Any:
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(every)


def http_get(url: str, opener: urllib.request.OpenerDirector | None = None) -> tuple[int, dict[str, str], str]:
    try:
        with (opener or urllib.request.build_opener()).open(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()
    except OSError:
        return 0, {}, ""
