"""Acceptance scenarios (b) and (c), through the JSON API with bearer tokens.

(b) A dossier received on paper three weeks ago (backdated) has an overdue first step: the gate of
    D9 holds until the leader signs the apology; the dossier stays late against its original due;
    the appointment moves only once.
(c) A supplement request pauses the clock: the due moves by exactly the paused working time.
"""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction

import pytest

from motcua.access.services import issue_token
from motcua.workdays.services import calendar_for
from tests.dossiers.helpers import at

pytestmark = pytest.mark.django_db

NOW = at(9, 10, month=2)  # Mon 09/02/2026 10:00
THREE_WEEKS_AGO = at(19, 9)  # Mon 19/01/2026 09:00


def receive(procedure, applicant: str, **fields) -> dict:
    """The body of a reception at the ward's desk, with the procedure's one paper."""
    return {
        "procedure": procedure.code,
        "unit": "TP.01",
        "documents": [{"name": "Tờ khai", "copies": 1}],
        "applicant": {"name": applicant},
        **fields,
    }


class Desk:
    """One person's API client with a bearer token."""

    def __init__(self, client, staff):
        self.client = client
        self.headers = {"Authorization": f"Bearer {issue_token(staff=staff)[0]}"}

    def post(self, path, body=None):
        answer = self.client.post(
            "/api/v1/dossiers" + path,
            body or {},
            content_type="application/json",
            headers=self.headers,
        )
        return answer.status_code, answer.json()


def test_b_a_backdated_late_step_waits_for_the_leaders_signed_apology(
    client, office, procedure, time_machine
):
    time_machine.move_to(NOW, tick=False)
    desk = Desk(client, office.receptionist)
    specialist = Desk(client, office.specialist)
    leader = Desk(client, office.leader)
    status, dossier = desk.post(
        "",
        receive(
            procedure,
            "Trần Thị Bình",
            received_at=THREE_WEEKS_AGO.isoformat(),
            received_at_reason="Hệ thống mất kết nối, tiếp nhận bằng sổ giấy",
        ),
    )
    assert status == 201, dossier
    code = dossier["code"]
    assert code == "TP.01-260119-0001"
    assert dossier["current_step"]["overdue"] is True and dossier["overdue"] is True

    status, problem = desk.post(f"/{code}/complete-step")
    assert (status, problem["code"]) == (409, "apology_required")

    status, apology = specialist.post(
        f"/{code}/apologies",
        {
            "reason": "Hồ sơ giấy chưa được nhập vào hệ thống do mất kết nối",
            "explanation": "Bộ phận Một cửa nhập lại từ sổ theo dõi",
            "new_due_at": "2026-02-13T17:00:00+07:00",
        },
    )
    assert status == 201 and apology["status"] == "draft"

    status, problem = specialist.post(f"/{code}/apologies/{apology['id']}/sign")
    assert status == 403 and "Lãnh đạo đơn vị" in problem["detail"]

    status, signed = leader.post(f"/{code}/apologies/{apology['id']}/sign")
    assert status == 200 and signed["status"] == "signed"

    status, dossier = desk.post(f"/{code}/complete-step")
    assert status == 200 and dossier["current_step"]["order"] == 2
    assert specialist.post(f"/{code}/complete-step")[0] == 200
    status, dossier = leader.post(f"/{code}/complete-step")
    assert status == 200 and dossier["status"] == "ready"
    assert dossier["due_at"] == "2026-02-13T17:00:00+07:00"  # what the citizen was promised
    assert dossier["original_due_at"] == "2026-01-22T17:00:00+07:00"  # the statute
    assert dossier["timeliness"] == "late"  # judged against the original due (D7)

    status, problem = specialist.post(
        f"/{code}/apologies",
        {"reason": "Lần hai", "new_due_at": "2026-02-20T17:00:00+07:00"},
    )
    # the dossier is ready: no step is open; on an open dossier the refusal is the extension's
    assert status == 409


def test_b_a_second_extension_is_409_extension_already_used(
    client, office, procedure, time_machine
):
    time_machine.move_to(NOW, tick=False)
    desk = Desk(client, office.receptionist)
    specialist = Desk(client, office.specialist)
    leader = Desk(client, office.leader)
    code = desk.post(
        "",
        receive(
            procedure,
            "Trần Thị Bình",
            received_at=THREE_WEEKS_AGO.isoformat(),
            received_at_reason="Sổ giấy",
        ),
    )[1]["code"]
    first = specialist.post(
        f"/{code}/apologies", {"reason": "Chậm", "new_due_at": "2026-02-13T17:00:00+07:00"}
    )[1]
    second = specialist.post(
        f"/{code}/apologies", {"reason": "Chậm nữa", "new_due_at": "2026-02-20T17:00:00+07:00"}
    )[1]
    assert leader.post(f"/{code}/apologies/{first['id']}/sign")[0] == 200
    status, problem = leader.post(f"/{code}/apologies/{second['id']}/sign")
    assert (status, problem["code"]) == (409, "extension_already_used")
    status, problem = specialist.post(
        f"/{code}/apologies", {"reason": "Lần ba", "new_due_at": "2026-02-27T17:00:00+07:00"}
    )
    assert (status, problem["code"]) == (409, "extension_already_used")


def test_c_a_supplement_request_moves_the_due_by_exactly_the_paused_working_time(
    client, office, procedure, time_machine
):
    time_machine.move_to(at(19, 9), tick=False)
    desk = Desk(client, office.receptionist)
    status, dossier = desk.post(
        "",
        receive(procedure, "Lê Văn Cường", green_lane="investment"),
    )
    code = dossier["code"]
    before = {k: datetime.fromisoformat(dossier[k]) for k in ("due_at", "green_lane_due_at")}
    step_due = datetime.fromisoformat(dossier["current_step"]["due_at"])

    time_machine.move_to(at(19, 10, 30), tick=False)
    status, dossier = desk.post(f"/{code}/supplement-requests", {"items": ["Bản sao CCCD"]})
    assert status == 200 and dossier["status"] == "awaiting_supplement"

    paused_until = at(22, 14, 15)  # Thursday afternoon
    time_machine.move_to(paused_until, tick=False)
    desk = Desk(client, office.receptionist)
    status, dossier = desk.post(f"/{code}/supplements", {"note": "Đã nhận bản sao"})
    assert status == 200 and dossier["status"] == "received"

    cal = calendar_for(office.ward)
    paused = cal.working_hours_between(at(19, 10, 30), paused_until)
    assert paused == Fraction(107, 4)  # Mon 10:30–17 5.5 h + Tue 8 + Wed 8 + Thu 8–14:15 5.25
    for key, old in before.items():
        new = datetime.fromisoformat(dossier[key])
        assert cal.working_hours_between(old, new) == paused, key
    new_step_due = datetime.fromisoformat(dossier["current_step"]["due_at"])
    assert cal.working_hours_between(step_due, new_step_due) == paused
    assert dossier["original_due_at"] == dossier["due_at"]
