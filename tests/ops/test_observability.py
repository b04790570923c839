"""JSON logs with a request id that follows the request into its tasks; Prometheus metrics."""

from __future__ import annotations

import json
import logging
import re

from huey.contrib.djhuey import HUEY, task
from huey.storage import MemoryStorage

from motcua.core import logs

TOKEN = "metrics-test-token-0123456789"
seen_in_task: list[str] = []


@task(name="tests.ops.remember_request_id")
def remember_request_id() -> None:
    seen_in_task.append(logs.request_id.get())


def _metrics(client) -> str:
    answer = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert answer.status_code == 200
    assert "no-cache" in answer["Cache-Control"]
    return answer.content.decode()


def _value(text: str, name: str, labels: str = "") -> float:
    match = re.search(rf"^{re.escape(name + labels)} (\S+)$", text, re.M)
    assert match, f"{name}{labels} not in the metrics"
    return float(match.group(1))


def test_a_response_carries_the_request_id_given_or_made(client, db):
    given = client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234abcd")
    assert given["X-Request-ID"] == "lb-1234abcd"
    made = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\r\nX-Evil: 1")
    assert re.fullmatch(r"[0-9a-f]{32}", made["X-Request-ID"])


def test_a_json_log_line_holds_the_request_id_and_the_extras():
    record = logging.LogRecord(
        "motcua.test", logging.WARNING, __file__, 1, "%s đã nhận", ("Hồ sơ",), None
    )
    record.dossier_id = 42
    token = logs.request_id.set("req-abcdef12")
    try:
        line = logs.JsonFormatter().format(record)
    finally:
        logs.request_id.reset(token)
    data = json.loads(line)
    assert data["message"] == "Hồ sơ đã nhận"
    assert data["level"] == "WARNING"
    assert data["request_id"] == "req-abcdef12"
    assert data["dossier_id"] == 42
    assert data["time"].endswith("+00:00")


def test_a_task_queued_in_a_request_runs_with_its_request_id():
    saved_storage, saved_immediate = HUEY.storage, HUEY.immediate
    HUEY.storage, HUEY.immediate = MemoryStorage("ops-test"), False
    seen_in_task.clear()
    try:
        token = logs.request_id.set("req-0000feed")
        try:
            remember_request_id()
        finally:
            logs.request_id.reset(token)
        remember_request_id()  # outside a request: no id
        first, second = HUEY.dequeue(), HUEY.dequeue()
        assert first.id.startswith("req-0000feed~")
        HUEY.execute(first)
        HUEY.execute(second)
    finally:
        HUEY.storage, HUEY.immediate = saved_storage, saved_immediate
    assert seen_in_task == ["req-0000feed", ""]
    assert logs.request_id.get() == ""


def test_metrics_are_not_served_without_a_token(client, db, settings):
    settings.MOTCUA_METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    settings.MOTCUA_METRICS_TOKEN = TOKEN
    refused = client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong")
    assert refused.status_code == 401
    assert "Bearer" in refused["WWW-Authenticate"]
    assert client.get(f"/metrics?token={TOKEN}").status_code == 401  # never in the URL


def test_metrics_count_requests_per_route_logins_and_the_work(client, office, settings):
    from motcua.ops.metrics import _work

    settings.MOTCUA_METRICS_TOKEN = TOKEN
    _work._cached = (-1e9, [])
    client.get("/healthz")
    before = _metrics(client)
    failures = _value(before, "motcua_login_failures_total")
    client.post("/dang-nhap/", {"username": office.receptionist.username, "password": "sai"})
    _work._cached = (-1e9, [])
    text = _metrics(client)
    assert _value(text, "motcua_login_failures_total") == failures + 1
    assert (
        'motcua_http_request_duration_seconds_count{method="GET",route="healthz",status="200"}'
        in text
    )
    assert _value(text, "motcua_dossiers_received_total") == 0
    assert _value(text, "motcua_steps_overdue") == 0
    assert _value(text, "motcua_notices", '{status="queued"}') >= 0
    assert "motcua_task_queue_length" in text
    assert 'motcua_sweep_lag_seconds{task="dossiers.sweep_deadlines"}' in text
