"""A change of the working calendar moves the dues of the running dossiers (workdays D2)."""

from datetime import date

import pytest

from motcua.workdays import services as workdays
from tests.dossiers.helpers import at, extended, receive

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not hasattr(workdays, "add_calendar_exception"),
        reason="the editable calendar (workdays.services.add_calendar_exception) is not here yet",
    ),
]


def a_day_off(on: date) -> None:
    """The administrator declares ``on`` an unplanned day off."""
    workdays.add_calendar_exception(  # type: ignore[attr-defined]
        on=on,
        kind="HOLIDAY",
        name="Nghỉ đột xuất",
        legal_reference="Thông báo thử nghiệm",
        actor=None,
    )


def test_a_new_holiday_moves_the_appointment_and_the_open_step(office, procedure):
    dossier = receive(office, procedure, now=at(19, 16)).dossier
    assert dossier.due_at == at(22, 17)
    assert dossier.steps.get(order=1).due_at == at(20, 9)
    a_day_off(date(2026, 1, 20))
    dossier.refresh_from_db()
    assert dossier.due_at == at(23, 17) == dossier.original_due_at
    assert dossier.steps.get(order=1).due_at == at(21, 9)
    event = dossier.events.latest("pk")
    assert event.kind == "deadline_recomputed"
    assert "23/01/2026" in event.note


def test_an_extended_appointment_stays_where_the_leader_signed_it(office, procedure):
    dossier = receive(office, procedure, now=at(19, 9)).dossier
    extended(
        dossier, by=office.receptionist, leader=office.leader, until=at(30, 17), now=at(19, 10)
    )
    a_day_off(date(2026, 1, 21))
    dossier.refresh_from_db()
    assert dossier.due_at == at(30, 17)
    assert dossier.original_due_at == at(23, 17)
