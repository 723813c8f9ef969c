"""The commands: ``heza dev`` (what ``make run`` starts) and ``heza mailsink``, and the scheduler subprocess.

``heza dev`` runs the mail sink in a background thread, the scheduler as its own subprocess
``heza scheduler`` (DESIGN: one scheduler process, never inside web workers) told through its
environment to deliver to the sink, and the web app under werkzeug's ``run_simple`` (threaded,
no reloader) with the mail viewer. Ctrl-C (or SIGTERM) stops the web server, terminates the
scheduler and closes the sink.

Nothing here imports :mod:`heza.cli` (which registers these commands): the scheduler is found in
:mod:`jobs.cli` and started as ``heza scheduler`` in a new process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from heza.devserver.banner import banner
from heza.devserver.mailsink import DEFAULT_SINK_PORT, LOOPBACK, SINK_DIRNAME, free_port, port_is_free, start_mail_sink
from heza.devserver.viewer import mail_viewer, mark_dev_app

SCHEDULER_STOP_SECONDS = 10


# --------------------------------------------------------------------------- the scheduler subprocess


def scheduler_available() -> bool:
    """Whether the ``heza scheduler`` command exists (:mod:`jobs.cli` defines it), without importing it:
    the dev runner starts it as a command, it does not use the jobs' code."""
    import importlib.util

    try:
        return importlib.util.find_spec("jobs.cli") is not None
    except ModuleNotFoundError:
        return False


def start_scheduler(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``heza scheduler`` in its own process, with this interpreter (the venv) and ``env``."""
    return subprocess.Popen([sys.executable, "-c", "from heza.cli import main; main()", "scheduler"], env=env)


def stop_process(proc: subprocess.Popen[bytes] | None, timeout: float = SCHEDULER_STOP_SECONDS) -> None:
    """Terminate a child and wait for it; kill it if it does not stop in time."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _watch(proc: subprocess.Popen[bytes], stopping: threading.Event) -> None:
    code = proc.wait()
    if not stopping.is_set():
        click.echo(f"CẢNH BÁO: tiến trình lập lịch (heza scheduler) đã dừng với mã {code}; email và nhắc việc "
                   f"sẽ không được gửi cho tới khi chạy lại heza dev (the scheduler exited).", err=True)


# --------------------------------------------------------------------------- the commands


def _display_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "", "::") else host


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


@click.command("mailsink")
@click.option("--port", default=DEFAULT_SINK_PORT, show_default=True, help="Cổng SMTP trên 127.0.0.1.")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Thư mục lưu thư (mặc định: <instance>/mailsink).")
@with_appcontext
def mailsink_command(port: int, directory: Path | None) -> None:
    """Chạy hộp thư thử nghiệm: máy chủ SMTP cục bộ lưu mọi thư thành tệp .eml (local mail sink)."""
    directory = directory or Path(current_app.instance_path) / SINK_DIRNAME
    if not port_is_free(port):
        raise click.ClickException(f"Cổng {port} đang được dùng (port {port} is in use): chọn --port khác.")
    controller = start_mail_sink(directory, port)
    click.echo(f"Hộp thư thử nghiệm nhận thư tại 127.0.0.1:{port}, lưu vào {directory}. Nhấn Ctrl-C để dừng.")
    previous = signal.signal(signal.SIGTERM, _raise_interrupt), signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])
        controller.stop()


@click.command("dev")
@click.option("--host", default=LOOPBACK, show_default=True, help="Địa chỉ web server lắng nghe.")
@click.option("--port", default=5000, show_default=True, help="Cổng web server.")
@click.option("--mail-port", default=DEFAULT_SINK_PORT, show_default=True,
              help="Cổng SMTP của hộp thư thử nghiệm (một cổng trống khác nếu cổng này bận).")
@click.option("--mail-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Thư mục lưu thư (mặc định: <instance>/mailsink).")
@click.option("--no-scheduler", is_flag=True, help="Không chạy tiến trình lập lịch.")
def dev_command(host: str, port: int, mail_port: int, mail_dir: Path | None, no_scheduler: bool) -> None:
    """Chạy ứng dụng, bộ lập lịch và hộp thư thử nghiệm trên máy này (run the app, scheduler and mail sink)."""
    from werkzeug.serving import run_simple

    from heza import create_app
    from heza.demo_data.logins import read_login_file

    if not port_is_free(mail_port):
        busy, mail_port = mail_port, free_port()
        click.echo(f"Cổng {busy} đang bận: hộp thư thử nghiệm dùng cổng {mail_port}.")
    # The app and the scheduler read their mail server from HEZA_* variables like in production.
    mail_env = {"HEZA_MAIL_SERVER": LOOPBACK, "HEZA_MAIL_PORT": str(mail_port),
                "HEZA_MAIL_USE_TLS": "false", "HEZA_MAIL_USE_SSL": "false",
                "HEZA_MAIL_USERNAME": "", "HEZA_MAIL_PASSWORD": ""}
    os.environ.update(mail_env)
    # Links in emails (built outside requests, by the scheduler too) point at this server.
    os.environ.setdefault("HEZA_SERVER_NAME", f"{_display_host(host)}:{port}")
    app = mark_dev_app(create_app({"MAIL_SUPPRESS_SEND": False}))
    sink_dir = (mail_dir or Path(app.instance_path) / SINK_DIRNAME).resolve()
    app.register_blueprint(mail_viewer(sink_dir))
    base_url = f"http://{_display_host(host)}:{port}"

    controller = start_mail_sink(sink_dir, mail_port)
    stopping = threading.Event()
    proc: subprocess.Popen[bytes] | None = None
    # Ctrl-C must stop everything even if the shell started us with SIGINT ignored (a background job).
    previous = signal.signal(signal.SIGTERM, _raise_interrupt), signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        if no_scheduler:
            scheduler = "không chạy (--no-scheduler)"
        elif not scheduler_available():
            scheduler = "CHƯA CÓ lệnh `heza scheduler`: email và nhắc việc sẽ không được gửi"
            click.echo("CẢNH BÁO: chưa có lệnh `heza scheduler` (the scheduler command is not registered); "
                       "tiếp tục không có lập lịch.", err=True)
        else:
            # Links in scheduled emails point at this dev server unless a server name is configured.
            env = {**os.environ, **mail_env}
            env.setdefault("HEZA_SERVER_NAME", f"{_display_host(host)}:{port}")
            proc = start_scheduler(env)
            threading.Thread(target=_watch, args=(proc, stopping), daemon=True, name="scheduler-watch").start()
            scheduler = f"heza scheduler (tiến trình {proc.pid})"
        login = read_login_file(Path(app.instance_path))
        with app.app_context():  # the day-off note reads the working-day calendar
            click.echo(banner(base_url, mail_port, sink_dir, scheduler, login))
        run_simple(host, port, app, use_reloader=False, use_debugger=False, threaded=True)
    except KeyboardInterrupt:
        pass
    finally:
        stopping.set()
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])
        stop_process(proc)
        controller.stop()
        click.echo("Đã dừng heza dev.")
