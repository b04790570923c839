"""POST /api/v1/public/dossiers/{code}/rating (API.md, Public): once, after the result."""

import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.services import complete_step
from tests.dossiers.helpers import at, receive
from tests.factories import make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(office):
    procedure = make_procedure(units=[office.ward], hours=("2",), legal_working_days=1)
    return receive(office, procedure, now=at(19, 9))


def _finish(office, created):
    dossier = Dossier.objects.get(pk=created.dossier.pk)
    complete_step(step_id=dossier.steps.get(order=1).pk, actor=office.receptionist, now=at(19, 10))


def _rate(client, code, secret, **body):
    return client.post(
        f"/api/v1/public/dossiers/{code}/rating",
        {"secret": secret, "overall": "very_satisfied", **body},
        content_type="application/json",
    )


def test_the_citizen_rates_once_after_the_result_and_twice_is_409(client, office, received):
    _finish(office, received)
    first = _rate(client, received.dossier.code, received.lookup_secret, comment="Nhanh")
    assert first.status_code == 201
    assert first.json()["overall"] == "very_satisfied"
    again = _rate(client, received.dossier.code, received.lookup_secret)
    assert again.status_code == 409
    assert again.json()["code"] == "already_rated"


def test_rating_before_the_result_is_refused_with_the_reason(client, office, received):
    answer = _rate(client, received.dossier.code, received.lookup_secret)
    assert answer.status_code == 409
    assert answer.json()["detail"]


def test_a_wrong_secret_is_404_like_an_unknown_code(client, office, received):
    _finish(office, received)
    wrong = _rate(client, received.dossier.code, "SAI-SAI-SAI")
    unknown = _rate(client, "KHONG-CO", received.lookup_secret)
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()


def test_an_unknown_level_is_422(client, office, received):
    _finish(office, received)
    answer = _rate(client, received.dossier.code, received.lookup_secret, overall="tuyet_voi")
    assert answer.status_code == 422
    assert "overall" in answer.json()["errors"]
