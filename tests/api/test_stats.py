"""GET /api/v1/stats/…: the dossier report (JSON and Excel), the ranking, feedback figures."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from motcua.access.services import issue_token
from motcua.dossiers.models import Dossier
from motcua.reports.xlsx import FIRST_DATA_ROW, columns
from tests.factories import make_procedure, make_unit
from tests.reports.helpers import at, dossier_row

pytestmark = pytest.mark.django_db

BASE = "/api/v1/stats"


class Api:
    def __init__(self, client, staff):
        self.client = client
        self.auth = {"Authorization": f"Bearer {issue_token(staff=staff)[0]}"}

    def get(self, path, params=None):
        return self.client.get(BASE + path, params or {}, headers=self.auth)


@pytest.fixture
def city(office):
    """January 2026: 40 dossiers at the ward, 5 at the other ward, 1 from December."""
    procedure = make_procedure(units=[office.ward, office.other_ward])
    rows = [
        dossier_row(
            unit=office.ward,
            procedure=procedure,
            received_at=at(2026, 1, 5) + timedelta(hours=i * 7),
            channel="online" if i % 4 else "counter",
            ready_at=at(2026, 1, 6) + timedelta(hours=i * 7) if i < 30 else None,
        )
        for i in range(40)
    ]
    rows += [
        dossier_row(
            unit=office.other_ward,
            procedure=procedure,
            received_at=at(2026, 1, 12),
            ready_at=at(2026, 1, 13),
        )
        for _ in range(5)
    ]
    rows.append(
        dossier_row(
            unit=office.ward,
            procedure=procedure,
            received_at=at(2025, 12, 30),
            stopped_at=at(2026, 1, 3),
        )
    )
    Dossier.objects.bulk_create(rows)
    return office


@pytest.fixture
def leader(client, city):
    return Api(client, city.leader)


@pytest.fixture
def city_leader(client, city):
    from tests.factories import make_staff

    return Api(client, make_staff(username="lanhdaotp", roles=[(city.city, "leader")]))


JAN = {"from": "2026-01-01", "to": "2026-02-01"}


def _holds(row):
    return (
        row["carried_over"] + row["received"]
        == row["resolved"] + row["in_progress"] + row["stopped"]
        and row["resolved"]
        == row["resolved_early"] + row["resolved_on_time"] + row["resolved_late"]
    )


def test_a_leader_gets_the_report_of_the_ward(leader, city):
    response = leader.get("/dossiers", JAN)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["from"] == "2026-01-01" and body["to"] == "2026-02-01"
    assert [i["key"] for i in body["items"]] == ["TP.01"]
    total = body["total"]
    assert (total["carried_over"], total["received"], total["stopped"]) == (1, 40, 1)
    assert (total["resolved"], total["in_progress"]) == (30, 10)
    assert total["received_online"] == 30 and total["online_rate"] == 75.0
    assert total["resolution_rate"] == round(30 * 100 / 41, 2)
    assert _holds(total) and all(_holds(i) for i in body["items"])


def test_a_city_leader_sees_every_ward_and_each_grouping(city_leader):
    body = city_leader.get("/dossiers", JAN).json()
    assert [i["key"] for i in body["items"]] == ["TP.01", "TP.02"]
    assert body["total"]["received"] == 45
    for group_by in ("procedure", "field", "month"):
        body = city_leader.get("/dossiers", {**JAN, "group_by": group_by}).json()
        assert body["total"]["received"] == 45 and _holds(body["total"]), group_by
    one_ward = city_leader.get("/dossiers", {**JAN, "unit": "TP.02"}).json()
    assert one_ward["total"]["received"] == 5


def test_another_units_figures_are_not_found(client, city):
    outsider = Api(client, city.outsider)
    response = outsider.get("/dossiers", {**JAN, "unit": "TP.01"})
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert outsider.get("/dossiers", {**JAN, "unit": "KHONG.CO"}).status_code == 404
    assert outsider.get("/ranking", {**JAN, "unit": "TP.01"}).status_code == 404
    # without a unit, the outsider sees only their own ward
    assert [i["key"] for i in outsider.get("/dossiers", JAN).json()["items"]] == ["TP.02"]


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-02-01", "to": "2026-01-01"},
        {"from": "2026-01-01", "to": "2026-01-01"},
        {"from": "2026-13-01", "to": "2026-02-01"},
        {"from": "hôm qua", "to": "2026-02-01"},
        {"to": "2026-02-01"},
        {**JAN, "group_by": "street"},
        {"from": "2000-01-01", "to": "2026-02-01"},
        {"from": "0001-01-01", "to": "0001-02-01"},
        {"from": "9999-11-01", "to": "9999-12-31", "group_by": "month"},
    ],
)
def test_bad_dates_or_grouping_are_422_with_a_message(leader, params):
    response = leader.get("/dossiers", params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and body["errors"] and body["detail"]


def test_without_credentials_it_is_401(client, city):
    assert client.get(BASE + "/dossiers", JAN).status_code == 401
    assert client.get(BASE + "/dossiers.xlsx", JAN).status_code == 401


def test_the_excel_file_opens_and_its_totals_match(city_leader):
    response = city_leader.get("/dossiers.xlsx", JAN)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    assert "BÁO CÁO" in sheet["A1"].value
    assert "01/01/2026" in sheet["A3"].value and "31/01/2026" in sheet["A3"].value
    cols = [fig for _g, _t, fig in columns()]
    data = list(
        sheet.iter_rows(min_row=FIRST_DATA_ROW, max_row=FIRST_DATA_ROW + 2, values_only=True)
    )
    body = city_leader.get("/dossiers", JAN).json()
    wards, total = data[:2], data[2]
    assert total[1] == "Tổng cộng"
    for j, fig in enumerate(cols):
        if fig.endswith("_rate"):
            assert total[2 + j] == body["total"][fig]
            continue
        assert total[2 + j] == body["total"][fig] == sum(w[2 + j] for w in wards), fig


def test_the_ranking_keeps_small_units_apart(city_leader, city):
    make_unit(code="TP.09", name="Phường Nhỏ", parent=city.city)
    body = city_leader.get("/ranking", {**JAN, "min_volume": 5}).json()
    assert [(i["unit"], i["rank"]) for i in body["items"]] == [("TP.01", 1), ("TP.02", 2)]
    assert {i["unit"] for i in body["apart"]} == {"TP.09"}
    # all on time; online 75 % and 0 %: (40 × 100 + 20 × 75) / 60 and (40 × 100) / 60
    assert [i["score"] for i in body["items"]] == [91.67, 66.67]
    assert body["weights"]["on_time_rate"] == 40
    small = city_leader.get("/ranking", {**JAN, "min_volume": 30}).json()
    assert [i["unit"] for i in small["items"]] == ["TP.01"]
    assert [i["unit"] for i in small["apart"]] == ["TP.02", "TP.09"]
    assert all(i["rank"] is None for i in small["apart"])


def test_feedback_and_satisfaction_figures_answer(city_leader):
    body = city_leader.get("/feedback", JAN).json()
    assert body["total"]["received"] == 0 and body["tthc_satisfaction_rate"] == 100.0
    body = city_leader.get("/satisfaction", JAN).json()
    assert {i["unit"] for i in body["items"]} == {"TP.01", "TP.02"}
    ward = next(i for i in body["items"] if i["unit"] == "TP.02")
    assert ward["resolved"] == 5 and ward["indicator_1"] == 2.0 and ward["indicator_3"] == 2.0


def test_the_openapi_describes_every_stats_response(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("dossiers", "dossiers.xlsx", "ranking", "feedback", "satisfaction"):
        responses = paths[f"/api/v1/stats/{path}"]["get"]["responses"]
        assert {"200", "401", "404", "422"} <= set(responses), path
    xlsx = paths["/api/v1/stats/dossiers.xlsx"]["get"]["responses"]["200"]["content"]
    assert "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" in xlsx
