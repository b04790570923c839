"""GET /api/v1/calendar/days and /deadline: the public working-time calendar (API.md, D1–D5)."""

from __future__ import annotations

from datetime import date, time

import pytest

from motcua.workdays.services import add_calendar_exception, set_office_hours

pytestmark = pytest.mark.django_db

DAYS = "/api/v1/calendar/days"
DEADLINE = "/api/v1/calendar/deadline"


def due(client, **params):
    answer = client.get(DEADLINE, params)
    assert answer.status_code == 200, answer.content.decode()
    return answer.json()


def refused(client, url, **params):
    answer = client.get(url, params)
    assert answer.status_code == 422, answer.content.decode()
    assert answer.headers["Content-Type"] == "application/problem+json"
    return answer.json()


# ------------------------------------------------------------------------------------------ days
def test_the_days_of_new_year_2026_say_which_are_worked_and_why(client, db):
    body = client.get(DAYS, {"from": "2026-01-01", "to": "2026-01-12"}).json()
    days = {item["date"]: item for item in body["items"]}
    assert len(days) == 12
    assert days["2026-01-01"] == {
        "date": "2026-01-01",
        "working": False,
        "kind": "holiday",
        "name": "Tết Dương lịch",
        "source": days["2026-01-01"]["source"],
    }
    assert days["2026-01-02"]["kind"] == "swap_off"
    assert "12729/VPCP-KGVX" in days["2026-01-02"]["source"]
    assert days["2026-01-03"]["kind"] == "weekend" and not days["2026-01-03"]["working"]
    assert days["2026-01-05"] == {
        "date": "2026-01-05",
        "working": True,
        "kind": "working",
        "name": "",
        "source": "",
    }
    assert days["2026-01-10"]["kind"] == "makeup_workday" and days["2026-01-10"]["working"]


def test_the_library_swap_of_national_day_2026_is_a_swap_off(client, db):
    body = client.get(DAYS, {"from": "2026-08-31", "to": "2026-08-31"}).json()
    assert body["items"][0]["kind"] == "swap_off"


def test_a_units_own_hours_make_its_saturdays_working_days(client, office):
    set_office_hours(
        unit=office.ward,
        sessions={wd: [(time(8), time(12))] for wd in range(6)},
        actor=office.leader,
    )
    ward = client.get(DAYS, {"from": "2026-01-17", "to": "2026-01-17", "unit": "TP.01"}).json()
    system = client.get(DAYS, {"from": "2026-01-17", "to": "2026-01-17", "unit": ""}).json()
    assert ward["items"][0]["kind"] == "working"
    assert system["items"][0]["kind"] == "weekend"


def test_an_administrators_day_off_shows_in_the_days_at_once(client, office):
    add_calendar_exception(
        on=date(2026, 3, 3),
        kind="HOLIDAY",
        name="Nghỉ theo quyết định riêng",
        legal_reference="Quyết định 1/QĐ-UBND",
        actor=office.leader,
    )
    item = client.get(DAYS, {"from": "2026-03-03", "to": "2026-03-03"}).json()["items"][0]
    assert item == {
        "date": "2026-03-03",
        "working": False,
        "kind": "holiday",
        "name": "Nghỉ theo quyết định riêng",
        "source": "Quyết định 1/QĐ-UBND",
    }


def test_a_whole_leap_year_is_allowed_and_one_day_more_is_refused(client, db):
    assert len(client.get(DAYS, {"from": "2024-01-01", "to": "2024-12-31"}).json()["items"]) == 366
    body = refused(client, DAYS, **{"from": "2024-01-01", "to": "2025-01-01"})
    assert body["code"] == "range_too_long" and "366" in body["detail"]
    assert "to" in body["errors"]


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"from": "2026-02-10", "to": "2026-02-01"}, "to", "phải từ ngày đầu"),
        ({"from": "2019-12-30", "to": "2020-01-02"}, "from", "2020–2030"),
        ({"from": "2030-12-30", "to": "2031-01-02"}, "to", "2020–2030"),
        ({"from": "2026-02-01", "to": "2026-02-02", "unit": "KHONGCO"}, "unit", "KHONGCO"),
        ({"from": "2026-02-30", "to": "2026-03-02"}, "from", ""),
        ({"to": "2026-03-02"}, "from", ""),
    ],
)
def test_bad_day_ranges_are_refused_with_the_field_named(client, db, params, field, words):
    body = refused(client, DAYS, **params)
    assert field in body["errors"]
    assert words in body["detail"]


# -------------------------------------------------------------------------- deadlines: DOMAIN §15
def test_e1_three_working_days_from_friday_16_january_2026_are_due_wednesday_21(client, db):
    body = due(client, received_at="2026-01-16T10:00:00+07:00", working_days=3)
    assert body["received_at"] == "2026-01-16T10:00:00+07:00"
    assert body["effective_received_at"] == "2026-01-16T10:00:00+07:00"
    assert body["due_at"] == "2026-01-21T17:00:00+07:00"
    assert body["mode"] == "day"
    assert "Nghỉ cuối tuần (2 ngày): 17/01/2026, 18/01/2026" in body["explanation"]
    assert body["explanation"][-1] == "Hạn: 17:00 thứ Tư 21/01/2026"


def test_e2_five_working_days_across_tet_2026_are_due_thursday_26_february(client, db):
    body = due(client, received_at="2026-02-12T10:00:00+07:00", working_days=5)
    assert body["due_at"] == "2026-02-26T17:00:00+07:00"
    assert any("17/02/2026" in line and "Tết Nguyên Đán" in line for line in body["explanation"])


def test_e6_one_working_day_from_29_april_2026_is_due_monday_4_may(client, db):
    body = due(client, received_at="2026-04-29T10:00:00+07:00", working_days=1)
    assert body["due_at"] == "2026-05-04T17:00:00+07:00"
    assert any("30/04/2026" in line for line in body["explanation"])
    assert any("01/05/2026" in line for line in body["explanation"])


def test_e11_a_certification_at_14_30_is_due_the_same_day(client, db):
    body = due(
        client,
        received_at="2026-01-20T14:30:00+07:00",
        working_days=0,
        cutoff="15:00",
    )
    assert body["due_at"] == "2026-01-20T17:00:00+07:00"
    assert "Giải quyết trong ngày tiếp nhận: hạn là cuối giờ làm việc" in body["explanation"]


def test_e11_after_the_15_00_cutoff_the_certification_is_due_the_next_working_day(client, db):
    body = due(
        client,
        received_at="2026-01-20T15:20:00+07:00",
        working_days=0,
        cutoff="15:00",
    )
    assert body["effective_received_at"] == "2026-01-21T08:00:00+07:00"
    assert body["due_at"] == "2026-01-21T17:00:00+07:00"
    assert any("giờ chốt" in line for line in body["explanation"])


# ----------------------------------------------------------------------- deadlines: modes, D4, D5
def test_e16_a_quarter_working_day_in_hour_mode_is_two_office_hours(client, db):
    body = due(client, received_at="2026-01-19T09:00:00+07:00", working_days="0.25", mode="hour")
    assert body["due_at"] == "2026-01-19T11:00:00+07:00"
    lunch = due(client, received_at="2026-01-19T11:00:00+07:00", working_hours=2)
    assert lunch["due_at"] == "2026-01-19T14:00:00+07:00" and lunch["mode"] == "hour"


def test_e13_one_working_day_in_hour_mode_from_15_20_is_due_15_20_the_next_day(client, db):
    body = due(client, received_at="2026-01-20T15:20:00+07:00", working_days=1, mode="hour")
    assert body["due_at"] == "2026-01-21T15:20:00+07:00"


def test_the_cutoff_applies_in_hour_mode_too(client, db):
    body = due(
        client,
        received_at="2026-01-20T15:20:00+07:00",
        working_hours=2,
        cutoff="15:00",
    )
    assert body["effective_received_at"] == "2026-01-21T08:00:00+07:00"
    assert body["due_at"] == "2026-01-21T10:00:00+07:00"


@pytest.mark.parametrize("channel", ["counter", "online"])
def test_a_reception_after_hours_counts_from_the_next_opening_on_every_channel(client, db, channel):
    body = due(client, received_at="2026-01-16T19:45:00+07:00", working_days=1, channel=channel)
    assert body["effective_received_at"] == "2026-01-19T08:00:00+07:00"
    assert body["due_at"] == "2026-01-20T17:00:00+07:00"
    assert any(line.startswith("Kênh tiếp nhận") for line in body["explanation"])


def test_a_counter_reception_inside_hours_is_the_moment_itself(client, db):
    body = due(client, received_at="2026-01-16T16:59:00+07:00", working_hours=1, channel="counter")
    assert body["effective_received_at"] == "2026-01-16T16:59:00+07:00"
    assert body["due_at"] == "2026-01-19T08:59:00+07:00"


def test_an_instant_in_another_zone_is_answered_in_plus_07_00(client, db):
    body = due(client, received_at="2026-01-16T03:00:00Z", working_days=3)
    assert body["received_at"] == "2026-01-16T10:00:00+07:00"
    assert body["due_at"] == "2026-01-21T17:00:00+07:00"


def test_an_unencoded_plus_in_the_offset_is_understood(client, db):
    answer = client.get(f"{DEADLINE}?received_at=2026-01-16T10:00:00+07:00&working_days=3")
    assert answer.status_code == 200
    assert answer.json()["due_at"] == "2026-01-21T17:00:00+07:00"


def test_a_units_own_hours_set_its_deadlines(client, office):
    set_office_hours(
        unit=office.ward,
        sessions={wd: [(time(7, 30), time(11, 30)), (time(13), time(16, 30))] for wd in range(5)},
        actor=office.leader,
    )
    body = due(client, received_at="2026-01-16T10:00:00+07:00", working_days=3, unit="TP.01")
    assert body["due_at"] == "2026-01-21T16:30:00+07:00"
    assert "Lịch làm việc của Phường Hoàn Kiếm Thử" in body["explanation"]


def test_an_administrators_day_off_moves_the_answer(client, office):
    add_calendar_exception(
        on=date(2026, 1, 19),
        kind="HOLIDAY",
        name="Nghỉ đột xuất",
        legal_reference="Quyết định thử nghiệm",
        actor=office.leader,
    )
    body = due(client, received_at="2026-01-16T10:00:00+07:00", working_days=3)
    assert body["due_at"] == "2026-01-22T17:00:00+07:00"
    assert "19/01/2026 (thứ Hai): nghỉ — Nghỉ đột xuất" in body["explanation"]


# ------------------------------------------------------------------------------ deadlines: refusals
def test_a_time_without_offset_is_refused_with_a_clear_message(client, db):
    body = refused(client, DEADLINE, received_at="2026-01-16T10:00:00", working_days=3)
    assert body["code"] == "naive_datetime"
    assert "phải có múi giờ" in body["errors"]["received_at"][0]


@pytest.mark.parametrize("text", ["hôm qua", "2026-13-01T10:00:00+07:00", "", "2026-01-16"])
def test_a_time_that_is_not_iso_8601_with_offset_is_refused(client, db, text):
    body = refused(client, DEADLINE, received_at=text, working_days=3)
    assert "received_at" in body["errors"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"working_days": -1}, "working_days", "Số ngày làm việc không được âm (nhận -1)"),
        ({"working_hours": -2}, "working_hours", "Thời hạn không được âm"),
        ({"working_days": -1, "mode": "hour"}, "working_days", "Thời hạn không được âm"),
        ({"working_days": "-1e999999999"}, "working_days", "Thời hạn không được âm"),
    ],
)
def test_negative_durations_are_refused_with_the_engines_vietnamese_message(
    client, db, params, field, message
):
    body = refused(client, DEADLINE, received_at="2026-01-16T10:00:00+07:00", **params)
    assert body["code"] == "negative_duration"
    assert message in body["errors"][field][0]


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"working_days": 1, "working_hours": 8}, "working_days", "đúng một trong hai"),
        ({}, "working_days", "đúng một trong hai"),
        ({"working_hours": 8, "mode": "day"}, "working_hours", "mode=hour"),
        ({"working_days": "1.5"}, "working_days", "số ngày làm việc nguyên"),
        ({"working_days": 1, "mode": "week"}, "mode", ""),
        ({"working_days": 1, "channel": "fax"}, "channel", ""),
        ({"working_days": 1, "unit": "KHONGCO"}, "unit", "KHONGCO"),
        ({"working_days": 1, "cutoff": "25:00"}, "cutoff", ""),
        ({"working_days": 1, "cutoff": "15:00+07:00"}, "cutoff", "múi giờ"),
        ({"working_days": "NaN"}, "working_days", ""),
        ({"working_days": "1e999999999"}, "working_days", "ngoài lịch làm việc"),
        ({"working_hours": "99999999"}, "working_hours", "ngoài lịch làm việc"),
    ],
)
def test_inconsistent_or_impossible_budgets_are_refused(client, db, params, field, words):
    body = refused(client, DEADLINE, received_at="2026-01-16T10:00:00+07:00", **params)
    assert field in body["errors"]
    assert words in body["detail"]


@pytest.mark.parametrize(
    ("received_at", "working_days", "field"),
    [
        ("2019-12-31T10:00:00+07:00", 1, "received_at"),
        ("2031-01-02T10:00:00+07:00", 1, "received_at"),
        ("2030-12-31T20:00:00-05:00", 1, "received_at"),  # already 2031 in Hà Nội
        ("0001-01-01T00:00:00+07:00", 1, "received_at"),
        ("2030-12-20T10:00:00+07:00", 30, "working_days"),  # due after the calendar ends
    ],
)
def test_instants_and_dues_outside_2020_2030_are_refused(
    client, db, received_at, working_days, field
):
    body = refused(client, DEADLINE, received_at=received_at, working_days=working_days)
    assert body["code"] == "out_of_range"
    assert "2020–2030" in body["errors"][field][0]


def test_both_calendar_endpoints_are_public_and_described_in_openapi(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/calendar/days", "/api/v1/calendar/deadline"):
        operation = paths[path]["get"]
        assert set(operation["responses"]) == {"200", "422"}
        assert "security" not in operation
    names = {p["name"] for p in paths["/api/v1/calendar/days"]["get"]["parameters"]}
    assert names == {"from", "to", "unit"}
