"""Browser tests: Playwright drives Debian's Chromium (headless) against a real server process.

The server runs in a subprocess on a free localhost port, on its own database (a SQLite file, or
a fresh PostgreSQL database when the suite runs on PostgreSQL): a copy of one database migrated
and loaded with the demo data, once per session, by the same commands a newcomer runs. Screenshots land in test-artifacts/screenshots/.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("ANJIAN_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "Browser#Test2026"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _anjian(env, *args, timeout=600):
    result = subprocess.run(
        [sys.executable, "-m", "anjian", *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"anjian {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _pg_database(url: str, *, template: str | None = None) -> tuple[str, callable]:
    """A fresh PostgreSQL database on the server of ``url`` (a copy of ``template`` when given),
    and the function that drops it."""
    import psycopg

    name = f"anjian_browser_{uuid.uuid4().hex[:8]}"
    base, _sep, _db = url.rpartition("/")
    admin = f"{base}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{base}/{name}", drop


def _server_env(work: Path, database_url: str, settings_module: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=database_url,
        ANJIAN_SECRET_KEY="browser-test-secret-key-0123456789-abcdefghijklmnop",
        ANJIAN_HTTPS="false",
        ANJIAN_DEBUG="false",
        ANJIAN_ALLOWED_HOSTS="127.0.0.1,localhost",
        ANJIAN_QUEUE_URL="memory://",
        ANJIAN_QUEUE_IMMEDIATE="true",
        ANJIAN_MEDIA_ROOT=str(work / "media"),
        ANJIAN_STATIC_ROOT=str(work / "static"),
        DJANGO_SETTINGS_MODULE=settings_module,
    )
    return env


def _on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@dataclasses.dataclass(frozen=True)
class DemoDatabase:
    """A database migrated and loaded with the demo data once per session; servers run on copies."""

    url: str
    media: Path


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory):
    """``migrate`` and ``load_demo``, run once by the commands a newcomer runs. Loading the demo
    takes minutes on PostgreSQL; copying the result takes a second."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium package")
    work = tmp_path_factory.mktemp("demo-database")
    drop = None
    if _on_postgres():
        url, drop = _pg_database(os.environ["DATABASE_URL"])
    else:
        url = f"sqlite:///{work / 'demo.sqlite3'}"
    try:
        env = _server_env(work, url, "anjian.config.settings")
        _anjian(env, "migrate", "--noinput")
        _anjian(env, "load_demo", "--password", PASSWORD)
        (work / "media").mkdir(exist_ok=True)
        yield DemoDatabase(url=url, media=work / "media")
    finally:
        if drop:
            drop()


def _copy_database(demo: DemoDatabase, work: Path) -> tuple[str, callable | None]:
    if demo.url.startswith("sqlite:///"):
        target = work / "browser.sqlite3"
        with sqlite3.connect(demo.url.removeprefix("sqlite:///")) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return f"sqlite:///{target}", None
    return _pg_database(demo.url, template=demo.url.rpartition("/")[2])


@contextlib.contextmanager
def running_server(work: Path, demo: DemoDatabase, *, settings_module: str = "anjian.config.settings", commands=()):
    """A real server (gunicorn) on a free port, on its own copy of the demo database and its files,
    after ``migrate`` (the test settings add a test-only app), ``collectstatic`` and then each of
    ``commands`` (argument lists of ``anjian``)."""
    url, drop = _copy_database(demo, work)
    shutil.copytree(demo.media, work / "media")
    env = _server_env(work, url, settings_module)
    port = _free_port()
    server = log = None
    try:
        _anjian(env, "migrate", "--noinput")
        _anjian(env, "collectstatic", "--noinput", "--verbosity", "0")
        for command in commands:
            _anjian(env, *command)
        log = open(work / "server.log", "w")  # noqa: SIM115 - closed below
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "anjian.config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--timeout",
                "120",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310 - our own http://127.0.0.1
                    break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError((work / "server.log").read_text()) from None
                time.sleep(0.3)
        else:
            raise RuntimeError("server did not start:\n" + (work / "server.log").read_text())
        yield base
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        if log is not None:
            log.close()
        if drop:
            drop()


@pytest.fixture(scope="session")
def live_server_url(tmp_path_factory, demo_database):
    with running_server(tmp_path_factory.mktemp("browser-server"), demo_database) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def mobile_page(browser):
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    pg = context.new_page()
    yield pg
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def totp_now(secret_b32: str, steps_ahead: int = 0) -> str:
    """The authenticator app's code. A code is accepted once; the device tolerates one step of
    drift, so a second login in the same 30 s uses the next step's code."""
    from django_otp.oath import TOTP

    padded = secret_b32 + "=" * (-len(secret_b32) % 8)
    totp = TOTP(base64.b32decode(padded))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"
