"""The rating of a dossier after its result (D13): once, on the dossier's timeline."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from motcua.core.errors import DomainError, InvalidInput
from motcua.dossiers.errors import DossierNotFound
from motcua.dossiers.models import Dossier, Event, EventKind
from motcua.dossiers.services import complete_step
from motcua.surveys.errors import AlreadyRated, NotReadyToRate
from motcua.surveys.models import Rating
from motcua.surveys.selectors import has_rating
from motcua.surveys.services import rate_dossier
from tests.dossiers.helpers import at, receive
from tests.factories import make_procedure, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(office):
    procedure = make_procedure(units=[office.ward], hours=("2",), legal_working_days=1)
    return receive(office, procedure, now=at(19, 9))


@pytest.fixture
def ready(office, received):
    dossier = Dossier.objects.get(pk=received.dossier.pk)
    complete_step(step_id=dossier.steps.get(order=1).pk, actor=office.receptionist, now=at(19, 10))
    return dossier


def test_the_citizens_rating_is_kept_and_written_once_on_the_timeline(ready):
    rating = rate_dossier(
        dossier_id=ready.pk, actor=None, overall="satisfied", comment=" Nhanh gọn. ", now=at(20, 9)
    )
    assert (rating.overall, rating.comment, rating.at) == ("satisfied", "Nhanh gọn.", at(20, 9))
    assert has_rating(dossier_id=ready.pk)
    event = Event.objects.get(dossier=ready, kind=EventKind.RATED)
    assert (event.actor, event.at) == (None, at(20, 9))
    assert event.note == "Đánh giá: Hài lòng. Góp ý: Nhanh gọn."
    assert event.from_status == event.to_status == "ready"


def test_a_rating_without_a_comment_notes_only_the_level(ready):
    rate_dossier(dossier_id=ready.pk, actor=None, overall="very_satisfied")
    assert Event.objects.get(kind=EventKind.RATED).note == "Đánh giá: Rất hài lòng."


def test_a_receptionist_enters_a_paper_survey_in_their_own_name(office, ready):
    rate_dossier(dossier_id=ready.pk, actor=office.receptionist, overall="not_satisfied")
    assert Rating.objects.get(dossier=ready).overall == "not_satisfied"
    assert Event.objects.get(kind=EventKind.RATED).actor == office.receptionist


def test_a_member_of_another_unit_cannot_rate_the_dossier(office, ready):
    with pytest.raises(DossierNotFound):
        rate_dossier(dossier_id=ready.pk, actor=office.outsider, overall="satisfied")
    assert not has_rating(dossier_id=ready.pk)


def test_a_supervisor_of_the_city_reads_the_dossier_but_enters_no_survey(office, ready):
    city_supervisor = make_staff(username="giamsat.tp", roles=[(office.city, "supervisor")])
    with pytest.raises(DossierNotFound):
        rate_dossier(dossier_id=ready.pk, actor=city_supervisor, overall="satisfied")
    assert not has_rating(dossier_id=ready.pk)


def test_the_service_refuses_a_second_rating_with_already_rated(ready):
    rate_dossier(dossier_id=ready.pk, actor=None, overall="very_satisfied")
    with pytest.raises(AlreadyRated) as error:
        rate_dossier(dossier_id=ready.pk, actor=None, overall="satisfied")
    assert (error.value.code, error.value.status) == ("already_rated", 409)
    assert Event.objects.filter(kind=EventKind.RATED).count() == 1


def test_the_service_refuses_an_unknown_level_and_a_dossier_without_result(received):
    with pytest.raises(NotReadyToRate) as error:
        rate_dossier(dossier_id=received.dossier.pk, actor=None, overall="satisfied")
    assert (error.value.code, error.value.status) == ("not_ready", 409)
    with pytest.raises(InvalidInput) as bad:
        rate_dossier(dossier_id=received.dossier.pk, actor=None, overall="excellent")
    assert bad.value.field == "overall"
    assert not Event.objects.filter(kind=EventKind.RATED).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are tested on PostgreSQL; SQLite serialises every writer",
)
def test_ten_ratings_of_the_same_dossier_at_once_keep_exactly_one(ready):
    barrier = threading.Barrier(10)
    results: list[object] = [None] * 10

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = rate_dossier(dossier_id=ready.pk, actor=None, overall="satisfied")
        except Exception as exc:  # the outcome under test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 9 and {e.code for e in refused} == {"already_rated"}, results
    assert Rating.objects.filter(dossier=ready).count() == 1
    assert Event.objects.filter(dossier=ready, kind=EventKind.RATED).count() == 1
