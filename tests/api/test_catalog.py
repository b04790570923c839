import pytest

from tests.factories import make_procedure

pytestmark = pytest.mark.django_db


def test_units_are_listed_with_their_parent(client, office):
    body = client.get("/api/v1/units").json()
    assert body["count"] == 3
    assert {
        "code": "TP.01",
        "name": "Phường Hoàn Kiếm Thử",
        "kind": "commune",
        "parent": "TP",
    } in body["items"]


def test_procedures_offered_by_a_unit_carry_papers_and_steps(client, office):
    procedure = make_procedure(units=[office.ward])
    make_procedure(units=[office.other_ward])
    body = client.get("/api/v1/procedures", {"unit": "TP.01"}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["code"] == procedure.code
    assert item["processing_working_days"] == "3.00" or float(item["processing_working_days"]) == 3
    assert [s["order"] for s in item["steps"]] == [1, 2, 3]
    assert item["required_documents"][0]["name"] == "Tờ khai"


def test_an_unknown_procedure_is_a_problem_document(client, db):
    answer = client.get("/api/v1/procedures/0.000000")
    assert answer.status_code == 404
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert answer.json()["code"] == "not_found"


def test_a_limit_over_500_is_refused_with_the_field_named(client, db):
    answer = client.get("/api/v1/units", {"limit": 501})
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "invalid" and "limit" in body["errors"]


def test_me_needs_a_login_and_lists_the_roles(client, office):
    answer = client.get("/api/v1/me")
    assert answer.status_code == 401
    assert answer.json()["code"] == "not_authenticated"
    client.force_login(office.leader)
    body = client.get("/api/v1/me").json()
    assert body["username"] == "lanhdao"
    assert body["memberships"] == [
        {"unit": "TP.01", "unit_name": "Phường Hoàn Kiếm Thử", "role": "leader"}
    ]


def test_the_openapi_document_is_served(client, db):
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    assert "/api/v1/procedures/{code}" in answer.json()["paths"]
