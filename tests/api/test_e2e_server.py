"""End to end over real HTTP: gunicorn serving MotCua on 127.0.0.1 (acceptance scenario a).

A 3-step dossier is received at the counter by a receptionist holding a bearer token, its steps
are completed by the officers of each step, and the citizen follows it with the look-up secret;
without the secret the dossier does not exist (404).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.server
BIN = Path(sys.executable).parent
PASSWORD = "mat-khau-e2e-2026"

SEED = f"""
from decimal import Decimal
from motcua.catalog.models import Field
from motcua.catalog.services import DocumentSpec, ProcedureSpec, StepSpec, create_procedure
from motcua.org import services as org
from motcua.org.models import Staff

ward = org.create_unit(code="E2E.01", name="Phường Thử Đầu Cuối", kind="commune", actor=None)
for username, role in (("tiepnhan", "receptionist"), ("chuyenvien", "specialist"),
                       ("lanhdao", "leader")):
    staff = Staff.objects.create_user(username, "{PASSWORD}", full_name=username)
    org.grant_role(staff=staff, unit=ward, role=role, actor=None)
create_procedure(spec=ProcedureSpec(
    code="9.000001", name="Đăng ký khai sinh", field=Field.objects.create(code="HT", name="Hộ tịch"),
    legal_working_days=Decimal(3), target_working_hours=Decimal(8),
    steps=[StepSpec("Tiếp nhận, chuyển hồ sơ", "receptionist", Decimal(2)),
           StepSpec("Thẩm định", "specialist", Decimal(4)),
           StepSpec("Ký duyệt", "leader", Decimal(2))],
    documents=[DocumentSpec("Tờ khai")], units=[ward], online_mode="full"), actor=None)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(method: str, url: str, body: object | None = None, token: str | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - 127.0.0.1
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as answer:
        return answer.code, json.loads(answer.read() or b"null")


@pytest.fixture
def server(tmp_path):
    motcua = shutil.which("motcua", path=str(BIN))
    assert motcua is not None
    env = {**os.environ, "MOTCUA_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    subprocess.run([motcua, "migrate", "-v", "0"], env=env, check=True)  # noqa: S603
    subprocess.run([motcua, "shell", "-c", SEED], env=env, check=True)  # noqa: S603
    port = _free_port()
    proc = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "motcua.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(600):  # until a worker answers (a loaded machine may take a while)
        try:
            if _call("GET", f"http://127.0.0.1:{port}/api/v1/units")[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _token(base: str, username: str) -> str:
    status, body = _call("POST", f"{base}/auth/token", {"username": username, "password": PASSWORD})
    assert status == 200, body
    return body["token"]


def test_a_counter_dossier_runs_through_its_steps_and_the_citizen_follows_it(server):
    base = server
    desk = _token(base, "tiepnhan")
    status, dossier = _call(
        "POST",
        f"{base}/dossiers",
        {
            "procedure": "9.000001",
            "unit": "E2E.01",
            "channel": "counter",
            "applicant": {"name": "Nguyễn Văn An", "id_number": "001099012345"},
            "documents": [{"name": "Tờ khai", "copies": 1}],
        },
        token=desk,
    )
    assert status == 201, dossier
    code, secret = dossier["code"], dossier["lookup_secret"]
    assert code.startswith("E2E.01-") and dossier["due_at"].endswith("+07:00")
    assert [s["order"] for s in dossier["steps"]] == [1, 2, 3]

    for token in (desk, _token(base, "chuyenvien"), _token(base, "lanhdao")):
        status, dossier = _call("POST", f"{base}/dossiers/{code}/complete-step", {}, token=token)
        assert status == 200, dossier
    assert dossier["status"] == "ready" and dossier["outcome"] == "approved"
    assert dossier["timeliness"] == "early"
    assert [e["kind"] for e in dossier["events"]] == ["received"] + ["step_completed"] * 3

    status, public = _call("GET", f"{base}/public/dossiers/{code}?secret={secret}")
    assert status == 200, public
    assert public["status"] == "ready" and public["applicant_name"] == "Ng*** V** A*"
    assert [s["status"] for s in public["steps"]] == ["done", "done", "done"]
    assert all(s["finished_at"].endswith("+07:00") for s in public["steps"])
    assert "001099012345" not in json.dumps(public)

    assert _call("GET", f"{base}/public/dossiers/{code}")[0] == 404
    assert _call("GET", f"{base}/public/dossiers/{code}?secret=AAAA-BBBB-CCCC")[0] == 404
    assert _call("GET", f"{base}/dossiers/{code}")[0] == 401
