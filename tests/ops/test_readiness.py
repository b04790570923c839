"""/healthz is liveness, /readyz readiness: each part with its state, 503 with the reason while a
required part is away, 200 again once it is back."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from django.db import connection

from tests.ops import servers

pytestmark = pytest.mark.django_db(transaction=True)


def _ready(client):
    answer = client.get("/readyz")
    return answer.status_code, answer.json()


def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}
    assert "no-cache" in answer["Cache-Control"]


def test_readyz_reports_every_part(client):
    status, body = _ready(client)
    assert status == 200, body
    assert body["status"] == "ok"
    assert body["database"]["state"] == "ok"
    assert body["storage"]["state"] == "ok"
    assert body["redis"]["state"] == "not_configured"
    assert body["replica"]["state"] == "not_configured"
    assert body["worker"]["state"] == "none"  # no worker has beaten in this test database
    assert "no-cache" in client.get("/readyz")["Cache-Control"]


def test_readyz_shows_the_age_of_the_workers_heartbeat(client):
    from motcua.core.periodic import beat

    beat()
    body = _ready(client)[1]
    assert body["worker"]["state"] == "ok"
    assert body["worker"]["age"] < 5


@pytest.fixture
def sqlite_file() -> Path:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite file's own failures")
    connection.close()
    return Path(connection.settings_dict["NAME"])


def test_a_moved_sqlite_file_is_not_ready_and_is_not_recreated(client, sqlite_file):
    moved = sqlite_file.with_name(sqlite_file.name + ".moved")
    shutil.move(sqlite_file, moved)
    try:
        status, body = _ready(client)
        assert status == 503
        assert body["database"]["state"] == "missing"
        assert "database: missing" in body["reason"]
        assert not sqlite_file.exists()  # the probe created no empty database there
    finally:
        shutil.move(moved, sqlite_file)
    assert _ready(client)[0] == 200


def test_a_write_locked_sqlite_file_is_not_ready(client, sqlite_file):
    holder = sqlite3.connect(sqlite_file, timeout=1)
    holder.execute("BEGIN IMMEDIATE")
    try:
        status, body = _ready(client)
        assert status == 503
        assert body["database"]["state"] == "locked"
        assert "database: locked" in body["reason"]
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert _ready(client)[0] == 200


def test_redis_down_is_not_ready_and_back_is(client, settings):
    proc, port = servers.start_redis()
    try:
        settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
        status, body = _ready(client)
        assert status == 200 and body["redis"]["state"] == "ok"
        servers.stop(proc)
        status, body = _ready(client)
        assert status == 503
        assert body["redis"]["state"] in ("unreachable", "timeout")
        assert "redis:" in body["reason"]
        proc, _ = servers.start_redis(port)
        assert _ready(client)[0] == 200
    finally:
        servers.stop(proc)


def test_unreachable_storage_is_not_ready_and_back_is(client, settings):
    import boto3

    proc, port = servers.start_moto()
    endpoint = f"http://127.0.0.1:{port}"
    keys = {"aws_access_key_id": "ops-test", "aws_secret_access_key": "ops-test-secret"}

    def bucket():
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **keys).create_bucket(
            Bucket="motcua-readyz"
        )

    try:
        bucket()
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": "motcua-readyz",
                    "endpoint_url": endpoint,
                    "region_name": "us-east-1",
                    "access_key": keys["aws_access_key_id"],
                    "secret_key": keys["aws_secret_access_key"],
                },
            },
        }
        status, body = _ready(client)
        assert status == 200 and body["storage"]["state"] == "ok", body
        servers.stop(proc)
        status, body = _ready(client)
        assert status == 503
        assert body["storage"]["state"] in ("unreachable", "timeout")
        assert "storage:" in body["reason"]
        proc, _ = servers.start_moto(port)
        bucket()
        assert _ready(client)[0] == 200
    finally:
        servers.stop(proc)
