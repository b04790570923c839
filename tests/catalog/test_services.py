from datetime import date
from decimal import Decimal

import pytest

from motcua.catalog.selectors import get_procedure_in_force, list_procedures
from motcua.catalog.services import StepDurationsMismatch
from motcua.core.errors import InvalidInput
from tests.factories import make_procedure

pytestmark = pytest.mark.django_db


def test_step_durations_that_do_not_add_up_are_refused_with_a_clear_message(office):
    with pytest.raises(StepDurationsMismatch) as refused:
        make_procedure(hours=("2", "4", "2"), target="10")
    message = str(refused.value)
    assert "Tổng thời gian các bước là 8 giờ làm việc" in message
    assert "10 giờ" in message and "chênh 2 giờ" in message


def test_an_internal_target_longer_than_the_legal_time_is_refused(office):
    with pytest.raises(StepDurationsMismatch) as refused:
        make_procedure(hours=("16", "16"), legal_working_days=Decimal(3))
    assert "vượt thời hạn theo quy định" in str(refused.value)


def test_a_procedure_states_its_legal_time_in_days_or_in_hours_not_both(office):
    with pytest.raises(InvalidInput):
        make_procedure(legal_working_hours=Decimal(4))


def test_fractional_budgets_add_up_exactly():
    # DOMAIN §3.3: 0.25+0.25+0.5+0.25+0.25+0.25+1.25 working days = 3 working days
    procedure = make_procedure(hours=("2", "2", "4", "2", "2", "2", "10"), target="24")
    assert procedure.target_working_hours == Decimal(24)
    assert procedure.legal_hours == Decimal(24)
    assert procedure.green_lane_hours == Decimal("9.60")


def test_a_new_version_leaves_the_old_one_in_force_for_its_own_dates(office):
    old = make_procedure(code="1.000001", units=[office.ward], effective_from=date(2025, 7, 1))
    new = make_procedure(
        code="1.000001",
        units=[office.ward],
        hours=("2", "2"),
        effective_from=date(2026, 1, 1),
    )
    old.refresh_from_db()
    assert old.effective_to == date(2025, 12, 31)
    assert get_procedure_in_force("1.000001", date(2025, 12, 31)) == old
    assert get_procedure_in_force("1.000001", date(2026, 1, 1)) == new
    assert list(list_procedures(unit=office.ward, on=date(2026, 2, 1))) == [new]
    assert [s.order for s in old.steps.all()] == [1, 2, 3]


def test_a_unit_lists_only_the_procedures_it_offers(office):
    mine = make_procedure(units=[office.ward])
    make_procedure(units=[office.other_ward])
    assert list(list_procedures(unit=office.ward)) == [mine]


def test_an_inter_agency_step_resolves_to_the_unit_that_handles_it(office):
    procedure = make_procedure(units=[office.ward])
    step = procedure.steps.first()
    assert step.resolve_unit(office.ward) == office.ward
    step.responsible_unit_kind = "province"
    assert step.resolve_unit(office.ward) == office.city
    step.responsible_unit = office.other_ward
    assert step.resolve_unit(office.ward) == office.other_ward
