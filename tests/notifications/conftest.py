"""Fixtures of the notification tests: local fake providers, and where tasks go.

In-process tests run Huey in immediate mode (a task runs where it is enqueued, in memory), so no
test ever writes into the development queue under var/. Tests that start a real worker process
point this process's queue at the worker's: a SQLite file under tmp_path, or a Redis queue with a
name of its own.
"""

from __future__ import annotations

import os
import socket
import uuid

import pytest
from huey.contrib.djhuey import HUEY

from tests.notifications.fakes import FakeHttpProvider, FakeSmtpServer

REDIS_URL = os.environ.get("MOTCUA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(autouse=True)
def _huey_in_memory():
    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


@pytest.fixture
def notify_settings(settings):
    """Fast retries for the tests (a copy of the setting, so the override is undone)."""
    settings.MOTCUA_NOTIFY = {
        **settings.MOTCUA_NOTIFY,
        "SMS_URL": "",
        "ZALO_URL": "",
        "RETRY_BASE_SECONDS": 1,
        "RETRY_MAX_SECONDS": 4,
        "MAX_ATTEMPTS": 3,
    }
    return settings


def _provider(notify_settings, channel: str, **style):
    """A fake HTTP provider of ``channel`` (sms, zalo) on 127.0.0.1, set in the settings."""
    token = f"{channel}-token"
    provider = FakeHttpProvider(token=token, **style).start()
    notify_settings.MOTCUA_NOTIFY = {
        **notify_settings.MOTCUA_NOTIFY,
        f"{channel.upper()}_URL": provider.url,
        f"{channel.upper()}_TOKEN": token,
    }
    return provider


@pytest.fixture
def sms_provider(notify_settings):
    provider = _provider(notify_settings, "sms")
    yield provider
    provider.stop()


@pytest.fixture
def zalo_provider(notify_settings):
    provider = _provider(notify_settings, "zalo", style="zalo")
    yield provider
    provider.stop()


@pytest.fixture
def smtp_server(notify_settings):
    server = FakeSmtpServer().start()
    notify_settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    notify_settings.EMAIL_HOST = "127.0.0.1"
    notify_settings.EMAIL_PORT = server.port
    notify_settings.EMAIL_USE_TLS = False
    notify_settings.EMAIL_USE_SSL = False
    notify_settings.EMAIL_HOST_USER = ""
    notify_settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


def redis_available() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.fixture(params=["sqlite", "redis"])
def task_queue(request, tmp_path):
    """This process's Huey queue pointed at the one a worker process started with the returned
    environment will read: SQLite storage in tmp_path, or a Redis queue with a unique name."""
    from huey.storage import RedisStorage, SqliteStorage

    name = f"motcua-test-{uuid.uuid4().hex[:12]}"
    env = {"MOTCUA_QUEUE_NAME": name, "MOTCUA_VAR_DIR": str(tmp_path)}
    if request.param == "redis":
        if not redis_available():
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        storage = RedisStorage(name=name, url=REDIS_URL)
        env["REDIS_URL"] = REDIS_URL
    else:
        storage = SqliteStorage(name=name, filename=str(tmp_path / "tasks.sqlite3"))
        env["REDIS_URL"] = ""
    saved = HUEY.storage
    HUEY.immediate = False
    HUEY.storage = storage
    try:
        yield env
    finally:
        if request.param == "redis":
            storage.flush_all()
        HUEY.storage = saved
